import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReferralPacket } from "~/domain/referral-packet";
import { loader as summaryLoader } from "~/routes/patients.$patientId.referrals.$referralId.summary";
import { loader as newReferralLoader } from "~/routes/patients.$patientId.referrals.new";
import { getDb } from "~/server/db.server";
import { createUser } from "../helpers/fixtures";
import { getPage } from "../helpers/http";
import { PACKET_MRI_FINDING, referredPatientWithCautions } from "../helpers/packet-patient";
import { addDays } from "~/domain/clinical/duration";
import { clinicToday } from "~/server/clinic-time.server";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let physician: string;
let referred: Awaited<ReturnType<typeof referredPatientWithCautions>>;

beforeAll(async () => {
  server = await startTestServer();
  const physicianId = (await createUser("PHYSICIAN", { name: "Dr Packet" })).id;
  physician = await sessionCookie(physicianId);
  referred = await referredPatientWithCautions(physicianId);
});
afterAll(async () => {
  await server.close();
});

describe("the referral packet", () => {
  it("gives the summary the contrast allergy first, the hold guidance, MME, cautions and sourced criteria", async () => {
    const { patient, referral } = referred;
    const { packet, author } = (await callRoute(summaryLoader, {
      params: { patientId: patient.id, referralId: referral.id },
      cookie: physician,
    })) as { packet: ReferralPacket; author: string };
    expect(packet.allergies).toEqual(["Contrast", "Latex", "Penicillin: rash"]);
    expect(packet.antithrombotics).toEqual([
      {
        label: "Apixaban",
        guidance: expect.objectContaining({
          code: "HOLD_APIXABAN",
          message: expect.stringContaining("Apixaban: stop 3–5 days before (intermediate bleeding risk)"),
          source: expect.stringContaining("ASRA"),
        }),
      },
    ]);
    expect(packet.medications).toMatchObject([{ label: "Oxycodone 10 mg Twice daily", mme: { mme: 30 } }]);
    expect(packet.cautions?.map((caution) => caution.code)).toEqual(
      expect.arrayContaining(["HOLD_APIXABAN", "CONTRAST_ALLERGY", "LATEX_ALLERGY"]),
    );
    expect(packet.criteriaMet.length).toBeGreaterThan(0);
    // The MRI recorded through the form reached the engine: the ESI criterion names it.
    expect(packet.criteriaMet.find((criterion) => criterion.ruleId === "ESI")?.explanation).toContain(
      `concordant MRI of ${addDays(clinicToday(), -30)}`,
    );
    expect(packet.criteriaMet.every((criterion) => criterion.source.length > 0)).toBe(true);
    expect(packet.ruleSetVersion).toMatch(/^\d{4}\.\d+$/);
    expect(author).toBe("Dr Packet");
    const views = await getDb().auditEvent.findMany({ where: { patientId: patient.id, action: "patient.view" } });
    expect(views.map((view) => view.detail)).toContainEqual({ form: "referral-summary" });
  });

  it("prints them on the summary page, the allergy before the criteria", async () => {
    const { patient, referral } = referred;
    const response = await getPage(server, `/patients/${patient.id}/referrals/${referral.id}/summary`, physician);
    expect(response.status).toBe(200);
    // React marks the joins of adjacent text nodes; the reader sees them joined.
    const html = (await response.text()).replaceAll("<!-- -->", "");
    const at = (text: string) => {
      const index = html.indexOf(text);
      expect(index, text).toBeGreaterThan(-1);
      return index;
    };
    expect(at("<bdi>Contrast</bdi>")).toBeLessThan(at("<bdi>Latex</bdi>"));
    expect(at("Apixaban: stop 3–5 days before")).toBeLessThan(at("Criteria met"));
    at("Oxycodone 10 mg Twice daily</bdi> — 30 MME/day");
    at("Contrast allergy: spinal injections use fluoroscopy with contrast");
    at(`MRI ${addDays(clinicToday(), -30)}: ${PACKET_MRI_FINDING} (concordant with the clinical findings)`);
    at("LCD L39240");
    at("Signature:");
    expect(html).toMatch(/<bdi>Dr Packet<\/bdi> · \d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(html).toContain(">Print</button>");
  });

  it("shows the same packet on the referral form, for the procedure chosen", async () => {
    const { patient, diagnosis } = referred;
    const form = (await callRoute(newReferralLoader, {
      path: `/r?diagnosisId=${diagnosis.id}`,
      params: { patientId: patient.id },
      cookie: physician,
    })) as { physician: string; packetInput: { allergyNotes: string; evaluation: unknown } };
    expect(form.physician).toBe("Dr Packet");
    expect(form.packetInput.allergyNotes).toBe("Penicillin: rash");
    expect(form.packetInput.evaluation).not.toBeNull();
    const response = await getPage(
      server,
      `/patients/${patient.id}/referrals/new?diagnosisId=${diagnosis.id}`,
      physician,
    );
    const html = (await response.text()).replaceAll("<!-- -->", "");
    expect(html.indexOf("<bdi>Contrast</bdi>")).toBeGreaterThan(-1);
    expect(html).toContain(`MRI ${addDays(clinicToday(), -30)}: ${PACKET_MRI_FINDING} (concordant with the clinical findings)`);
    expect(html).toContain("Apixaban: stop 3–5 days before (intermediate bleeding risk); restart 24 hours after");
  });
});
