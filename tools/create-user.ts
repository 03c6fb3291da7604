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
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: it names the database to create the user in.");
    return 2;
  }
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
  const password = temporary ? randomBytes(18).toString("base64url") : await readPassword();
  const parsed = userCreateSchema(newPasswordProblems).safeParse({
    name: values.name,
    email: values.email,
    role: values.role?.toUpperCase(),
    password,
    confirmPassword: password,
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

/** Twice at a hidden prompt on a terminal; otherwise the first line of standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) return line;
    return "";
  }
  const first = await hiddenPrompt("Password: ");
  const second = await hiddenPrompt("Type it again: ");
  if (first !== second) {
    console.error("--password: The two passwords differ.");
    process.exit(2);
  }
  return first;
}

function hiddenPrompt(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const write = prompt as unknown as { _writeToOutput: (text: string) => void };
  write._writeToOutput = (text) => {
    if (text.startsWith(question)) process.stdout.write(question);
  };
  return new Promise((resolve) =>
    prompt.question(question, (answer) => {
      prompt.close();
      process.stdout.write("\n");
      resolve(answer);
    }),
  );
}

try {
  process.exitCode = await main();
} finally {
  await getDb().$disconnect();
}
