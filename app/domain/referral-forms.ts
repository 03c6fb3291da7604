import * as z from "zod";
import { DismissReason, ProcedureType, ReferralUrgency } from "~/generated/prisma/enums";
import { RED_FLAG_OUTCOMES, type RedFlagOutcome } from "./flag-lifecycle";
import { isIsoDate, type IsoDate } from "./iso-date";
import { plainText } from "./plain-text";
import { schemaPerDay } from "./schema-per-day";

const version = z.number({ error: "The form is missing its version; reload the page." }).int().min(1);
const note = z
  .string()
  .trim()
  .max(1000, "Use at most 1000 characters.")
  .superRefine(plainText("multi-line"))
  .optional();
const isoDay = z
  .string({ error: "Enter the date." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD.")
  .refine(isIsoDate, "This is not a real calendar date.");

export const flagActionSchema = schemaPerDay((today: IsoDate) =>
  z.discriminatedUnion("action", [
    z.object({ action: z.literal("acknowledge"), version, note }),
    z
      .object({
        action: z.literal("dismiss"),
        version,
        reason: z.enum(DismissReason, { error: "Choose why the flag is dismissed." }),
        note,
      })
      // "Other" says nothing by itself: the note is the reason.
      .refine((value) => value.reason !== "OTHER" || Boolean(value.note), {
        path: ["note"],
        message: "Say why the flag is dismissed: “Other” needs a note.",
      }),
    z.object({
      action: z.literal("snooze"),
      version,
      until: isoDay.refine((day) => day > today, "Snooze until a date after today."),
      note,
    }),
    // A red flag is closed only by recording what was done, with a note saying it.
    z.object({
      action: z.literal("close"),
      version,
      outcome: z.enum(Object.keys(RED_FLAG_OUTCOMES) as [RedFlagOutcome, ...RedFlagOutcome[]], {
        error: "Choose what was done.",
      }),
      note: z
        .string({ error: "Say what was done, where and by whom." })
        .trim()
        .min(5, "Say what was done, where and by whom.")
        .max(1000, "Use at most 1000 characters."),
    }),
  ]),
);

export const referralSchema = z.object({
  diagnosisId: z.uuid({ error: "Choose the diagnosis." }),
  flagId: z.uuid().optional(),
  procedure: z.enum(ProcedureType, { error: "Choose the procedure." }),
  receivingClinic: z
    .string({ error: "Enter the receiving clinic or physician." })
    .trim()
    .min(2, "Enter the receiving clinic or physician.")
    .max(200, "Use at most 200 characters.")
    .superRefine(plainText("single-line")),
  urgency: z.enum(ReferralUrgency, { error: "Choose the urgency." }),
  reason: z
    .string({ error: "Enter the reason for referral." })
    .trim()
    .min(5, "Enter the reason for referral.")
    .max(4000, "Use at most 4000 characters.")
    .superRefine(plainText("multi-line")),
  conservativeCareContinues: z.boolean().default(false),
});
export type ReferralInput = z.infer<typeof referralSchema>;

export const referralUpdateSchema = schemaPerDay((today: IsoDate) => {
  const pastDay = isoDay.refine((day) => day <= today, "The date cannot be in the future.");
  return z.discriminatedUnion("action", [
    z.object({ action: z.literal("schedule"), version, scheduledFor: isoDay }),
    z.object({ action: z.literal("complete"), version, procedureDate: pastDay }),
    z.object({
      action: z.literal("record-result"),
      version,
      reliefPercent: z
        .number({ error: "Enter the relief %." })
        .int()
        .min(0, "From 0 to 100.")
        .max(100, "From 0 to 100."),
      reliefDurationDays: z.number({ error: "Enter how many days it lasted." }).int().min(0).max(3650),
      painBefore: z.number().int().min(0).max(10).optional(),
      painAfter: z.number().int().min(0).max(10).optional(),
    }),
    z.object({
      action: z.literal("cancel"),
      version,
      cancelReason: z
        .string({ error: "Say why." })
        .trim()
        .min(3, "Say why.")
        .max(500, "Use at most 500 characters.")
        .superRefine(plainText("multi-line")),
    }),
  ]);
});
export type ReferralUpdateInput = z.infer<ReturnType<typeof referralUpdateSchema>>;
