-- Patient search must stay fast at 100,000+ patients: trigram indexes answer "contains" searches on
-- names and MRNs without a sequential scan. Written by hand: Prisma's schema cannot express
-- expression or operator-class indexes, so `migrate diff` leaves these alone.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Patient_name_trgm_idx" ON "Patient"
  USING gin ((lower("familyName" || ' ' || "givenName")) gin_trgm_ops);

CREATE INDEX "Patient_mrn_trgm_idx" ON "Patient" USING gin (lower("mrn") gin_trgm_ops);

-- The follow-up list reads only active patients, oldest anchor first.
CREATE INDEX "Patient_active_followUpAnchor_idx" ON "Patient" ("followUpAnchor")
  WHERE status = 'ACTIVE' AND "followUpAnchor" IS NOT NULL;
