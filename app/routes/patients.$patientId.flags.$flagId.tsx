import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { PERMISSIONS } from "~/domain/permissions";
import { flagActionSchema } from "~/domain/referral-forms";
import { actOnFlag, FlagActionRefusedError } from "~/models/flag.server";
import { ConcurrentEditError, RecordNotFoundError } from "~/models/record-revision.server";
import { requireUser } from "~/server/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { requireId } from "~/server/route-helpers.server";

export function loader() {
  throw new Response("Not found", { status: 404 });
}

/** Acknowledge, dismiss (with a reason) or snooze a flag, from the patient page. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["flags:act"] });
  const patientId = requireId(params.patientId);
  const flagId = requireId(params.flagId);
  const submission = parseWithZod(await request.formData(), { schema: flagActionSchema(clinicToday()) });
  if (submission.status !== "success") {
    const messages = Object.values(submission.error ?? {})
      .flat()
      .filter(Boolean);
    throw new Response(messages.join(" ") || "Invalid request.", { status: 400 });
  }
  try {
    await actOnFlag(flagId, patientId, submission.value, user, context);
  } catch (error) {
    if (error instanceof RecordNotFoundError) throw new Response("Not found", { status: 404 });
    if (error instanceof ConcurrentEditError) throw new Response("Changed since you opened it", { status: 409 });
    if (error instanceof FlagActionRefusedError) throw new Response(error.message, { status: 409 });
    throw error;
  }
  throw redirect(`/patients/${patientId}#flag-${flagId}`);
}
