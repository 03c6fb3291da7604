/**
 * Anticoagulants and antiplatelets by drug, with the periprocedural hold guidance of the ASRA
 * interventional spine and pain guideline, second edition: Narouze S, et al. Reg Anesth Pain Med
 * 2018;43(3):225–262, doi:10.1097/AAP.0000000000000700 (summary table of when to stop and restart,
 * by the procedure's bleeding-risk class). The guideline also asks for a shared decision with the
 * prescriber on the patient's thrombotic risk before any hold: the text says so every time.
 */
import type { AntithromboticDrug } from "~/generated/prisma/enums";

/** ASRA 2018 bleeding-risk class of a procedure. */
export type BleedingRisk = "high" | "intermediate" | "low";

export type AntithromboticClass = "anticoagulant" | "antiplatelet";

interface HoldGuidance {
  name: string;
  drugClass: AntithromboticClass;
  /** When to stop before a procedure of each bleeding-risk class. */
  stop: Record<BleedingRisk, string>;
  /** When to restart after the procedure. */
  restart: string;
}

const NO_HOLD = "no hold";
const SHARED = "shared assessment and risk stratification with the prescriber";

export const ANTITHROMBOTIC_DRUGS: Readonly<Record<AntithromboticDrug, HoldGuidance>> = {
  WARFARIN: {
    name: "Warfarin",
    drugClass: "anticoagulant",
    stop: { high: "5 days, with a normal INR", intermediate: "5 days, with a normal INR", low: SHARED },
    restart: "6 hours",
  },
  ACENOCOUMAROL: {
    name: "Acenocoumarol",
    drugClass: "anticoagulant",
    stop: { high: "3 days, with a normal INR", intermediate: "3 days, with a normal INR", low: SHARED },
    restart: "24 hours",
  },
  APIXABAN: {
    name: "Apixaban",
    drugClass: "anticoagulant",
    stop: { high: "3–5 days", intermediate: "3–5 days", low: "2 days" },
    restart: "24 hours",
  },
  RIVAROXABAN: {
    name: "Rivaroxaban",
    drugClass: "anticoagulant",
    stop: { high: "3 days", intermediate: "3 days", low: "2 days" },
    restart: "24 hours",
  },
  EDOXABAN: {
    name: "Edoxaban",
    drugClass: "anticoagulant",
    stop: { high: "3 days", intermediate: "3 days", low: "2 days" },
    restart: "24 hours",
  },
  DABIGATRAN: {
    name: "Dabigatran",
    drugClass: "anticoagulant",
    stop: {
      high: "4–5 days (6 days with impaired renal function)",
      intermediate: "4–5 days (6 days with impaired renal function)",
      low: "2 days (4 days with impaired renal function)",
    },
    restart: "24 hours",
  },
  HEPARIN_INTRAVENOUS: {
    name: "Heparin, intravenous",
    drugClass: "anticoagulant",
    stop: { high: "6 hours", intermediate: "6 hours", low: "6 hours" },
    restart: "2 hours",
  },
  HEPARIN_SUBCUTANEOUS: {
    name: "Heparin, subcutaneous (twice or three times daily)",
    drugClass: "anticoagulant",
    stop: { high: "24 hours", intermediate: "6 hours", low: "6 hours" },
    restart: "6 hours after high-risk procedures, 2 hours after others",
  },
  ENOXAPARIN_PROPHYLACTIC: {
    name: "Enoxaparin, prophylactic dose",
    drugClass: "anticoagulant",
    stop: { high: "12 hours", intermediate: "12 hours", low: "12 hours" },
    restart: "12–24 hours (4 hours after low-risk procedures)",
  },
  ENOXAPARIN_THERAPEUTIC: {
    name: "Enoxaparin, therapeutic dose",
    drugClass: "anticoagulant",
    stop: { high: "24 hours", intermediate: "24 hours", low: "24 hours" },
    restart: "12–24 hours (4 hours after low-risk procedures)",
  },
  DALTEPARIN: {
    name: "Dalteparin",
    drugClass: "anticoagulant",
    stop: { high: "24 hours", intermediate: "24 hours", low: "24 hours" },
    restart: "12–24 hours (4 hours after low-risk procedures)",
  },
  FONDAPARINUX: {
    name: "Fondaparinux",
    drugClass: "anticoagulant",
    stop: { high: "4 days", intermediate: "4 days", low: "2 days" },
    restart: "24 hours",
  },
  ASPIRIN_PRIMARY_PREVENTION: {
    name: "Aspirin, primary prevention",
    drugClass: "antiplatelet",
    stop: { high: "6 days", intermediate: SHARED, low: NO_HOLD },
    restart: "24 hours",
  },
  ASPIRIN_SECONDARY_PREVENTION: {
    name: "Aspirin, secondary prevention",
    drugClass: "antiplatelet",
    stop: { high: SHARED, intermediate: SHARED, low: NO_HOLD },
    restart: "24 hours",
  },
  CLOPIDOGREL: {
    name: "Clopidogrel",
    drugClass: "antiplatelet",
    stop: { high: "7 days", intermediate: "7 days", low: NO_HOLD },
    restart: "12–24 hours",
  },
  PRASUGREL: {
    name: "Prasugrel",
    drugClass: "antiplatelet",
    stop: { high: "7–10 days", intermediate: "7–10 days", low: NO_HOLD },
    restart: "12–24 hours",
  },
  TICAGRELOR: {
    name: "Ticagrelor",
    drugClass: "antiplatelet",
    stop: { high: "5 days", intermediate: "5 days", low: NO_HOLD },
    restart: "12–24 hours",
  },
  CILOSTAZOL: {
    name: "Cilostazol",
    drugClass: "antiplatelet",
    stop: { high: "2 days", intermediate: NO_HOLD, low: NO_HOLD },
    restart: "24 hours",
  },
  DIPYRIDAMOLE: {
    name: "Dipyridamole",
    drugClass: "antiplatelet",
    stop: { high: "2 days", intermediate: NO_HOLD, low: NO_HOLD },
    restart: "24 hours",
  },
};

export function antithromboticsOfClass(
  drugs: readonly AntithromboticDrug[],
  drugClass: AntithromboticClass,
): AntithromboticDrug[] {
  return drugs.filter((drug) => ANTITHROMBOTIC_DRUGS[drug].drugClass === drugClass);
}

/** e.g. "Apixaban: stop 3–5 days before (intermediate bleeding risk); restart 24 hours after". */
export function holdGuidance(drug: AntithromboticDrug, risk: BleedingRisk): string {
  const guidance = ANTITHROMBOTIC_DRUGS[drug];
  const stop = guidance.stop[risk];
  if (stop === NO_HOLD) return `${guidance.name}: no hold needed for a ${risk}-risk procedure`;
  const before = stop === SHARED ? `${SHARED} (${risk} bleeding risk)` : `stop ${stop} before (${risk} bleeding risk)`;
  return `${guidance.name}: ${before}; restart ${guidance.restart} after`;
}

/**
 * NSAIDs before high-risk procedures (spinal cord stimulation): stop for five half-lives; none for
 * intermediate- or low-risk procedures. Days per drug from the same ASRA 2018 summary table.
 */
const NSAID_HOLD_DAYS_BEFORE_HIGH_RISK: Readonly<Record<string, number>> = {
  diclofenac: 1,
  ketorolac: 1,
  ibuprofen: 1,
  etodolac: 2,
  indomethacin: 2,
  naproxen: 4,
  meloxicam: 4,
  nabumetone: 6,
  oxaprozin: 10,
  piroxicam: 10,
};

/** e.g. "Naproxen: stop 4 days before (high bleeding risk; five half-lives)"; null for another drug or risk. */
export function nsaidHoldGuidance(drugName: string, risk: BleedingRisk): string | null {
  if (risk !== "high") return null;
  const name = drugName.trim().toLowerCase();
  const found = Object.keys(NSAID_HOLD_DAYS_BEFORE_HIGH_RISK).find((nsaid) => name.includes(nsaid));
  if (!found) return null;
  const days = NSAID_HOLD_DAYS_BEFORE_HIGH_RISK[found] as number;
  const label = found.charAt(0).toUpperCase() + found.slice(1);
  return `${label}: stop ${days} ${days === 1 ? "day" : "days"} before (high bleeding risk; five half-lives); restart 24 hours after`;
}
