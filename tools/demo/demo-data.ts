import type { IsoDate } from "~/domain/iso-date";
import { clinicToday } from "~/server/clinic-time.server";
import type { Role } from "~/domain/roles";
import type { Db } from "~/server/db.server";
import { refreshPathwaySummary } from "~/models/pathway-summary.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { getEnv } from "~/server/env.server";
import { hashPassword } from "~/server/password.server";
import { openFlags, perform, raiseFlags, workOn } from "../dataset/flag-work";
import { generateStories, STREAM } from "../dataset/generate";
import type { StaffMember } from "../dataset/patient";
import { Random } from "../dataset/random";
import type { DatasetRow, DatasetTable, DatasetTables } from "../dataset/tables";
import { buildDemoStories, DEMO_MRN_PREFIX, DEMO_SEED } from "./stories";

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
  const staff: StaffMember[] = [];
  for (const [index, user] of DEMO_USERS.entries()) {
    const existing = await db.user.findUnique({ where: { email: user.email }, select: { id: true } });
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
    const team = staff.filter((member) => member.role === "PHYSICIAN").length;
    staff.push({ index, team, id, role: user.role, active: true, clientAddress: "127.0.0.1" });
  }
  await seedDemoPatients(db, { today, staff });
  return DEMO_USERS;
}

/**
 * The demo's stories rendered by the simulation, inserted, evaluated by the engine (each patient's
 * flags raised on a day after its last visit, as the data set's are) and worked as each story says.
 * Idempotent: inserts nothing when any demo patient exists.
 */
export async function seedDemoPatients(
  db: Db,
  { today, staff }: { today: IsoDate; staff: StaffMember[] },
): Promise<{ created: number }> {
  if ((await db.patient.count({ where: { mrn: { startsWith: DEMO_MRN_PREFIX } } })) > 0) return { created: 0 };
  const stories = buildDemoStories({ today });
  const rows = [
    ...generateStories(
      { seed: DEMO_SEED, today },
      staff,
      stories.map(({ story }) => story),
    ),
  ];
  const patientIds = await insertRows(db, rows);

  await raiseFlags(db, await getActiveRuleSet(), DEMO_SEED, today, patientIds);
  const random = new Random(DEMO_SEED, STREAM.flagWork);
  const open = await openFlags(db, patientIds);
  for (const [index, { flagWork }] of stories.entries()) {
    const flag = open.find((candidate) => candidate.patientId === patientIds[index]);
    if (!flagWork) continue;
    if (!flag) throw new Error(`Demo story ${stories[index]?.story.mrn} was expected to raise a flag.`);
    const followUp = flagWork.action === "refer" ? (flagWork.then ?? "none") : undefined;
    await perform(workOn(flag, flagWork.action, random, today, followUp));
  }
  return { created: stories.length };
}

/** Inserts the clinical rows, in load order, in one transaction; returns the patients' ids in story order. */
async function insertRows(db: Db, rows: readonly DatasetRow[]): Promise<string[]> {
  const of = <T extends DatasetTable>(table: T): Array<DatasetTables[T]> =>
    rows.flatMap((row) => (row.table === table ? [wire(row.row as DatasetTables[T])] : []));
  const unexpected = rows.filter(({ table }) => ["User", "RecordRevision", "AuditEvent"].includes(table));
  if (unexpected.length > 0) throw new Error("Demo stories are history: no users, revisions or audit rows.");
  const patients = of("Patient");
  await db.$transaction(
    async (tx) => {
      await tx.patient.createMany({ data: patients });
      await tx.painDiagnosis.createMany({ data: of("PainDiagnosis") });
      await tx.imagingStudy.createMany({ data: of("ImagingStudy") });
      await tx.therapyTrial.createMany({ data: of("TherapyTrial") });
      await tx.outcomeAssessment.createMany({ data: of("OutcomeAssessment") });
      await tx.assessmentSideEffect.createMany({ data: of("AssessmentSideEffect") });
      await tx.procedureRecord.createMany({ data: of("ProcedureRecord") });
      await tx.referral.createMany({ data: of("Referral") });
      for (const { id } of patients) await refreshPathwaySummary(tx, id);
    },
    { timeout: 60_000 },
  );
  return patients.map(({ id }) => id);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A row as Prisma takes it: a date column's "YYYY-MM-DD" as midnight UTC, the way the app stores it. */
function wire<R extends DatasetTables[DatasetTable]>(row: R): R {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === "string" && DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value,
    ]),
  ) as R;
}
