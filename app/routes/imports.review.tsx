import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { DateTime } from "~/components/dates";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { DRUG_NAME_LIST_ID, DrugNameList } from "~/components/drug-name-list";
import { EmptyState, Page } from "~/components/page";
import { codeDecisionSchema, decisionOf } from "~/domain/fhir/review-forms";
import { can, PERMISSIONS } from "~/domain/permissions";
import {
  BODY_REGION_LABELS,
  BODY_REGIONS,
  PAIN_TYPE_LABELS,
  PAIN_TYPES,
  THERAPY_MODALITIES,
  THERAPY_MODALITY_LABELS,
} from "~/domain/pathway-vocabulary";
import { recordAudit } from "~/models/audit.server";
import { decideCodeReview, listCodeReviews, listOpenConflicts } from "~/models/fhir-review.server";
import { ConcurrentEditError } from "~/models/record-revision.server";
import { requireUser } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "Import review · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["imports:review"] });
  const [open, decided] = await Promise.all([listCodeReviews("OPEN"), listCodeReviews("DECIDED", 50)]);
  // Conflicts name patients' records: clinicians only (administrators see no clinical detail).
  const conflicts = can(user.role, "patients:view") ? await listOpenConflicts() : [];
  if (conflicts.length > 0)
    await recordAudit(context, {
      action: "fhir_import.conflicts_view",
      actor: user,
      detail: { patientIds: [...new Set(conflicts.map((c) => c.patientId))] },
    });
  return {
    open,
    decided: decided.map((row) => ({ ...row, decidedAt: row.decidedAt?.toISOString() ?? null })),
    conflicts: conflicts.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["imports:review"] });
  const submission = await parseForm(request, codeDecisionSchema);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await decideCodeReview(
      { id: submission.value.id, version: submission.value.version, decision: decisionOf(submission.value) },
      user,
      context,
    );
  } catch (error) {
    if (!(error instanceof ConcurrentEditError)) throw error;
    return data(
      { result: submission.reply({ formErrors: ["Someone decided this code meanwhile: reload the list."] }) },
      { status: 409 },
    );
  }
  throw redirect(`/imports/review?${new URLSearchParams({ decided: submission.value.id })}`);
}

const field = "max-w-full rounded border border-slate-300 px-2 py-1 text-sm";

export default function ImportReview() {
  const { open, decided, conflicts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = actionData?.result.error ?? {};
  const formErrors = actionData?.result.error?.[""] ?? [];
  return (
    <Page title="Import review">
      <p className="max-w-3xl text-sm text-slate-700">
        Codes from EHR imports that PainPath could not map. Map each to a diagnosis or a therapy, or ignore it: the
        decision applies to every later import. Conditions that are not pain (diabetes, obesity) are best ignored.
      </p>
      {searchParams.get("decided") ? (
        <p className="mt-3 rounded bg-green-50 p-3 text-sm text-green-900" role="status">
          Decision saved: later imports apply it.
        </p>
      ) : null}
      {formErrors.length > 0 || Object.keys(errors).length > 0 ? (
        <div className="mt-3 rounded bg-red-50 p-3 text-sm text-red-900" role="alert">
          {[...formErrors, ...Object.entries(errors).flatMap(([name, messages]) => (name ? (messages ?? []) : []))].map(
            (message) => (
              <p key={message}>{message}</p>
            ),
          )}
        </div>
      ) : null}
      <h2 className="mt-6 text-lg font-semibold">To decide ({open.length})</h2>
      {open.length === 0 ? (
        <div className="mt-2">
          <EmptyState>No code is waiting for a decision.</EmptyState>
        </div>
      ) : (
        <ul className="mt-2 space-y-3">
          {open.map((row) => (
            <li key={row.id} className="rounded bg-white p-3 shadow-sm">
              <p className="text-sm">
                <span className="font-medium">{row.kind === "medication" ? "Medication" : "Condition"}</span>{" "}
                <bdi>{row.display || "(no name)"}</bdi>{" "}
                <span className="text-slate-600">
                  {row.code} · {row.system} · seen {row.occurrences} times
                </span>
              </p>
              <Form
                method="post"
                className="mt-2 flex flex-wrap items-end gap-2 [&>label]:max-w-full"
                aria-label={`Decide ${row.code}`}
              >
                <input type="hidden" name="id" value={row.id} />
                <input type="hidden" name="version" value={row.version} />
                <label className="text-sm">
                  Decision{" "}
                  <select
                    name="action"
                    className={field}
                    defaultValue={row.kind === "medication" ? "therapy" : "ignore"}
                  >
                    <option value="ignore">Ignore</option>
                    <option value="diagnosis">Pain diagnosis</option>
                    <option value="therapy">Therapy</option>
                  </select>
                </label>
                {row.kind === "condition" ? (
                  <>
                    <label className="text-sm">
                      ICD-10-CM <input name="icd10Code" className={`${field} w-24`} />
                    </label>
                    <label className="text-sm">
                      Label <input name="label" className={field} defaultValue={row.display} />
                    </label>
                    <label className="text-sm">
                      Region{" "}
                      <select name="bodyRegion" className={field} defaultValue="">
                        <option value="">—</option>
                        {BODY_REGIONS.map((region) => (
                          <option key={region} value={region}>
                            {BODY_REGION_LABELS[region]}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label className="text-sm">
                      Pain type{" "}
                      <select name="painType" className={field} defaultValue="">
                        <option value="">—</option>
                        {PAIN_TYPES.map((type) => (
                          <option key={type} value={type}>
                            {PAIN_TYPE_LABELS[type]}
                          </option>
                        ))}
                      </select>
                    </label>
                  </>
                ) : (
                  <>
                    <label className="text-sm">
                      Therapy{" "}
                      <select name="modality" className={field} defaultValue="">
                        <option value="">—</option>
                        {THERAPY_MODALITIES.map((modality) => (
                          <option key={modality} value={modality}>
                            {THERAPY_MODALITY_LABELS[modality]}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label className="text-sm">
                      Drug name <input name="drug" list={DRUG_NAME_LIST_ID} className={field} />
                    </label>
                  </>
                )}
                <button type="submit" className="rounded bg-blue-800 px-3 py-1 text-sm text-white">
                  Save
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <DrugNameList />
      {conflicts.length > 0 ? (
        <>
          <h2 className="mt-8 text-lg font-semibold">Changes that meet a correction ({conflicts.length})</h2>
          <p className="text-sm text-slate-700">
            The EHR changed these records after a clinician corrected them in PainPath. PainPath kept the correction;
            open the patient to decide whether the EHR&apos;s change should be recorded.
          </p>
          <ul className="mt-2 list-disc pl-6 text-sm">
            {conflicts.map((conflict) => (
              <li key={conflict.id}>
                <a className="text-blue-800 underline" href={`/patients/${conflict.patientId}`}>
                  {conflict.entityType} from {conflict.sourceResource}
                </a>{" "}
                <span className="text-slate-600">
                  <DateTime at={conflict.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 className="mt-8 text-lg font-semibold">Recently decided</h2>
      <ul className="mt-2 list-disc pl-6 text-sm">
        {decided.map((row) => (
          <li key={row.id}>
            {row.code} <bdi>{row.display}</bdi>: {row.status === "IGNORED" ? "ignored" : "mapped"}{" "}
            <span className="text-slate-600">{row.decidedAt ? <DateTime at={row.decidedAt} /> : null}</span>
          </li>
        ))}
      </ul>
    </Page>
  );
}
