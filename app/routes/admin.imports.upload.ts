import { type ActionFunctionArgs, data } from "@remix-run/node";
import * as z from "zod";
import { PERMISSIONS } from "~/domain/permissions";
import { listPhysicians, startBackgroundImport } from "~/models/fhir-import-runs.server";
import { saveUpload, UploadRefusedError, uploadName } from "~/server/fhir-upload.server";
import { requireUser } from "~/web/auth.server";

// The file is the raw body (sent by the upload page's script); the options are in the query string.
const UploadSchema = z.object({
  name: z.string().min(1).max(300),
  physicianId: z.uuid(),
  dryRun: z.enum(["0", "1"]),
  sourceSystem: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,40}$/),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["imports:run"] });
  const parsed = UploadSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success || !request.body)
    return data({ error: "Choose a file, the physician for new patients and the source system." }, { status: 400 });
  const { physicianId, dryRun, sourceSystem } = parsed.data;
  if (!(await listPhysicians()).some((physician) => physician.id === physicianId))
    return data({ error: "Choose an active physician." }, { status: 400 });
  let folder: string;
  let name: string;
  try {
    name = uploadName(parsed.data.name);
    folder = await saveUpload(request.body, name);
  } catch (error) {
    if (!(error instanceof UploadRefusedError)) throw error;
    return data({ error: error.message }, { status: 400 });
  }
  const runId = await startBackgroundImport({
    path: folder,
    sourceLabel: name,
    sourceSystem,
    dryRun: dryRun === "1",
    actor: admin,
    physicianId,
    context,
  });
  return data({ runId });
}
