import { addDays, type IsoDate } from "~/domain/clinical/duration";
import { MME_CAVEATS, type MedicationMme } from "~/domain/clinical/mme";
import { therapyMme } from "~/domain/pathway-overview";
import type { PatientSnapshot } from "./types";

export type Diagnosis = PatientSnapshot["diagnoses"][number];
export type Therapy = PatientSnapshot["therapies"][number];
type SnapshotAssessment = PatientSnapshot["assessments"][number];
/**
 * An assessment with every component the criteria read. A partial one (an imported single score) is
 * never read as zero: the rules do not see it, so a criterion that needs a score says not enough data.
 */
export type Assessment = SnapshotAssessment & {
  painNow: number;
  painAverage: number;
  painWorst: number;
  pegScore: number;
  limitation: NonNullable<SnapshotAssessment["limitation"]>;
};

export function isCompleteAssessment(assessment: SnapshotAssessment): assessment is Assessment {
  return (
    assessment.painNow !== null &&
    assessment.painAverage !== null &&
    assessment.painWorst !== null &&
    assessment.pegScore !== null &&
    assessment.limitation !== null
  );
}
export type Procedure = PatientSnapshot["procedures"][number];
export type Imaging = NonNullable<PatientSnapshot["imaging"]>[number];

export interface CurrentOpioid {
  therapy: Therapy;
  /** Null when the prescription is incomplete or impossible; `problem` says why. */
  mme: MedicationMme | null;
  problem: string | null;
}

/**
 * One patient's record as the rules read it, built once per evaluation: entered-in-error rows and
 * anything dated after the evaluation date left out, every list sorted oldest first (ties by id, so
 * the result never depends on the order rows arrived in).
 */
export interface SnapshotIndex {
  snapshot: PatientSnapshot;
  evaluatedOn: IsoDate;
  diagnoses: readonly Diagnosis[];
  assessments: readonly Assessment[];
  procedures: readonly Procedure[];
  imaging: readonly Imaging[];
  therapiesByDiagnosis: ReadonlyMap<string, readonly Therapy[]>;
  /** Opioids ongoing on the evaluation date, for every diagnosis: the MME total is the patient's. */
  currentOpioids: readonly CurrentOpioid[];
  /** Sum of the calculated one-decimal MMEs, as the working shows them. */
  totalMme: number;
  mmeCaveats: readonly string[];
  /** Memo for `windowStart`: date arithmetic is most of an evaluation's cost. */
  windowStarts: Map<number, IsoDate>;
}

export function indexSnapshot(snapshot: PatientSnapshot): SnapshotIndex {
  const { evaluatedOn } = snapshot;
  const diagnoses = snapshot.diagnoses.filter((diagnosis) => !diagnosis.enteredInError);
  const validDiagnosisIds = new Set(diagnoses.map((diagnosis) => diagnosis.id));

  const therapiesByDiagnosis = new Map<string, Therapy[]>();
  for (const therapy of sortedBy(
    snapshot.therapies.filter(
      (therapy) =>
        !therapy.enteredInError && therapy.startDate <= evaluatedOn && validDiagnosisIds.has(therapy.diagnosisId),
    ),
    (therapy) => therapy.startDate,
    recordId,
  )) {
    const list = therapiesByDiagnosis.get(therapy.diagnosisId);
    if (list) list.push(therapy);
    else therapiesByDiagnosis.set(therapy.diagnosisId, [therapy]);
  }

  const currentOpioids: CurrentOpioid[] = [];
  for (const therapies of therapiesByDiagnosis.values()) {
    for (const therapy of therapies) {
      if (therapy.modality === "OPIOID" && isOngoing(therapy, evaluatedOn)) currentOpioids.push(opioidOf(therapy));
    }
  }
  let total = 0;
  const caveats = new Set<string>([MME_CAVEATS.notForConversion]);
  for (const { mme } of currentOpioids) {
    if (mme?.status === "calculated") total += mme.mme;
    if (mme?.caveat) caveats.add(mme.caveat);
  }

  return {
    snapshot,
    evaluatedOn,
    diagnoses,
    assessments: sortedBy(
      snapshot.assessments.filter(
        (assessment): assessment is Assessment =>
          !assessment.enteredInError && assessment.date <= evaluatedOn && isCompleteAssessment(assessment),
      ),
      (assessment) => assessment.date,
      (assessment) => `${assessment.recordedAt ?? ""}|${assessment.id}`,
    ),
    procedures: sortedBy(
      snapshot.procedures.filter((procedure) => !procedure.enteredInError && procedure.performedOn <= evaluatedOn),
      (procedure) => procedure.performedOn,
      recordId,
    ),
    imaging: sortedBy(
      (snapshot.imaging ?? []).filter(
        (study) =>
          !study.enteredInError && study.performedOn <= evaluatedOn && validDiagnosisIds.has(study.diagnosisId),
      ),
      (study) => study.performedOn,
      recordId,
    ),
    therapiesByDiagnosis,
    currentOpioids: sortedBy(
      currentOpioids,
      ({ therapy }) => therapy.startDate,
      ({ therapy }) => therapy.id,
    ),
    totalMme: Number(total.toFixed(1)),
    mmeCaveats: [...caveats],
    windowStarts: new Map(),
  };
}

/** A therapy still running on the evaluation date (an end date after it has not happened yet). */
export function isOngoing(therapy: Therapy, evaluatedOn: IsoDate): boolean {
  return therapy.endDate === null || therapy.endDate > evaluatedOn;
}

/** The first day a look-back window of `days` includes: a score exactly `days` old still counts. */
export function windowStart(index: SnapshotIndex, days: number): IsoDate {
  let start = index.windowStarts.get(days);
  if (start === undefined) {
    start = addDays(index.evaluatedOn, -days);
    index.windowStarts.set(days, start);
  }
  return start;
}

/** The latest assessment on or after `since` that has the wanted score; assessments are oldest first. */
export function latestSince(
  assessments: readonly Assessment[],
  since: IsoDate,
  has: (assessment: Assessment) => boolean = () => true,
): Assessment | undefined {
  for (let i = assessments.length - 1; i >= 0; i--) {
    const assessment = assessments[i] as Assessment;
    if (assessment.date < since) return undefined;
    if (has(assessment)) return assessment;
  }
  return undefined;
}

function opioidOf(therapy: Therapy): CurrentOpioid {
  try {
    const mme = therapyMme(therapy);
    return { therapy, mme, problem: mme ? null : "prescription incomplete (drug, dose or frequency)" };
  } catch (error) {
    // An impossible prescription (e.g. a patch dose in mg) is shown, not allowed to stop a batch.
    if (!(error instanceof RangeError)) throw error;
    return { therapy, mme: null, problem: error.message };
  }
}

/** Sorted in place by date, ties by id. */
function sortedBy<T>(items: T[], dateOf: (item: T) => IsoDate, idOf: (item: T) => string): T[] {
  return items.sort((a, b) => compare(dateOf(a), dateOf(b)) || compare(idOf(a), idOf(b)));
}

const recordId = (record: { id: string }) => record.id;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
