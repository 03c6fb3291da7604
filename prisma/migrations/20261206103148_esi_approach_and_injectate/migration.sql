-- CreateEnum
CREATE TYPE "EsiApproach" AS ENUM ('INTERLAMINAR', 'TRANSFORAMINAL', 'CAUDAL');

-- AlterTable
ALTER TABLE "ProcedureRecord" ADD COLUMN     "approach" "EsiApproach",
ADD COLUMN     "injectate" TEXT;
