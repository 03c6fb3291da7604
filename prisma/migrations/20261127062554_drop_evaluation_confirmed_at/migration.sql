-- No page read it, and the nightly re-evaluation rewrote it on every unchanged evaluation
-- (150,000 rows a night at 100,000 patients, a sixth of the run). When an evaluation was
-- computed stays in "evaluatedAt".
-- AlterTable
ALTER TABLE "Evaluation" DROP COLUMN "confirmedAt";
