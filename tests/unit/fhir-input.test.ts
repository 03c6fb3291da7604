import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type InputItem, readInput } from "~/server/fhir-input.server";
import { closePool } from "~/server/fhir-validation-pool.server";

afterAll(() => closePool());

async function readText(name: string, text: string): Promise<InputItem[]> {
  const folder = await mkdtemp(path.join(tmpdir(), "fhir-input-"));
  const file = path.join(folder, name);
  await writeFile(file, text);
  const items: InputItem[] = [];
  for await (const item of readInput(file)) items.push(item);
  return items;
}

const patient = {
  resourceType: "Patient",
  id: "p1",
  // Brackets, quotes, escapes and multi-byte characters inside strings must not confuse the reader.
  name: [{ family: 'Ø\'Brïen "}]{[" \\', given: ["Zoë", "👩‍⚕️"] }],
  meta: { tag: [{ code: "entry" }] },
};
const condition = {
  resourceType: "Condition",
  id: "c1",
  subject: { reference: "urn:uuid:0b4e3f1c-5a1e-4c55-8d4b-2f0e6d1c9a70" },
  code: { text: "Chronic low back pain" },
};

describe("a Bundle is read in chunks, entry by entry", () => {
  it("yields every entry's resource, with urn:uuid references resolved", async () => {
    const bundle = {
      resourceType: "Bundle",
      type: "collection",
      link: [{ relation: "self", url: "https://ehr.example/entry" }],
      entry: [
        { fullUrl: "urn:uuid:0b4e3f1c-5a1e-4c55-8d4b-2f0e6d1c9a70", resource: patient },
        { fullUrl: "urn:uuid:5b0c55a4-8e0e-4f55-a3bb-9a0fd2a6bb71", resource: condition },
        // Over two of the reader's 1 MB chunks.
        {
          resource: {
            ...condition,
            id: "c2",
            note: Array.from({ length: 6 }, () => ({ text: '{"]\\\\ '.repeat(80_000) })),
          },
        },
      ],
    };
    const items = await readText("b.json", JSON.stringify(bundle, null, 2));
    expect(items.map((item) => item.kind)).toEqual(["resource", "resource", "resource"]);
    const [first, second] = items as Array<Extract<InputItem, { kind: "resource" }>>;
    expect(JSON.parse(first!.text)).toEqual(patient);
    expect(first).toMatchObject({ location: "entry 0", patientKey: "Patient/p1" });
    expect(JSON.parse(second!.text).subject).toEqual({ reference: "Patient/p1" });
    expect(second).toMatchObject({ location: "entry 1", patientKey: "Patient/p1" });
    expect(JSON.parse((items[2] as { text: string }).text)).toEqual({
      ...bundle.entry[2]!.resource,
      subject: { reference: "Patient/p1" },
    });
  });

  it.each([
    ["a trailing comma", '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{}},\n]}', 2],
    [
      "a missing comma",
      '{"resourceType":"Bundle","type":"collection","entry":[\n{"resource":{}}\n{"resource":{}}]}',
      3,
    ],
    ["a truncated file", '{"resourceType":"Bundle","type":"collection","entry":[\n{"resource":{"id":"x"}}', 2],
    ["a broken entry", '{"resourceType":"Bundle","type":"collection","entry":[\n\n{"resource":{"id":}}]}', 3],
  ])("refuses %s as invalid JSON at its line, and yields nothing of the file", async (_, text, line) => {
    const items = await readText("bad.json", text);
    expect(items).toEqual([
      expect.objectContaining({
        kind: "error",
        location: `line ${line}`,
        message: expect.stringMatching(/^invalid JSON/),
      }),
    ]);
  });
});
