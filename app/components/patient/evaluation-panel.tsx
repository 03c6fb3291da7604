import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { RED_FLAG_OUTCOMES } from "~/domain/flag-lifecycle";
import { displayDate, shortTime, type IsoDate } from "~/domain/iso-date";
import { PATHWAY_STAGE_LABELS, type PathwayStage } from "~/domain/pathway-stage";
import { PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { REFERRAL_URGENCY_LABELS } from "~/domain/pathway-vocabulary";
import type { DiagnosisEvaluation } from "~/domain/referral/types";
import type { DismissReason, FlagStatus } from "~/generated/prisma/enums";
import type { action as flagAction } from "~/routes/patients.$patientId.flags.$flagId";
import { FieldErrors, formLevelErrors, invalidWhen } from "../field-errors";
import { CriteriaEvidence } from "./criteria-evidence";

export interface PanelFlag {
  id: string;
  status: FlagStatus;
  urgent: boolean;
  version: number;
  waitingSince: IsoDate;
  snoozedUntil: IsoDate | null;
  events: Array<{ toStatus: FlagStatus; at: string; reason: string | null; note: string | null }>;
}

export interface PanelReferral {
  id: string;
  procedure: keyof typeof PROCEDURE_TYPE_LABELS;
  status: string;
  urgency: keyof typeof REFERRAL_URGENCY_LABELS;
  receivingClinic: string;
  createdOn: IsoDate;
}

/** The parts of an evaluation the page sends; the criteria come on request (CriteriaEvidence). */
export type EvaluationSummary = Pick<DiagnosisEvaluation, "flag" | "summary" | "suggestions" | "prompts"> & {
  urgent: { explanation: string } | null;
};

export const FLAG_STATUS_LABELS: Record<FlagStatus, string> = {
  OPEN: "open",
  ACKNOWLEDGED: "acknowledged",
  DISMISSED: "dismissed",
  SNOOZED: "snoozed",
  REFERRED: "referred",
  RESOLVED: "resolved",
};

/** Statuses in which a flag still asks for a decision. */
export const ACTIONABLE_FLAG_STATUSES: readonly FlagStatus[] = ["OPEN", "ACKNOWLEDGED", "SNOOZED"];

/**
 * A flag's actions (acknowledge, snooze, dismiss, or for a red flag close with what was done) and
 * the way to refer, for the summary band.
 */
export function FlagActionsFor({
  patientId,
  diagnosisId,
  flag,
  urgent,
  dismissReasons,
  today,
}: {
  patientId: string;
  diagnosisId: string;
  flag: PanelFlag;
  urgent: boolean;
  dismissReasons: Record<DismissReason, string>;
  today: IsoDate;
}) {
  const actionable = ACTIONABLE_FLAG_STATUSES.includes(flag.status);
  return (
    <>
      {actionable ? (
        urgent ? (
          <RedFlagActions patientId={patientId} flag={flag} />
        ) : (
          <FlagActions patientId={patientId} flag={flag} dismissReasons={dismissReasons} today={today} />
        )
      ) : null}
      {/* A red flag is evaluated now, not referred for a procedure. */}
      {!urgent && flag.status !== "REFERRED" ? (
        <p className="mt-2 text-sm print:hidden">
          <Link
            to={`/patients/${patientId}/referrals/new?diagnosisId=${diagnosisId}${actionable ? `&flagId=${flag.id}` : ""}`}
            className="rounded bg-blue-800 px-3 py-1 font-medium text-white"
          >
            Refer…
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** One diagnosis's pathway stage, flag, suggestions, referrals, and the criteria evidence on request. */
export function EvaluationPanel({
  patientId,
  diagnosis,
  stage,
  evaluation,
  flag,
  referrals,
  dismissReasons,
}: {
  patientId: string;
  diagnosis: { id: string; icd10Code: string; label: string };
  stage: { stage: PathwayStage; since: IsoDate };
  evaluation: { ruleSetVersion: string; evaluatedAt: string; result: EvaluationSummary } | undefined;
  flag: PanelFlag | undefined;
  referrals: PanelReferral[];
  dismissReasons: Record<DismissReason, string>;
}) {
  const result = evaluation?.result;
  return (
    <article id={`flag-${diagnosis.id}`} className="rounded border border-slate-300 bg-white p-4 shadow-sm">
      <header className="flex flex-wrap items-baseline gap-3">
        <h3 className="text-base font-semibold">
          <span className="font-mono">{diagnosis.icd10Code}</span> {diagnosis.label}
        </h3>
        <span className="rounded bg-slate-100 px-2 text-sm">
          {PATHWAY_STAGE_LABELS[stage.stage]} since {stage.since}
        </span>
        {flag ? <span className="text-sm text-slate-700">Flag: {FLAG_STATUS_LABELS[flag.status]}</span> : null}
      </header>

      {result?.urgent ? (
        <p className="mt-2 rounded border-2 border-red-700 bg-red-50 p-2 font-semibold text-red-900" role="alert">
          RED FLAG — evaluate now, not a pathway decision. {result.urgent.explanation}
        </p>
      ) : null}
      {result ? (
        <p className="mt-2">
          <strong>
            {result.urgent
              ? "Evaluate now: "
              : result.flag
                ? "Consider interventional referral: "
                : "No referral suggested: "}
          </strong>
          {result.summary}
        </p>
      ) : (
        <p className="mt-2 text-slate-600">Not evaluated yet.</p>
      )}

      {result && result.suggestions.length > 0 ? (
        <ul className="mt-2 space-y-1 text-sm">
          {result.suggestions.map((suggestion) => (
            <li key={suggestion.procedure}>
              Suggested: <strong>{PROCEDURE_TYPE_LABELS[suggestion.procedure]}</strong>
              {suggestion.cautions.map((caution) => (
                <span
                  key={caution.code}
                  className="ml-2 inline-block rounded border border-amber-500 bg-amber-50 px-1 text-amber-900"
                  title={caution.source}
                >
                  ⚠ {caution.message}
                </span>
              ))}
            </li>
          ))}
        </ul>
      ) : null}

      {result?.prompts && result.prompts.length > 0 ? (
        <ul className="mt-2 space-y-1 text-sm" aria-label="Prompts">
          {result.prompts.map((prompt) => (
            <li key={prompt.code} className="rounded border border-amber-500 bg-amber-50 px-2 py-1 text-amber-900">
              ⚠ {prompt.message} <span className="text-xs text-amber-800">Source: {prompt.source}</span>
            </li>
          ))}
        </ul>
      ) : null}

      {referrals.length > 0 ? (
        <ul className="mt-3 text-sm">
          {referrals.map((referral) => (
            <li key={referral.id}>
              <Link to={`/patients/${patientId}/referrals/${referral.id}`} className="text-blue-800 underline">
                Referral for {PROCEDURE_TYPE_LABELS[referral.procedure]}
              </Link>{" "}
              to {referral.receivingClinic}, {REFERRAL_URGENCY_LABELS[referral.urgency].toLowerCase()},{" "}
              {referral.status.toLowerCase()} (since {referral.createdOn})
            </li>
          ))}
        </ul>
      ) : null}

      {result && evaluation ? (
        <CriteriaEvidence
          patientId={patientId}
          diagnosisId={diagnosis.id}
          ruleSetVersion={evaluation.ruleSetVersion}
          evaluatedAt={evaluation.evaluatedAt}
        />
      ) : null}

      {flag && flag.events.length > 0 ? (
        <details className="mt-2 text-xs text-slate-700">
          <summary className="cursor-pointer">Flag history</summary>
          <ul>
            {flag.events.map((event) => (
              <li key={event.at + event.toStatus}>
                {shortTime(event.at)}: {FLAG_STATUS_LABELS[event.toStatus]}
                {event.reason ? ` — ${eventReasonLabel({ ...event, reason: event.reason }, dismissReasons)}` : ""}
                {event.note ? ` (${event.note})` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}

/** A flag event's reason as words: dismissal reasons and red-flag outcomes are stored as codes. */
function eventReasonLabel(
  { toStatus, reason }: { toStatus: FlagStatus; reason: string },
  dismissReasons: Record<DismissReason, string>,
): string {
  const until = /^until (\d{4}-\d{2}-\d{2})$/.exec(reason);
  if (until) return `until ${displayDate(until[1] as string)}`;
  if (/^Referral [0-9a-f-]{36}$/.test(reason)) return "referral made";
  const labels: Record<string, string> =
    toStatus === "DISMISSED" ? dismissReasons : toStatus === "RESOLVED" ? RED_FLAG_OUTCOMES : {};
  return labels[reason] ?? reason;
}

/** How long an acknowledgement, snooze or dismissal waits in the browser for Undo before it is sent. */
export const UNDO_SECONDS = 5;

/** One fetcher for a flag's forms: a refusal is shown next to its field, without leaving the page. */
function useFlagForms(patientId: string, flag: PanelFlag) {
  const fetcher = useFetcher<typeof flagAction>();
  const action = `/patients/${patientId}/flags/${flag.id}`;
  return {
    fetcher,
    action,
    errors: fetcher.data?.result.error,
    errorsId: (field: string) => `flag-${flag.id}-${field}-errors`,
    undoable: useUndoableSubmit(fetcher, action),
  };
}

/**
 * Acknowledge, snooze and dismiss are held in the browser for UNDO_SECONDS with an Undo button
 * (focused, announced), then sent. Leaving the page sends a held action at once: it was meant.
 */
function useUndoableSubmit(fetcher: ReturnType<typeof useFetcher<typeof flagAction>>, action: string) {
  const [held, setHeld] = useState<{ message: string; body: URLSearchParams } | null>(null);
  const [undone, setUndone] = useState<string | null>(null);
  const timer = useRef<number>();
  const heldBody = useRef<URLSearchParams | null>(null);
  const trigger = useRef<HTMLElement | null>(null);
  const undoButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (held) undoButton.current?.focus();
  }, [held]);
  useEffect(() => {
    const sendNow = () => {
      if (!heldBody.current) return;
      window.clearTimeout(timer.current);
      // Not followed: the redirect would fetch (and audit) a page nobody sees.
      void fetch(action, { method: "POST", body: heldBody.current, keepalive: true, redirect: "manual" });
      heldBody.current = null;
    };
    window.addEventListener("pagehide", sendNow);
    return () => {
      window.removeEventListener("pagehide", sendNow);
      sendNow();
    };
  }, [action]);

  const hold = (event: FormEvent<HTMLFormElement>, message: string) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const body = new URLSearchParams(
      [...new FormData(event.currentTarget, submitter)].map(([key, value]) => [key, String(value)]),
    );
    trigger.current = submitter;
    heldBody.current = body;
    setUndone(null);
    setHeld({ message, body });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      heldBody.current = null;
      setHeld(null);
      fetcher.submit(body, { method: "post", action });
    }, UNDO_SECONDS * 1000);
  };
  const undo = () => {
    window.clearTimeout(timer.current);
    heldBody.current = null;
    setUndone(`Undone: ${held?.message.toLowerCase() ?? "nothing was sent"}.`);
    setHeld(null);
    trigger.current?.focus();
  };
  const notice = (
    <p role="status" className="mb-2 empty:hidden">
      {held ? (
        <>
          {held.message}.{" "}
          <button
            ref={undoButton}
            type="button"
            onClick={undo}
            className="rounded border border-blue-800 px-3 py-1 font-medium text-blue-800"
          >
            Undo
          </button>{" "}
          <span className="text-xs text-slate-600">Sent in {UNDO_SECONDS} seconds unless undone.</span>
        </>
      ) : (
        undone
      )}
    </p>
  );
  return { hold, notice };
}

function AcknowledgeForm({
  forms: { fetcher, action, undoable },
  flag,
}: {
  forms: ReturnType<typeof useFlagForms>;
  flag: PanelFlag;
}) {
  if (flag.status !== "OPEN") return null;
  return (
    <fetcher.Form method="post" action={action} onSubmit={(event) => undoable.hold(event, "Flag acknowledged")}>
      <input type="hidden" name="action" value="acknowledge" />
      <input type="hidden" name="version" value={flag.version} />
      <button type="submit" className="rounded border border-blue-800 px-3 py-1 text-blue-800">
        Acknowledge
      </button>
    </fetcher.Form>
  );
}

/** A red flag: acknowledge it, or close it by recording what was done. No snooze, no dismissal. */
function RedFlagActions({ patientId, flag }: { patientId: string; flag: PanelFlag }) {
  const forms = useFlagForms(patientId, flag);
  const { fetcher, action, errors, errorsId } = forms;
  return (
    <div className="mt-3 rounded border border-red-700 bg-red-50 p-2 text-sm print:hidden">
      {forms.undoable.notice}
      <div className="flex flex-wrap items-end gap-3">
        <AcknowledgeForm forms={forms} flag={flag} />
        <fetcher.Form method="post" action={action} className="flex flex-wrap items-end gap-1">
          <input type="hidden" name="action" value="close" />
          <input type="hidden" name="version" value={flag.version} />
          <RequiredChoice
            name="outcome"
            label="What was done"
            options={RED_FLAG_OUTCOMES}
            errorsId={errorsId("outcome")}
            errors={errors?.outcome}
          />
          <label className="flex flex-col">
            <span>Note (required)</span>
            <input
              name="note"
              required
              minLength={5}
              maxLength={1000}
              className="rounded border border-slate-300 px-2 py-1"
              {...invalidWhen(errorsId("note"), errors?.note)}
            />
            <FieldErrors id={errorsId("note")} errors={errors?.note} />
          </label>
          <button type="submit" className="rounded border border-red-700 px-3 py-1 text-red-800">
            Record and close
          </button>
        </fetcher.Form>
      </div>
      <FieldErrors id={errorsId("form")} errors={formLevelErrors(errors)} />
    </div>
  );
}

function FlagActions({
  patientId,
  flag,
  dismissReasons,
  today,
}: {
  patientId: string;
  flag: PanelFlag;
  dismissReasons: Record<DismissReason, string>;
  today: IsoDate;
}) {
  const forms = useFlagForms(patientId, flag);
  const { fetcher, action, errors, errorsId, undoable } = forms;
  return (
    <div className="mt-3 rounded bg-slate-50 p-2 text-sm print:hidden">
      {undoable.notice}
      <div className="flex flex-wrap items-end gap-3">
        <AcknowledgeForm forms={forms} flag={flag} />
        <fetcher.Form
          method="post"
          action={action}
          className="flex items-end gap-1"
          onSubmit={(event) => {
            const until = new FormData(event.currentTarget).get("until");
            undoable.hold(event, `Flag snoozed until ${displayDate(String(until))}`);
          }}
        >
          <input type="hidden" name="action" value="snooze" />
          <input type="hidden" name="version" value={flag.version} />
          <label className="flex flex-col">
            <span>Snooze until</span>
            <input
              type="date"
              name="until"
              required
              min={today}
              className="rounded border border-slate-300 px-2 py-1"
              {...invalidWhen(errorsId("until"), errors?.until)}
            />
            <FieldErrors id={errorsId("until")} errors={errors?.until} />
          </label>
          <button type="submit" className="rounded border border-blue-800 px-3 py-1 text-blue-800">
            Snooze
          </button>
        </fetcher.Form>
        <fetcher.Form
          method="post"
          action={action}
          className="flex flex-wrap items-end gap-1"
          onSubmit={(event) => {
            const reason = new FormData(event.currentTarget).get("reason") as DismissReason;
            undoable.hold(event, `Flag dismissed: ${dismissReasons[reason] ?? reason}`);
          }}
        >
          <input type="hidden" name="action" value="dismiss" />
          <input type="hidden" name="version" value={flag.version} />
          <RequiredChoice
            name="reason"
            label="Dismiss because"
            options={dismissReasons}
            errorsId={errorsId("reason")}
            errors={errors?.reason}
          />
          <label className="flex flex-col">
            <span>Note</span>
            <input
              name="note"
              maxLength={1000}
              className="rounded border border-slate-300 px-2 py-1"
              {...invalidWhen(errorsId("note"), errors?.note)}
            />
            <FieldErrors id={errorsId("note")} errors={errors?.note} />
          </label>
          <button type="submit" className="rounded border border-red-700 px-3 py-1 text-red-800">
            Dismiss
          </button>
        </fetcher.Form>
      </div>
      {/* Refusals of the whole action (a stale page, a flag that cannot take it) and of hidden fields. */}
      <FieldErrors id={errorsId("form")} errors={formLevelErrors(errors)} />
    </div>
  );
}

/** A required choice of a flag action (what was done, why dismissed), with its error next to it. */
function RequiredChoice({
  name,
  label,
  options,
  errorsId,
  errors,
}: {
  name: string;
  label: string;
  options: Readonly<Record<string, string>>;
  errorsId: string;
  errors?: string[] | null;
}) {
  return (
    <label className="flex flex-col">
      <span>{label}</span>
      <select
        name={name}
        required
        className="rounded border border-slate-300 px-2 py-1"
        defaultValue=""
        {...invalidWhen(errorsId, errors)}
      >
        <option value="" disabled>
          Choose…
        </option>
        {Object.entries(options).map(([value, optionLabel]) => (
          <option key={value} value={value}>
            {optionLabel}
          </option>
        ))}
      </select>
      <FieldErrors id={errorsId} errors={errors} />
    </label>
  );
}
