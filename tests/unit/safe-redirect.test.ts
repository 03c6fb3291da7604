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
    // Paths that only become protocol-relative once the URL parser normalises them.
    ["/.//evil.example", "/home"],
    ["/..//evil.example", "/home"],
    ["/a/..//evil.example", "/home"],
    ["/%2e%2e//evil.example", "/home"],
    ["/%2E%2e//evil.example/x?y#z", "/home"],
    ["/./\\evil.example", "/home"],
    ["/a/../\\evil.example", "/home"],
    ["/\n/evil.example", "/home"],
    ["/\r\n//evil.example", "/home"],
    ["/a\u0000b", "/home"],
    ["\t/evil.example", "/home"],
    ["/./patients", "/patients"],
    ["/a/../patients/./x", "/patients/x"],
  ])("%j → %s", (target, expected) => {
    expect(safeRedirectPath(target, "/home")).toBe(expected);
  });

  it("never returns anything a browser would resolve to another origin", () => {
    const pieces = ["/", "//", ".", "..", "%2e", "%2E", "\\", "a", "%2f", "%5c", "\t", "?", "#", "@", ":"];
    const targets = pieces.flatMap((a) => pieces.flatMap((b) => pieces.map((c) => `/${a}${b}${c}evil.example`)));
    for (const target of targets) {
      const returned = safeRedirectPath(target, "/home");
      expect(new URL(returned, "https://painpath.example/some/page").origin, target).toBe("https://painpath.example");
      expect(returned.startsWith("//") || returned.startsWith("/\\"), target).toBe(false);
    }
  });
});
