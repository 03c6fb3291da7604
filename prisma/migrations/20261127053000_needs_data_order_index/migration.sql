-- Written by hand (a partial index): the needs-data list reads current evaluations that need data in
-- (evaluatedAt, id) order. A batch run gives thousands of them one evaluatedAt, so an index on
-- evaluatedAt alone left Postgres sorting that whole group for every page (about 200 ms at 100,000
-- patients); with id in the index the page is read in order and the scan stops after it.
DROP INDEX "Evaluation_current_needsData_idx";
CREATE INDEX "Evaluation_current_needsData_idx" ON "Evaluation" ("evaluatedAt", id) WHERE current AND "needsData";
