-- "confirmedAt" is read by nothing, and the nightly re-evaluation rewrote it for every unchanged
-- evaluation (150,000 rows a night at 100,000 patients). The app stops writing it; the default fills
-- new rows while instances of the previous release, which still write and read it, may be running.
-- A later release drops it.
-- AlterTable
ALTER TABLE "Evaluation" ALTER COLUMN "confirmedAt" SET DEFAULT CURRENT_TIMESTAMP;
