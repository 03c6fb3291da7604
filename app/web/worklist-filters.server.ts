import * as z from "zod";
import { plainText } from "~/domain/plain-text";
import { ProcedureType } from "~/generated/prisma/enums";
import type { WorklistFilters } from "~/models/flag.server";
import { MAX_PAGE } from "./route-helpers.server";

/** The worklist's orders; "urgency" (red flags, then the viewer's own patients, then the longest waiting) by default. */
export const WORKLIST_SORTS = ["urgency", "waiting", "patient"] as const;

// A server module, so that zod stays out of the worklist's browser code.
const FiltersSchema = z.object({
  procedure: z.enum(ProcedureType).optional().catch(undefined),
  criterion: z.string().max(60).superRefine(plainText("single-line")).optional().catch(undefined),
  physicianId: z.uuid().optional().catch(undefined),
  sort: z.enum(WORKLIST_SORTS).catch("urgency"),
  page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
});

/** The worklist's query string; a malformed filter is dropped rather than refused, as a link may be old. */
export function parseWorklistFilters(searchParams: URLSearchParams): WorklistFilters {
  const params = Object.fromEntries(searchParams);
  return FiltersSchema.parse({
    ...params,
    criterion: params.criterion || undefined,
    physicianId: params.physicianId || undefined,
    procedure: params.procedure || undefined,
  });
}
