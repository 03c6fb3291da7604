-- AlterEnum
ALTER TYPE "StopReason" ADD VALUE 'NOT_ADHERENT';

-- AlterTable
ALTER TABLE "Patient" ADD COLUMN     "naloxoneOfferedOn" DATE,
ADD COLUMN     "onBenzodiazepine" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Flag" ADD COLUMN     "actedScores" JSONB,
ADD COLUMN     "latestScores" JSONB;

-- A dismissed or snoozed flag re-opens on an important worsening of any scale the criteria use, not
-- of pain alone. The pain the physician saw carries over; the other scales fill in at the next
-- re-evaluation. "latestPain" and "actedPain" stay, unwritten, while instances of the previous
-- release may still run; a later release drops them.
UPDATE "Flag" SET "latestScores" = jsonb_build_object('painNrs', "latestPain") WHERE "latestPain" IS NOT NULL;
UPDATE "Flag" SET "actedScores" = jsonb_build_object('painNrs', "actedPain") WHERE "actedPain" IS NOT NULL;
