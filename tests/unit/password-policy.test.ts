import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from "~/domain/password-policy";
import { newPasswordProblems } from "~/server/password.server";

const COMMON = new Set(["password", "iloveyou", "1qaz2wsx3edc4rfv"]);

describe("passwordProblems (NIST SP 800-63B rev. 4, password used alone)", () => {
  it.each([
    ["14 characters", "a".repeat(13) + "b", [`Use at least ${PASSWORD_MIN_LENGTH} characters.`]],
    ["15 characters, nothing else wrong", "tulip-harbor-x7", []],
    ["64 characters", "quiet river stones under a silver bridge at dusk, 1987 version!", []],
    ["exactly the maximum length", "wander-".repeat(35) + "quartz-home", []],
    ["one past the maximum", "w".repeat(PASSWORD_MAX_LENGTH) + "x", [`Use at most ${PASSWORD_MAX_LENGTH} characters.`]],
    [
      "a common password",
      "1qaz2wsx3edc4rfv",
      ["This password is too common or has appeared in data breaches. Choose another."],
    ],
    [
      "a common password repeated",
      "passwordpasswordpassword",
      ["This password is too common or has appeared in data breaches. Choose another."],
    ],
    [
      "a common password padded with digits",
      "iloveyou1234567!",
      ["This password is too common or has appeared in data breaches. Choose another."],
    ],
    [
      "one repeated character",
      "zzzzzzzzzzzzzzzzzz",
      ["Avoid repeated or sequential characters such as aaaa… or 1234…."],
    ],
    ["a sequence that is only part of the password", "123456789-lantern", []],
    ["an alphabet run", "abcdefghijklmnop", ["Avoid repeated or sequential characters such as aaaa… or 1234…."]],
    [
      "the application's name",
      "my-painpath-login-key",
      ["Do not use your name, email or the application's name in your password."],
    ],
  ])("%s", (_label, password, expected) => {
    expect(passwordProblems(password, COMMON)).toEqual(expected);
  });

  it("refuses the user's own name or email", () => {
    const context = { email: "maya.okafor@clinic.test", name: "Maya Okafor" };
    expect(passwordProblems("okafor-winter-garden-22", COMMON, context)).toHaveLength(1);
    expect(passwordProblems("maya.okafor-garden-22", COMMON, context)).toHaveLength(1);
    expect(passwordProblems("winter-garden-lantern-22", COMMON, context)).toEqual([]);
  });

  it("counts characters, not bytes, and accepts any Unicode", () => {
    expect(passwordProblems("ñandú-café-über-große", COMMON)).toEqual([]);
    expect(passwordProblems("😀😀😀😀😀😀😀😀😀😀😀😀😀😀", COMMON)).toEqual([
      `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
    ]);
  });

  it("checks against the shipped list of ~49,000 breached passwords", () => {
    expect(newPasswordProblems("qwertyuiop12345", {})).toHaveLength(1);
    expect(newPasswordProblems("passwordpassword", {})).toHaveLength(1);
    expect(newPasswordProblems("violet-harbour-lantern-58", {})).toEqual([]);
  });
});
