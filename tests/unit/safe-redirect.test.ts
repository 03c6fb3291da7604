import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/domain/safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/patients", "/patients"],
    ["/patients?q=smith#top", "/patients?q=smith#top"],
    ["/a/../b", "/b"],
    ["https://evil.example", "/home"],
    ["//evil.example/x", "/home"],
    ["/\\evil.example", "/home"],
    ["/\t/evil.example", "/home"],
    ["javascript:alert(1)", "/home"],
    ["patients", "/home"],
    ["", "/home"],
    [undefined, "/home"],
    [42, "/home"],
    ["/" + "a".repeat(3000), "/home"],
  ])("%s → %s", (target, expected) => {
    expect(safeRedirectPath(target, "/home")).toBe(expected);
  });
});
