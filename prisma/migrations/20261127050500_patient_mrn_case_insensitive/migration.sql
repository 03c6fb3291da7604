-- Written by hand (Prisma cannot express expression indexes): medical record numbers are unique
-- whatever their case, and the duplicate check and the audit viewer's MRN lookup read this index
-- instead of scanning every patient (a case-insensitive Prisma filter is an unindexed ILIKE).
CREATE UNIQUE INDEX "Patient_mrn_lower_key" ON "Patient" (lower(mrn));
