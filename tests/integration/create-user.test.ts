// `npm run user:create`, run as a hospital's operator would against DATABASE_URL.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { verifyPassword } from "~/server/password.server";

function createUserCommand(args: string[], stdin = ""): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "user:create", "--", ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "development",
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        LOG_LEVEL: "silent",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(stdin);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

const PASSWORD = "harbour-copper-lantern-meadow-77";

describe("npm run user:create", () => {
  it("creates the first administrator with the password read from standard input, and audits it", async () => {
    const { code, output } = await createUserCommand(
      ["--role", "admin", "--email", "Head.Admin@Clinic.test", "--name", "Ada Admin"],
      `${PASSWORD}\n`,
    );
    expect(output).toContain("Created ADMIN head.admin@clinic.test.");
    expect(code).toBe(0);
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "head.admin@clinic.test" } });
    expect(user).toMatchObject({ role: "ADMIN", name: "Ada Admin", active: true, mustChangePassword: false });
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "user.create", entityId: user.id } });
    expect(audit).toMatchObject({ userId: null, clientAddress: "command line", outcome: "success" });
    expect(audit.detail).toEqual({ role: "ADMIN", via: "command line" });
  });

  it("generates a temporary password on request, which must be changed at first sign-in", async () => {
    const { code, output } = await createUserCommand([
      "--role=NURSE",
      "--email=night.nurse@clinic.test",
      "--name=Nell Nurse",
      "--temporary-password",
    ]);
    expect(code).toBe(0);
    const temporary = /Temporary password \(to be changed at first sign-in\): (\S+)/.exec(output)?.[1];
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "night.nurse@clinic.test" } });
    expect(user.mustChangePassword).toBe(true);
    expect(await verifyPassword(user.passwordHash, temporary ?? "")).toBe(true);
  });

  it("refuses a duplicate email with a clear message and changes nothing", async () => {
    const before = await getDb().user.count();
    const { code, output } = await createUserCommand(
      ["--role", "PHYSICIAN", "--email", "HEAD.ADMIN@clinic.test", "--name", "Someone Else"],
      `${PASSWORD}\n`,
    );
    expect(code).toBe(1);
    expect(output).toContain("--email: Another user already has this email.");
    expect(await getDb().user.count()).toBe(before);
  });

  it("names every bad option with the admin form's own messages, and creates nobody", async () => {
    const before = await getDb().user.count();
    const { code, output } = await createUserCommand(
      ["--role", "JANITOR", "--email", "not-an-email", "--name", "A\nB"],
      "password\n",
    );
    expect(code).toBe(2);
    expect(output).toContain("--role: Choose a role.");
    expect(output).toContain("--email: Enter a valid email address.");
    expect(output).toContain("--name: Keep this on one line, without line breaks or tabs.");
    expect(output).toContain("--password: Use at least 15 characters.");
    expect(await getDb().user.count()).toBe(before);
  });
});
