import type { CdsCardKind, DismissReason } from "~/generated/prisma/enums";
import { PROCEDURE_TYPE_LABELS } from "../pathway-vocabulary";
import { DISMISS_REASON_LABELS } from "../pathway-vocabulary";
import { DECISION_SUPPORT_DISCLAIMER } from "../referral/rule-set";
import type { DiagnosisEvaluation } from "../referral/types";
import type { EhrSignals } from "./ehr-signals";

/**
 * CDS Hooks 2.0 cards (https://cds-hooks.hl7.org/2.0/#card-attributes) from PainPath's evaluations.
 * One card per diagnosis that has something due: `critical` for a red flag, `warning` for a
 * referral suggestion, `info` for conservative care not yet exhausted, and, for a patient known
 * only from the EHR's data, `info` when those data point towards failed conservative care but lack
 * what the rules need (decision 023); none otherwise.
 */

/** "One-sentence, <140-character summary" (2.0 §Card Attributes). */
export const MAX_SUMMARY_LENGTH = 139;
export const CARD_SOURCE_LABEL = "PainPath";
export const NOT_EXHAUSTED_PROMPT = "CONSERVATIVE_CARE_NOT_EXHAUSTED";

export interface Coding {
  system: string;
  code: string;
  display: string;
}

export interface Card {
  uuid: string;
  summary: string;
  detail: string;
  indicator: "info" | "warning" | "critical";
  source: { label: string };
  suggestions?: Array<{ label: string; uuid: string; isRecommended: boolean }>;
  selectionBehavior?: "at-most-one";
  overrideReasons?: Coding[];
  links: Array<{ label: string; url: string; type: "absolute" }>;
}

export interface DiagnosisFinding {
  diagnosis: { id: string; label: string; icd10Code: string };
  evaluation: DiagnosisEvaluation;
  /**
   * For a patient PainPath follows: the flag that stands (open, acknowledged, or snoozed past its
   * date), or null when none does. Undefined when the evaluation came from the EHR's own data.
   */
  flag?: { id: string; summary: string; urgent: boolean; raiseEventId: string | null } | null;
  /** For an evaluation of the EHR's own data: what those data show for this diagnosis. */
  ehr?: EhrSignals;
}

/**
 * What an evaluation of the EHR's data cannot check, said on every card made from them: the EHR's
 * Conditions, MedicationRequests, pain scores and Procedures carry none of it.
 */
export const NOT_CHECKED_FROM_EHR =
  "red flags (cauda equina, cancer, infection, fracture, progressive neurological deficit), surgical candidacy, " +
  "the response to each trial, imaging concordance, the psychological evaluation, and cautions other than " +
  "current medications and allergies (bleeding disorder, pregnancy, diabetes control, implanted device, infection)";

export interface CardPlan {
  card: Card;
  kind: CdsCardKind;
  diagnosisId: string;
  flagId: string | null;
  raiseEventId: string | null;
  metCriteria: string[];
}

export interface CardSetting {
  /** PainPath's public origin, for absolute links. */
  origin: string;
  /** The patient in PainPath, or null when the cards come from the EHR's own data. */
  patientId: string | null;
  /** Card and suggestion ids: the domain has no randomness of its own. */
  newId: () => string;
}

export function overrideReasonSystem(origin: string): string {
  return `${origin}/cds-services/override-reasons`;
}

/** PainPath's dismiss reasons, offered when a clinician overrides a referral card in the EHR. */
export function overrideReasons(origin: string): Coding[] {
  return (Object.entries(DISMISS_REASON_LABELS) as Array<[DismissReason, string]>).map(([code, display]) => ({
    system: overrideReasonSystem(origin),
    code,
    display,
  }));
}

const DISMISS_REASONS = new Set<string>(Object.keys(DISMISS_REASON_LABELS));

/** An override reason from the EHR as a dismiss reason: PainPath's own codes, any other OTHER. */
export function asDismissReason(code: string | undefined): DismissReason | null {
  if (code === undefined) return null;
  return DISMISS_REASONS.has(code) ? (code as DismissReason) : "OTHER";
}

export function cardKind(finding: DiagnosisFinding): CdsCardKind | null {
  const { evaluation, flag } = finding;
  const standing = flag === undefined ? (evaluation.flag ? { urgent: evaluation.urgent !== null } : null) : flag;
  if (standing) return standing.urgent ? "RED_FLAG" : "REFERRAL";
  if (notExhaustedPrompt(evaluation)) return "NOT_YET";
  return finding.ehr?.suggestsFailedCare ? "NEEDS_DATA" : null;
}

function notExhaustedPrompt(evaluation: DiagnosisEvaluation) {
  return evaluation.prompts?.find((prompt) => prompt.code === NOT_EXHAUSTED_PROMPT) ?? null;
}

const INDICATORS: Record<CdsCardKind, Card["indicator"]> = {
  RED_FLAG: "critical",
  REFERRAL: "warning",
  NOT_YET: "info",
  NEEDS_DATA: "info",
};

export function planCards(findings: readonly DiagnosisFinding[], setting: CardSetting): CardPlan[] {
  return findings.flatMap((finding) => {
    const kind = cardKind(finding);
    return kind ? [planCard(finding, kind, setting)] : [];
  });
}

function planCard(finding: DiagnosisFinding, kind: CdsCardKind, setting: CardSetting): CardPlan {
  const { diagnosis, evaluation, flag } = finding;
  const reason =
    kind === "NOT_YET"
      ? (notExhaustedPrompt(evaluation)?.message ?? "")
      : kind === "NEEDS_DATA" && finding.ehr
        ? needsDataReason(finding.ehr)
        : (flag?.summary ?? evaluation.summary);
  const card: Card = {
    uuid: setting.newId(),
    summary: summaryLine(kind, diagnosis.label, reason),
    detail:
      kind === "NEEDS_DATA" && finding.ehr
        ? needsDataMarkdown(finding, finding.ehr, reason)
        : detailMarkdown(finding, kind, reason, setting.patientId !== null),
    indicator: INDICATORS[kind],
    source: { label: CARD_SOURCE_LABEL },
    links: links(finding, kind, setting),
  };
  if (kind === "REFERRAL") {
    card.suggestions = [
      {
        label: "Refer for an interventional pain evaluation (made in PainPath)",
        uuid: setting.newId(),
        isRecommended: true,
      },
    ];
    card.selectionBehavior = "at-most-one";
    card.overrideReasons = overrideReasons(setting.origin);
  }
  return {
    card,
    kind,
    diagnosisId: diagnosis.id,
    flagId: flag?.id ?? null,
    raiseEventId: flag?.raiseEventId ?? null,
    metCriteria: metCriteria(evaluation).map((criterion) => criterion.ruleId),
  };
}

function summaryLine(kind: CdsCardKind, label: string, reason: string): string {
  const lead = {
    RED_FLAG: "Red flag",
    REFERRAL: "Consider interventional referral",
    NOT_YET: "Not yet",
    NEEDS_DATA: "More data needed",
  }[kind];
  // The engine's red-flag line already starts with "Red flag:"; the lead says it once.
  const said = kind === "RED_FLAG" ? reason.replace(/^Red flag:\s*/i, "") : reason;
  return clip(`${lead} (${oneLine(label)}): ${oneLine(said)}`, MAX_SUMMARY_LENGTH);
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** GitHub Flavored Markdown: labels are typed by people, so none of their characters may become markup. */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_{}[\]()<>#|~!]/g, (char) => `\\${char}`);
}

function metCriteria(evaluation: DiagnosisEvaluation) {
  return evaluation.criteria.filter((criterion) => criterion.status === "met");
}

function detailMarkdown(finding: DiagnosisFinding, kind: CdsCardKind, reason: string, known: boolean): string {
  const { diagnosis, evaluation } = finding;
  const lines = [
    `**${escapeMarkdown(diagnosis.label)}** (${escapeMarkdown(diagnosis.icd10Code)}): ${escapeMarkdown(reason)}`,
    "",
    known
      ? `PainPath's current evaluation, ${evaluation.evaluatedOn}, rule set ${escapeMarkdown(evaluation.ruleSetVersion)}.`
      : `PainPath does not follow this patient: evaluated from the EHR data sent with this request, ${evaluation.evaluatedOn}, rule set ${escapeMarkdown(evaluation.ruleSetVersion)}.`,
  ];
  if (kind === "RED_FLAG" && evaluation.urgent) {
    lines.push("", `**Red flag:** ${escapeMarkdown(evaluation.urgent.explanation)}`);
    if (evaluation.urgent.source) lines.push(`Source: ${escapeMarkdown(evaluation.urgent.source)}`);
  }
  const met = metCriteria(evaluation);
  if (met.length > 0) {
    lines.push("", "**Criteria met**", "");
    for (const criterion of met) {
      lines.push(
        `- **${escapeMarkdown(criterion.title)}** (${criterion.ruleId} v${criterion.ruleVersion}): ` +
          `${escapeMarkdown(criterion.explanation)} Source: ${escapeMarkdown(criterion.source)}`,
      );
    }
  }
  if (evaluation.suggestions.length > 0) {
    lines.push("", "**Procedures whose criteria are met**", "");
    for (const suggestion of evaluation.suggestions) {
      const cautions = suggestion.cautions.map((caution) => escapeMarkdown(caution.message)).join(" ");
      lines.push(`- ${PROCEDURE_TYPE_LABELS[suggestion.procedure]}${cautions ? `: ${cautions}` : ""}`);
    }
  }
  const prompt = notExhaustedPrompt(evaluation);
  if (prompt) lines.push("", `**${escapeMarkdown(prompt.message)}** Source: ${escapeMarkdown(prompt.source)}`);
  if (evaluation.missingData.length > 0) {
    lines.push("", `**Not enough data:** ${evaluation.missingData.map(escapeMarkdown).join("; ")}`);
  }
  if (!known) lines.push("", `**Not checked from the EHR data:** ${escapeMarkdown(NOT_CHECKED_FROM_EHR)}.`);
  lines.push("", `*${escapeMarkdown(DECISION_SUPPORT_DISCLAIMER)}*`);
  return lines.join("\n");
}

const COMPLETE_ASSESSMENT_NEEDED =
  "A complete assessment (pain now, on average and at worst; the three PEG items; limitation of daily life): " +
  "the rules never read a single reported pain score as one";

function needsDataReason(ehr: EhrSignals): string {
  const pain = ehr.latestPain ? `, latest pain ${ehr.latestPain.value}/10` : "";
  return `${ehr.pain.months} months of pain, ${ehr.adequateModalities} therapies tried adequately${pain}`;
}

/** The EHR's data point towards failed conservative care: what they show, what PainPath needs, what was not checked. */
function needsDataMarkdown(finding: DiagnosisFinding, ehr: EhrSignals, reason: string): string {
  const { diagnosis, evaluation } = finding;
  const lines = [
    `**${escapeMarkdown(diagnosis.label)}** (${escapeMarkdown(diagnosis.icd10Code)}): ${escapeMarkdown(reason)}.`,
    "",
    `PainPath does not follow this patient. The EHR data sent with this request (evaluated ${evaluation.evaluatedOn}, ` +
      `rule set ${escapeMarkdown(evaluation.ruleSetVersion)}) point towards conservative care that has not helped, ` +
      "but no criterion of PainPath's rules can be met from them: no referral is suggested.",
    "",
    "**What the EHR data show**",
    "",
    `- Pain since ${ehr.pain.onset} (${ehr.pain.months} months): ${escapeMarkdown(diagnosis.id)}`,
    ...ehr.trials.map(
      (trial) =>
        `- ${escapeMarkdown(trial.label)}, ${trial.start} – ${trial.end ?? "ongoing"} (${trial.days} days` +
        `${trial.adequate ? ", an adequate length" : ""}): ${escapeMarkdown(trial.id)}`,
    ),
    ...(ehr.latestPain
      ? [
          `- Latest reported pain ${ehr.latestPain.value}/10 on ${ehr.latestPain.date}, a single score, not a full ` +
            `assessment: ${escapeMarkdown(ehr.latestPain.id)}`,
        ]
      : []),
    ...ehr.procedures.map(
      (procedure) => `- ${escapeMarkdown(procedure.label)} on ${procedure.date}: ${escapeMarkdown(procedure.id)}`,
    ),
  ];
  lines.push("", "**What PainPath would need to decide**", "", `- ${COMPLETE_ASSESSMENT_NEEDED}`);
  for (const missing of evaluation.missingData) lines.push(`- ${escapeMarkdown(missing)}`);
  lines.push(
    "",
    `**Not checked from the EHR data:** ${escapeMarkdown(NOT_CHECKED_FROM_EHR)}.`,
    "",
    `*${escapeMarkdown(DECISION_SUPPORT_DISCLAIMER)}*`,
  );
  return lines.join("\n");
}

function links(finding: DiagnosisFinding, kind: CdsCardKind, setting: CardSetting): Card["links"] {
  const { origin, patientId } = setting;
  if (patientId === null) {
    return [
      { label: "Add this patient to PainPath", url: `${origin}/patients/new`, type: "absolute" },
      ...(kind === "NEEDS_DATA"
        ? [
            {
              label: "Import the EHR's FHIR record into PainPath (administrators)",
              url: `${origin}/admin/imports`,
              type: "absolute" as const,
            },
          ]
        : []),
    ];
  }
  const result: Card["links"] = [
    { label: "Open the pathway in PainPath", url: `${origin}/patients/${patientId}`, type: "absolute" },
  ];
  // A red flag is evaluated now, never referred for a procedure (AHCPR 1994 red-flag table).
  if (kind === "REFERRAL") {
    const query = new URLSearchParams({ diagnosisId: finding.diagnosis.id });
    if (finding.flag) query.set("flagId", finding.flag.id);
    result.push({
      label: "Start a referral in PainPath",
      url: `${origin}/patients/${patientId}/referrals/new?${query}`,
      type: "absolute",
    });
  }
  return result;
}
