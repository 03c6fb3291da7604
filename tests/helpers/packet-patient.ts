import { addDays } from "~/domain/clinical/duration";
import { action as recordOutcome } from "~/routes/patients.$patientId.assessments.new";
import { action as addImaging } from "~/routes/patients.$patientId.imaging.new";
import { action as newReferral } from "~/routes/patients.$patientId.referrals.new";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { createPatient, createUser } from "./fixtures";
import { callRoute } from "./remix";
import { sessionCookie } from "./session";

/**
 * A flagged patient with a contrast and a latex allergy, free-text penicillin allergy and an
 * anticoagulant, a concordant MRI, on oxycodone 10 mg twice daily, referred by `physicianId` for a lumbar ESI.
 */
export const PACKET_MRI_FINDING = "L5-S1 protrusion contacting the left S1 root";

export async function referredPatientWithCautions(physicianId: string, familyName = "Packetson") {
  const { patient, diagnosis } = await createPatient(physicianId, { familyName, nonDrugCareFailed: true });
  await getDb().patient.update({
    where: { id: patient.id },
    data: { contrastAllergy: true, latexAllergy: true, antithrombotics: ["APIXABAN"], allergyNotes: "Penicillin: rash" },
  });
  const nurse = await sessionCookie((await createUser("NURSE")).id);
  await callRoute(addImaging, {
    path: "/i",
    params: { patientId: patient.id },
    cookie: nurse,
    form: {
      diagnosisId: diagnosis.id,
      modality: "MRI",
      performedOn: addDays(clinicToday(), -30),
      concordance: "CONCORDANT",
      finding: PACKET_MRI_FINDING,
    },
  });
  await callRoute(recordOutcome, {
    path: "/a",
    params: { patientId: patient.id },
    cookie: nurse,
    form: {
      assessedOn: clinicToday(),
      painNow: "7",
      painAverage: "7",
      painWorst: "8",
      pegPain: "7",
      pegEnjoyment: "7",
      pegActivity: "7",
      limitation: "SEVERE",
    },
  });
  const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } });
  await callRoute(newReferral, {
    path: "/r",
    params: { patientId: patient.id },
    cookie: await sessionCookie(physicianId),
    form: {
      diagnosisId: diagnosis.id,
      flagId: flag.id,
      procedure: "EPIDURAL_STEROID_INJECTION",
      receivingClinic: "Northside Spine Centre",
      urgency: "ROUTINE",
      reason: "Radicular pain despite conservative care",
      conservativeCareContinues: "on",
    },
  });
  const referral = await getDb().referral.findFirstOrThrow({ where: { diagnosisId: diagnosis.id } });
  return { patient, diagnosis, flag, referral };
}
