import { describe, expect, it } from "vitest";
import { describeDatabase } from "~/server/database.server";

describe("describeDatabase", () => {
  it("names the host, port and database of a TCP address, never the password", () => {
    expect(describeDatabase("postgresql://app:s3cret@db.example.org:6432/painpath")).toBe(
      "db.example.org:6432/painpath",
    );
    expect(describeDatabase("postgresql://app:s3cret@db.example.org/painpath")).toBe("db.example.org:5432/painpath");
  });

  it("names the host a host parameter gives, and says nothing of an address it cannot read", () => {
    expect(describeDatabase("postgresql://app:s3cret@localhost/painpath?host=db.internal")).toBe(
      "db.internal:5432/painpath",
    );
    const unreadable = describeDatabase("postgresql://app:s3cret@/painpath?host=/var/run/postgresql");
    expect(unreadable).not.toContain("s3cret");
  });

  it("names the socket directory of a Unix-socket address", () => {
    expect(describeDatabase("postgresql://app:s3cret@localhost/painpath?host=/var/run/postgresql&port=5433")).toBe(
      "Unix socket /var/run/postgresql:5433/painpath",
    );
  });
});
