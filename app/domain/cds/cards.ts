import type { CdsCardKind, DismissReason } from "~/generated/prisma/enums";
import { PROCEDURE_TYPE_LABELS } from "../pathway-vocabulary";
import { DISMISS_REASON_LABELS } from "../referral-forms";
import { DECISION_SUPPORT_DISCLAIMER } from "../referral/rule-set";
import type { DiagnosisEvaluation } from "../referral/types";

/**
 * CDS Hooks 2.0 cards (https://cds-hooks.hl7.org/2.0/#card-attributes) from PainPath's evaluations.
 * One card per diagnosis that has something due: `critical` for a red flag, `warning` for a
 * referral suggestion, `info` for conservative care not yet exhausted, none otherwise.
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
}

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
  return notExhaustedPrompt(evaluation) ? "NOT_YET" : null;
}

function notExhaustedPrompt(evaluation: DiagnosisEvaluation) {
  return evaluation.prompts?.find((prompt) => prompt.code === NOT_EXHAUSTED_PROMPT) ?? null;
}

const INDICATORS: Record<CdsCardKind, Card["indicator"]> = {
  RED_FLAG: "critical",
  REFERRAL: "warning",
  NOT_YET: "info",
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
    kind === "NOT_YET" ? (notExhaustedPrompt(evaluation)?.message ?? "") : (flag?.summary ?? evaluation.summary);
  const card: Card = {
    uuid: setting.newId(),
    summary: summaryLine(kind, diagnosis.label, reason),
    detail: detailMarkdown(finding, kind, reason, setting.patientId !== null),
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
  const lead = { RED_FLAG: "Red flag", REFERRAL: "Consider interventional referral", NOT_YET: "Not yet" }[kind];
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
  lines.push("", `*${escapeMarkdown(DECISION_SUPPORT_DISCLAIMER)}*`);
  return lines.join("\n");
}

function links(finding: DiagnosisFinding, kind: CdsCardKind, setting: CardSetting): Card["links"] {
  const { origin, patientId } = setting;
  if (patientId === null) {
    return [{ label: "Add this patient to PainPath", url: `${origin}/patients/new`, type: "absolute" }];
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
