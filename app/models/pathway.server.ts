import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { recordAudit, type AuditActor } from "./audit.server";
import { lockPatients } from "./patient-lock.server";
import { refreshPathwaySummary } from "./pathway-summary.server";
import { enteredInError, RecordNotFoundError, reviseRecord, type ClinicalEntity } from "./record-revision.server";
import { pegScore } from "~/domain/clinical/scores";
import { fromIsoDate, toIsoDate } from "~/domain/iso-date";
import type {
  AssessmentInput,
  DiagnosisInput,
  EnteredInErrorInput,
  ImagingInput,
  ProcedureInput,
  StopTherapyInput,
  TherapyInput,
} from "~/domain/pathway-forms";
import { isMedicationModality, MEDICATION_MODALITIES } from "~/domain/pathway-vocabulary";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb, type Tx } from "~/server/db.server";
import { reevaluatePatients } from "./evaluation.server";
import { getActiveRuleSet } from "./rule-set.server";

/** Thrown when a form names a record that does not belong to the patient in the URL. */
export class ForeignRecordError extends Error {
  constructor(
    readonly entity: ClinicalEntity,
    message: string,
  ) {
    super(message);
  }
}

export interface PatientWrite {
  patientId: string;
  actor: AuditActor;
  context: AppLoadContext;
}

function audit(
  tx: Tx,
  write: PatientWrite,
  action: string,
  entityType: string,
  entityId: string,
  detail?: Record<string, string>,
) {
  return recordAudit(
    write.context,
    { action, actor: write.actor, entityType, entityId, patientId: write.patientId, detail },
    tx,
  );
}

/**
 * Runs a write for one patient in one transaction, after proving the patient exists, and
 * re-evaluates the patient's referral criteria in the same transaction: a write and the flags it
 * implies commit together or not at all.
 */
export async function patientTransaction<T>(patientId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getDb().$transaction(async (tx) => {
    // Concurrent writes for one patient queue here, so derived fields stay right.
    if ((await lockPatients(tx, [patientId])).length === 0) throw new RecordNotFoundError("Patient");
    // Read after the lock: a rule-set activation's re-evaluation, which takes the same lock, can
    // never be overtaken by a write that still uses the previous version.
    const ruleSet = await getActiveRuleSet(tx);
    const result = await work(tx);
    await reevaluatePatients(tx, [patientId], { ruleSet, now: new Date(), today: clinicToday() });
    return result;
  });
}

/** A diagnosis of the patient that can still be corrected (not entered in error), as its form shows it. */
export async function findDiagnosisToCorrect(patientId: string, diagnosisId: string) {
  const diagnosis = await getDb().painDiagnosis.findFirst({
    where: { id: diagnosisId, patientId, enteredInErrorAt: null },
    select: {
      version: true,
      icd10Code: true,
      label: true,
      bodyRegion: true,
      painType: true,
      onsetDate: true,
      surgicalStatus: true,
      redFlags: true,
      radicularSigns: true,
    },
  });
  return diagnosis && { ...diagnosis, onsetDate: toIsoDate(diagnosis.onsetDate) };
}

/** A therapy trial of the patient that can still be stopped (not entered in error). */
export async function findTherapyToStop(patientId: string, therapyId: string) {
  const therapy = await getDb().therapyTrial.findFirst({
    where: { id: therapyId, patientId, enteredInErrorAt: null },
    select: {
      id: true,
      version: true,
      modality: true,
      drug: true,
      startDate: true,
      status: true,
      sessionsPlanned: true,
      sessionsAttended: true,
    },
  });
  return therapy && { ...therapy, startDate: toIsoDate(therapy.startDate) };
}

/** The patient's diagnoses, oldest onset first, as the options of a "for diagnosis" field. */
export async function listDiagnosisChoices(patientId: string) {
  const diagnoses = await getDb().painDiagnosis.findMany({
    where: { patientId, enteredInErrorAt: null },
    select: { id: true, icd10Code: true, label: true },
    orderBy: [{ onsetDate: "asc" }, { id: "asc" }],
  });
  return diagnoses.map((diagnosis) => ({ value: diagnosis.id, label: `${diagnosis.icd10Code} ${diagnosis.label}` }));
}

async function assertDiagnosisOf(tx: Tx, patientId: string, diagnosisId: string) {
  const diagnosis = await tx.painDiagnosis.findFirst({
    where: { id: diagnosisId, patientId, enteredInErrorAt: null },
    select: { id: true },
  });
  if (!diagnosis) throw new ForeignRecordError("PainDiagnosis", "Choose one of this patient's diagnoses.");
}

function diagnosisData(input: DiagnosisInput) {
  return { ...input, onsetDate: fromIsoDate(input.onsetDate) };
}

export function addDiagnosis(input: DiagnosisInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    const diagnosis = await tx.painDiagnosis.create({
      data: { ...diagnosisData(input), patientId: write.patientId, createdById: write.actor.id },
      select: { id: true },
    });
    await audit(tx, write, "diagnosis.create", "PainDiagnosis", diagnosis.id);
    return diagnosis;
  });
}

export function updateDiagnosis(
  diagnosisId: string,
  input: DiagnosisInput & { version: number; reason?: string },
  write: PatientWrite,
) {
  const { version, reason, ...fields } = input;
  return patientTransaction(write.patientId, async (tx) => {
    await reviseRecord(tx, {
      entity: "PainDiagnosis",
      current: await tx.painDiagnosis.findFirst({
        where: { id: diagnosisId, patientId: write.patientId, enteredInErrorAt: null },
      }),
      expectedVersion: version,
      patientId: write.patientId,
      actorId: write.actor.id,
      reason,
      update: (where) =>
        tx.painDiagnosis.updateMany({ where, data: { ...diagnosisData(fields), version: { increment: 1 } } }),
    });
    await audit(tx, write, "diagnosis.update", "PainDiagnosis", diagnosisId);
  });
}

export function startTherapy(input: TherapyInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    await assertDiagnosisOf(tx, write.patientId, input.diagnosisId);
    const isMedication = isMedicationModality(input.modality);
    const ended = Boolean(input.endDate);
    const therapy = await tx.therapyTrial.create({
      data: {
        patientId: write.patientId,
        diagnosisId: input.diagnosisId,
        modality: input.modality,
        startDate: fromIsoDate(input.startDate),
        endDate: input.endDate ? fromIsoDate(input.endDate) : null,
        status: !ended ? "ACTIVE" : input.stopReason === "COMPLETED_COURSE" ? "COMPLETED" : "STOPPED",
        stopReason: input.stopReason ?? null,
        drug: isMedication ? input.drug : null,
        dose: isMedication ? input.dose : null,
        doseUnit: isMedication ? input.doseUnit : null,
        frequency: isMedication ? input.frequency : null,
        maxDosesPerDay: isMedication && input.frequency === "as-needed" ? input.maxDosesPerDay : null,
        route: isMedication ? input.route : null,
        sessionsPlanned: input.sessionsPlanned ?? null,
        sessionsAttended: input.sessionsAttended ?? null,
        createdById: write.actor.id,
      },
      select: { id: true },
    });
    await refreshPathwaySummary(tx, write.patientId);
    await audit(tx, write, "therapy.start", "TherapyTrial", therapy.id);
    return therapy;
  });
}

export class TherapyNotActiveError extends Error {}

export function stopTherapy(therapyId: string, input: StopTherapyInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    const current = await tx.therapyTrial.findFirst({
      where: { id: therapyId, patientId: write.patientId, enteredInErrorAt: null },
    });
    if (current && current.version === input.version && current.status !== "ACTIVE") {
      throw new TherapyNotActiveError("This therapy has already ended.");
    }
    if (current && fromIsoDate(input.endDate) < current.startDate) {
      throw new TherapyNotActiveError("The end date is before the therapy started.");
    }
    await reviseRecord(tx, {
      entity: "TherapyTrial",
      current,
      expectedVersion: input.version,
      patientId: write.patientId,
      actorId: write.actor.id,
      reason: input.stopNote,
      update: (where) =>
        tx.therapyTrial.updateMany({
          where,
          data: {
            status: input.stopReason === "COMPLETED_COURSE" ? "COMPLETED" : "STOPPED",
            endDate: fromIsoDate(input.endDate),
            stopReason: input.stopReason,
            stopNote: input.stopNote || null,
            sessionsAttended: input.sessionsAttended ?? current?.sessionsAttended ?? null,
            version: { increment: 1 },
          },
        }),
    });
    await refreshPathwaySummary(tx, write.patientId);
    await audit(tx, write, "therapy.stop", "TherapyTrial", therapyId, { stopReason: input.stopReason });
  });
}

export function recordAssessment(input: AssessmentInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    const { sideEffects, assessedOn, ...scores } = input;
    const therapyIds = sideEffects.map((effect) => effect.therapyTrialId);
    if (therapyIds.length > 0) {
      const medications = await tx.therapyTrial.count({
        where: {
          id: { in: therapyIds },
          patientId: write.patientId,
          enteredInErrorAt: null,
          modality: { in: [...MEDICATION_MODALITIES] },
        },
      });
      if (medications !== new Set(therapyIds).size)
        throw new ForeignRecordError(
          "TherapyTrial",
          "Side effects can only be recorded for this patient's medications.",
        );
    }
    // Plain SQL on the busiest write of the day: the ORM compiles a createMany anew every time.
    const id = randomUUID();
    const now = new Date();
    const peg = pegScore({
      averagePain: scores.pegPain,
      enjoymentOfLife: scores.pegEnjoyment,
      generalActivity: scores.pegActivity,
    });
    await tx.$executeRaw`
      INSERT INTO "OutcomeAssessment" (id, "patientId", "assessedOn", "painNow", "painAverage", "painWorst", "pegPain",
                                       "pegEnjoyment", "pegActivity", "pegScore", "odiPercent", "ndiPercent", adherence,
                                       limitation, note, "recordedById", "recordedAt", "updatedAt")
      VALUES (${id}::uuid, ${write.patientId}::uuid, ${assessedOn}::date, ${scores.painNow}, ${scores.painAverage},
              ${scores.painWorst}, ${scores.pegPain}, ${scores.pegEnjoyment}, ${scores.pegActivity}, ${peg},
              ${scores.odiPercent ?? null}, ${scores.ndiPercent ?? null}, ${scores.adherence ?? null}::"Adherence",
              ${scores.limitation}::"Limitation", ${scores.note || null}, ${write.actor.id}::uuid, ${now}, ${now})`;
    if (sideEffects.length > 0)
      await tx.assessmentSideEffect.createMany({
        data: sideEffects.map((effect) => ({ ...effect, assessmentId: id })),
      });
    await refreshPathwaySummary(tx, write.patientId);
    await audit(tx, write, "assessment.create", "OutcomeAssessment", id);
    return { id };
  });
}

export function addProcedure(input: ProcedureInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    if (input.diagnosisId) await assertDiagnosisOf(tx, write.patientId, input.diagnosisId);
    const procedure = await tx.procedureRecord.create({
      data: {
        ...input,
        note: input.note || null,
        performedOn: fromIsoDate(input.performedOn),
        patientId: write.patientId,
        createdById: write.actor.id,
      },
      select: { id: true },
    });
    await audit(tx, write, "procedure.create", "ProcedureRecord", procedure.id);
    return procedure;
  });
}

export function addImaging(input: ImagingInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    await assertDiagnosisOf(tx, write.patientId, input.diagnosisId);
    const study = await tx.imagingStudy.create({
      data: {
        ...input,
        performedOn: fromIsoDate(input.performedOn),
        patientId: write.patientId,
        createdById: write.actor.id,
      },
      select: { id: true },
    });
    await audit(tx, write, "imaging.create", "ImagingStudy", study.id);
    return study;
  });
}

/** Marks a wrong entry entered-in-error: it leaves every calculation but stays in the database. */
export function markEnteredInError(input: EnteredInErrorInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    const where = { id: input.id, patientId: write.patientId, enteredInErrorAt: null };
    const mark = { ...enteredInError(write.actor.id, input.reason), version: { increment: 1 } };
    const common = {
      expectedVersion: input.version,
      patientId: write.patientId,
      actorId: write.actor.id,
      reason: input.reason,
    };
    switch (input.entity) {
      case "PainDiagnosis":
        await reviseRecord(tx, {
          ...common,
          entity: input.entity,
          current: await tx.painDiagnosis.findFirst({ where }),
          update: (w) => tx.painDiagnosis.updateMany({ where: w, data: mark }),
        });
        break;
      case "TherapyTrial":
        await reviseRecord(tx, {
          ...common,
          entity: input.entity,
          current: await tx.therapyTrial.findFirst({ where }),
          update: (w) => tx.therapyTrial.updateMany({ where: w, data: mark }),
        });
        break;
      case "OutcomeAssessment":
        await reviseRecord(tx, {
          ...common,
          entity: input.entity,
          current: await tx.outcomeAssessment.findFirst({ where }),
          update: (w) => tx.outcomeAssessment.updateMany({ where: w, data: mark }),
        });
        break;
      case "ProcedureRecord":
        await reviseRecord(tx, {
          ...common,
          entity: input.entity,
          current: await tx.procedureRecord.findFirst({ where }),
          update: (w) => tx.procedureRecord.updateMany({ where: w, data: mark }),
        });
        break;
      case "ImagingStudy":
        await reviseRecord(tx, {
          ...common,
          entity: input.entity,
          current: await tx.imagingStudy.findFirst({ where }),
          update: (w) => tx.imagingStudy.updateMany({ where: w, data: mark }),
        });
        break;
    }
    await refreshPathwaySummary(tx, write.patientId);
    await audit(tx, write, "record.entered_in_error", input.entity, input.id, { reason: "see RecordRevision" });
  });
}
