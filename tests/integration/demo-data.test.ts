import { describe, expect, it } from "vitest";
import { DEMO_USERS, seedDemoData } from "../../tools/demo/demo-data";
import { getDb } from "~/server/db.server";
import { verifyPassword } from "~/server/password.server";
import type { ReferralPacket } from "~/domain/referral-packet";
import { loader as summaryLoader } from "~/routes/patients.$patientId.referrals.$referralId.summary";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

describe("demo data", () => {
  it("is idempotent and gives each role a working sign-in", async () => {
    await seedDemoData(getDb());
    await seedDemoData(getDb());
    const users = await getDb().user.findMany({ where: { email: { in: DEMO_USERS.map((user) => user.email) } } });
    expect(users.map((user) => user.role).sort()).toEqual(["ADMIN", "NURSE", "PHYSICIAN", "PHYSICIAN", "PHYSICIAN"]);
    for (const demo of DEMO_USERS) {
      const user = users.find((candidate) => candidate.email === demo.email);
      expect(await verifyPassword(user?.passwordHash ?? null, demo.password)).toBe(true);
    }
  });

  it("has a referred patient whose packet shows a contrast allergy and warfarin's hold guidance", async () => {
    await seedDemoData(getDb());
    const patients = await getDb().patient.findMany({
      where: { mrn: { startsWith: "DEMO-" }, contrastAllergy: true, antithrombotics: { has: "WARFARIN" } },
      select: { id: true },
    });
    const referral = await getDb().referral.findFirstOrThrow({
      where: { patientId: { in: patients.map((patient) => patient.id) } },
    });
    const { packet } = (await callRoute(summaryLoader, {
      params: { patientId: referral.patientId, referralId: referral.id },
      cookie: await sessionCookie(referral.createdById),
    })) as { packet: ReferralPacket };
    expect(packet.allergies[0]).toBe("Contrast");
    expect(packet.antithrombotics).toMatchObject([{ label: "Warfarin", guidance: { code: "HOLD_WARFARIN" } }]);
    expect(packet.antithrombotics[0]?.guidance?.message).toContain("Warfarin: stop 5 days, with a normal INR");
    expect(packet.cautions?.map((caution) => caution.code)).toContain("CONTRAST_ALLERGY");
  });

  it("has at least one patient for each field the rules added in rule set 2026.2", async () => {
    await seedDemoData(getDb());
    const demo = { patient: { mrn: { startsWith: "DEMO-" } } };
    expect(
      await getDb().patient.count({ where: { mrn: { startsWith: "DEMO-" }, antithrombotics: { isEmpty: false } } }),
    ).toBeGreaterThanOrEqual(3);
    expect(await getDb().imagingStudy.findMany({ where: demo, select: { modality: true } })).toEqual(
      expect.arrayContaining([{ modality: "MRI" }, { modality: "XRAY" }]),
    );
    expect(
      await getDb().painDiagnosis.count({ where: { ...demo, radicularSigns: { isEmpty: false } } }),
    ).toBeGreaterThan(0);
    expect(
      await getDb().procedureRecord.count({ where: { ...demo, type: "INTRA_ARTICULAR_INJECTION" } }),
    ).toBeGreaterThan(0);
  });
});
