import * as z from "zod";
import { BodyRegion, PainType, TherapyModality } from "~/generated/prisma/enums";
import { storedDrug } from "../clinical/drugs";
import { isValidIcd10Format, normalizeIcd10 } from "../pathway-vocabulary";
import type { CodeDecision } from "./types";

/** One decision on the review list: map the code to a diagnosis or a therapy, or ignore it. */
export const codeDecisionSchema = z
  .object({
    id: z.uuid(),
    version: z.number().int().positive(),
    action: z.enum(["ignore", "diagnosis", "therapy"], { error: "Choose what to do with this code." }),
    icd10Code: z.string().trim().max(10).optional(),
    label: z.string().trim().max(200).optional(),
    bodyRegion: z.enum(BodyRegion).optional(),
    painType: z.enum(PainType).optional(),
    modality: z.enum(TherapyModality).optional(),
    drug: z.string().trim().max(100).optional(),
  })
  .superRefine((form, context) => {
    const need = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (form.action === "diagnosis") {
      if (!form.icd10Code || !isValidIcd10Format(normalizeIcd10(form.icd10Code)))
        need("icd10Code", "Enter an ICD-10-CM code such as M54.16.");
      if (!form.label) need("label", "Enter the diagnosis as clinicians should read it.");
      if (!form.bodyRegion) need("bodyRegion", "Choose the body region.");
      if (!form.painType) need("painType", "Choose the pain type.");
    }
    if (form.action === "therapy" && !form.modality) need("modality", "Choose the therapy.");
  });

export type CodeDecisionForm = z.infer<typeof codeDecisionSchema>;

export function decisionOf(form: CodeDecisionForm): CodeDecision {
  if (form.action === "diagnosis")
    return {
      action: "diagnosis",
      icd10Code: normalizeIcd10(form.icd10Code as string),
      label: form.label as string,
      bodyRegion: form.bodyRegion as BodyRegion,
      painType: form.painType as PainType,
    };
  if (form.action === "therapy")
    return {
      action: "therapy",
      modality: form.modality as TherapyModality,
      drug: form.drug ? storedDrug(form.drug) : null,
    };
  return { action: "ignore" };
}
