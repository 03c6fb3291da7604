-- Written by hand (Prisma cannot express partial indexes): the review worklist reads open flags in
-- (urgent, waitingSince, id) order, one slice at a time; without this index every page sorted all
-- open flags (about 160 ms at 100,000 patients).
CREATE INDEX "Flag_worklist_idx" ON "Flag" (urgent, "waitingSince", id) WHERE status IN ('OPEN', 'ACKNOWLEDGED', 'SNOOZED');
