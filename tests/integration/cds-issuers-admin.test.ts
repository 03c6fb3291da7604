import { beforeAll, describe, expect, it } from "vitest";
import { action as issuerAction, loader as issuerLoader } from "~/routes/admin.cds-issuers.$issuerId";
import { action as createAction } from "~/routes/admin.cds-issuers._index";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { callRoute, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

let admin: string;
let adminId: string;

const PUBLIC_KEY = {
  kty: "EC",
  crv: "P-384",
  kid: "ehr-1",
  x: "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
  y: "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI",
};

beforeAll(async () => {
  adminId = (await createUser("ADMIN")).id;
  admin = await sessionCookie(adminId);
});

type Reply = { result: { error?: Record<string, string[] | null> }; conflict: Array<{ name: string }> | null };
const errorsOf = (result: unknown) => dataOf<Reply>(result).result.error ?? {};

const create = (form: Record<string, string>) =>
  callRoute(createAction, { path: "/admin/cds-issuers", cookie: admin, form: { intent: "create", ...form } });

describe("trusted EHRs on the settings page", () => {
  it("refuses a form that gives both, or neither, key sources, and changes nothing", async () => {
    const both = await create({
      label: "EHR",
      issuer: "https://ehr-a.example.org",
      jwksUrl: "https://ehr-a.example.org/jwks",
      jwks: JSON.stringify({ keys: [PUBLIC_KEY] }),
    });
    expect(statusOf(both)).toBe(400);
    expect(errorsOf(both).jwksUrl?.[0]).toMatch(/either the key set's address or the key set itself/);
    const neither = await create({ label: "EHR", issuer: "https://ehr-a.example.org" });
    expect(statusOf(neither)).toBe(400);
    expect(await getDb().cdsIssuer.count()).toBe(0);
  });

  it.each([
    [{ keys: [{ ...PUBLIC_KEY, d: "private" }] }, /public keys only/],
    [{ keys: [{ kty: "oct", kid: "s", k: "c2VjcmV0" }] }, /public keys only/],
    [{ keys: [{ ...PUBLIC_KEY, kid: undefined }] }, /needs its "kid"/],
    [{ nokeys: true }, /"keys" list/],
  ])("refuses a pasted key set %j", async (jwks, message) => {
    const result = await create({ label: "EHR", issuer: "https://ehr-b.example.org", jwks: JSON.stringify(jwks) });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result).jwks?.[0]).toMatch(message);
  });

  it("trusts an EHR, audits it, refuses the same issuer twice, and edits with the version it was read at", async () => {
    const created = await create({
      label: "Main hospital EHR",
      issuer: "https://ehr.example.org",
      jwks: JSON.stringify({ keys: [PUBLIC_KEY] }),
      mrnSystem: "urn:oid:2.16.840.1.113883.19.5",
    });
    expect(statusOf(created)).toBe(302);
    const issuer = await getDb().cdsIssuer.findUniqueOrThrow({ where: { issuer: "https://ehr.example.org" } });
    expect(issuer).toMatchObject({ active: true, version: 1, jwksUrl: null, jwks: { keys: [PUBLIC_KEY] } });
    expect(await auditEvents({ action: "cds_issuer.create" })).toEqual([
      expect.objectContaining({ userId: adminId, entityId: issuer.id }),
    ]);

    const again = await create({
      label: "Again",
      issuer: "https://ehr.example.org",
      jwksUrl: "https://x.example.org/j",
    });
    expect(statusOf(again)).toBe(400);
    expect(errorsOf(again).issuer?.[0]).toMatch(/already trusted/);

    const page = (await callRoute(issuerLoader, { path: "/x", cookie: admin, params: { issuerId: issuer.id } })) as {
      issuer: { version: number };
    };
    expect(page.issuer.version).toBe(1);
    const edit = (version: number, label: string) =>
      callRoute(issuerAction, {
        path: "/x",
        cookie: admin,
        params: { issuerId: issuer.id },
        form: {
          intent: "update",
          version: String(version),
          label,
          issuer: "https://ehr.example.org",
          jwksUrl: "https://ehr.example.org/.well-known/jwks.json",
        },
      });
    expect(statusOf(await edit(1, "Main hospital EHR (Epic)"))).toBe(302);
    const stale = await edit(1, "Someone else's edit");
    expect(statusOf(stale)).toBe(409);
    expect(dataOf<Reply>(stale).conflict?.map((field) => field.name)).toContain("label");
    expect(await getDb().cdsIssuer.findUniqueOrThrow({ where: { id: issuer.id } })).toMatchObject({
      label: "Main hospital EHR (Epic)",
      jwksUrl: "https://ehr.example.org/.well-known/jwks.json",
      jwks: null,
      version: 2,
    });

    const deactivated = await callRoute(issuerAction, {
      path: "/x",
      cookie: admin,
      params: { issuerId: issuer.id },
      form: { intent: "deactivate", version: "2" },
    });
    expect(statusOf(deactivated)).toBe(302);
    expect((await getDb().cdsIssuer.findUniqueOrThrow({ where: { id: issuer.id } })).active).toBe(false);
    expect((await auditEvents({ action: "cds_issuer.deactivate" })).length).toBe(1);
  });
});
