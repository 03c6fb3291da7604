/**
 * The referral rules as data: every threshold the engine applies, with its unit, the bounds an
 * administrator may move it within, and each source's value where sources disagree. The engine
 * takes a rule set as an argument, so a stored evaluation can always name the exact version it ran.
 *
 * Confidence tags: [H] seen in a primary text, [M] from a secondary summary, [L] recall or site
 * policy. Medicare LCDs are MAC-specific and change: re-check each live LCD before releasing a new
 * version, and record its date in the rule's revision.
 */
import { daysBetween, type IsoDate } from "~/domain/clinical/duration";
import { MME_AVOID_OR_JUSTIFY_THRESHOLD, MME_REASSESS_THRESHOLD } from "~/domain/clinical/mme";

export interface ParameterSource {
  source: string;
  value: number;
}

export interface RuleParameter {
  /** Reads as "label: value unit", e.g. "Positive diagnostic block: relief of at least: 80 %". */
  label: string;
  value: number;
  unit: string;
  /** Safe bounds for administrators: never laxer than the most permissive source. */
  min: number;
  max: number;
  wholeNumber: boolean;
  /** Every source's value, the active one's included. */
  sources: readonly ParameterSource[];
}

export interface Rule<P extends string = string> {
  id: string;
  version: number;
  title: string;
  /** Plain language; `{name}` stands for a parameter's value and unit (see `describeRule`). */
  statement: string;
  source: string;
  /** The source revision the rule encodes, or what to check before release. */
  revision: string;
  parameters: { readonly [K in P]: RuleParameter };
}

function rule<const P extends string>(definition: Rule<P>): Rule<P> {
  return definition;
}

function parameter(
  label: string,
  unit: string,
  value: number,
  [min, max]: [number, number],
  sources: ParameterSource[],
  wholeNumber = true,
): RuleParameter {
  return { label, value, unit, min, max, wholeNumber, sources };
}

// Every policy a rule cites, with its effective date where a primary or near-primary source gives
// one; where none was found the gap is said, so it is checked before a release instead of assumed.
const undated = (policy: string) =>
  `${policy}: effective date not recorded in PainPath's sources, verify before release`;
const L39240 = undated("LCD L39240 (Noridian JE, billing article A58993)");
const L38801 =
  "LCD L38801 (Noridian JE, article A58403): effective 2021-04-25 (ASRA News 2021-03-26, table of MAC facet " +
  "LCDs); later revisions not recorded, verify before release";
const L39462 = undated("LCD L39462 (article A59244)");
const NCD_160_7 = undated("NCD 160.7");
const CENTENE = undated("Centene CP.MP.171");
const AETNA_SCS = undated("Aetna CPB 0194 (via a secondary summary [M])");
const SITE = "PainPath site policy";

// Parameters several rules read alike, each still set per rule.
/** How long scores (or side effects) count: the CDC's re-assessment interval. */
const lookBack = (label: string) =>
  parameter(
    label,
    "days",
    90,
    [30, 180],
    [{ source: "CDC opioid CDS IG 2022.1.0 (re-assess after ~90 days)", value: 90 }],
  );
/** A PEG threshold, on the NRS moderate band. */
const pegBand = (label: string) =>
  parameter(label, "/10", 4, [3, 8], [{ source: `${SITE}, by analogy with the NRS band [L]`, value: 4 }]);

const RULES = {
  persistence: rule({
    id: "GEN-PERSIST",
    version: 2,
    title: "Pain persists despite medication and therapy",
    statement:
      "Pain has lasted more than {chronicMonths} and at least {minFailedModalities} had an " +
      "adequate trial (medication {medicationTrialDays}; PT or psychological therapy {sessionTrialSessions} " +
      "attended; other therapy {nonMedicationTrialDays}) with a measured lack of clinically important improvement, " +
      "or were stopped for side effects. A trial the patient chose to stop or did not take as agreed is neither " +
      "failed nor not tolerated; a trial without scores before and during it needs data. The latest score in the last {lookBackDays} still shows average pain ≥ {painThreshold} or " +
      "PEG ≥ {pegThreshold}, and no scale (pain, PEG, and the ODI for back or NDI for neck diagnoses) has improved " +
      "by its clinically important difference (2 NRS points or 30 %; 10 ODI/NDI points) since its first score.",
    source:
      "CDC 2022 opioid guideline (chronic > 3 months); ACP 2017 noninvasive LBP guideline (conservative care); " +
      "IMMPACT 2008, Farrar 2001, Ostelo 2008 (important change); trial lengths and thresholds: site policy",
    revision:
      "CDC MMWR 2022;71(3); ACP Ann Intern Med 2017;166:514–530; IMMPACT J Pain 2008;9:105–121; " +
      `${L39240}; ${L38801}; ${CENTENE}`,
    parameters: {
      chronicMonths: parameter("Chronic: pain for more than", "months", 3, [3, 12], [{ source: "CDC 2022", value: 3 }]),
      minFailedModalities: parameter(
        "Failed conservative modalities: at least",
        "modalities",
        2,
        [1, 4],
        [{ source: SITE, value: 2 }],
      ),
      medicationTrialDays: parameter(
        "Adequate medication trial: at least",
        "days",
        28,
        [14, 90],
        [
          { source: `${SITE} (LCD L39240: ≥ 4 weeks of conservative care)`, value: 28 },
          { source: "Centene CP.MP.171, NSAID [M]", value: 21 },
        ],
      ),
      nonMedicationTrialDays: parameter(
        "Adequate exercise or lifestyle trial: at least",
        "days",
        42,
        [28, 120],
        [{ source: "Centene CP.MP.171, PT/HEP [M]", value: 42 }],
      ),
      sessionTrialSessions: parameter(
        "…or sessions attended (PT, psychological therapy): at least",
        "sessions",
        6,
        [4, 20],
        [{ source: SITE, value: 6 }],
      ),
      painThreshold: parameter(
        "Average pain still at least",
        "/10",
        4,
        [3, 8],
        [{ source: "NRS moderate band 4–6 (IMMPACT) [M]", value: 4 }],
      ),
      pegThreshold: pegBand("…or PEG still at least"),
      lookBackDays: lookBack("Scores count for"),
    },
  }),

  sideEffects: rule({
    id: "GEN-SIDE-EFFECTS",
    version: 2,
    title: "Medication side effects outweigh benefit",
    statement:
      "A medication for this pain caused moderate or severe side effects, or was stopped for side effects, in the " +
      "last {lookBackDays}, without a clinically important improvement (the trial's own before/after scores when " +
      "measurable, otherwise the change since the first recorded score). The explanation names the most severe, and " +
      "what it was (e.g. sedation). An " +
      "opioid dose alone is never this criterion: see OPIOID-SAFETY.",
    source: "IMMPACT 2008 / Ostelo 2008 (important change); CDC opioid CDS IG 2022.1.0 (look-back)",
    revision: "IMMPACT J Pain 2008;9:105–121; Ostelo Spine 2008;33:90–94; CDC opioid CDS IG 2022.1.0",
    parameters: {
      lookBackDays: lookBack("Side effects count for"),
    },
  }),

  opioidSafety: rule({
    id: "OPIOID-SAFETY",
    version: 1,
    title: "Opioid safety prompts",
    statement:
      "For a diagnosis with a current opioid: at a patient total of at least {mmeThreshold} (CDC 2022 factors), " +
      "prompt a reassessment of benefits and risks; with a benzodiazepine, caution against the combination; in " +
      "either case prompt naloxone unless an offer is recorded since the current opioid began. Prompts only: never " +
      "a referral criterion.",
    source: "CDC 2022 opioid guideline Rec 4–5, 8 and 11, and MME table; CDC 2016 Rec 5",
    revision: "CDC MMWR 2022;71(3) MME table (= CDCMMEClinicalConversionFactors v3.0.0); CDC MMWR 2016;65(1)",
    parameters: {
      mmeThreshold: parameter(
        "Reassess and offer naloxone at an opioid dose of at least",
        "MME/day",
        MME_REASSESS_THRESHOLD,
        [20, 90],
        [
          { source: "CDC 2022 Rec 4–5 (careful reassessment)", value: MME_REASSESS_THRESHOLD },
          { source: "CDC 2016 Rec 5 (avoid or justify)", value: MME_AVOID_OR_JUSTIFY_THRESHOLD },
        ],
      ),
    },
  }),

  function: rule({
    id: "GEN-FUNCTION",
    version: 2,
    title: "Pain limits mobility or quality of life",
    statement:
      "On the latest scores of the last {lookBackDays}, a named scale shows a functional deficit (ODI ≥ " +
      "{odiThreshold} for back diagnoses, NDI ≥ {ndiThreshold} for neck diagnoses, or PEG ≥ {pegThreshold}) and " +
      "the recorded limitation of daily life is moderate or severe.",
    source:
      "Fairbank & Pynsent 2000 (ODI bands); Vernon & Mior 1991 (NDI bands); Krebs 2009 (PEG); LCD L39240 and " +
      "L38801 (functional deficit on a named scale)",
    revision: `Published scale bands; ${L39240}; ${L38801}`,
    parameters: {
      odiThreshold: parameter(
        "ODI of at least",
        "%",
        21,
        [21, 61],
        [{ source: "ODI 21–40 % = moderate disability (Fairbank)", value: 21 }],
      ),
      ndiThreshold: parameter(
        "NDI of at least",
        "%",
        30,
        [20, 70],
        [{ source: "NDI raw 15–24 = moderate (Vernon & Mior) [M]", value: 30 }],
      ),
      pegThreshold: pegBand("PEG of at least"),
      lookBackDays: lookBack("Scores count for"),
    },
  }),

  surgery: rule({
    id: "GEN-SURGERY",
    version: 2,
    title: "Surgery declined or not an option",
    statement:
      "The clinician has recorded that the patient declines surgery or is not a surgical candidate. Never inferred: " +
      "not evaluated is not enough data, on the needs-data list. Strengthens a referral but never flags on its own.",
    source: "LCD L39240 (continuing ESI past 12 months); NCD 160.7 (SCS as a late resort)",
    revision: `${L39240}; ${NCD_160_7}`,
    parameters: {},
  }),

  conservativeFirst: rule({
    id: "CONSERVATIVE-FIRST",
    version: 1,
    title: "Non-drug care first",
    statement:
      "Limited function alone (GEN-FUNCTION without GEN-PERSIST or GEN-SIDE-EFFECTS) raises no referral flag until " +
      "a non-drug trial (physical therapy, home exercise, psychological therapy) has failed or was not tolerated; " +
      "until then the evaluation says conservative care is not yet exhausted and what is still to try.",
    source: "ACP 2017 noninvasive treatments for low back pain, Rec 2 (non-drug treatment first)",
    revision: "Qaseem et al. Ann Intern Med 2017;166:514–530",
    parameters: {},
  }),

  epidural: rule({
    id: "ESI",
    version: 3,
    title: "Epidural steroid injection",
    statement:
      "Radicular pain (or post-laminectomy syndrome) for at least {minPainDays}, at least {conservativeCareDays} of " +
      "documented conservative care with a failed or not-tolerated trial, and pain limiting function on a named " +
      "scale (GEN-FUNCTION). Axial or non-specific pain is excluded. Where MRI or CT of the diagnosis is recorded, " +
      "the latest judged study must be concordant with the clinical findings; with none recorded, it is confirmed " +
      "at referral. A " +
      "repeat needs the previous ESI to have given " +
      "≥ {repeatReliefPercent} relief for ≥ {repeatReliefDays}; after a failed first ESI one retry is allowed " +
      "{retryMinDays} later with a different approach, level or drug. At most {maxPerYear} per region in 12 months.",
    source: "CMS LCD L39240 Epidural Steroid Injections for Pain Management (Noridian J-E; billing article A58993)",
    revision: L39240,
    parameters: {
      minPainDays: parameter("Pain for at least", "days", 28, [28, 180], [{ source: "LCD L39240", value: 28 }]),
      conservativeCareDays: parameter(
        "Conservative care for at least",
        "days",
        28,
        [28, 180],
        [{ source: "LCD L39240", value: 28 }],
      ),
      repeatReliefPercent: parameter(
        "Repeat: previous ESI relief of at least",
        "%",
        50,
        [50, 80],
        [
          { source: "LCD L39240", value: 50 },
          { source: "SIS [M]", value: 50 },
          { source: "ASA-cited [M]", value: 50 },
        ],
      ),
      repeatReliefDays: parameter(
        "Repeat: relief lasting at least",
        "days",
        90,
        [14, 180],
        [
          { source: "LCD L39240 (3 months)", value: 90 },
          { source: "SIS (2 months) [M]", value: 60 },
          { source: "ASA-cited (2 weeks) [M]", value: 14 },
        ],
      ),
      retryMinDays: parameter(
        "Retry after a failed ESI: at least",
        "days later",
        14,
        [14, 90],
        [{ source: "LCD L39240", value: 14 }],
      ),
      maxPerYear: parameter(
        "Sessions per region in 12 months: at most",
        "sessions",
        4,
        [1, 4],
        [{ source: "LCD L39240", value: 4 }],
      ),
    },
  }),

  facetDiagnostic: rule({
    id: "FACET-MBB",
    version: 2,
    title: "Facet medial branch block (diagnostic)",
    statement:
      "Predominantly axial spinal pain for at least {minPainMonths}, at least {conservativeCareDays} of documented " +
      "conservative care with a failed or not-tolerated trial, and pain limiting function on a named scale " +
      "(GEN-FUNCTION). A first block, or a confirmatory second block {minDaysBetweenBlocks} or more after a first " +
      "block with ≥ {positiveBlockReliefPercent} relief. Only blocks of the last {rediagnoseAfterRfaDays} done after " +
      "the last RFA count; while an RFA is more recent than that, FACET-RFA's repeat rule applies instead. At most " +
      "{maxPerYear} diagnostic sessions per region in 12 months.",
    source:
      "CMS LCD L38801 Facet Joint Interventions for Pain Management (Noridian J-E; article A58403); Cohen et al. " +
      "ASRA-led consensus, RAPM 2020;45:424–467",
    revision: `RAPM 2020;45(6) Table 12; ${L38801}; ${CENTENE}`,
    parameters: {
      minPainMonths: parameter(
        "Pain for at least",
        "months",
        3,
        [3, 12],
        [
          { source: "LCD L38801", value: 3 },
          { source: "ASRA 2020 consensus", value: 3 },
        ],
      ),
      conservativeCareDays: parameter(
        "Conservative care for at least",
        "days",
        90,
        [42, 180],
        [
          { source: "ASRA 2020 consensus (3 months)", value: 90 },
          { source: "BCBS ND (3 months)", value: 90 },
          { source: "Centene CP.MP.171 (6 weeks PT/HEP) [M]", value: 42 },
        ],
      ),
      positiveBlockReliefPercent: parameter(
        "Positive diagnostic block: relief of at least",
        "%",
        80,
        [50, 100],
        [
          { source: "Medicare LCD L38801", value: 80 },
          { source: "ASRA 2020 consensus [M]", value: 50 },
          { source: "BCBS ND", value: 50 },
        ],
      ),
      minDaysBetweenBlocks: parameter(
        "Confirmatory block: at least",
        "days after the first",
        14,
        [14, 60],
        [
          { source: "LCD L38801", value: 14 },
          { source: "Centene CP.MP.171 [M]", value: 14 },
        ],
      ),
      rediagnoseAfterRfaDays: parameter(
        "New diagnostic blocks when the last RFA is older than",
        "days",
        730,
        [365, 730],
        [{ source: "LCD L38801 (2 years)", value: 730 }],
      ),
      maxPerYear: parameter(
        "Diagnostic sessions per region in 12 months: at most",
        "sessions",
        4,
        [1, 4],
        [{ source: "LCD L38801", value: 4 }],
      ),
    },
  }),

  facetAblation: rule({
    id: "FACET-RFA",
    version: 2,
    title: "Facet radiofrequency ablation",
    statement:
      "The facet prerequisites of FACET-MBB, then two diagnostic medial branch blocks each with relief at or above " +
      "FACET-MBB's positive-block threshold, the second at least FACET-MBB's confirmatory interval after the first. A repeat RFA at the same site needs ≥ {repeatReliefPercent} relief " +
      "lasting ≥ {repeatReliefDays}. At most {maxPerYear} sessions per region in 12 months. Thermal RFA only.",
    source: "CMS LCD L38801 (article A58403); Cohen et al. RAPM 2020;45:424–467; BCBS ND RF denervation policy",
    revision: `RAPM 2020;45(6); ${L38801}`,
    parameters: {
      repeatReliefPercent: parameter(
        "Repeat: previous RFA relief of at least",
        "%",
        50,
        [50, 80],
        [{ source: "LCD L38801", value: 50 }],
      ),
      repeatReliefDays: parameter(
        "Repeat: relief lasting at least",
        "days",
        180,
        [180, 365],
        [
          { source: "LCD L38801 (6 months)", value: 180 },
          { source: "BCBS ND (≥ 6 months apart)", value: 180 },
        ],
      ),
      maxPerYear: parameter(
        "Sessions per region in 12 months: at most",
        "sessions",
        2,
        [1, 2],
        [{ source: "LCD L38801", value: 2 }],
      ),
    },
  }),

  facetInjection: rule({
    id: "FACET-IA",
    version: 2,
    title: "Therapeutic facet joint injection",
    statement:
      "Only when RFA is not possible for a recorded reason (PainPath records an implanted cardiac device), after " +
      "two positive diagnostic blocks (FACET-MBB threshold and interval). A repeat needs ≥ {repeatReliefPercent} relief lasting " +
      "≥ {repeatReliefDays}. At most {maxPerYear} sessions per region in 12 months.",
    source: "CMS LCD L38801 (article A58403)",
    revision: L38801,
    parameters: {
      repeatReliefPercent: parameter(
        "Repeat: previous injection relief of at least",
        "%",
        50,
        [50, 80],
        [{ source: "LCD L38801", value: 50 }],
      ),
      repeatReliefDays: parameter(
        "Repeat: relief lasting at least",
        "days",
        90,
        [90, 180],
        [{ source: "LCD L38801 (3 months)", value: 90 }],
      ),
      maxPerYear: parameter(
        "Sessions per region in 12 months: at most",
        "sessions",
        4,
        [1, 4],
        [{ source: "LCD L38801", value: 4 }],
      ),
    },
  }),

  spinalCordStimulation: rule({
    id: "SCS",
    version: 2,
    title: "Spinal cord stimulation",
    statement:
      "A late resort for refractory neuropathic pain (neuropathic pain type, post-laminectomy syndrome or CRPS): " +
      "pain for at least {minPainMonths}, GEN-PERSIST met, at least {conservativeCareDays} of conservative care, " +
      "average pain ≥ {painThreshold} and ODI (back) or NDI (neck) ≥ {disabilityPercent} in the last " +
      "{lookBackDays} (elsewhere GEN-FUNCTION), psychological " +
      "evaluation cleared, not a surgical candidate awaiting surgery. A temporary trial first; the implant after a " +
      "trial with ≥ {trialReliefPercent} pain relief.",
    source:
      "CMS NCD 160.7 Electrical Nerve Stimulators; Aetna CPB 0194; Florida Blue MP-328; Neuromodulation Foundation",
    revision: `${NCD_160_7}; ${AETNA_SCS}; ${undated("Florida Blue MP-328")}`,
    parameters: {
      minPainMonths: parameter(
        "Pain for at least",
        "months",
        12,
        [3, 24],
        [
          { source: "Aetna CPB 0194, neuropathic [M]", value: 12 },
          { source: "Florida Blue MP-328 [M]", value: 3 },
        ],
      ),
      conservativeCareDays: parameter(
        "Conservative care for at least",
        "days",
        180,
        [90, 365],
        [{ source: "Aetna CPB 0194 (6 months) [M]", value: 180 }],
      ),
      painThreshold: parameter(
        "Average pain of at least",
        "/10",
        5,
        [4, 8],
        [{ source: "Aetna CPB 0194 / Florida Blue MP-328 [M]", value: 5 }],
      ),
      disabilityPercent: parameter(
        "ODI (or NDI) of at least",
        "%",
        21,
        [21, 60],
        [{ source: "Aetna CPB 0194 (ODI) [M]", value: 21 }],
      ),
      trialReliefPercent: parameter(
        "Successful trial: pain relief of at least",
        "%",
        50,
        [50, 80],
        [
          { source: "Aetna CPB 0194 [M]", value: 50 },
          { source: "Neuromodulation Foundation", value: 50 },
        ],
      ),
      lookBackDays: lookBack("Scores count for"),
    },
  }),

  peripheralNerveBlock: rule({
    id: "PNB",
    version: 2,
    title: "Peripheral nerve block",
    statement:
      "Neuropathic or joint pain outside the spine and sacroiliac joint (knee osteoarthritis: see GENICULAR) with " +
      "GEN-PERSIST met. A repeat " +
      "needs ≥ {repeatReliefPercent} relief from the previous block. At most {maxPerYear} per region in 12 months. " +
      "No national Medicare rule: payer-configurable site policy.",
    source: "Site policy (no national Medicare rule found; thresholds by analogy with LCD L39240) [L]",
    revision: `Site policy 2026.1; by analogy with ${L39240}`,
    parameters: {
      repeatReliefPercent: parameter(
        "Repeat: previous block relief of at least",
        "%",
        50,
        [30, 80],
        [{ source: `${SITE}, by analogy with LCD L39240 [L]`, value: 50 }],
      ),
      maxPerYear: parameter(
        "Blocks per region in 12 months: at most",
        "blocks",
        4,
        [1, 6],
        [{ source: `${SITE}, by analogy with LCD L39240 [L]`, value: 4 }],
      ),
    },
  }),

  genicular: rule({
    id: "GENICULAR",
    version: 3,
    title: "Genicular nerve block, then genicular RFA (knee osteoarthritis)",
    statement:
      "Knee osteoarthritis (knee joint pain or ICD-10-CM M17) with GEN-PERSIST met and at least " +
      "{conservativeCareDays} of conservative care: a " +
      "prognostic genicular nerve block; genicular RFA after a block with relief greater than " +
      "{positiveBlockReliefPercent}. The referral names the recorded knee imaging and intra-articular injections, " +
      "or asks to confirm them. Several commercial policies call these investigational: payer-configurable.",
    source:
      "Malaithong et al. RAPM 2023;48:151 (RCT); Alomari & Bhatia, BJA Educ 2024;24:164–172; Anthem SURG.00142, " +
      "BCBS NC, BCBS SC CAM 230 (investigational); site policy [L]",
    revision: `Publications as cited; ${undated("Anthem SURG.00142")}; ${undated("BCBS SC CAM 230")}`,
    parameters: {
      conservativeCareDays: parameter(
        "Conservative care for at least",
        "days",
        90,
        [90, 180],
        [{ source: `${SITE} [L]`, value: 90 }],
      ),
      positiveBlockReliefPercent: parameter(
        "Positive prognostic block: relief greater than",
        "%",
        50,
        [50, 80],
        [
          { source: "RAPM 2023 RCT", value: 50 },
          { source: "Korean J Pain 2022 [M]", value: 50 },
        ],
      ),
    },
  }),

  redFlags: rule({
    id: "RED-FLAG",
    version: 2,
    title: "Red flags: evaluate now",
    statement:
      "A red flag recorded on the diagnosis (possible fracture, tumour or infection, cauda equina syndrome, severe or " +
      "progressive neurological deficit, cervical myelopathy, suspected AAA) takes it out of the pathway: urgent " +
      "evaluation, not a referral decision. No procedure rule is evaluated beneath it and nothing is suggested; the " +
      "flag reads “Evaluate now”, cannot be snoozed or dismissed, and is closed by recording what was done.",
    source: "AHCPR Clinical Practice Guideline 14 (1994) red-flag table; Chou et al. Ann Intern Med 2007;147:478–491",
    revision: "AHCPR 1994 (NCBI NBK52120); ACP/APS 2007",
    parameters: {},
  }),

  cautions: rule({
    id: "CAUTIONS",
    version: 3,
    title: "Cautions on suggested procedures",
    statement:
      "Each recorded anticoagulant or antiplatelet shows its drug's hold and restart times for the procedure's " +
      "bleeding-risk class (ASRA 2018 summary table), as do active NSAIDs before high-risk procedures. " +
      "An anticoagulant or antiplatelet not in the list, a bleeding disorder, pregnancy, contrast, latex, local-anaesthetic " +
      "or corticosteroid allergy (the last only on steroid injections), poorly controlled " +
      "diabetes, implanted cardiac device, active infection, and red flags on other diagnoses are shown as cautions " +
      "on each suggested procedure they concern; they never remove a suggestion.",
    source:
      "LCD L39240 and L39462 (infection, contrast, pregnancy); Narouze et al. ASRA guideline RAPM 2018;43:225–262 " +
      "(bleeding risk); Aetna CPB 0194 (cardiac device) [M]",
    revision: `ASRA 2nd edition, RAPM 2018;43:225–262; ${L39240}; ${L39462}; ${L38801}; ${AETNA_SCS}`,
    parameters: {},
  }),
};

export type RuleSetRules = typeof RULES;
export type RuleKey = keyof RuleSetRules;

export interface RuleSet {
  version: string;
  releasedOn: IsoDate;
  rules: RuleSetRules;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const DEFAULT_RULE_SET: RuleSet = deepFreeze({ version: "2026.2", releasedOn: "2026-12-06", rules: RULES });

export const DECISION_SUPPORT_DISCLAIMER =
  "Decision support only, not a coverage determination or medical advice: payer rules are MAC- and plan-specific " +
  "and change. The treating clinician decides.";

/** The rule's statement with each `{parameter}` replaced by its current value and unit. */
export function describeRule(rule: Rule): string {
  const parameters: Readonly<Record<string, RuleParameter>> = rule.parameters;
  return rule.statement.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const found = parameters[name];
    return found ? formatValue(found) : placeholder;
  });
}

export function formatValue({ value, unit }: Pick<RuleParameter, "value" | "unit">): string {
  return unit === "%" || unit.startsWith("/") ? `${value}${unit === "%" ? " %" : unit}` : `${value} ${unit}`;
}

export interface ParameterChange {
  ruleId: string;
  parameter: string;
  value: number;
}

export type RuleSetChange = { ok: true; ruleSet: RuleSet } | { ok: false; errors: string[] };

/**
 * A new rule-set version with the given thresholds changed, each checked against its bounds; the
 * rule set passed in is never modified. Every changed rule's version goes up by one.
 */
export function withParameterChanges(
  ruleSet: RuleSet,
  changes: readonly ParameterChange[],
  newVersion: string,
  releasedOn: IsoDate,
): RuleSetChange {
  const errors: string[] = [];
  if (changes.length === 0) errors.push("No parameter changes were given.");
  if (newVersion.trim() === "" || newVersion === ruleSet.version) {
    errors.push(`The new version must be new and not empty (current: ${ruleSet.version}).`);
  }
  if (!releasedOnOrAfter(ruleSet.releasedOn, releasedOn)) {
    errors.push(`The release date must be a date (YYYY-MM-DD) on or after ${ruleSet.releasedOn}.`);
  }

  const entries = Object.entries(ruleSet.rules) as Array<[RuleKey, Rule]>;
  const changed = new Map<RuleKey, Record<string, RuleParameter>>();
  const seen = new Set<string>();
  for (const { ruleId, parameter: name, value } of changes) {
    const entry = entries.find(([, candidate]) => candidate.id === ruleId);
    const current: RuleParameter | undefined = entry && (entry[1].parameters as Record<string, RuleParameter>)[name];
    const key = `${ruleId}.${name}`;
    if (!entry) errors.push(`${ruleId}: no such rule.`);
    else if (!current) errors.push(`${key}: no such parameter.`);
    else if (seen.has(key)) errors.push(`${key}: changed more than once.`);
    else if (!Number.isFinite(value)) errors.push(`${key}: ${value} is not a number.`);
    else if (current.wholeNumber && !Number.isInteger(value)) errors.push(`${key}: must be a whole number.`);
    else if (value < current.min || value > current.max) {
      errors.push(`${key}: ${value} is outside the safe range ${current.min}–${current.max} ${current.unit}.`);
    } else if (value === current.value) errors.push(`${key}: already ${value}.`);
    else {
      const parameters = changed.get(entry[0]) ?? { ...entry[1].parameters };
      parameters[name] = { ...current, value };
      changed.set(entry[0], parameters);
    }
    seen.add(key);
  }
  if (errors.length > 0) return { ok: false, errors };

  const rules = Object.fromEntries(
    entries.map(([key, current]) => {
      const parameters = changed.get(key);
      return [key, parameters ? { ...current, version: current.version + 1, parameters } : current];
    }),
  ) as RuleSetRules;
  return { ok: true, ruleSet: deepFreeze({ version: newVersion, releasedOn, rules }) };
}

function releasedOnOrAfter(previous: IsoDate, next: IsoDate): boolean {
  try {
    return daysBetween(previous, next) >= 0;
  } catch {
    return false;
  }
}
