import * as z from "zod";

/**
 * The JSON structure of CDS Hooks 2.0, written from the specification's tables
 * (https://cds-hooks.hl7.org/2.0/), independently of the app's own request schemas, to check what
 * PainPath answers and what the test EHR sends. "JSON elements SHALL NOT be null or empty, unless
 * otherwise specified" (2.0 §Null and empty JSON elements) is checked by `noNullOrEmpty`.
 */

const nonEmpty = z.string().min(1);
const extension = z.record(z.string(), z.unknown()).optional();

/** 2.0 §Coding: code and system required; display required on override reasons. */
const coding = z.strictObject({ code: nonEmpty, system: nonEmpty, display: nonEmpty.optional() });

/** 2.0 §Discovery, Response. */
export const discoveryResponseSpec = z.strictObject({
  services: z.array(
    z.strictObject({
      hook: nonEmpty,
      title: nonEmpty.optional(),
      description: nonEmpty,
      id: nonEmpty,
      prefetch: z.record(z.string(), nonEmpty).optional(),
      usageRequirements: nonEmpty.optional(),
      extension,
    }),
  ),
});

/** 2.0 §Calling a CDS Service, HTTP Request; §Passing the Access Token to the CDS Service. */
export const hookRequestSpec = z
  .strictObject({
    hook: nonEmpty,
    hookInstance: nonEmpty,
    fhirServer: z.url().optional(),
    fhirAuthorization: z
      .strictObject({
        access_token: nonEmpty,
        token_type: z.literal("Bearer"),
        expires_in: z.number().int(),
        scope: nonEmpty,
        subject: nonEmpty,
      })
      .optional(),
    context: z.object({ userId: nonEmpty, patientId: nonEmpty, encounterId: nonEmpty.optional() }),
    prefetch: z.record(z.string(), z.unknown()).optional(),
    extension,
  })
  .refine((request) => !request.fhirAuthorization || request.fhirServer, {
    message: "If fhirAuthorization is provided, fhirServer is REQUIRED",
  });

/** 2.0 §Suggestion and §Action. */
const suggestion = z.strictObject({
  label: nonEmpty,
  uuid: nonEmpty.optional(),
  isRecommended: z.boolean().optional(),
  actions: z
    .array(
      z.strictObject({
        type: z.enum(["create", "update", "delete"]),
        description: nonEmpty,
        resource: z.record(z.string(), z.unknown()).optional(),
        resourceId: nonEmpty.optional(),
      }),
    )
    .optional(),
});

/** 2.0 §Card Attributes, §Source, §Link. */
export const cardSpec = z
  .strictObject({
    uuid: nonEmpty.optional(),
    summary: z.string().min(1).max(139, "summary must be <140 characters"),
    detail: nonEmpty.optional(),
    indicator: z.enum(["info", "warning", "critical"]),
    source: z.strictObject({
      label: nonEmpty,
      url: z.url().optional(),
      icon: z.url().optional(),
      topic: coding.optional(),
    }),
    suggestions: z.array(suggestion).optional(),
    selectionBehavior: z.enum(["at-most-one", "any"]).optional(),
    overrideReasons: z.array(coding.required({ display: true })).optional(),
    links: z
      .array(
        z.strictObject({
          label: nonEmpty,
          url: z.url(),
          type: z.enum(["absolute", "smart"]),
          appContext: nonEmpty.optional(),
        }),
      )
      .optional(),
    extension,
  })
  .refine((card) => !card.suggestions || card.selectionBehavior, {
    message: "If suggestions are present, selectionBehavior MUST also be provided",
  });

/** 2.0 §CDS Service Response, HTTP Response. */
export const hookResponseSpec = z.strictObject({
  cards: z.array(cardSpec),
  systemActions: z.array(z.unknown()).optional(),
});

/** 2.0 §Feedback, §OverrideReason. */
export const feedbackRequestSpec = z.strictObject({
  feedback: z.array(
    z
      .strictObject({
        card: nonEmpty,
        outcome: z.enum(["accepted", "overridden"]),
        acceptedSuggestions: z.array(z.strictObject({ id: nonEmpty })).optional(),
        overrideReason: z.strictObject({ reason: coding.optional(), userComment: nonEmpty.optional() }).optional(),
        outcomeTimestamp: z.iso.datetime({ offset: true }),
      })
      .refine((item) => item.outcome !== "accepted" || item.acceptedSuggestions, {
        message: "acceptedSuggestions is required for accepted outcomes",
      }),
  ),
});

/** Paths of null or empty values (`null`, `""`, `[]`, `{}`), except those the specification allows. */
export function nullOrEmptyPaths(value: unknown, allowed: readonly string[] = [], path = ""): string[] {
  if (allowed.includes(path)) return [];
  if (value === null || value === "") return [path];
  if (Array.isArray(value)) {
    if (value.length === 0) return [path];
    return value.flatMap((item, index) => nullOrEmptyPaths(item, allowed, `${path}[${index}]`));
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [path];
    return entries.flatMap(([key, item]) => nullOrEmptyPaths(item, allowed, path ? `${path}.${key}` : key));
  }
  return [];
}
