import type { IsoDate } from "~/domain/iso-date";
import { clinicToday } from "~/server/clinic-time.server";
import type { Role } from "~/domain/roles";
import type { Db } from "~/server/db.server";
import { reevaluateAllPatients } from "~/models/evaluation.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { referDemoPatients, seedDemoPathways } from "./demo-pathways";
import { getEnv } from "~/server/env.server";
import { hashPassword } from "~/server/password.server";

/**
 * Demo accounts, printed at start. Refused in production. The first physician, nurse and admin are the
 * README's sign-ins; the other physicians share the demo patients, so "my patients first" shows.
 */
export const DEMO_USERS: ReadonlyArray<{
  role: Role;
  email: string;
  name: string;
  password: string;
}> = [
  {
    role: "PHYSICIAN",
    email: "physician@painpath.test",
    name: "Dr. Maya Okafor",
    password: "violet-harbour-lantern-58",
  },
  {
    role: "NURSE",
    email: "nurse@painpath.test",
    name: "Sam Lindqvist, RN",
    password: "copper-meadow-whistle-23",
  },
  {
    role: "ADMIN",
    email: "admin@painpath.test",
    name: "Jordan Reyes",
    password: "granite-orchard-beacon-91",
  },
  {
    role: "PHYSICIAN",
    email: "physician2@painpath.test",
    name: "Dr. Henrik Solberg",
    password: "tidal-saffron-quarry-36",
  },
  {
    role: "PHYSICIAN",
    email: "physician3@painpath.test",
    name: "Dr. Adaeze Nwankwo",
    password: "birch-canyon-ember-47",
  },
];

/** Idempotent: creates what is missing and leaves existing rows as they are. */
export async function seedDemoData(db: Db, today: IsoDate = clinicToday()) {
  if (getEnv().isProduction) throw new Error("Demo data is refused when NODE_ENV=production.");
  const accounts: Array<{ role: Role; id: string }> = [];
  for (const user of DEMO_USERS) {
    const existing = await db.user.findUnique({
      where: { email: user.email },
      select: { id: true },
    });
    const { id } =
      existing ??
      (await db.user.create({
        data: {
          email: user.email,
          name: user.name,
          role: user.role,
          passwordHash: await hashPassword(user.password),
        },
        select: { id: true },
      }));
    accounts.push({ role: user.role, id });
  }
  const idsOf = (role: Role) => accounts.filter((account) => account.role === role).map((account) => account.id);
  const physicianIds = idsOf("PHYSICIAN");
  const [physicianId, nurseId] = [physicianIds[0], idsOf("NURSE")[0]];
  if (!physicianId || !nurseId) throw new Error("The demo needs a physician and a nurse account.");
  // Physicians author the records; the nurse records the assessments.
  const { created } = await seedDemoPathways(db, { today, physicianIds, createdById: physicianId, nurseId });
  // Demo records are inserted directly, so evaluate them once, as every write in the app does.
  if (created > 0) {
    await reevaluateAllPatients(db, { ruleSet: await getActiveRuleSet(), now: new Date(), today });
    await referDemoPatients(db, physicianId, today);
  }
  return DEMO_USERS;
}
