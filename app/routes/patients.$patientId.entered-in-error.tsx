import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { enteredInErrorSchema } from "~/domain/pathway-forms";
import { PERMISSIONS } from "~/domain/permissions";
import { markEnteredInError } from "~/models/pathway.server";
import { ConcurrentEditError, RecordNotFoundError } from "~/models/record-revision.server";
import { requireUser } from "~/server/auth.server";
import { requireId } from "~/server/route-helpers.server";

export function loader() {
  throw new Response("Not found", { status: 404 });
}

/** Posted from the patient page; answers with a plain status page when the entry cannot be marked. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["pathway:write"] });
  const patientId = requireId(params.patientId);
  const submission = parseWithZod(await request.formData(), { schema: enteredInErrorSchema });
  if (submission.status !== "success") {
    throw new Response("Say why the entry is wrong (at least 3 characters).", { status: 400 });
  }
  try {
    await markEnteredInError(submission.value, { patientId, actor: user, context });
  } catch (error) {
    if (error instanceof ConcurrentEditError) throw new Response("Changed since you opened it", { status: 409 });
    if (error instanceof RecordNotFoundError) throw new Response("Not found", { status: 404 });
    throw error;
  }
  throw redirect(`/patients/${patientId}`);
}
