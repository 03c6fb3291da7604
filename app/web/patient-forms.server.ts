import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type * as z from "zod";
import { PERMISSIONS } from "~/domain/permissions";
import type { Role } from "~/domain/roles";
import { recordForeignRecordDenied, recordPatientView } from "~/models/audit.server";
import type { PatientWrite } from "~/models/pathway.server";
import type { ClinicalEntity } from "~/models/record-revision.server";
import { getDb } from "~/server/db.server";
import { requireUser } from "./auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { auditForeignRecord, replyToRefusal, requireId } from "./route-helpers.server";
import { parseForm } from "./form-input.server";
import { redirectWithNotice } from "./notice.server";

async function requirePatient({ request, context, params }: LoaderFunctionArgs, roles: readonly Role[]) {
  const user = await requireUser(request, context, { roles });
  const patientId = requireId(params.patientId);
  const patient = await getDb().patient.findUnique({
    where: { id: patientId },
    select: { id: true, mrn: true, givenName: true, familyName: true },
  });
  if (!patient) throw new Response("Not found", { status: 404 });
  return { user, patient, today: clinicToday() };
}

/**
 * The loader half of every form that writes to one patient's record: guard, the patient's name
 * for the heading (404 when unknown), an audit of the view, and the clinic's today for date checks.
 */
export async function loadPatientForm(
  args: LoaderFunctionArgs,
  form: string,
  roles: readonly Role[] = PERMISSIONS["pathway:write"],
) {
  const loaded = await requirePatient(args, roles);
  await recordPatientView(args.context, loaded.user, loaded.patient.id, { form });
  return loaded;
}

/**
 * The same for a form about one record of the patient (a therapy, a referral), named by the route
 * parameter `child.param`. The view is audited only once the record is found under this patient;
 * a record of someone else's is a 404 audited as a denied access, never as a view.
 */
export async function loadPatientChildForm<Child>(
  args: LoaderFunctionArgs,
  form: string,
  child: { entity: ClinicalEntity; param: string; find: (patientId: string, id: string) => Promise<Child | null> },
  roles: readonly Role[] = PERMISSIONS["pathway:write"],
) {
  const loaded = await requirePatient(args, roles);
  const id = requireId(args.params[child.param]);
  const found = await child.find(loaded.patient.id, id);
  if (found === null) {
    await recordForeignRecordDenied(args.context, args.request, {
      actor: loaded.user,
      patientId: loaded.patient.id,
      entityType: child.entity,
      entityId: id,
    });
    throw new Response("Not found", { status: 404 });
  }
  await recordPatientView(args.context, loaded.user, loaded.patient.id, { form });
  return { ...loaded, child: found };
}

/**
 * The action half: guard, validate with the form's schema, save in one transaction, then back to
 * the patient page with `saved.message`, which also retires the draft of form `saved.form` in the
 * browser. Invalid input or a refusal returns the form with messages and saves nothing.
 */
export async function submitPatientForm<Schema extends z.ZodType<Record<string, unknown>>>(
  { request, context, params }: ActionFunctionArgs,
  schema: (today: string) => Schema,
  save: (value: z.output<Schema>, write: PatientWrite) => Promise<unknown>,
  saved: { form: string; message: string },
  roles: readonly Role[] = PERMISSIONS["pathway:write"],
) {
  const user = await requireUser(request, context, { roles });
  const patientId = requireId(params.patientId);
  const submission = await parseForm(request, schema(clinicToday()));
  if (submission.status !== "success") return data({ result: submission.reply(), conflict: null }, { status: 400 });
  const write = { patientId, actor: user, context };
  try {
    await save(submission.value, write);
  } catch (error) {
    await auditForeignRecord(error, request, write);
    return replyToRefusal(error, submission);
  }
  throw await redirectWithNotice(`/patients/${patientId}`, {
    message: saved.message,
    savedDraft: { patientId, form: saved.form },
  });
}
