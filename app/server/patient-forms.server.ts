import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { PERMISSIONS } from "~/domain/permissions";
import type { Role } from "~/domain/roles";
import { recordPatientView } from "~/models/audit.server";
import type { PatientWrite } from "~/models/pathway.server";
import { getDb } from "./db.server";
import { requireUser } from "./auth.server";
import { clinicToday } from "./clinic-time.server";
import { replyToRefusal, requireId } from "./route-helpers.server";
import { parseForm } from "./form-input.server";

/**
 * The loader half of every form that writes to one patient's record: guard, the patient's name
 * for the heading (404 when unknown), an audit of the view, and the clinic's today for date checks.
 */
export async function loadPatientForm(
  { request, context, params }: LoaderFunctionArgs,
  form: string,
  roles: readonly Role[] = PERMISSIONS["pathway:write"],
) {
  const user = await requireUser(request, context, { roles });
  const patientId = requireId(params.patientId);
  const patient = await getDb().patient.findUnique({
    where: { id: patientId },
    select: { id: true, mrn: true, givenName: true, familyName: true },
  });
  if (!patient) throw new Response("Not found", { status: 404 });
  await recordPatientView(context, user, patientId, { form });
  return { user, patient, today: clinicToday() };
}

/**
 * The action half: guard, validate with the form's schema, save in one transaction, then back to
 * the patient page. Invalid input or a refusal returns the form with messages and saves nothing.
 */
export async function submitPatientForm<Schema extends z.ZodType<Record<string, unknown>>>(
  { request, context, params }: ActionFunctionArgs,
  schema: (today: string) => Schema,
  save: (value: z.output<Schema>, write: PatientWrite) => Promise<unknown>,
  roles: readonly Role[] = PERMISSIONS["pathway:write"],
) {
  const user = await requireUser(request, context, { roles });
  const patientId = requireId(params.patientId);
  const submission = await parseForm(request, schema(clinicToday()));
  if (submission.status !== "success") return data({ result: submission.reply(), conflict: null }, { status: 400 });
  try {
    await save(submission.value, { patientId, actor: user, context });
  } catch (error) {
    return replyToRefusal(error, submission);
  }
  throw redirect(`/patients/${patientId}`);
}
