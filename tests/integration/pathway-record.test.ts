import { beforeAll, describe, expect, it } from "vitest";
import { loader as patientLoader } from "~/routes/patients.$patientId._index";
import { action as recordOutcome } from "~/routes/patients.$patientId.assessments.new";
import { action as addDiagnosis } from "~/routes/patients.$patientId.diagnoses.new";
import { action as correctDiagnosis } from "~/routes/patients.$patientId.diagnoses.$diagnosisId.edit";
import { action as editPatient } from "~/routes/patients.$patientId.edit";
import { action as markEnteredInError } from "~/routes/patients.$patientId.entered-in-error";
import { action as addImaging } from "~/routes/patients.$patientId.imaging.new";
import { action as addProcedure } from "~/routes/patients.$patientId.procedures.new";
import { action as stopTherapy } from "~/routes/patients.$patientId.therapies.$therapyId.stop";
import { action as startTherapy } from "~/routes/patients.$patientId.therapies.new";
import { loader as patientsLoader } from "~/routes/patients._index";
import { action as newPatient } from "~/routes/patients.new";
import type { PatientSnapshot } from "~/domain/referral/types";
import { loadSnapshots } from "~/models/snapshot.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { callRoute, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

type Reply = {
  result: { error?: Record<string, string[] | null> };
  conflict: Array<{ name: string; current: string }> | null;
};
const errorsOf = (result: unknown) => dataOf<Reply>(result).result.error ?? {};

let physicianId: string;
let nurseId: string;
let nurse: string;
let physician: string;
let admin: string;

beforeAll(async () => {
  physicianId = (await createUser("PHYSICIAN")).id;
  nurseId = (await createUser("NURSE")).id;
  physician = await sessionCookie(physicianId);
  nurse = await sessionCookie(nurseId);
  admin = await sessionCookie((await createUser("ADMIN")).id);
});

const today = () => clinicToday();
const daysAgo = (days: number) =>
  new Date(Date.parse(`${today()}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

function post(
  handler: Parameters<typeof callRoute>[0],
  path: string,
  form: Record<string, string>,
  params: Record<string, string>,
  cookie = nurse,
) {
  return callRoute(handler, { path, form, params, cookie });
}

const validAssessment = {
  assessedOn: "",
  painNow: "6",
  painAverage: "6",
  painWorst: "8",
  pegPain: "6",
  pegEnjoyment: "5",
  pegActivity: "7",
  limitation: "MODERATE",
};

describe("creating and correcting a patient", () => {
  const valid = () => ({
    mrn: `MRN-${Math.random().toString(36).slice(2, 8)}`,
    givenName: "Siobhán",
    familyName: "O'Brien",
    birthDate: "1961-02-28",
    sex: "FEMALE",
    assignedPhysicianId: physicianId,
    onAnticoagulant: "on",
  });

  it("creates a patient, audits it and opens the patient page", async () => {
    const form = valid();
    const response = (await post(newPatient, "/patients/new", form, {})) as Response;
    expect(response.status).toBe(302);
    const patient = await getDb().patient.findUniqueOrThrow({ where: { mrn: form.mrn } });
    expect(response.headers.get("Location")).toBe(`/patients/${patient.id}`);
    expect(patient).toMatchObject({ familyName: "O'Brien", onAnticoagulant: true, contrastAllergy: false, version: 1 });
    expect(await auditEvents({ action: "patient.create", userId: nurseId })).toHaveLength(1);
  });

  it.each([
    [
      "a birth date in the future",
      { birthDate: "2999-01-01" },
      "birthDate",
      "The date of birth cannot be in the future.",
    ],
    ["an impossible date", { birthDate: "2023-02-30" }, "birthDate", "The date of birth is not a real calendar date."],
    ["an empty name", { givenName: "" }, "givenName", "Enter the given name."],
    ["an oversize name", { familyName: "x".repeat(101) }, "familyName", "Use at most 100 characters."],
    ["a malformed MRN", { mrn: "12 34" }, "mrn", "Use letters, digits and hyphens only."],
    ["an unknown sex", { sex: "ROBOT" }, "sex", "Choose the sex."],
    ["oversize allergy notes", { allergyNotes: "x".repeat(501) }, "allergyNotes", "Use at most 500 characters."],
  ])("refuses %s with a message next to the field, creating nothing", async (_label, change, field, message) => {
    const before = await getDb().patient.count();
    const result = await post(newPatient, "/patients/new", { ...valid(), ...change }, {});
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result)[field]).toEqual([message]);
    expect(await getDb().patient.count()).toBe(before);
  });

  it("records coded and free-text allergies, and the patient page lists them with contrast first", async () => {
    const form = {
      ...valid(),
      latexAllergy: "on",
      contrastAllergy: "on",
      allergyNotes: "Penicillin (rash)",
    };
    expect(statusOf(await post(newPatient, "/patients/new", form, {}))).toBe(302);
    const patient = await getDb().patient.findUniqueOrThrow({ where: { mrn: form.mrn } });
    expect(patient).toMatchObject({ latexAllergy: true, contrastAllergy: true, allergyNotes: "Penicillin (rash)" });
    const page = (await callRoute(patientLoader, { params: { patientId: patient.id }, cookie: nurse })) as {
      allergies: string[];
    };
    expect(page.allergies).toEqual(["Contrast", "Latex", "Penicillin (rash)"]);
  });

  it("refuses a duplicate MRN and a physician who is not one", async () => {
    const form = valid();
    await post(newPatient, "/patients/new", form, {});
    const duplicate = await post(newPatient, "/patients/new", { ...valid(), mrn: form.mrn }, {});
    expect(errorsOf(duplicate).mrn).toEqual(["Another patient already has this medical record number."]);
    const notAPhysician = await post(newPatient, "/patients/new", { ...valid(), assignedPhysicianId: nurseId }, {});
    expect(errorsOf(notAPhysician).assignedPhysicianId).toEqual(["Choose an active physician."]);
  });

  it("treats MRNs that differ only in case as one", async () => {
    const form = valid();
    expect(statusOf(await post(newPatient, "/patients/new", form, {}))).toBe(302);
    const shouted = await post(newPatient, "/patients/new", { ...valid(), mrn: form.mrn.toLowerCase() }, {});
    expect(errorsOf(shouted).mrn).toEqual(["Another patient already has this medical record number."]);
  });

  it("lets only one of two simultaneous creations with the same MRN through, refusing the other clearly", async () => {
    const form = valid();
    const results = await Promise.all([
      post(newPatient, "/patients/new", form, {}),
      post(newPatient, "/patients/new", form, {}),
    ]);
    expect(results.map((result) => statusOf(result)).sort()).toEqual([302, 400]);
    const refused = results.find((result) => statusOf(result) === 400);
    expect(errorsOf(refused).mrn).toEqual(["Another patient already has this medical record number."]);
    expect(await getDb().patient.count({ where: { mrn: form.mrn } })).toBe(1);
  });

  it("refuses an administrator", async () => {
    const response = (await post(newPatient, "/patients/new", valid(), {}, admin)) as Response;
    expect(response.status).toBe(403);
  });

  it("refuses to correct a patient's MRN to another patient's, in any case, and changes nothing", async () => {
    const { patient: first } = await createPatient(physicianId);
    const { patient: second } = await createPatient(physicianId);
    const form = { ...valid(), mrn: first.mrn.toLowerCase(), status: "ACTIVE", version: "1", reason: "Typo" };
    const refused = await post(editPatient, "/edit", form, { patientId: second.id });
    expect(statusOf(refused)).toBe(400);
    expect(errorsOf(refused).mrn).toEqual(["Another patient already has this medical record number."]);
    expect(await getDb().patient.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      mrn: second.mrn,
      version: 1,
    });
  });

  it("keeps the old values when correcting, and refuses a save based on a stale version", async () => {
    const { patient } = await createPatient(physicianId);
    const form = {
      ...valid(),
      mrn: patient.mrn,
      familyName: "Corrected",
      status: "ACTIVE",
      version: "1",
      reason: "Spelling",
    };
    const saved = (await post(editPatient, "/edit", form, { patientId: patient.id })) as Response;
    expect(saved.status).toBe(302);
    const revision = await getDb().recordRevision.findFirstOrThrow({ where: { entityId: patient.id } });
    expect(revision).toMatchObject({ version: 1, reason: "Spelling", changedById: nurseId });
    expect((revision.snapshot as { familyName: string }).familyName).toBe("Testpatient");

    const stale = await post(
      editPatient,
      "/edit",
      { ...form, familyName: "Someone else's edit" },
      { patientId: patient.id },
      physician,
    );
    expect(statusOf(stale)).toBe(409);
    expect(errorsOf(stale)[""]?.[0]).toMatch(/^Someone else saved this record after you opened it/);
    expect(dataOf<Reply>(stale).conflict).toContainEqual({ name: "familyName", current: "Corrected" });
    expect((await getDb().patient.findUniqueOrThrow({ where: { id: patient.id } })).familyName).toBe("Corrected");
  });
});

describe("recording an outcome", () => {
  it("saves the scores with the PEG score, side effects and the follow-up clock, in one go", async () => {
    const { patient, therapy } = await createPatient(physicianId);
    const form = {
      ...validAssessment,
      assessedOn: today(),
      "sideEffects[0].therapyTrialId": therapy.id,
      "sideEffects[0].severity": "MODERATE",
      "sideEffects[0].kinds": "CONSTIPATION",
    };
    // A side effect says what it was (IMMPACT 2008: adverse events by type, not only severity).
    const unnamed = await post(recordOutcome, "/a", { ...form, "sideEffects[0].kinds": "" }, { patientId: patient.id });
    expect(statusOf(unnamed)).toBe(400);
    expect(errorsOf(unnamed)["sideEffects[0].kinds"]).toEqual(["Say what the side effect was (e.g. constipation)."]);
    const response = (await post(recordOutcome, "/a", form, { patientId: patient.id })) as Response;
    expect(response.status).toBe(302);
    const [assessment] = await getDb().outcomeAssessment.findMany({
      where: { patientId: patient.id },
      include: { sideEffects: true },
    });
    expect(assessment).toMatchObject({ pegScore: 6, painWorst: 8, recordedById: nurseId });
    expect(assessment?.sideEffects).toMatchObject([
      { therapyTrialId: therapy.id, severity: "MODERATE", kinds: ["CONSTIPATION"] },
    ]);
    const refreshed = await getDb().patient.findUniqueOrThrow({ where: { id: patient.id } });
    expect(refreshed.lastAssessedOn?.toISOString().slice(0, 10)).toBe(today());
    expect(refreshed.followUpAnchor?.toISOString().slice(0, 10)).toBe(today());
    expect(await auditEvents({ action: "assessment.create", userId: nurseId })).toHaveLength(1);
  });

  it("hands the engine the assessment with its side effects, and one without them with none", async () => {
    const { patient, therapy } = await createPatient(physicianId);
    const withEffect = { ...validAssessment, assessedOn: daysAgo(3) };
    await post(recordOutcome, "/a", withEffect, { patientId: patient.id });
    const form = {
      ...validAssessment,
      assessedOn: today(),
      "sideEffects[0].therapyTrialId": therapy.id,
      "sideEffects[0].severity": "SEVERE",
      "sideEffects[0].kinds": "SEDATION",
    };
    await post(recordOutcome, "/a", form, { patientId: patient.id });
    const [loaded] = await loadSnapshots(getDb(), [patient.id], today());
    const snapshot = loaded?.snapshot as PatientSnapshot;
    expect(snapshot.assessments.map((assessment) => [assessment.date, assessment.sideEffects])).toEqual([
      [daysAgo(3), []],
      [today(), [{ therapyTrialId: therapy.id, severity: "SEVERE", kinds: ["SEDATION"] }]],
    ]);
    expect(snapshot.assessments[1]).toMatchObject({ painWorst: 8, pegScore: 6, enteredInError: false });
    expect(snapshot.assessments[1]?.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it.each([
    ["a score above 10", { painNow: "11" }, "painNow", "Use a whole number from 0 to 10."],
    ["a negative score", { pegActivity: "-1" }, "pegActivity", "Use a whole number from 0 to 10."],
    ["a fractional score", { pegPain: "4.5" }, "pegPain", "Use a whole number from 0 to 10."],
    ["a missing score", { painAverage: "" }, "painAverage", "Enter average pain (0–10)."],
    ["worst below average", { painWorst: "3" }, "painWorst", "Worst pain cannot be lower than average pain."],
    ["a future date", { assessedOn: "2999-01-01" }, "assessedOn", "The assessment date cannot be in the future."],
    ["an ODI above 100", { odiPercent: "140" }, "odiPercent", "Use a whole number from 0 to 100."],
    ["an oversize note", { note: "x".repeat(2001) }, "note", "Use at most 2000 characters."],
  ])("refuses %s and saves nothing", async (_label, change, field, message) => {
    const { patient } = await createPatient(physicianId);
    const result = await post(
      recordOutcome,
      "/a",
      { ...validAssessment, assessedOn: today(), ...change },
      { patientId: patient.id },
    );
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result)[field]).toEqual([message]);
    expect(await getDb().outcomeAssessment.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("refuses side effects for another patient's medication", async () => {
    const { patient } = await createPatient(physicianId);
    const other = await createPatient(physicianId);
    const form = {
      ...validAssessment,
      assessedOn: today(),
      "sideEffects[0].therapyTrialId": other.therapy.id,
      "sideEffects[0].severity": "SEVERE",
      "sideEffects[0].kinds": "NAUSEA",
    };
    const result = await post(recordOutcome, "/a", form, { patientId: patient.id });
    expect(statusOf(result)).toBe(400);
    expect(await getDb().outcomeAssessment.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("answers 404 for an unknown or malformed patient id", async () => {
    const unknown = (await post(
      recordOutcome,
      "/a",
      { ...validAssessment, assessedOn: today() },
      { patientId: "00000000-0000-4000-8000-000000000000" },
    )) as Response;
    expect(unknown.status).toBe(404);
    const malformed = (await post(recordOutcome, "/a", validAssessment, { patientId: "NaN" })) as Response;
    expect(malformed.status).toBe(404);
  });
});

describe("therapy trials", () => {
  const opioid = (diagnosisId: string) => ({
    diagnosisId,
    modality: "OPIOID",
    startDate: daysAgo(3),
    drug: "morphine",
    dose: "15",
    doseUnit: "mg",
    frequency: "every-6-hours",
    route: "oral",
  });

  it("starts a trial, which starts the follow-up clock", async () => {
    const { patient, diagnosis } = await createPatient(physicianId);
    await getDb().therapyTrial.updateMany({
      where: { patientId: patient.id },
      data: { status: "COMPLETED", endDate: new Date("2024-04-01") },
    });
    const response = (await post(startTherapy, "/t", opioid(diagnosis.id), { patientId: patient.id })) as Response;
    expect(response.status).toBe(302);
    const refreshed = await getDb().patient.findUniqueOrThrow({ where: { id: patient.id } });
    expect(refreshed.followUpAnchor?.toISOString().slice(0, 10)).toBe(daysAgo(3));
  });

  it.each([
    ["a medication without a dose", { dose: "" }, "dose", "Enter the dose."],
    ["a dose that is not positive", { dose: "0" }, "dose", "The dose must be a positive number."],
    [
      "an opioid with no entry in the MME table",
      { drug: "kratom" },
      "drug",
      "No drug called 'kratom' in the list. Opioids come from the list, so their daily MME is known.",
    ],
    ["an opioid in the wrong unit", { doseUnit: "mcg/hr" }, "doseUnit", "Morphine is dosed in mg."],
    [
      "an end before the start",
      { endDate: "2020-01-01", stopReason: "INEFFECTIVE" },
      "endDate",
      "The end date is before the start date.",
    ],
    ["an end without a reason", { endDate: daysAgo(1) }, "stopReason", "Say why the therapy ended."],
    [
      "as-needed without a daily maximum",
      { frequency: "as-needed" },
      "maxDosesPerDay",
      "Enter the most doses allowed per day.",
    ],
  ])("refuses %s", async (_label, change, field, message) => {
    const { patient, diagnosis } = await createPatient(physicianId);
    const result = await post(startTherapy, "/t", { ...opioid(diagnosis.id), ...change }, { patientId: patient.id });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result)[field]).toEqual([message]);
    expect(await getDb().therapyTrial.count({ where: { patientId: patient.id } })).toBe(1);
  });

  it("refuses a diagnosis that belongs to another patient", async () => {
    const { patient } = await createPatient(physicianId);
    const other = await createPatient(physicianId);
    const result = await post(startTherapy, "/t", opioid(other.diagnosis.id), { patientId: patient.id });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result)[""]).toEqual(["Choose one of this patient's diagnoses."]);
  });

  it("stops a trial once; the second save of the same version is refused", async () => {
    const { patient, therapy } = await createPatient(physicianId);
    const form = { endDate: today(), stopReason: "SIDE_EFFECTS", version: "1" };
    const first = (await post(stopTherapy, "/s", form, { patientId: patient.id, therapyId: therapy.id })) as Response;
    expect(first.status).toBe(302);
    const second = await post(
      stopTherapy,
      "/s",
      { ...form, stopReason: "INEFFECTIVE" },
      { patientId: patient.id, therapyId: therapy.id },
      physician,
    );
    expect(statusOf(second)).toBe(409);
    const stored = await getDb().therapyTrial.findUniqueOrThrow({ where: { id: therapy.id } });
    expect(stored).toMatchObject({ status: "STOPPED", stopReason: "SIDE_EFFECTS", version: 2 });
    expect((await getDb().patient.findUniqueOrThrow({ where: { id: patient.id } })).followUpAnchor).toBeNull();
  });

  it("lets exactly one of many simultaneous saves of one version win", async () => {
    const { patient, therapy } = await createPatient(physicianId);
    const form = { endDate: today(), stopReason: "INEFFECTIVE", version: "1" };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => post(stopTherapy, "/s", form, { patientId: patient.id, therapyId: therapy.id })),
    );
    const statuses = results.map((result) => statusOf(result));
    expect(statuses.filter((status) => status === 302)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(11);
    expect((await getDb().therapyTrial.findUniqueOrThrow({ where: { id: therapy.id } })).version).toBe(2);
    expect(await getDb().recordRevision.count({ where: { entityId: therapy.id } })).toBe(1);
  });
});

describe("diagnoses and procedures", () => {
  const diagnosis = {
    icd10Code: "m4716",
    label: "Lumbar spondylosis",
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
    onsetDate: "2023-06-01",
    surgicalStatus: "DECLINED_BY_PATIENT",
    redFlags: "CAUDA_EQUINA",
  };

  it("normalises the ICD-10-CM code and keeps red flags", async () => {
    const { patient } = await createPatient(physicianId);
    const response = (await post(addDiagnosis, "/d", diagnosis, { patientId: patient.id })) as Response;
    expect(response.status).toBe(302);
    const stored = await getDb().painDiagnosis.findFirstOrThrow({
      where: { patientId: patient.id, label: "Lumbar spondylosis" },
    });
    expect(stored).toMatchObject({
      icd10Code: "M47.16",
      redFlags: ["CAUDA_EQUINA"],
      surgicalStatus: "DECLINED_BY_PATIENT",
    });
  });

  it.each([
    ["an unknown code format", { icd10Code: "12345" }, "icd10Code", "This is not an ICD-10-CM code (e.g. M54.16)."],
    ["an unknown red flag", { redFlags: "HEADACHE" }, "redFlags[0]", undefined],
    ["a future onset", { onsetDate: "2999-01-01" }, "onsetDate", "The onset date cannot be in the future."],
  ])("refuses %s", async (_label, change, field, message) => {
    const { patient } = await createPatient(physicianId);
    const result = await post(addDiagnosis, "/d", { ...diagnosis, ...change }, { patientId: patient.id });
    expect(statusOf(result)).toBe(400);
    if (message) expect(errorsOf(result)[field]).toEqual([message]);
    expect(await getDb().painDiagnosis.count({ where: { patientId: patient.id } })).toBe(1);
  });

  it("refuses a stale correction of a diagnosis", async () => {
    const { patient, diagnosis: existing } = await createPatient(physicianId);
    const form = { ...diagnosis, version: "1" };
    expect(
      statusOf(await post(correctDiagnosis, "/d", form, { patientId: patient.id, diagnosisId: existing.id })),
    ).toBe(302);
    const stale = await post(
      correctDiagnosis,
      "/d",
      { ...form, label: "Other" },
      { patientId: patient.id, diagnosisId: existing.id },
    );
    expect(statusOf(stale)).toBe(409);
  });

  it("records procedure history and insists on both pain scores", async () => {
    const { patient } = await createPatient(physicianId);
    const form = {
      type: "MEDIAL_BRANCH_BLOCK",
      region: "LUMBAR",
      level: "L4-L5",
      performedOn: "2025-03-02",
      scaleName: "NRS 0–10",
      painBefore: "8",
      painAfter: "1",
      reliefPercent: "88",
    };
    expect(statusOf(await post(addProcedure, "/p", form, { patientId: patient.id }))).toBe(302);
    const half = await post(addProcedure, "/p", { ...form, painAfter: "" }, { patientId: patient.id });
    expect(errorsOf(half).painAfter).toEqual(["Enter both the pain before and after, on the same scale, or neither."]);
  });

  it("records an ESI's approach and drug, and asks for the approach (LCD L39240: a retry changes one)", async () => {
    const { patient } = await createPatient(physicianId);
    const form = {
      type: "EPIDURAL_STEROID_INJECTION",
      region: "LUMBAR",
      level: "L5-S1",
      performedOn: "2025-03-02",
      scaleName: "NRS 0–10",
      injectate: "Dexamethasone 10 mg",
    };
    const unnamed = await post(addProcedure, "/p", form, { patientId: patient.id });
    expect(errorsOf(unnamed).approach).toEqual(["Choose the approach of the epidural injection."]);
    expect(
      statusOf(await post(addProcedure, "/p", { ...form, approach: "TRANSFORAMINAL" }, { patientId: patient.id })),
    ).toBe(302);
    expect(await getDb().procedureRecord.findFirstOrThrow({ where: { patientId: patient.id } })).toMatchObject({
      approach: "TRANSFORAMINAL",
      injectate: "Dexamethasone 10 mg",
    });
  });
});

describe("imaging and joint procedures", () => {
  it("records imaging for a diagnosis, audits it, feeds the engine and can be marked entered in error", async () => {
    const { patient, diagnosis } = await createPatient(physicianId);
    const form = {
      diagnosisId: diagnosis.id,
      modality: "MRI",
      performedOn: daysAgo(20),
      concordance: "NOT_CONCORDANT",
      finding: "Mild L3-L4 bulge, no root contact",
    };
    expect(errorsOf(await post(addImaging, "/i", { ...form, concordance: "" }, { patientId: patient.id }))).toEqual({
      concordance: ["Say whether the findings match the clinical picture."],
    });
    expect(await getDb().imagingStudy.count({ where: { patientId: patient.id } })).toBe(0);
    const other = await createPatient(physicianId);
    const foreign = await post(
      addImaging,
      "/i",
      { ...form, diagnosisId: other.diagnosis.id },
      { patientId: patient.id },
    );
    expect(statusOf(foreign)).toBeGreaterThanOrEqual(400);
    expect(await getDb().imagingStudy.count({ where: { patientId: patient.id } })).toBe(0);

    expect(statusOf(await post(addImaging, "/i", form, { patientId: patient.id }))).toBe(302);
    const study = await getDb().imagingStudy.findFirstOrThrow({ where: { patientId: patient.id } });
    expect((await auditEvents({ action: "imaging.create" })).map((event) => event.entityId)).toContain(study.id);
    const [loaded] = await loadSnapshots(getDb(), [patient.id], today());
    expect(loaded?.snapshot.imaging).toEqual([
      {
        id: study.id,
        diagnosisId: diagnosis.id,
        modality: "MRI",
        performedOn: daysAgo(20),
        concordance: "NOT_CONCORDANT",
        enteredInError: false,
      },
    ]);

    const mark = { entity: "ImagingStudy", id: study.id, version: "1", reason: "Another patient's scan" };
    expect(statusOf(await post(markEnteredInError, "/e", mark, { patientId: patient.id }, physician))).toBe(302);
    expect(await getDb().imagingStudy.findUniqueOrThrow({ where: { id: study.id } })).toMatchObject({
      enteredInErrorReason: "Another patient's scan",
      version: 2,
    });
  });

  it("records intra-articular injections for the knee, hip or shoulder only", async () => {
    const { patient } = await createPatient(physicianId);
    const form = {
      type: "INTRA_ARTICULAR_INJECTION",
      region: "LUMBAR",
      performedOn: daysAgo(40),
      scaleName: "NRS 0–10",
    };
    expect(errorsOf(await post(addProcedure, "/p", form, { patientId: patient.id })).region).toEqual([
      "Intra-articular injections are recorded for the knee, hip or shoulder.",
    ]);
    expect(statusOf(await post(addProcedure, "/p", { ...form, region: "HIP" }, { patientId: patient.id }))).toBe(302);
    expect(
      statusOf(
        await post(
          addProcedure,
          "/p",
          { ...form, type: "TRIGGER_POINT_INJECTION", region: "CERVICAL" },
          {
            patientId: patient.id,
          },
        ),
      ),
    ).toBe(302);
    expect(
      (await getDb().procedureRecord.findMany({ where: { patientId: patient.id }, orderBy: { createdAt: "asc" } })).map(
        (procedure) => `${procedure.type} ${procedure.region}`,
      ),
    ).toEqual(["INTRA_ARTICULAR_INJECTION HIP", "TRIGGER_POINT_INJECTION CERVICAL"]);
  });
});

describe("entered in error", () => {
  it("takes an assessment out of every calculation but keeps it, with who and why", async () => {
    const { patient } = await createPatient(physicianId);
    await post(recordOutcome, "/a", { ...validAssessment, assessedOn: daysAgo(2) }, { patientId: patient.id });
    const assessment = await getDb().outcomeAssessment.findFirstOrThrow({ where: { patientId: patient.id } });

    const form = { entity: "OutcomeAssessment", id: assessment.id, version: "1", reason: "Wrong patient" };
    const response = (await post(markEnteredInError, "/e", form, { patientId: patient.id }, physician)) as Response;
    expect(response.status).toBe(302);
    const stored = await getDb().outcomeAssessment.findUniqueOrThrow({ where: { id: assessment.id } });
    expect(stored).toMatchObject({
      enteredInErrorReason: "Wrong patient",
      enteredInErrorById: physicianId,
      version: 2,
    });
    expect((await getDb().patient.findUniqueOrThrow({ where: { id: patient.id } })).lastAssessedOn).toBeNull();

    const page = (await callRoute(patientLoader, { params: { patientId: patient.id }, cookie: physician })) as {
      overview: { chartPoints: unknown[]; latestAssessment: unknown };
    };
    expect(page.overview.chartPoints).toEqual([]);
    expect(page.overview.latestAssessment).toBeNull();

    const missingReason = await post(
      markEnteredInError,
      "/e",
      { ...form, version: "2", reason: "" },
      { patientId: patient.id },
    );
    expect(statusOf(missingReason)).toBe(400);
    // Shown next to the reason field by the form's fetcher.
    expect(errorsOf(missingReason).reason?.[0]).toBe("Enter the reason the entry is wrong.");
  });

  it("cannot reach a record of another patient", async () => {
    const { patient } = await createPatient(physicianId);
    const other = await createPatient(physicianId);
    const form = { entity: "TherapyTrial", id: other.therapy.id, version: "1", reason: "Not ours" };
    const response = (await post(markEnteredInError, "/e", form, { patientId: patient.id })) as Response;
    expect(response.status).toBe(404);
    expect(
      (await getDb().therapyTrial.findUniqueOrThrow({ where: { id: other.therapy.id } })).enteredInErrorAt,
    ).toBeNull();
  });
});

describe("finding patients", () => {
  it("finds by part of a name or MRN, exact MRN first, and treats wildcards and quotes as text", async () => {
    const { patient } = await createPatient(physicianId, {
      familyName: "Zzyzxwright",
      givenName: "Ada",
      mrn: "ZZ-100",
    });
    await createPatient(physicianId, { familyName: "Zzyzxwright", givenName: "Bo", mrn: "ZZ-1001" });
    const search = async (q: string) =>
      (
        (await callRoute(patientsLoader, { path: `/patients?q=${encodeURIComponent(q)}`, cookie: nurse })) as {
          results: Array<{ id: string; mrn: string }> | null;
        }
      ).results ?? [];

    expect((await search("zzyzx")).map((row) => row.mrn).sort()).toEqual(["ZZ-100", "ZZ-1001"]);
    expect((await search("ada zzyzx")).map((row) => row.id)).toEqual([patient.id]);
    expect((await search("zz-100"))[0]?.id).toBe(patient.id);
    for (const hostile of ["%", "_", "' OR 1=1--", "\\", "%zzy%"]) expect(await search(hostile)).toEqual([]);
  });

  it("finds a two-letter family name by the start of the name, which an index can answer", async () => {
    const { patient } = await createPatient(physicianId, { familyName: "Xu", givenName: "Qingyi" });
    await createPatient(physicianId, { familyName: "Vaxuberg", givenName: "Ola" });
    const search = async (q: string) =>
      (
        (await callRoute(patientsLoader, { path: `/patients?q=${encodeURIComponent(q)}`, cookie: nurse })) as {
          results: Array<{ id: string }> | null;
        }
      ).results ?? [];
    expect((await search("xu")).map((row) => row.id)).toEqual([patient.id]);
    expect((await search("xu qi")).map((row) => row.id)).toEqual([patient.id]);
  });

  it("lists patients due for follow-up, and takes them off once assessed", async () => {
    const { patient } = await createPatient(physicianId, { familyName: "Followupson" });
    await getDb().therapyTrial.updateMany({
      where: { patientId: patient.id },
      data: { startDate: new Date(`${daysAgo(40)}T00:00:00Z`) },
    });
    const { refreshPathwaySummary } = await import("~/models/pathway-summary.server");
    await getDb().$transaction((tx) => refreshPathwaySummary(tx, patient.id));
    const due = async () =>
      (
        (await callRoute(patientsLoader, { path: "/patients", cookie: nurse })) as {
          followUp: { items: Array<{ id: string; dueSince: string }> };
        }
      ).followUp.items;

    expect((await due()).find((item) => item.id === patient.id)?.dueSince).toBe(daysAgo(26));
    await post(recordOutcome, "/a", { ...validAssessment, assessedOn: today() }, { patientId: patient.id });
    expect((await due()).some((item) => item.id === patient.id)).toBe(false);
  });

  it("shows a search's results without the follow-up list, and audits only the patients found", async () => {
    const { patient } = await createPatient(physicianId, { familyName: "Searchonly" });
    const page = (await callRoute(patientsLoader, { path: "/patients?q=searchonly", cookie: nurse })) as {
      results: Array<{ id: string }> | null;
      followUp: unknown;
    };
    expect(page.results?.map((row) => row.id)).toEqual([patient.id]);
    expect(page.followUp).toBeNull();
    const listed = (await auditEvents({ action: "patient.list", userId: nurseId })).at(-1);
    expect(listed?.detail).toEqual({ searched: true, patientIds: [patient.id] });
  });

  it("audits each view of a patient's record", async () => {
    const { patient } = await createPatient(physicianId);
    await callRoute(patientLoader, { params: { patientId: patient.id }, cookie: physician });
    const views = await getDb().auditEvent.findMany({ where: { action: "patient.view", patientId: patient.id } });
    expect(views).toHaveLength(1);
    expect(views[0]?.userId).toBe(physicianId);
  });
});
