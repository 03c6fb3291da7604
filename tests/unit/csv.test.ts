import { describe, expect, it } from "vitest";
import { csvField, csvFileName, csvLine, csvResponseHeaders, toCsv } from "~/domain/csv";

/** A minimal RFC 4180 reader, to prove that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index++;
    } else field += char;
  }
  return rows;
}

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    [null, ""],
    [undefined, ""],
    [42, "42"],
    [-3.5, "-3.5"],
    [0, "0"],
    [Number.NaN, ""],
    [Number.POSITIVE_INFINITY, ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["line\nbreak", '"line\nbreak"'],
    ["crlf\r\nbreak", '"crlf\r\nbreak"'],
    [" padded ", " padded "],
    ["O'Brien", "O'Brien"],
    ["Zoë Łódź 東京 🙂", "Zoë Łódź 東京 🙂"],
    ["\u202Eevil", "\u202Eevil"],
  ] as const)("%j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ["=1+2", "'=1+2"],
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ["+41 22 555", "'+41 22 555"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["＝1+2", "'＝1+2"],
    ["a=b", "a=b"],
    ["e-mail", "e-mail"],
  ] as const)("neutralises a formula: %j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("writes numbers as numbers, even negative ones", () => {
    expect(csvField(-12)).toBe("-12");
  });
});

describe("toCsv", () => {
  it("ends every record with CRLF and round-trips through an RFC 4180 reader", () => {
    const rows = [
      ["name", "note", "count"],
      ["Zoë", 'said "ouch", then left\nearly', 3],
      ["=evil()", null, -1],
      ["", "", 0],
    ];
    const text = toCsv(rows);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.split("\r\n")).toHaveLength(rows.length + 1);
    expect(parseCsv(text)).toEqual([
      ["name", "note", "count"],
      ["Zoë", 'said "ouch", then left\nearly', "3"],
      ["'=evil()", "", "-1"],
      ["", "", "0"],
    ]);
  });

  it("is the concatenation of its lines, so a stream can write line by line", () => {
    const rows = [
      ["a", 1],
      ["b,c", null],
    ];
    expect(toCsv(rows)).toBe(rows.map(csvLine).join(""));
    expect(toCsv([])).toBe("");
  });
});

describe("csvFileName", () => {
  it.each([
    ["audit", {}, "audit.csv"],
    [
      "audit",
      { action: "patient.view", from: "2026-01-01", to: "2026-01-31" },
      "audit_action-patient.view_from-2026-01-01_to-2026-01-31.csv",
    ],
    [
      "audit",
      { user: "Nurse@Clinic.test", outcome: undefined, to: null, patient: "" },
      "audit_user-Nurse-Clinic.test.csv",
    ],
    ["report", { truncated: true, hidden: false }, "report_truncated.csv"],
    ["report", { page: 2 }, "report_page-2.csv"],
    ["../../etc/passwd", {}, "etc-passwd.csv"],
    ["audit", { q: 'a"b;c\r\nd' }, "audit_q-a-b-c-d.csv"],
    ["Zoë's report", { where: "Łódź" }, "Zoe-s-report_where-odz.csv"],
    ["", {}, "export.csv"],
    ["東京", {}, "export.csv"],
  ] as const)("%j %j → %s", (prefix, filters, expected) => {
    expect(csvFileName(prefix, filters)).toBe(expected);
  });

  it("keeps long names short and only safe characters", () => {
    const name = csvFileName("audit", { user: "x".repeat(500), action: "y".repeat(500) });
    expect(name.length).toBeLessThanOrEqual(124);
    expect(name).toMatch(/^[A-Za-z0-9._-]+\.csv$/);
  });
});

describe("csvResponseHeaders", () => {
  it("downloads as an attachment that no cache keeps", () => {
    const headers = csvResponseHeaders("audit_from-2026-01-01.csv");
    expect(headers["Content-Type"]).toBe("text/csv; charset=utf-8");
    expect(headers["Content-Disposition"]).toBe('attachment; filename="audit_from-2026-01-01.csv"');
    expect(headers["Cache-Control"]).toBe("no-store");
  });

  it("cannot be used to inject header parameters", () => {
    expect(csvResponseHeaders('a"; filename=evil.exe')["Content-Disposition"]).toBe(
      'attachment; filename="a___filename_evil.exe"',
    );
    expect(csvResponseHeaders('a"; x=.csv')["Content-Disposition"]).toBe('attachment; filename="a___x_.csv"');
  });
});
