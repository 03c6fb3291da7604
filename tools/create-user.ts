// `npm run user:create -- --role ADMIN --email … --name …`: creates a user in DATABASE_URL, such as
// a new installation's first administrator. The password is typed at a hidden prompt (or read
// from standard input when that is not a terminal); --temporary-password generates one instead,
// which must be changed at first sign-in. The same rules as the administrator's form apply.
import { randomBytes, randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { userCreateSchema } from "../app/domain/user-forms";
import { createUser, UserChangeRefusedError } from "../app/models/user-admin.server";
import { getDb } from "../app/server/db.server";
import { newPasswordProblems } from "../app/server/password.server";

const USAGE =
  "Usage: npm run user:create -- --role ADMIN|PHYSICIAN|NURSE --email EMAIL --name NAME [--temporary-password]";

async function main(): Promise<number> {
  let values: { role?: string; email?: string; name?: string; "temporary-password"?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: "string" },
        email: { type: "string" },
        name: { type: "string" },
        "temporary-password": { type: "boolean" },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const temporary = values["temporary-password"] ?? false;
  const generated = randomBytes(18).toString("base64url");
  const { password, confirmPassword } = temporary
    ? { password: generated, confirmPassword: generated }
    : await readPassword();
  const parsed = userCreateSchema(newPasswordProblems).safeParse({
    name: values.name,
    email: values.email,
    role: values.role?.toUpperCase(),
    password,
    confirmPassword,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
    console.error(USAGE);
    return 2;
  }
  try {
    const context = { requestId: randomUUID(), clientAddress: "command line", cspNonce: "", state: {} };
    await createUser(parsed.data, null, context, { temporaryPassword: temporary });
  } catch (error) {
    if (error instanceof UserChangeRefusedError) {
      console.error(`--${error.field ?? "email"}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  console.log(`Created ${parsed.data.role} ${parsed.data.email}.`);
  if (temporary) console.log(`Temporary password (to be changed at first sign-in): ${password}`);
  return 0;
}

/** Twice at a hidden prompt on a terminal; otherwise the first line of standard input, once. */
async function readPassword(): Promise<{ password: string; confirmPassword: string }> {
  if (!process.stdin.isTTY) {
    for await (const line of createInterface({ input: process.stdin }))
      return { password: line, confirmPassword: line };
    return { password: "", confirmPassword: "" };
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Nothing typed is echoed.
  (prompt as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  const lines = prompt[Symbol.asyncIterator]();
  const ask = async (question: string) => {
    process.stdout.write(question);
    const { value } = await lines.next();
    process.stdout.write("\n");
    return typeof value === "string" ? value : "";
  };
  const password = await ask("Password: ");
  const confirmPassword = await ask("Type it again: ");
  prompt.close();
  return { password, confirmPassword };
}

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set: it names the database to create the user in.");
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await main();
  } finally {
    await getDb().$disconnect();
  }
}
