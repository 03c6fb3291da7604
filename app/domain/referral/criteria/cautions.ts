/**
 * Patient-level cautions on a suggested procedure: shown with the suggestion, never a reason to
 * drop it (a periprocedural plan, a different imaging modality, or a hold until resolved).
 */
import { holdGuidance, nsaidHoldGuidance, type BleedingRisk } from "~/domain/clinical/antithrombotics";
import { PROCEDURE_TYPE_LABELS, RED_FLAG_DEFINITIONS } from "~/domain/pathway-vocabulary";
import type { BodyRegion, ProcedureType } from "~/generated/prisma/enums";
import { isSpinal } from "./prerequisites";
import type { RuleSetRules } from "../rule-set";
import type { Diagnosis, SnapshotIndex } from "../snapshot-index";
import type { Caution } from "../types";

const ASRA_2018 = "Narouze et al. ASRA interventional spine and pain procedures guideline, RAPM 2018;43:225–262";
const LCDS = "LCD L39240 (ESI); LCD L39462 (SI joint)";
const SITE_ALLERGY = "Recorded allergy; agent and plan are site policy [L]";

/**
 * ASRA 2018 bleeding-risk class of a procedure: SCS high; ESI and cervical facet procedures
 * intermediate; thoracolumbar facet procedures (moved to low in 2018), peripheral and genicular low.
 */
function bleedingRisk(procedure: ProcedureType, region: BodyRegion): BleedingRisk {
  switch (procedure) {
    case "SPINAL_CORD_STIMULATOR_TRIAL":
    case "SPINAL_CORD_STIMULATOR_IMPLANT":
      return "high";
    case "EPIDURAL_STEROID_INJECTION":
      return "intermediate";
    case "MEDIAL_BRANCH_BLOCK":
    case "FACET_JOINT_INJECTION":
    case "RADIOFREQUENCY_ABLATION":
      return region === "CERVICAL" ? "intermediate" : "low";
    default:
      return "low";
  }
}

const STEROID_PROCEDURES: readonly ProcedureType[] = [
  "EPIDURAL_STEROID_INJECTION",
  "FACET_JOINT_INJECTION",
  "PERIPHERAL_NERVE_BLOCK",
  "GENICULAR_NERVE_BLOCK",
];
const CONTRAST_PROCEDURES: readonly ProcedureType[] = [
  "EPIDURAL_STEROID_INJECTION",
  "MEDIAL_BRANCH_BLOCK",
  "FACET_JOINT_INJECTION",
  "RADIOFREQUENCY_ABLATION",
];
const SCS_PROCEDURES: readonly ProcedureType[] = ["SPINAL_CORD_STIMULATOR_TRIAL", "SPINAL_CORD_STIMULATOR_IMPLANT"];

/** In a fixed order: holds first, then bleeding, imaging, allergy, steroid and device cautions. */
export function patientCautions(
  index: SnapshotIndex,
  diagnosis: Diagnosis,
  procedure: ProcedureType,
  rules: RuleSetRules,
): Caution[] {
  const { cautions } = index.snapshot.patient;
  const region = diagnosis.bodyRegion;
  const rule = `${rules.cautions.id} v${rules.cautions.version}`;
  const found: Caution[] = [];
  const add = (code: string, message: string, source: string) =>
    found.push({ code, message, source: `${rule}: ${source}` });

  if (cautions.activeInfection) {
    add(
      "ACTIVE_INFECTION",
      "Active infection recorded: hold the procedure until it has resolved.",
      `${LCDS}: active local or significant systemic infection is a contraindication`,
    );
  }
  for (const other of index.diagnoses) {
    if (other.id === diagnosis.id || other.redFlags.length === 0) continue;
    const flags = other.redFlags.map((flag) => RED_FLAG_DEFINITIONS[flag].label.toLowerCase()).join(", ");
    add(
      "RED_FLAG_OTHER_DIAGNOSIS",
      `Red flag on ${other.icd10Code} ${other.label} (${flags}): evaluate it before any procedure.`,
      "AHCPR 1994 red-flag table; LCD L39240 (suspected cancer or infection)",
    );
  }
  const risk = bleedingRisk(procedure, region);
  const bleeding = `${risk} bleeding risk for ${PROCEDURE_TYPE_LABELS[procedure]} (ASRA 2018)`;
  for (const drug of index.snapshot.patient.antithrombotics) {
    add(
      `HOLD_${drug}`,
      `${holdGuidance(drug, risk)}. Agree any hold with the prescriber, who weighs the thrombotic risk.`,
      `${ASRA_2018}, summary table`,
    );
  }
  for (const therapy of index.snapshot.therapies) {
    if (therapy.enteredInError || therapy.status !== "ACTIVE" || therapy.modality !== "NSAID" || !therapy.drug)
      continue;
    const guidance = nsaidHoldGuidance(therapy.drug, risk);
    if (guidance) add("HOLD_NSAID", `${guidance}.`, `${ASRA_2018}, summary table`);
  }
  if (cautions.onAnticoagulant) {
    add(
      "ANTICOAGULANT",
      `Anticoagulant not in PainPath's list: needs a periprocedural plan with the prescriber; ${bleeding}. Hold times are drug-specific: verify.`,
      ASRA_2018,
    );
  }
  if (cautions.onAntiplatelet) {
    add(
      "ANTIPLATELET",
      `Antiplatelet not in PainPath's list: needs a periprocedural plan with the prescriber; ${bleeding}.`,
      ASRA_2018,
    );
  }
  if (cautions.bleedingDisorder) {
    add("BLEEDING_DISORDER", `Bleeding disorder: check coagulation first (site cut-offs); ${bleeding}.`, ASRA_2018);
  }
  if (cautions.pregnant) {
    add(
      "PREGNANCY",
      "Pregnancy: avoid fluoroscopy and contrast where possible; ultrasound guidance without contrast is allowed.",
      LCDS,
    );
  }
  if (cautions.contrastAllergy && CONTRAST_PROCEDURES.includes(procedure) && isSpinal(region)) {
    add(
      "CONTRAST_ALLERGY",
      "Contrast allergy: spinal injections use fluoroscopy with contrast; plan ultrasound guidance without contrast.",
      LCDS,
    );
  }
  // Every injection, block and ablation PainPath suggests uses a local anaesthetic and gloved hands.
  if (cautions.localAnaestheticAllergy) {
    add(
      "LOCAL_ANAESTHETIC_ALLERGY",
      "Local anaesthetic allergy: confirm the agent the patient reacted to and an alternative before the procedure.",
      SITE_ALLERGY,
    );
  }
  if (cautions.latexAllergy) {
    add("LATEX_ALLERGY", "Latex allergy: book a latex-free room and equipment.", SITE_ALLERGY);
  }
  if (cautions.corticosteroidAllergy && STEROID_PROCEDURES.includes(procedure)) {
    add(
      "CORTICOSTEROID_ALLERGY",
      "Corticosteroid allergy: plan a steroid-free injectate or another procedure with the proceduralist.",
      SITE_ALLERGY,
    );
  }
  if (cautions.poorlyControlledDiabetes && STEROID_PROCEDURES.includes(procedure)) {
    add(
      "POORLY_CONTROLLED_DIABETES",
      "Poorly controlled diabetes: the steroid can raise blood glucose; plan monitoring (site HbA1c cut-off).",
      "Steroid hyperglycaemia; cut-offs are site policy [M/L]",
    );
  }
  if (cautions.implantedCardiacDevice && procedure === "RADIOFREQUENCY_ABLATION") {
    add(
      "IMPLANTED_CARDIAC_DEVICE",
      "Implanted cardiac device: RF energy needs device management" +
        (isSpinal(region) ? "; if RFA is not possible, see FACET-IA." : "."),
      "LCD L38801 (an implanted device as a reason RFA may not be possible); site policy [L]",
    );
  } else if (cautions.implantedCardiacDevice && SCS_PROCEDURES.includes(procedure)) {
    add(
      "IMPLANTED_CARDIAC_DEVICE",
      "Implanted pacemaker or ICD: a contraindication to SCS in some payer policies; needs cardiology review.",
      "Aetna CPB 0194 [M]",
    );
  }
  return found;
}
