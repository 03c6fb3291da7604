import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { passwordProblems, type PasswordContext } from "~/domain/password-policy";

// Argon2id (the library's default algorithm) with OWASP's recommended minimum cost:
// m = 19 MiB, t = 2, p = 1.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let commonPasswords: ReadonlySet<string> | undefined;

/** ~49,000 common and breached passwords from the zxcvbn-ts common dictionary, shipped with the app. */
function getCommonPasswords(): ReadonlySet<string> {
  commonPasswords ??= new Set((dictionary["passwords-common"] as string[]).map((word) => word.toLowerCase()));
  return commonPasswords;
}

export function newPasswordProblems(password: string, context: PasswordContext): string[] {
  return passwordProblems(password, getCommonPasswords(), context);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** A real hash to verify against when the account does not exist, so timing does not reveal it. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hashPassword("decoy password that never matches a real account");
  const target = passwordHash ?? (await decoyHash);
  const matches = await verify(target, password).catch(() => false);
  return passwordHash !== null && matches;
}
