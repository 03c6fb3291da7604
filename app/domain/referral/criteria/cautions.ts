/**
 * Patient-level cautions on a suggested procedure: shown with the suggestion, never a reason to
 * drop it (a periprocedural plan, a different imaging modality, or a hold until resolved).
 */
import { PROCEDURE_TYPE_LABELS, RED_FLAG_DEFINITIONS } from "~/domain/pathway-vocabulary";
import type { BodyRegion, ProcedureType } from "~/generated/prisma/enums";
import { isSpinal } from "./prerequisites";
import type { RuleSetRules } from "../rule-set";
import type { Diagnosis, SnapshotIndex } from "../snapshot-index";
import type { Caution } from "../types";

type BleedingRisk = "high" | "intermediate" | "low";

const ASRA_2018 = "Narouze et al. ASRA interventional spine and pain procedures guideline, RAPM 2018;43:225–262";
const ESI_LCD = "LCD L39240 (ESI); LCD L39462 (SI joint)";

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
const DEVICE_PROCEDURES: readonly ProcedureType[] = [
  "SPINAL_CORD_STIMULATOR_TRIAL",
  "SPINAL_CORD_STIMULATOR_IMPLANT",
  "RADIOFREQUENCY_ABLATION",
];

/** In a fixed order: holds first, then bleeding, imaging, steroid and device cautions. */
export function patientCautions(
  index: SnapshotIndex,
  diagnosis: Diagnosis,
  procedure: ProcedureType,
  rules: RuleSetRules,
): Caution[] {
  const { cautions } = index.snapshot.patient;
  const region = diagnosis.bodyRegion;
  const risk = bleedingRisk(procedure, region);
  const name = PROCEDURE_TYPE_LABELS[procedure];
  const found: Caution[] = [];

  if (cautions.activeInfection) {
    found.push({
      code: "ACTIVE_INFECTION",
      message: "Active infection recorded: hold the procedure until it has resolved.",
      source: `${ESI_LCD}: active local or significant systemic infection is a contraindication`,
    });
  }
  for (const other of index.diagnoses) {
    if (other.id === diagnosis.id || other.redFlags.length === 0) continue;
    found.push({
      code: "RED_FLAG_OTHER_DIAGNOSIS",
      message:
        `Red flag on ${other.icd10Code} ${other.label} ` +
        `(${other.redFlags.map((flag) => RED_FLAG_DEFINITIONS[flag].label.toLowerCase()).join(", ")}): ` +
        "evaluate it before any procedure.",
      source: "AHCPR 1994 red-flag table; LCD L39240 (suspected cancer or infection)",
    });
  }
  const bleeding = `${risk} bleeding risk for ${name} (ASRA 2018)`;
  if (cautions.onAnticoagulant) {
    found.push({
      code: "ANTICOAGULANT",
      message: `Anticoagulant therapy: needs a periprocedural plan with the prescriber; ${bleeding}. Hold times are drug-specific: verify.`,
      source: ASRA_2018,
    });
  }
  if (cautions.onAntiplatelet) {
    found.push({
      code: "ANTIPLATELET",
      message: `Antiplatelet therapy: needs a periprocedural plan with the prescriber; ${bleeding}.`,
      source: ASRA_2018,
    });
  }
  if (cautions.bleedingDisorder) {
    found.push({
      code: "BLEEDING_DISORDER",
      message: `Bleeding disorder: check coagulation before the procedure (site cut-offs); ${bleeding}.`,
      source: ASRA_2018,
    });
  }
  if (cautions.pregnant) {
    found.push({
      code: "PREGNANCY",
      message:
        "Pregnancy: avoid fluoroscopy and contrast where possible; ultrasound guidance without contrast is allowed.",
      source: ESI_LCD,
    });
  }
  if (cautions.contrastAllergy && CONTRAST_PROCEDURES.includes(procedure) && isSpinal(region)) {
    found.push({
      code: "CONTRAST_ALLERGY",
      message:
        "Contrast allergy: spinal injections are given under fluoroscopy with contrast; plan ultrasound guidance without contrast or premedication.",
      source: ESI_LCD,
    });
  }
  if (cautions.poorlyControlledDiabetes && STEROID_PROCEDURES.includes(procedure)) {
    found.push({
      code: "POORLY_CONTROLLED_DIABETES",
      message: "Poorly controlled diabetes: the steroid can raise blood glucose; plan monitoring (site HbA1c cut-off).",
      source: "Clinical notes §8 (steroid hyperglycaemia) [M/L]",
    });
  }
  if (cautions.implantedCardiacDevice && DEVICE_PROCEDURES.includes(procedure)) {
    found.push(
      procedure === "RADIOFREQUENCY_ABLATION"
        ? {
            code: "IMPLANTED_CARDIAC_DEVICE",
            message:
              "Implanted cardiac device: RF energy needs device management; if RFA is not possible, see FACET-IA.",
            source: "LCD L38801 (implanted device as a reason RFA may not be possible); site policy [L]",
          }
        : {
            code: "IMPLANTED_CARDIAC_DEVICE",
            message:
              "Implanted pacemaker or ICD: a contraindication to SCS in some payer policies; needs cardiology review.",
            source: "Aetna CPB 0194 [M]",
          },
    );
  }
  const rule = `${rules.cautions.id} v${rules.cautions.version}`;
  return found.map((caution) => ({ ...caution, source: `${rule}: ${caution.source}` }));
}
