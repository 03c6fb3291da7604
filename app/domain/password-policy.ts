/**
 * Password rules for a password used alone, per NIST SP 800-63B rev. 4 §3.1.1.2: at least 15
 * characters, at least 64 allowed and never truncated, checked against common and breached
 * passwords and context words; no composition rules and no forced rotation.
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordContext {
  email?: string;
  name?: string;
}

const CONTEXT_WORDS = ["painpath", "clinic"];

/** Returns the reasons a new password is refused; an empty list means it is acceptable. */
export function passwordProblems(
  password: string,
  commonPasswords: ReadonlySet<string>,
  context: PasswordContext = {},
): string[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return [`Use at least ${PASSWORD_MIN_LENGTH} characters.`];
  if (length > PASSWORD_MAX_LENGTH) return [`Use at most ${PASSWORD_MAX_LENGTH} characters.`];

  const lower = password.toLowerCase();
  if (isCommon(lower, commonPasswords)) {
    return ["This password is too common or has appeared in data breaches. Choose another."];
  }
  if (isRepetitiveOrSequential(lower)) {
    return ["Avoid repeated or sequential characters such as aaaa… or 1234…."];
  }
  const contextWords = [...CONTEXT_WORDS, ...contextWordsOf(context)];
  if (contextWords.some((word) => lower.includes(word))) {
    return ["Do not use your name, email or the application's name in your password."];
  }
  return [];
}

function isCommon(lower: string, commonPasswords: ReadonlySet<string>): boolean {
  if (commonPasswords.has(lower)) return true;
  // A common password repeated ("passwordpassword") or padded with digits and symbols
  // ("password123456789!") is still guessed early by cracking tools.
  const unit = smallestRepeatingUnit(lower);
  if (unit !== lower && commonPasswords.has(unit)) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, "");
  return (
    core.length > 0 && core !== lower && (commonPasswords.has(core) || commonPasswords.has(smallestRepeatingUnit(core)))
  );
}

function smallestRepeatingUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) {
      return text.slice(0, size);
    }
  }
  return text;
}

function isRepetitiveOrSequential(lower: string): boolean {
  const codes = [...lower].map((char) => char.codePointAt(0) ?? 0);
  if (new Set(codes).size <= 2) return true;
  const steps = codes.slice(1).map((code, index) => code - (codes[index] ?? 0));
  return steps.every((step) => step === steps[0] && Math.abs(step) === 1);
}

function contextWordsOf(context: PasswordContext): string[] {
  const emailLocal = context.email?.split("@")[0] ?? "";
  const nameParts = context.name?.split(/\s+/) ?? [];
  return [emailLocal, ...nameParts].map((word) => word.toLowerCase()).filter((word) => word.length >= 4);
}
