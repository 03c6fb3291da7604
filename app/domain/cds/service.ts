import * as z from "zod";

/**
 * PainPath's CDS Hooks 2.0 service (https://cds-hooks.hl7.org/2.0/): what discovery lists, and the
 * shapes of the requests it accepts. Fields PainPath does not read are let through, as the
 * specification's extensions and later minor versions may add them.
 */
export const PATIENT_VIEW_SERVICE_ID = "painpath-patient-view";

export const PAIN_SCORE_LOINC = "72514-3";

/**
 * Prefetch templates (https://cds-hooks.hl7.org/2.0/#prefetch-template): only instance reads,
 * patient-reference searches and a token search by code, which every CDS Client must be able to fill.
 */
export const PREFETCH_TEMPLATES = {
  patient: "Patient/{{context.patientId}}",
  conditions: "Condition?patient={{context.patientId}}",
  medications: "MedicationRequest?patient={{context.patientId}}",
  painScores: `Observation?patient={{context.patientId}}&code=http://loinc.org|${PAIN_SCORE_LOINC}`,
  procedures: "Procedure?patient={{context.patientId}}",
} as const;

export type PrefetchKey = keyof typeof PREFETCH_TEMPLATES;
export const PREFETCH_KEYS = Object.keys(PREFETCH_TEMPLATES) as PrefetchKey[];

export const DISCOVERY = {
  services: [
    {
      hook: "patient-view",
      id: PATIENT_VIEW_SERVICE_ID,
      title: "PainPath interventional referral check",
      description:
        "When a chronic-pain patient's chart opens: PainPath's current referral flag for a patient it follows " +
        "(matched by MRN and birth date), or, for any other patient, what the EHR's own conditions, medications, " +
        "pain scores and procedures suggest under PainPath's rules. Red flags, referral suggestions and " +
        "conservative care not yet exhausted; no card when nothing is due. Decision support only.",
      prefetch: PREFETCH_TEMPLATES,
    },
  ],
};

/** The prefetch templates filled for one patient: the same relative URLs a client would have called. */
export function filledPrefetchQueries(patientId: string): Record<PrefetchKey, string> {
  const id = encodeURIComponent(patientId);
  return Object.fromEntries(
    PREFETCH_KEYS.map((key) => [key, PREFETCH_TEMPLATES[key].replace("{{context.patientId}}", id)]),
  ) as Record<PrefetchKey, string>;
}

/** A FHIR id (http://hl7.org/fhir/R4/datatypes.html#id): nothing else may go into a query built from it. */
const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, "not a FHIR id");

/** https://cds-hooks.hl7.org/2.0/#http-request_1 and the patient-view hook's context. */
export const hookRequestSchema = z.object({
  hook: z.literal("patient-view"),
  hookInstance: z.string().min(1).max(200),
  fhirServer: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  fhirAuthorization: z
    .object({
      access_token: z.string().min(1).max(10_000),
      token_type: z.literal("Bearer"),
      expires_in: z.number().int(),
      scope: z.string(),
      subject: z.string(),
    })
    .optional(),
  context: z.object({
    userId: z.string().min(1).max(200),
    patientId: fhirId,
    encounterId: z.string().max(200).optional(),
  }),
  // A key the client could not fill is absent, or null when there was no data (2.0 §Prefetch Template).
  prefetch: z.record(z.string(), z.unknown()).optional(),
});
export type HookRequest = z.infer<typeof hookRequestSchema>;

const codingSchema = z.object({ code: z.string().max(200), system: z.string().max(500).optional() });

/** https://cds-hooks.hl7.org/2.0/#feedback */
export const feedbackRequestSchema = z.object({
  feedback: z
    .array(
      z.object({
        card: z.string().min(1).max(100),
        outcome: z.enum(["accepted", "overridden"]),
        acceptedSuggestions: z.array(z.object({ id: z.string().max(100) })).optional(),
        overrideReason: z
          .object({ reason: codingSchema.optional(), userComment: z.string().max(2000).optional() })
          .optional(),
        outcomeTimestamp: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(100),
});
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;
