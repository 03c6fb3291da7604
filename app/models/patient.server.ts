import type { AppLoadContext } from "@remix-run/node";
import type { AuditActor } from "./audit.server";
import { recordAudit } from "./audit.server";
import { patientTransaction } from "./pathway.server";
import { reviseRecord } from "./record-revision.server";
import { fromIsoDate, toIsoDate, type IsoDate } from "~/domain/iso-date";
import { SEARCH_MIN_LENGTH, type PatientInput } from "~/domain/pathway-forms";
import type { PatientStatus } from "~/generated/prisma/enums";
import { getDb } from "~/server/db.server";
import { firstRow, prepared, preparedByShape, qb, rows as runQuery } from "~/server/query-builder.server";
import { sql, type InferResult, type NotNull } from "kysely";
import { activeTherapyCount } from "./therapy-queries.server";
import { violatesUniqueIndex } from "./unique-violation.server";

export interface PatientListItem {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: IsoDate;
  status: PatientStatus;
  physicianName: string;
  lastAssessedOn: IsoDate | null;
}

/** The list columns of patient `p` and their physician `u`. */
const LIST_COLUMNS = [
  "p.id",
  "p.mrn",
  "p.givenName",
  "p.familyName",
  "p.birthDate",
  "p.status",
  "u.name as physicianName",
  "p.lastAssessedOn",
] as const;

function toListItem(row: InferResult<ReturnType<typeof searchQuery>>[number]): PatientListItem {
  return {
    id: row.id,
    mrn: row.mrn,
    givenName: row.givenName,
    familyName: row.familyName,
    status: row.status,
    physicianName: row.physicianName,
    birthDate: toIsoDate(row.birthDate),
    lastAssessedOn: row.lastAssessedOn && toIsoDate(row.lastAssessedOn),
  };
}

export const PAGE_SIZE = 50;

/** Escapes LIKE's wildcards so a search for "50%" or "a_b" means those characters. */
function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Words this short have no trigram: they match the start of a name instead (prefix indexes). */
const SHORT_WORD = 2;

/**
 * Name or MRN contains every word of the query (trigram-indexed, see the patient_search_indexes
 * migration); a word of one or two letters starts the family or given name instead. An exact MRN
 * comes first.
 */
export async function searchPatients(query: string, limit = PAGE_SIZE): Promise<PatientListItem[]> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  if (words.join("").length < SEARCH_MIN_LENGTH) return [];
  const kinds = words.map((word) => (word.length <= SHORT_WORD ? "prefix" : "contains"));
  const patterns = words.map((word, index) => `${kinds[index] === "prefix" ? "" : "%"}${escapeLike(word)}%`);
  const rows = await runQuery(getDb(), searchQuery(kinds.join(" "), query.trim().toLowerCase(), limit, ...patterns));
  return rows.map(toListItem);
}

/**
 * One statement per shape ("prefix contains …", a kind per word), compiled once (prepared() says
 * why): a word of one or two letters starts a name, a longer one is contained in the name or MRN.
 */
const searchQuery = preparedByShape((shape: string) => (exactMrn: string, limit: number, ...patterns: string[]) => {
  const kinds = shape.split(" ");
  return (
    qb
      .selectFrom("Patient as p")
      .innerJoin("User as u", "u.id", "p.assignedPhysicianId")
      .select(LIST_COLUMNS)
      // One condition per word, each on the indexed expressions, so Postgres combines the trigram
      // indexes (a BitmapOr per word, a BitmapAnd across words) instead of scanning every patient.
      .where((eb) =>
        eb.and(
          patterns.map((pattern, index) =>
            kinds[index] === "prefix"
              ? eb.or([
                  eb(eb.fn("lower", ["p.familyName"]), "like", pattern),
                  eb(eb.fn("lower", ["p.givenName"]), "like", pattern),
                ])
              : eb.or([
                  eb(sql<string>`lower(${eb.ref("p.familyName")} || ' ' || ${eb.ref("p.givenName")})`, "like", pattern),
                  eb(eb.fn("lower", ["p.mrn"]), "like", pattern),
                ]),
          ),
        ),
      )
      .orderBy((eb) => eb(eb.fn("lower", ["p.mrn"]), "=", exactMrn), "desc")
      .orderBy("p.familyName")
      .orderBy("p.givenName")
      .orderBy("p.id")
      .limit(limit)
  );
});

export interface FollowUpItem extends PatientListItem {
  dueSince: IsoDate;
  activeTherapies: number;
}

/** Active patients whose follow-up anchor is on or before `cutoff`. */
const dueFollowUps = (cutoff: Date) =>
  qb
    .selectFrom("Patient as p")
    .where("p.status", "=", sql.lit("ACTIVE"))
    .where("p.followUpAnchor", "is not", null)
    .where("p.followUpAnchor", "<=", cutoff);

// Both compiled once: the nurse's list runs them at every view (prepared() says why).
const followUpPageQuery = prepared((cutoff: Date, offset: number) =>
  qb
    // The page is cut first: the therapy count ran for every patient OFFSET skipped too.
    .selectFrom(
      dueFollowUps(cutoff)
        .selectAll()
        .orderBy("p.followUpAnchor")
        .orderBy("p.id")
        .limit(PAGE_SIZE)
        .offset(offset)
        .as("p"),
    )
    .innerJoin("User as u", "u.id", "p.assignedPhysicianId")
    .select([...LIST_COLUMNS, "p.followUpAnchor", activeTherapyCount("patientId", "p.id").as("activeTherapies")])
    // The page reads only patients with an anchor.
    .$narrowType<{ followUpAnchor: NotNull }>()
    .orderBy("p.followUpAnchor")
    .orderBy("p.id"),
);
const followUpCountQuery = prepared((cutoff: Date) =>
  dueFollowUps(cutoff).select(sql<number>`count(*)::int`.as("total")),
);

/** Active patients with an active therapy and no assessment within `intervalDays`, longest waiting first. */
export async function listDueForFollowUp(options: { today: IsoDate; intervalDays: number; offset?: number }) {
  const cutoff = new Date(fromIsoDate(options.today).getTime() - options.intervalDays * 86_400_000);
  const db = getDb();
  const [rows, count] = await Promise.all([
    runQuery(db, followUpPageQuery(cutoff, options.offset ?? 0)),
    firstRow(db, followUpCountQuery(cutoff)),
  ]);
  const items: FollowUpItem[] = rows.map((row) => ({
    ...toListItem(row),
    dueSince: toIsoDate(new Date(row.followUpAnchor.getTime() + options.intervalDays * 86_400_000)),
    activeTherapies: row.activeTherapies ?? 0,
  }));
  return { items, total: count?.total ?? 0 };
}

export function listPhysicians() {
  return getDb().user.findMany({
    where: { role: "PHYSICIAN", active: true },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

/** A physician by id; `activeOnly` for assigning patients, not for filtering by a former colleague. */
export function findPhysician(id: string, { activeOnly = false } = {}) {
  return getDb().user.findFirst({
    where: { id, role: "PHYSICIAN", ...(activeOnly && { active: true }) },
    select: { id: true, name: true },
  });
}

export class InvalidPhysicianError extends Error {}
export class DuplicateMrnError extends Error {}

const DUPLICATE_MRN = "Another patient already has this medical record number.";

async function assertActivePhysician(id: string) {
  if (!(await findPhysician(id, { activeOnly: true }))) throw new InvalidPhysicianError("Choose an active physician.");
}

/** A patient by medical record number, whatever its case (one index lookup: Patient_mrn_lower_key). */
export async function findPatientByMrn(mrn: string): Promise<{ id: string; mrn: string } | null> {
  const found = await firstRow(
    getDb(),
    qb
      .selectFrom("Patient")
      .select(["id", "mrn"])
      .where((eb) => eb(eb.fn("lower", ["mrn"]), "=", eb.fn("lower", [eb.val(mrn)]))),
  );
  return found ?? null;
}

const MRN_INDEXES = ["Patient_mrn_key", "Patient_mrn_lower_key"];

function patientData(input: PatientInput) {
  return {
    ...input,
    birthDate: fromIsoDate(input.birthDate),
    psychEvaluationDate: input.psychEvaluationDate ? fromIsoDate(input.psychEvaluationDate) : null,
    naloxoneOfferedOn: input.naloxoneOfferedOn ? fromIsoDate(input.naloxoneOfferedOn) : null,
    allergyNotes: input.allergyNotes || null,
  };
}

export async function createPatient(input: PatientInput, actor: AuditActor, context: AppLoadContext) {
  await assertActivePhysician(input.assignedPhysicianId);
  const create = getDb().$transaction(async (tx) => {
    const patient = await tx.patient.create({
      data: { ...patientData(input), createdById: actor.id },
      select: { id: true },
    });
    await recordAudit(
      context,
      { action: "patient.create", actor, entityType: "Patient", entityId: patient.id, patientId: patient.id },
      tx,
    );
    return patient;
  });
  return refuseDuplicateMrn(create);
}

/**
 * The unique indexes on mrn and lower(mrn) are the one duplicate check, two saves at once included:
 * their refusal becomes the form's message. A check before the write would only repeat them.
 */
async function refuseDuplicateMrn<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw violatesUniqueIndex(error, MRN_INDEXES) ? new DuplicateMrnError(DUPLICATE_MRN) : error;
  }
}

export async function updatePatient(
  patientId: string,
  input: PatientInput & { status: PatientStatus; version: number; reason?: string },
  actor: AuditActor,
  context: AppLoadContext,
) {
  const { version, reason, ...fields } = input;
  await assertActivePhysician(fields.assignedPhysicianId);
  await refuseDuplicateMrn(
    patientTransaction(patientId, async (tx) => {
      await reviseRecord(tx, {
        entity: "Patient",
        current: await tx.patient.findUnique({ where: { id: patientId } }),
        expectedVersion: version,
        patientId,
        actorId: actor.id,
        reason,
        update: (where) =>
          tx.patient.updateMany({ where, data: { ...patientData(fields), version: { increment: 1 } } }),
      });
      await recordAudit(
        context,
        { action: "patient.update", actor, entityType: "Patient", entityId: patientId, patientId },
        tx,
      );
    }),
  );
}

export async function getPatientForEdit(patientId: string) {
  const patient = await getDb().patient.findUnique({
    where: { id: patientId },
    omit: { lastAssessedOn: true, followUpAnchor: true, createdAt: true, createdById: true },
  });
  return (
    patient && {
      ...patient,
      birthDate: toIsoDate(patient.birthDate),
      psychEvaluationDate: patient.psychEvaluationDate ? toIsoDate(patient.psychEvaluationDate) : undefined,
      naloxoneOfferedOn: patient.naloxoneOfferedOn ? toIsoDate(patient.naloxoneOfferedOn) : undefined,
      allergyNotes: patient.allergyNotes ?? undefined,
    }
  );
}
