-- Every recorded outcome updates its patient's derived follow-up fields, and the follow-up list and
-- its count read "Patient" through index-only scans, which fall back to the heap for every page the
-- visibility map no longer marks all-visible (6,540 heap fetches a count after a day's writes at
-- 100,000 patients, against none). Vacuum after 1 % of the rows changed, not PostgreSQL's default 20 %.
ALTER TABLE "Patient" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
