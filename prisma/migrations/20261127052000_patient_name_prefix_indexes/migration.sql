-- Written by hand (Prisma cannot express expression or operator-class indexes): a search word of
-- one or two letters has no trigram, so the trigram indexes cannot serve it and every patient was
-- read (about 90 ms at 100,000). Such a word matches the start of a family or given name ("Li",
-- "Ng", "Wu"), through these indexes.
CREATE INDEX "Patient_familyName_prefix_idx" ON "Patient" (lower("familyName") text_pattern_ops);
CREATE INDEX "Patient_givenName_prefix_idx" ON "Patient" (lower("givenName") text_pattern_ops);
