/**
 * One patient's record as a visit-by-visit simulation; generate.ts describes the story it tells.
 */
import type {
  Adherence,
  BodyRegion,
  Limitation,
  ProcedureType,
  PsychEvaluationStatus,
  RedFlag,
  Role,
  Sex,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
} from "~/generated/prisma/enums";
import { drugName, storedDrug } from "~/domain/clinical/drugs";
import { pegScore } from "~/domain/clinical/scores";
import { isMedicationModality, PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { DAY_MS, MINUTE_MS, clinicDay, clinicMoment, dayOf, isoDay, stamp, weekday } from "./calendar";
import {
  ASSESSMENT_NOTES,
  ENTERED_IN_ERROR_REASONS,
  FAMILY_NAMES,
  FEMALE_GIVEN_NAMES,
  isDiabeticNeuropathy,
  MALE_GIVEN_NAMES,
  pickDiagnosis,
  pickModality,
  pickPrescription,
  pickProcedure,
  RECEIVING_CLINICS,
  REFERRAL_CANCEL_REASONS,
  sideEffectKinds,
  type DiagnosisChoice,
  type ProcedureChoice,
  STOP_NOTES,
} from "./catalog";
import { type Random, Weighted, weights } from "./random";
import type {
  PatientStory,
  StoryPrescription,
  StoryProcedureColumn,
  StoryReferral,
  StoryTherapy,
  TrialOutcome,
} from "./story";
import type {
  AssessmentRow,
  DatasetOptions,
  DatasetRow,
  DiagnosisRow,
  PatientRow,
  ProcedureRow,
  ReferralRow,
  RevisionRow,
  TherapyRow,
} from "./tables";
import { VALID } from "./tables";

/** A user as the simulation needs one: who acts, in which role, from which workstation. */
export interface StaffMember {
  index: number;
  /** Position among the physicians (physicians only): a physician's nurse team. */
  team: number;
  id: string;
  role: Role;
  active: boolean;
  clientAddress: string;
}

/** An audit row before its id and request id are known. */
export interface AuditDraft {
  ms: number;
  user: StaffMember | null;
  action: string;
  outcome?: string;
  entityType?: string;
  entityId?: string;
  patientId?: string;
  detail?: object;
}

/** What every patient shares: calendar, staff, and the audit trail and revisions collected for sorting. */
export interface PatientContext {
  readonly options: DatasetOptions;
  readonly todayDay: number;
  readonly lastDay: number;
  readonly firstDay: number;
  readonly physicians: readonly StaffMember[];
  readonly nurses: readonly StaffMember[];
  pickPhysician(random: Random): StaffMember;
  teamNurse(physician: StaffMember): StaffMember;
  mrn(index: number): string;
  /** Was PainPath live at this moment (so the write has an audit row and revisions)? */
  isLive(ms: number): boolean;
  record(event: AuditDraft): void;
  revise(ms: number, row: Omit<RevisionRow, "id" | "changedAt">): void;
  rememberPatient(physician: StaffMember, patientId: string): void;
}

type Archetype = "improving" | "partial" | "refractory";

interface ArchetypeProfile {
  /** Chance that a trial helps. */
  responseChance: number;
  /** Relief of a trial that helps, as a share of the pain: [min, max). */
  effect: readonly [number, number];
  trialsPerDiagnosis: readonly [number, number];
  /** Chance the patient stays on a therapy that works instead of finishing it. */
  maintenanceChance: number;
  procedureChance: number;
}

/** Most patients improve on conservative care; a minority fail therapy after therapy. */
const ARCHETYPES = weights<Archetype>({ improving: 0.58, partial: 0.25, refractory: 0.17 });
const PROFILES: Record<Archetype, ArchetypeProfile> = {
  improving: {
    responseChance: 0.68,
    effect: [0.2, 0.45],
    trialsPerDiagnosis: [3, 5],
    maintenanceChance: 0.1,
    procedureChance: 0.06,
  },
  partial: {
    responseChance: 0.35,
    effect: [0.12, 0.3],
    trialsPerDiagnosis: [3, 7],
    maintenanceChance: 0.25,
    procedureChance: 0.2,
  },
  refractory: {
    responseChance: 0.12,
    effect: [0.05, 0.2],
    trialsPerDiagnosis: [5, 10],
    maintenanceChance: 0.4,
    procedureChance: 0.5,
  },
};

const SEXES = weights<Sex>({ FEMALE: 0.56, MALE: 0.43, OTHER: 0.005, UNKNOWN: 0.005 });
const DIAGNOSIS_COUNTS = new Weighted([
  [1, 0.53],
  [2, 0.35],
  [3, 0.12],
]);
const PSYCH_EVALUATION: Record<Archetype, Weighted<PsychEvaluationStatus>> = {
  improving: weights({ NOT_DONE: 95, REFERRED: 2, CLEARED: 2.5, NOT_CLEARED: 0.5 }),
  partial: weights({ NOT_DONE: 90, REFERRED: 4, CLEARED: 5, NOT_CLEARED: 1 }),
  refractory: weights({ NOT_DONE: 60, REFERRED: 10, CLEARED: 25, NOT_CLEARED: 5 }),
};
const SPINE_SURGICAL = weights<SurgicalStatus>({
  NOT_EVALUATED: 62,
  NOT_A_CANDIDATE: 18,
  DECLINED_BY_PATIENT: 8,
  CANDIDATE: 12,
});
const JOINT_SURGICAL = weights<SurgicalStatus>({
  NOT_EVALUATED: 50,
  CANDIDATE: 25,
  DECLINED_BY_PATIENT: 15,
  NOT_A_CANDIDATE: 10,
});
const OTHER_SURGICAL = weights<SurgicalStatus>({ NOT_EVALUATED: 85, NOT_A_CANDIDATE: 15 });
const RED_FLAG_CHANCE = 0.005;
const ADHERENCES = weights<Adherence>({ AS_PRESCRIBED: 75, PARTIAL: 17, POOR: 5, NOT_TAKING: 3 });
const NOT_HELPED = weights<StopReason>({ INEFFECTIVE: 82, PATIENT_CHOICE: 10, ACCESS_OR_COST: 5, OTHER: 3 });
const HELPED = weights<StopReason>({ COMPLETED_COURSE: 88, PATIENT_CHOICE: 8, ACCESS_OR_COST: 4 });
const WORST_SIDE_EFFECT = weights<SideEffectSeverity>({ MILD: 60, MODERATE: 30, SEVERE: 10 });
const SEVERITY_ORDER: readonly SideEffectSeverity[] = ["NONE", "MILD", "MODERATE", "SEVERE"];
/** Schema columns this simulation leaves at their defaults unless a story sets them. */
const NO_OTHER_CAUTIONS = {
  latexAllergy: false,
  localAnaestheticAllergy: false,
  corticosteroidAllergy: false,
  allergyNotes: null,
  onBenzodiazepine: false,
  naloxoneOfferedOn: null,
} as const;
/** Computed after loading with the app's own SQL (refreshAllPathwaySummaries). */
const NOT_DERIVED_YET = { lastAssessedOn: null, followUpAnchor: null } as const;

/** Chance that a medication trial brings side effects worth recording. */
const SIDE_EFFECT_CHANCE: Partial<Record<TherapyModality, number>> = {
  OPIOID: 0.45,
  NEUROPATHIC_AGENT: 0.35,
  MUSCLE_RELAXANT: 0.35,
  NSAID: 0.2,
  OTHER_MEDICATION: 0.15,
  TOPICAL: 0.08,
  OTC_ANALGESIC: 0.05,
};
/** Trials a patient can stay on long term when they help. */
const MAINTAINABLE = new Set<TherapyModality>([
  "NEUROPATHIC_AGENT",
  "OPIOID",
  "NSAID",
  "TOPICAL",
  "HOME_EXERCISE",
  "OTHER_MEDICATION",
]);
/** Typical length of a trial that helps, in days. */
const COURSE_DAYS: Record<TherapyModality, readonly [number, number]> = {
  PHYSICAL_THERAPY: [42, 84],
  PSYCHOLOGICAL_THERAPY: [56, 112],
  HOME_EXERCISE: [56, 180],
  LIFESTYLE: [60, 180],
  OPIOID: [28, 90],
  TOPICAL: [28, 84],
  OTC_ANALGESIC: [28, 84],
  NSAID: [28, 112],
  MUSCLE_RELAXANT: [21, 56],
  NEUROPATHIC_AGENT: [56, 140],
  OTHER_MEDICATION: [28, 84],
};
const SESSIONS_PLANNED: Partial<Record<TherapyModality, readonly [number, number]>> = {
  PHYSICAL_THERAPY: [6, 12],
  PSYCHOLOGICAL_THERAPY: [8, 12],
};

/** Share of patients whose care ended that the clinic has formally discharged. */
const DISCHARGE_CHANCE = 0.17;
const LOST_TO_FOLLOW_UP_CHANCE = 0.03;
const ASSESSMENT_ERROR_CHANCE = 0.02;
const THERAPY_ERROR_CHANCE = 0.015;

interface Diagnosis {
  row: DiagnosisRow;
  choice: DiagnosisChoice;
  /** The visit on or after this day records the diagnosis. */
  dueDay: number;
  added: boolean;
  trialsLeft: number;
  trialsStarted: number;
  lastModality: TherapyModality | null;
}

interface Trial {
  row: TherapyRow;
  diagnosis: Diagnosis;
  startDay: number;
  endDay: number | null;
  helps: boolean;
  effect: number;
  /** Days after which the trial is reviewed and, unless kept on, ended. */
  reviewAfterDays: number;
  endReason: StopReason;
  maintenance: boolean;
  sideEffect: { worst: SideEffectSeverity; stopsTrial: boolean } | null;
  /** Share of the relief kept once it has ended. */
  lasting: number;
}

interface Visit {
  day: number;
  ms: number;
  assessment: AssessmentRow;
  recorder: StaffMember;
}

export class PatientSimulation {
  private readonly rows: DatasetRow[] = [];
  private readonly id: string;
  private readonly physician: StaffMember;
  private readonly nurse: StaffMember;
  private readonly archetype: Archetype;
  private readonly profile: ArchetypeProfile;
  private readonly diagnoses: Diagnosis[] = [];
  private readonly trials: Trial[] = [];
  private readonly visits: Visit[] = [];
  private readonly baselinePain: number;
  private readonly engagement: number;
  private readonly concurrentTrials: number;
  private readonly keepsWhatWorks: boolean;
  private readonly sideEffectProne: number;
  private hasMaintenanceTrial = false;

  /** `random` is this patient's own stream, so no patient's rows depend on another's. */
  constructor(
    private readonly context: PatientContext,
    private readonly index: number,
    private readonly random: Random,
    private readonly story?: PatientStory,
  ) {
    this.id = this.random.uuid();
    this.physician = story
      ? (context.physicians[story.physician % context.physicians.length] as StaffMember)
      : context.pickPhysician(this.random);
    this.nurse = context.teamNurse(this.physician);
    this.archetype = ARCHETYPES.pick(this.random);
    this.profile = PROFILES[this.archetype];
    this.baselinePain = story ? story.baselinePain : Math.min(10, Math.max(3, this.random.normal(6.6, 1.3)));
    this.engagement = this.random.between(0.8, 1.3);
    this.concurrentTrials = this.random.chance(0.5) ? 2 : 1;
    this.keepsWhatWorks = this.random.chance(this.profile.maintenanceChance);
    this.sideEffectProne = this.random.chance(0.2) ? 1.5 : 0.8;
  }

  run(): DatasetRow[] {
    if (this.story) return this.runStory(this.story);
    const { random, context } = this;
    const sex = SEXES.pick(random);
    const ageYears = Math.round(Math.min(94, Math.max(19, random.normal(54, 15))));
    const birthDay = context.todayDay - Math.round(ageYears * 365.25) - random.int(0, 364);
    const historyDays = context.lastDay - context.firstDay;
    // Enrolments lean towards recent years: the clinic has grown.
    // Enrolled as an adult (every patient is at least 19 today).
    const adultDay = birthDay + Math.ceil(18 * 365.25);
    let enrolDay = clinicDay(Math.max(adultDay, context.lastDay - Math.floor(historyDays * random.next() ** 1.25)));
    while (enrolDay > context.lastDay || weekday(enrolDay) === 0 || weekday(enrolDay) === 6) enrolDay--;

    const patientCreatedMs = clinicMoment(random, enrolDay);
    const registrar = random.chance(0.7) ? this.nurse : this.physician;
    this.planDiagnoses(enrolDay, birthDay);

    const lostAfterVisits = random.chance(LOST_TO_FOLLOW_UP_CHANCE) ? random.int(2, 10) : Infinity;
    let day = enrolDay;
    let firstVisitMs = patientCreatedMs + random.int(5, 30) * MINUTE_MS;
    while (day <= context.lastDay) {
      const ms = firstVisitMs || clinicMoment(random, day);
      firstVisitMs = 0;
      this.visit(day, ms);
      if (this.visits.length >= lostAfterVisits) break;
      const next = this.nextVisitDay(day);
      if (next === null) break;
      day = next;
    }

    const careEnded = lostAfterVisits === Infinity && !this.trials.some((trial) => trial.endDay === null);
    const lastVisit = this.visits[this.visits.length - 1] as Visit;
    const dischargeDay = clinicDay(lastVisit.day + random.int(0, 60));
    const discharged = careEnded && random.chance(DISCHARGE_CHANCE) && dischargeDay <= context.lastDay;

    const patient: PatientRow = {
      id: this.id,
      mrn: context.mrn(this.index),
      givenName: random.pick(
        sex === "FEMALE" || (sex !== "MALE" && random.chance(0.5)) ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES,
      ),
      familyName: random.pick(FAMILY_NAMES),
      birthDate: isoDay(birthDay),
      sex,
      status: "ACTIVE",
      assignedPhysicianId: this.physician.id,
      antithrombotics: [],
      onAnticoagulant: random.chance(ageYears > 65 ? 0.12 : 0.04),
      onAntiplatelet: random.chance(ageYears > 55 ? 0.15 : 0.05),
      bleedingDisorder: random.chance(0.01),
      pregnant: sex === "FEMALE" && ageYears <= 45 && random.chance(0.03),
      contrastAllergy: random.chance(0.03),
      poorlyControlledDiabetes: random.chance(
        this.diagnoses.some((diagnosis) => isDiabeticNeuropathy(diagnosis.choice.code)) ? 0.3 : 0.05,
      ),
      implantedCardiacDevice: random.chance(ageYears > 65 ? 0.08 : 0.01),
      activeInfection: random.chance(0.005),
      ...NO_OTHER_CAUTIONS,
      ...this.psychEvaluation(),
      ...NOT_DERIVED_YET,
      version: 1,
      createdAt: stamp(patientCreatedMs),
      updatedAt: stamp(patientCreatedMs),
      createdById: registrar.id,
    };
    context.record({
      ms: patientCreatedMs,
      user: registrar,
      action: "patient.create",
      entityType: "Patient",
      entityId: this.id,
      patientId: this.id,
    });
    if (discharged) this.discharge(patient, dischargeDay);

    this.rows.unshift({ table: "Patient", row: patient });
    this.addProcedures(enrolDay, patient.psychEvaluationStatus === "CLEARED");
    return this.rows;
  }

  private planDiagnoses(enrolDay: number, birthDay: number) {
    const { random } = this;
    const count = DIAGNOSIS_COUNTS.pick(random);
    const codes = new Set<string>();
    for (let attempt = 0; this.diagnoses.length < count && attempt < 20; attempt++) {
      const choice = pickDiagnosis(random);
      if (codes.has(choice.code)) continue;
      codes.add(choice.code);
      const first = this.diagnoses.length === 0;
      const dueDay = first || random.chance(0.5) ? enrolDay : enrolDay + random.int(30, 900);
      const [minTrials, maxTrials] = this.profile.trialsPerDiagnosis;
      const surgical =
        choice.bodyRegion === "KNEE" || choice.bodyRegion === "HIP" || choice.bodyRegion === "SHOULDER"
          ? JOINT_SURGICAL
          : ["LUMBAR", "CERVICAL", "THORACIC", "SACROILIAC"].includes(choice.bodyRegion)
            ? SPINE_SURGICAL
            : OTHER_SURGICAL;
      const subacute = random.chance(0.1);
      this.diagnoses.push({
        choice,
        dueDay,
        added: false,
        trialsLeft: random.int(minTrials, maxTrials) - (first ? 0 : 1),
        trialsStarted: 0,
        lastModality: null,
        row: {
          id: random.uuid(),
          patientId: this.id,
          icd10Code: choice.code,
          label: choice.label,
          bodyRegion: choice.bodyRegion,
          painType: choice.painType,
          onsetDate: isoDay(
            Math.max(birthDay + 16 * 365, dueDay - (subacute ? random.int(30, 89) : random.int(90, 3650))),
          ),
          surgicalStatus: surgical.pick(random),
          redFlags: random.chance(RED_FLAG_CHANCE) ? [redFlagFor(random, choice.bodyRegion)] : [],
          radicularSigns: [],
          version: 1,
          ...UNSTAMPED,
          ...VALID,
        },
      });
    }
  }

  /** One clinic visit: record the assessment, review running trials, start new ones. */
  private visit(day: number, ms: number) {
    const { random, context } = this;
    const { running, sideEffects, decidedMs } = this.examine(day, ms);
    for (const trial of running) {
      const severity = sideEffects.get(trial);
      if (trial.sideEffect?.stopsTrial && severity && SEVERITY_ORDER.indexOf(severity) >= 2) {
        this.endTrial(trial, day, decidedMs, "SIDE_EFFECTS");
      } else if (!trial.maintenance && day - trial.startDay >= trial.reviewAfterDays) {
        if (trial.helps && this.keepsWhatWorks && !this.hasMaintenanceTrial && MAINTAINABLE.has(trial.row.modality)) {
          trial.maintenance = true;
          this.hasMaintenanceTrial = true;
        } else this.endTrial(trial, day, decidedMs, trial.endReason);
      }
    }

    for (;;) {
      const active = this.trials.filter((trial) => trial.endDay === null && !trial.maintenance).length;
      if (active >= this.concurrentTrials) break;
      const diagnosis = this.diagnoses
        .filter((candidate) => candidate.added && candidate.trialsLeft > 0)
        .sort((a, b) => a.trialsStarted - b.trialsStarted)[0];
      if (!diagnosis) break;
      this.startTrial(diagnosis, day, decidedMs + random.int(0, 5) * MINUTE_MS);
    }

    if (random.chance(0.4)) {
      const reviewMs = clinicMoment(random, clinicDay(day + random.int(0, 2)));
      if (Math.floor(reviewMs / DAY_MS) <= context.lastDay) {
        context.record({
          ms: reviewMs,
          user: this.physician,
          action: "patient.view",
          entityType: "Patient",
          entityId: this.id,
          patientId: this.id,
        });
      }
    }
  }

  /** The part of a visit every patient has: diagnoses due, the assessment and the side effects of running trials. */
  private examine(day: number, ms: number) {
    const { random, context } = this;
    const recorder = this.recorderFor(ms);
    context.record({
      ms,
      user: recorder,
      action: "patient.view",
      entityType: "Patient",
      entityId: this.id,
      patientId: this.id,
    });
    context.rememberPatient(this.physician, this.id);

    for (const diagnosis of this.diagnoses) {
      if (diagnosis.added || diagnosis.dueDay > day) continue;
      diagnosis.added = true;
      const createdMs = ms + random.int(1, 5) * MINUTE_MS;
      diagnosis.row.createdAt = diagnosis.row.updatedAt = stamp(createdMs);
      diagnosis.row.createdById = this.physician.id;
      this.rows.push({ table: "PainDiagnosis", row: diagnosis.row });
      context.record({
        ms: createdMs,
        user: this.physician,
        action: "diagnosis.create",
        entityType: "PainDiagnosis",
        entityId: diagnosis.row.id,
        patientId: this.id,
      });
    }

    const running = this.trials.filter((trial) => trial.endDay === null && trial.startDay < day);
    const assessment = this.assess(day, ms, recorder, running);
    const sideEffects = this.recordSideEffects(assessment, running);
    this.visits.push({ day, ms, assessment, recorder });

    return { running, sideEffects, assessment, decidedMs: ms + random.int(20, 45) * MINUTE_MS };
  }

  /** When the patient is next seen, or null when their care has ended. */
  private nextVisitDay(day: number): number | null {
    const { random } = this;
    const open = this.trials.filter((trial) => trial.endDay === null);
    let next: number;
    if (open.some((trial) => !trial.maintenance)) next = day + Math.round(random.int(12, 36) * this.engagement);
    else if (open.length > 0) next = day + random.int(28, 90);
    else {
      const pending = this.diagnoses.filter((diagnosis) => !diagnosis.added).map((diagnosis) => diagnosis.dueDay);
      if (pending.length > 0) next = Math.max(day + 14, Math.min(...pending));
      // Care has ended: an occasional review visit, or nothing more.
      else if (random.chance(0.2)) next = day + random.int(90, 365);
      else return null;
    }
    return clinicDay(next);
  }

  private recorderFor(ms: number): StaffMember {
    const { random, context } = this;
    const candidate = random.chance(0.1)
      ? this.physician
      : random.chance(0.8)
        ? this.nurse
        : random.pick(context.nurses);
    // Deactivated accounts only appear on records from before go-live.
    if (candidate.active || !context.isLive(ms)) return candidate;
    return context.nurses.find((nurse) => nurse.active) ?? this.physician;
  }

  private painOn(day: number): number {
    let level = this.baselinePain;
    for (const trial of this.trials) {
      if (trial.startDay >= day) continue;
      const until = trial.endDay === null ? day : Math.min(day, trial.endDay);
      let relief = trial.effect * Math.min(1, (until - trial.startDay) / 42);
      if (trial.endDay !== null && trial.endDay < day) relief *= trial.lasting;
      level *= 1 - relief;
    }
    return level;
  }

  private assess(day: number, ms: number, recorder: StaffMember, running: readonly Trial[]): AssessmentRow {
    const { random, context } = this;
    // A story's pain follows its plot: no flares, and never below its floor.
    const flare = random.chance(0.07) && !this.story ? random.int(1, 3) : 0;
    const painAverage = clamp(
      Math.round(this.painOn(day) + random.normal(0, 0.6)) + flare,
      this.story?.painFloor ?? 0,
      10,
    );
    // A story's interference items stay closer to its pain, so its engine answer does not hang on one draw.
    const [low, spread] = this.story ? [0.9, 0.4] : [0, 1];
    const pegEnjoyment = clamp(
      Math.round(painAverage * random.between(Math.max(low, 0.7), 1.1) + random.normal(0, spread)),
      0,
      10,
    );
    const pegActivity = clamp(
      Math.round(painAverage * random.between(Math.max(low, 0.75), 1.15) + random.normal(0, spread)),
      0,
      10,
    );
    const pegPain = clamp(painAverage + (random.chance(0.15) ? random.pick([-1, 1]) : 0), 0, 10);
    const peg = pegScore({ averagePain: pegPain, enjoymentOfLife: pegEnjoyment, generalActivity: pegActivity });
    const lumbar = this.diagnoses.some(
      (d) => d.added && (d.choice.bodyRegion === "LUMBAR" || d.choice.bodyRegion === "SACROILIAC"),
    );
    const cervical = this.diagnoses.some((d) => d.added && d.choice.bodyRegion === "CERVICAL");
    const recordedMs = ms + random.int(5, 20) * MINUTE_MS;
    const row: AssessmentRow = {
      id: random.uuid(),
      patientId: this.id,
      assessedOn: isoDay(day),
      painNow: clamp(painAverage + Math.round(random.normal(0, 1)), 0, 10),
      painAverage,
      painWorst: clamp(painAverage + random.int(1, 3), painAverage, 10),
      pegPain,
      pegEnjoyment,
      pegActivity,
      pegScore: peg,
      // ODI and NDI are scored raw 0–50 and reported doubled, so the percentages are even.
      odiPercent:
        lumbar && random.chance(0.7) ? 2 * clamp(Math.round(painAverage * 2.6 + random.normal(0, 3)), 0, 50) : null,
      ndiPercent:
        cervical && random.chance(0.7) ? 2 * clamp(Math.round(painAverage * 2.4 + random.normal(0, 3)), 0, 50) : null,
      adherence: running.length > 0 ? ADHERENCES.pick(random) : null,
      limitation: limitationOf(random, peg, !this.story),
      note: random.chance(0.03) ? random.pick(ASSESSMENT_NOTES) : null,
      recordedById: recorder.id,
      recordedAt: stamp(recordedMs),
      version: 1,
      updatedAt: stamp(recordedMs),
      ...VALID,
    };
    this.rows.push({ table: "OutcomeAssessment", row });
    context.record({
      ms: recordedMs,
      user: recorder,
      action: "assessment.create",
      entityType: "OutcomeAssessment",
      entityId: row.id,
      patientId: this.id,
    });
    if (context.isLive(recordedMs) && random.chance(ASSESSMENT_ERROR_CHANCE))
      this.addMistakenAssessment(row, day, recordedMs, recorder);
    return row;
  }

  /** A second entry recorded by mistake (often with a wrong, later date) and then marked entered-in-error. */
  private addMistakenAssessment(original: AssessmentRow, day: number, recordedMs: number, recorder: StaffMember) {
    const { random, context } = this;
    const createdMs = recordedMs + random.int(1, 10) * MINUTE_MS;
    const markedMs = createdMs + random.int(5, 180) * MINUTE_MS;
    const painAverage = clamp(original.painAverage + random.int(-2, 2), 0, 10);
    const mistaken: AssessmentRow = {
      ...original,
      id: random.uuid(),
      assessedOn: isoDay(Math.min(context.lastDay, day + random.int(0, 10))),
      painAverage,
      painWorst: Math.max(painAverage, original.painWorst),
      recordedAt: stamp(createdMs),
      note: null,
      updatedAt: stamp(createdMs),
    };
    this.rows.push({ table: "OutcomeAssessment", row: mistaken });
    context.record({
      ms: createdMs,
      user: recorder,
      action: "assessment.create",
      entityType: "OutcomeAssessment",
      entityId: mistaken.id,
      patientId: this.id,
    });
    this.markEnteredInError("OutcomeAssessment", mistaken, markedMs, recorder);
  }

  private markEnteredInError(
    entity: "OutcomeAssessment" | "TherapyTrial",
    row: AssessmentRow | TherapyRow,
    ms: number,
    user: StaffMember,
  ) {
    const { random, context } = this;
    const reason = random.pick(ENTERED_IN_ERROR_REASONS);
    context.revise(ms, {
      entityType: entity,
      entityId: row.id,
      patientId: this.id,
      version: row.version,
      changedById: user.id,
      reason,
      snapshot: snapshotOf(row),
    });
    Object.assign(row, {
      version: row.version + 1,
      updatedAt: stamp(ms),
      enteredInErrorAt: stamp(ms),
      enteredInErrorById: user.id,
      enteredInErrorReason: reason,
    });
    context.record({
      ms,
      user,
      action: "record.entered_in_error",
      entityType: entity,
      entityId: row.id,
      patientId: this.id,
      detail: { reason: "see RecordRevision" },
    });
  }

  /** Side effects of running medication trials, for those that cause any (and now and then a recorded "none"). */
  private recordSideEffects(assessment: AssessmentRow, running: readonly Trial[]): Map<Trial, SideEffectSeverity> {
    const { random } = this;
    const recorded = new Map<Trial, SideEffectSeverity>();
    for (const trial of running) {
      if (!isMedicationModality(trial.row.modality)) continue;
      let severity: SideEffectSeverity | null = null;
      if (trial.sideEffect) {
        const worst = SEVERITY_ORDER.indexOf(trial.sideEffect.worst);
        severity = SEVERITY_ORDER[random.chance(0.75) ? worst : worst - 1] as SideEffectSeverity;
      } else if (random.chance(0.08)) severity = "NONE";
      if (severity === null) continue;
      recorded.set(trial, severity);
      this.rows.push({
        table: "AssessmentSideEffect",
        row: {
          id: random.uuid(),
          assessmentId: assessment.id,
          therapyTrialId: trial.row.id,
          severity,
          kinds: severity === "NONE" ? [] : sideEffectKinds(trial.row.modality),
        },
      });
    }
    return recorded;
  }

  private startTrial(diagnosis: Diagnosis, day: number, createdMs: number) {
    const { random, context } = this;
    let modality = pickModality(random, diagnosis.choice.painType, diagnosis.trialsStarted);
    for (let retry = 0; retry < 3 && modality === diagnosis.lastModality; retry++) {
      modality = pickModality(random, diagnosis.choice.painType, diagnosis.trialsStarted);
    }
    diagnosis.trialsLeft--;
    diagnosis.trialsStarted++;
    diagnosis.lastModality = modality;
    const helps = random.chance(this.profile.responseChance);
    const [minCourse, maxCourse] = COURSE_DAYS[modality];
    const seChance = (SIDE_EFFECT_CHANCE[modality] ?? 0) * this.sideEffectProne;
    const sessions = SESSIONS_PLANNED[modality];
    const prescription = pickPrescription(random, modality);
    const author = random.chance(0.7) ? this.physician : this.nurse;
    const row = this.therapyRow(
      random.uuid(),
      diagnosis,
      { modality, prescription, sessionsPlanned: sessions ? random.int(sessions[0], sessions[1]) : null },
      day,
      createdMs,
      author,
    );
    const trial: Trial = {
      row,
      diagnosis,
      startDay: day,
      endDay: null,
      helps,
      effect: helps ? random.between(...this.profile.effect) : random.between(0, 0.06),
      // Trials that do not help are stopped after 5 to 12 weeks.
      reviewAfterDays: helps ? random.int(minCourse, maxCourse) : random.int(35, 84),
      endReason: (helps ? HELPED : NOT_HELPED).pick(random),
      maintenance: false,
      sideEffect: random.chance(seChance)
        ? { worst: WORST_SIDE_EFFECT.pick(random), stopsTrial: random.chance(0.6) }
        : null,
      lasting: 0.2,
    };
    this.addTrial(trial, createdMs, author);
    if (context.isLive(createdMs) && random.chance(THERAPY_ERROR_CHANCE))
      this.addMistakenTherapy(row, day, createdMs, author);
  }

  private therapyRow(
    id: string,
    diagnosis: Diagnosis,
    therapy: Pick<StoryTherapy, "modality" | "prescription" | "sessionsPlanned">,
    day: number,
    createdMs: number,
    author: StaffMember,
  ): TherapyRow {
    return {
      id,
      patientId: this.id,
      diagnosisId: diagnosis.row.id,
      modality: therapy.modality,
      startDate: isoDay(day),
      endDate: null,
      status: "ACTIVE",
      stopReason: null,
      stopNote: null,
      ...prescriptionColumns(therapy.prescription),
      sessionsPlanned: therapy.sessionsPlanned,
      sessionsAttended: null,
      version: 1,
      createdAt: stamp(createdMs),
      updatedAt: stamp(createdMs),
      createdById: author.id,
      ...VALID,
    };
  }

  private addTrial(trial: Trial, createdMs: number, author: StaffMember) {
    this.trials.push(trial);
    this.rows.push({ table: "TherapyTrial", row: trial.row });
    this.context.record({
      ms: createdMs,
      user: author,
      action: "therapy.start",
      entityType: "TherapyTrial",
      entityId: trial.row.id,
      patientId: this.id,
    });
  }

  /** A duplicate therapy entered with the wrong dose and date, then marked entered-in-error: it stays "active". */
  private addMistakenTherapy(original: TherapyRow, day: number, createdMs: number, author: StaffMember) {
    const { random, context } = this;
    const mistakenMs = createdMs + random.int(1, 10) * MINUTE_MS;
    const mistaken: TherapyRow = {
      ...original,
      id: random.uuid(),
      startDate: isoDay(Math.min(context.lastDay, day + random.int(0, 7))),
      dose: original.dose === null ? null : original.dose * 2,
      createdAt: stamp(mistakenMs),
      updatedAt: stamp(mistakenMs),
    };
    this.rows.push({ table: "TherapyTrial", row: mistaken });
    context.record({
      ms: mistakenMs,
      user: author,
      action: "therapy.start",
      entityType: "TherapyTrial",
      entityId: mistaken.id,
      patientId: this.id,
    });
    this.markEnteredInError("TherapyTrial", mistaken, mistakenMs + random.int(5, 120) * MINUTE_MS, author);
  }

  /** `note` is the stop note a story gives; without one, some stops get a stock note. */
  private endTrial(trial: Trial, day: number, ms: number, reason: StopReason, note?: string | null) {
    const { random, context } = this;
    const { row } = trial;
    trial.endDay = day;
    trial.lasting = reason === "COMPLETED_COURSE" ? 0.8 : trial.helps && reason !== "SIDE_EFFECTS" ? 0.5 : 0.2;
    const before = context.isLive(ms) ? snapshotOf(row) : null;
    const elapsed = Math.min(1, (day - trial.startDay) / Math.max(1, trial.reviewAfterDays));
    const stopper = random.chance(0.7) ? this.physician : this.nurse;
    Object.assign(row, {
      endDate: isoDay(day),
      status: reason === "COMPLETED_COURSE" ? "COMPLETED" : "STOPPED",
      stopReason: reason,
      stopNote: note !== undefined ? note : random.chance(0.15) ? random.pick(STOP_NOTES) : null,
      sessionsAttended:
        row.sessionsPlanned === null
          ? null
          : reason === "COMPLETED_COURSE"
            ? row.sessionsPlanned - random.int(0, 1)
            : Math.max(1, Math.round(row.sessionsPlanned * elapsed * random.between(0.4, 0.9))),
    });
    if (!before) {
      // Imported history: the trial arrived already ended.
      return;
    }
    context.revise(ms, {
      entityType: "TherapyTrial",
      entityId: row.id,
      patientId: this.id,
      version: row.version,
      changedById: stopper.id,
      reason: row.stopNote,
      snapshot: before,
    });
    row.version++;
    row.updatedAt = stamp(ms);
    context.record({
      ms,
      user: stopper,
      action: "therapy.stop",
      entityType: "TherapyTrial",
      entityId: row.id,
      patientId: this.id,
      detail: { stopReason: reason },
    });
  }

  private psychEvaluation(): Pick<PatientRow, "psychEvaluationStatus" | "psychEvaluationDate"> {
    const { random } = this;
    const status = PSYCH_EVALUATION[this.archetype].pick(random);
    if (status === "NOT_DONE") return { psychEvaluationStatus: status, psychEvaluationDate: null };
    return { psychEvaluationStatus: status, psychEvaluationDate: isoDay(random.pick(this.visits).day) };
  }

  private discharge(patient: PatientRow, day: number) {
    const { random, context } = this;
    const ms = clinicMoment(random, day);
    const user = random.chance(0.6) ? this.physician : this.nurse;
    if (context.isLive(ms)) {
      const lastAssessed = this.visits.reduce((latest, visit) => Math.max(latest, visit.day), -Infinity);
      context.revise(ms, {
        entityType: "Patient",
        entityId: patient.id,
        patientId: patient.id,
        version: patient.version,
        changedById: user.id,
        reason: "Discharged to primary care.",
        snapshot: snapshotOf(patient, { lastAssessedOn: isoDay(lastAssessed), followUpAnchor: null }),
      });
      patient.version++;
      context.record({
        ms,
        user,
        action: "patient.update",
        entityType: "Patient",
        entityId: patient.id,
        patientId: patient.id,
      });
    }
    patient.status = "DISCHARGED";
    patient.updatedAt = stamp(ms);
  }

  private addProcedures(enrolDay: number, psychCleared: boolean) {
    const { random, context } = this;
    if (!random.chance(this.profile.procedureChance)) return;
    const count = 1 + (random.chance(0.35) ? 1 : 0) + (random.chance(0.15) ? 1 : 0);
    const added = this.diagnoses.filter((diagnosis) => diagnosis.added);
    for (let i = 0; i < count; i++) {
      const diagnosis = random.pick(added);
      const choice = pickProcedure(random, diagnosis.choice.bodyRegion, diagnosis.choice.painType, psychCleared);
      let performedDay: number;
      let createdMs: number;
      let author: StaffMember;
      if (random.chance(0.4) || this.visits.length < 2) {
        // Done elsewhere before referral, entered as history at the first visit.
        performedDay = enrolDay - random.int(30, 1500);
        const firstVisit = this.visits[0] as Visit;
        createdMs = firstVisit.ms + random.int(20, 50) * MINUTE_MS;
        author = firstVisit.recorder;
      } else {
        // Referred at a visit; the procedure follows unless it is still ahead or was called off.
        const referredAt = random.pick(this.visits.slice(0, -1));
        const referral = { diagnosis, type: choice.type, referredMs: referredAt.ms + random.int(5, 15) * MINUTE_MS };
        performedDay = clinicDay(referredAt.day + random.int(7, 30));
        if (performedDay > context.lastDay) {
          const booked = random.chance(0.5);
          this.addReferral(referral, booked ? { status: "SCHEDULED", scheduledFor: isoDay(performedDay) } : {});
          continue;
        }
        if (random.chance(0.08)) {
          this.addReferral(referral, { status: "CANCELLED", cancelReason: random.pick(REFERRAL_CANCEL_REASONS) });
          continue;
        }
        const followUp = this.visits.find((visit) => visit.day > performedDay);
        createdMs = followUp
          ? followUp.ms + random.int(20, 50) * MINUTE_MS
          : clinicMoment(random, Math.min(context.lastDay, performedDay + random.int(1, 10)));
        author = followUp?.recorder ?? this.nurse;
        const procedure = this.addProcedure(diagnosis, choice, performedDay, createdMs, author);
        this.addReferral(referral, {
          status: "COMPLETED",
          scheduledFor: isoDay(performedDay),
          procedureDate: isoDay(performedDay),
          procedureRecordId: procedure.id,
          // The result is on the referral once a follow-up visit asked about it.
          reliefPercent: followUp ? procedure.relief : null,
          reliefDurationDays: followUp ? procedure.reliefDurationDays : null,
          updatedAt: stamp(createdMs),
        });
        this.addImplantAfterTrial(diagnosis, choice, performedDay, procedure.relief, author);
        continue;
      }
      const { relief } = this.addProcedure(diagnosis, choice, performedDay, createdMs, author);
      this.addImplantAfterTrial(diagnosis, choice, performedDay, relief, author);
    }
  }

  private addImplantAfterTrial(
    diagnosis: Diagnosis,
    choice: ProcedureChoice,
    performedDay: number,
    relief: number,
    author: StaffMember,
  ) {
    const { random, context } = this;
    // A stimulator trial that gave at least half the pain relief is followed by the implant.
    const implantDay = clinicDay(performedDay + random.int(30, 90));
    if (choice.type === "SPINAL_CORD_STIMULATOR_TRIAL" && relief >= 50 && implantDay <= context.lastDay) {
      const implant = { type: "SPINAL_CORD_STIMULATOR_IMPLANT", level: choice.level, reliefDays: null } as const;
      const implantMs = clinicMoment(random, Math.min(context.lastDay, implantDay + random.int(7, 21)));
      this.addProcedure(diagnosis, implant, implantDay, implantMs, author);
    }
  }

  /** A referral by the patient's physician, audited like one made in the app. */
  private addReferral(
    { diagnosis, type, referredMs }: { diagnosis: Diagnosis; type: ProcedureType; referredMs: number },
    outcome: Partial<ReferralRow>,
  ) {
    const { random, context } = this;
    const row: ReferralRow = {
      id: random.uuid(),
      patientId: this.id,
      diagnosisId: diagnosis.row.id,
      flagId: null,
      evaluationId: null,
      procedure: type,
      receivingClinic: random.pick(RECEIVING_CLINICS),
      urgency: random.chance(0.85) ? "ROUTINE" : random.chance(0.7) ? "SOON" : "URGENT",
      reason: `Pain persists despite conservative care; referred for ${PROCEDURE_TYPE_LABELS[type].toLowerCase()}.`,
      conservativeCareContinues: random.chance(0.6),
      status: "PENDING",
      scheduledFor: null,
      procedureDate: null,
      reliefPercent: null,
      reliefDurationDays: null,
      cancelReason: null,
      procedureRecordId: null,
      createdById: this.physician.id,
      createdAt: stamp(referredMs),
      updatedAt: stamp(referredMs),
      version: 1,
      ...outcome,
    };
    // Each change after creation was one saved version.
    row.version = 1 + (row.scheduledFor ? 1 : 0) + (row.procedureDate ? 1 : 0) + (row.reliefPercent !== null ? 1 : 0);
    if (row.status === "CANCELLED") row.version += 1;
    this.rows.push({ table: "Referral", row });
    context.record({
      ms: referredMs,
      user: this.physician,
      action: "referral.create",
      entityType: "Referral",
      entityId: row.id,
      patientId: this.id,
    });
  }

  /** Adds the procedure record; returns its id and relief. */
  private addProcedure(
    diagnosis: Diagnosis,
    { type, level, reliefDays }: ProcedureChoice,
    performedDay: number,
    createdMs: number,
    author: StaffMember,
  ): { id: string; relief: number; reliefDurationDays: number | null } {
    const { random } = this;
    const band = random.next();
    const relief =
      5 * Math.round((band < 0.45 ? random.int(50, 90) : band < 0.75 ? random.int(20, 49) : random.int(0, 19)) / 5);
    const painBefore = random.int(5, 9);
    const withScores = random.chance(0.85);
    const row = this.addProcedureRow(
      {
        id: random.uuid(),
        diagnosisId: random.chance(0.9) ? diagnosis.row.id : null,
        type,
        region: diagnosis.choice.bodyRegion,
        level,
        performedOn: isoDay(performedDay),
        painBefore: withScores ? painBefore : null,
        painAfter: withScores ? Math.round(painBefore * (1 - relief / 100)) : null,
        reliefPercent: relief,
        reliefDurationDays:
          reliefDays && relief >= 20 && random.chance(0.7) ? random.int(reliefDays[0], reliefDays[1]) : null,
        note: null,
      },
      createdMs,
      author,
    );
    return { id: row.id, relief, reliefDurationDays: row.reliefDurationDays };
  }

  private addProcedureRow(
    fields: Pick<ProcedureRow, StoryProcedureColumn | "id" | "diagnosisId" | "region" | "performedOn">,
    createdMs: number,
    author: StaffMember,
  ): ProcedureRow {
    const row: ProcedureRow = {
      ...fields,
      patientId: this.id,
      approach: null,
      injectate: null,
      scaleName: "NRS 0–10",
      version: 1,
      createdAt: stamp(createdMs),
      updatedAt: stamp(createdMs),
      createdById: author.id,
      ...VALID,
    };
    this.rows.push({ table: "ProcedureRecord", row });
    this.context.record({
      ms: createdMs,
      user: author,
      action: "procedure.create",
      entityType: "ProcedureRecord",
      entityId: row.id,
      patientId: this.id,
    });
    return row;
  }

  // -------------------------------------------------------------------------------------------------
  // A story: the same visits, assessments, side effects, stops, procedures and referrals, with the
  // clinically decisive facts (diagnoses, trials and their outcomes, procedures) fixed by the story.

  private runStory(story: PatientStory): DatasetRow[] {
    const { random, context } = this;
    const days = story.visits.map((date) => dayOf(date));
    const enrolDay = days[0] as number;
    const createdMs = clinicMoment(random, enrolDay);
    const patient: PatientRow = {
      id: this.id,
      mrn: story.mrn,
      givenName: story.givenName,
      familyName: story.familyName,
      birthDate: isoDay(context.todayDay - Math.round(story.ageYears * 365.25) - random.int(0, 364)),
      sex: story.sex,
      status: "ACTIVE",
      assignedPhysicianId: this.physician.id,
      ...NO_CAUTIONS,
      ...story.patient,
      ...NOT_DERIVED_YET,
      version: 1,
      createdAt: stamp(createdMs),
      updatedAt: stamp(createdMs),
      createdById: this.nurse.id,
    };
    context.record({
      ms: createdMs,
      user: this.nurse,
      action: "patient.create",
      entityType: "Patient",
      entityId: this.id,
      patientId: this.id,
    });
    for (const diagnosis of story.diagnoses) {
      const { onsetDate, ...columns } = diagnosis;
      this.diagnoses.push({
        choice: { ...columns, code: columns.icd10Code },
        dueDay: enrolDay,
        added: false,
        trialsLeft: 0,
        trialsStarted: 0,
        lastModality: null,
        row: { ...columns, id: random.uuid(), patientId: this.id, onsetDate, version: 1, ...UNSTAMPED, ...VALID },
      });
    }
    const trials = new Map<StoryTherapy, Trial>();
    days.forEach((day, visit) => {
      const { assessment, decidedMs } = this.examine(day, clinicMoment(random, day));
      for (const therapy of story.therapies) {
        const trial = trials.get(therapy);
        if (trial && therapy.end?.visit === visit) {
          this.endTrial(trial, day, decidedMs, therapy.end.reason, therapy.end.note ?? null);
          if (therapy.end.reason === "SIDE_EFFECTS")
            assessment.note = `Stopped ${drugName(therapy.prescription?.drug ?? "")}: ${therapy.end.note}`;
        }
        if (therapy.startVisit === visit) trials.set(therapy, this.startStoryTrial(therapy, day, decidedMs));
      }
      if (visit === days.length - 1 && story.lastNote) assessment.note = story.lastNote;
    });
    if (story.status === "DISCHARGED") this.discharge(patient, days[days.length - 1] as number);
    this.rows.unshift({ table: "Patient", row: patient });

    for (const { diagnosis: index, ...procedure } of story.procedures) {
      const diagnosis = this.diagnoses[index] as Diagnosis;
      this.addProcedureRow(
        {
          ...procedure,
          id: random.uuid(),
          diagnosisId: diagnosis.row.id,
          region: diagnosis.choice.bodyRegion,
          reliefPercent: Math.round((100 * (procedure.painBefore - procedure.painAfter)) / procedure.painBefore),
        },
        createdMs,
        this.nurse,
      );
    }
    for (const { diagnosis: index, ...study } of story.imaging) {
      const diagnosis = this.diagnoses[index] as Diagnosis;
      this.rows.push({
        table: "ImagingStudy",
        row: {
          ...study,
          id: random.uuid(),
          patientId: this.id,
          diagnosisId: diagnosis.row.id,
          version: 1,
          createdAt: stamp(createdMs),
          updatedAt: stamp(createdMs),
          createdById: this.physician.id,
          ...VALID,
        },
      });
    }
    for (const referral of story.referrals) this.addStoryReferral(referral);
    return this.rows;
  }

  private startStoryTrial(therapy: StoryTherapy, day: number, createdMs: number): Trial {
    const { random } = this;
    const diagnosis = this.diagnoses[therapy.diagnosis] as Diagnosis;
    const author = isMedicationModality(therapy.modality) ? this.physician : this.nurse;
    const medication = isMedicationModality(therapy.modality);
    const trial: Trial = {
      row: this.therapyRow(random.uuid(), diagnosis, therapy, day, createdMs, author),
      diagnosis,
      startDay: day,
      endDay: null,
      helps: therapy.outcome === "helps" || therapy.outcome === "partial",
      effect: random.between(...STORY_EFFECT[therapy.outcome]),
      reviewAfterDays: 0,
      endReason: therapy.end?.reason ?? "COMPLETED_COURSE",
      maintenance: false,
      sideEffect:
        therapy.outcome === "side-effects"
          ? { worst: "SEVERE", stopsTrial: true }
          : medication && random.chance(therapy.modality === "OPIOID" ? 0.35 : 0.12)
            ? { worst: "MILD", stopsTrial: false }
            : null,
      lasting: 0.2,
    };
    this.addTrial(trial, createdMs, author);
    return trial;
  }

  /** A referral made at a visit; done ones add their procedure record with the relief the story gives. */
  private addStoryReferral(referral: StoryReferral) {
    const { random, context } = this;
    const visit = this.visits[referral.visit] as Visit;
    const diagnosis = this.diagnoses[referral.diagnosis] as Diagnosis;
    const made = { diagnosis, type: referral.procedure, referredMs: visit.ms + random.int(20, 50) * MINUTE_MS };
    const performedDay = clinicDay(visit.day + referral.daysToProcedure);
    if (referral.status !== "COMPLETED") {
      this.addReferral(made, {
        status: referral.status,
        scheduledFor: referral.status === "SCHEDULED" ? isoDay(performedDay) : null,
        cancelReason: referral.status === "CANCELLED" ? random.pick(REFERRAL_CANCEL_REASONS) : null,
      });
      return;
    }
    const followUp = this.visits.find((candidate) => candidate.day > performedDay);
    const recordedMs = followUp ? followUp.ms + random.int(20, 50) * MINUTE_MS : clinicMoment(random, context.lastDay);
    const painBefore = random.int(6, 8);
    const procedure = this.addProcedureRow(
      {
        id: random.uuid(),
        diagnosisId: diagnosis.row.id,
        type: referral.procedure,
        region: diagnosis.choice.bodyRegion,
        level: referral.level,
        performedOn: isoDay(performedDay),
        painBefore,
        painAfter: Math.round(painBefore * (1 - referral.reliefPercent / 100)),
        reliefPercent: referral.reliefPercent,
        reliefDurationDays: null,
        note: null,
      },
      recordedMs,
      followUp?.recorder ?? this.nurse,
    );
    this.addReferral(made, {
      status: "COMPLETED",
      scheduledFor: isoDay(performedDay),
      procedureDate: isoDay(performedDay),
      procedureRecordId: procedure.id,
      reliefPercent: referral.reliefPercent,
      updatedAt: stamp(recordedMs),
    });
  }
}

/** Relief of a story's trial once it has taken full effect, as a share of the pain: [min, max). */
const STORY_EFFECT: Record<TrialOutcome, readonly [number, number]> = {
  helps: [0.45, 0.6],
  partial: [0.12, 0.25],
  ineffective: [0, 0.04],
  "side-effects": [0, 0.04],
  worse: [-0.25, -0.15],
};
const NO_CAUTIONS = {
  antithrombotics: [] as PatientRow["antithrombotics"],
  onAnticoagulant: false,
  onAntiplatelet: false,
  bleedingDisorder: false,
  pregnant: false,
  contrastAllergy: false,
  poorlyControlledDiabetes: false,
  implantedCardiacDevice: false,
  activeInfection: false,
  ...NO_OTHER_CAUTIONS,
  psychEvaluationStatus: "NOT_DONE",
  psychEvaluationDate: null,
} as const;
/** Stamped when the visit that records the diagnosis comes. */
const UNSTAMPED = { createdAt: "", updatedAt: "", createdById: "" } as const;

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** The limitation that goes with a PEG score; `jitter` lets some patients rate it a step higher or lower. */
function limitationOf(random: Random, peg: number, jitter: boolean): Limitation {
  const levels: readonly Limitation[] = ["NONE", "MILD", "MODERATE", "SEVERE"];
  const level = peg < 2 ? 0 : peg < 4 ? 1 : peg < 7 ? 2 : 3;
  const shift = random.chance(0.15) && jitter ? random.pick([-1, 1]) : 0;
  return levels[clamp(level + shift, 0, 3)] as Limitation;
}

const RED_FLAGS_BY_REGION: Partial<Record<BodyRegion, readonly RedFlag[]>> = {
  LUMBAR: ["CAUDA_EQUINA", "FRACTURE_RISK", "TUMOUR_OR_INFECTION", "PROGRESSIVE_NEURO_DEFICIT", "SUSPECTED_AAA"],
  CERVICAL: ["CERVICAL_MYELOPATHY", "PROGRESSIVE_NEURO_DEFICIT", "TUMOUR_OR_INFECTION"],
  THORACIC: ["FRACTURE_RISK", "TUMOUR_OR_INFECTION", "SUSPECTED_AAA"],
};

function redFlagFor(random: Random, region: BodyRegion): RedFlag {
  return random.pick(RED_FLAGS_BY_REGION[region] ?? ["TUMOUR_OR_INFECTION"]);
}

function prescriptionColumns(prescription: StoryPrescription | null) {
  return {
    drug: prescription ? storedDrug(prescription.drug) : null,
    dose: prescription?.dose ?? null,
    doseUnit: prescription?.doseUnit ?? null,
    frequency: prescription?.frequency ?? null,
    maxDosesPerDay: prescription?.maxDosesPerDay ?? null,
    route: prescription?.route ?? null,
  };
}

const DATE_COLUMNS = new Set([
  "birthDate",
  "psychEvaluationDate",
  "lastAssessedOn",
  "followUpAnchor",
  "onsetDate",
  "startDate",
  "endDate",
  "assessedOn",
  "performedOn",
]);

/**
 * The stored row as reviseRecord keeps it: Prisma's row serialised to JSON, where a date column
 * is a Date at UTC midnight. Patient snapshots also carry the derived fields, in schema order.
 */
function snapshotOf(row: object, derived?: { lastAssessedOn: string | null; followUpAnchor: string | null }): string {
  const snapshot: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === "version" && derived) Object.assign(snapshot, derived);
    snapshot[key] = value;
  }
  for (const key of Object.keys(snapshot)) {
    const value = snapshot[key];
    if (DATE_COLUMNS.has(key) && typeof value === "string") snapshot[key] = `${value}T00:00:00.000Z`;
  }
  return JSON.stringify(snapshot);
}
