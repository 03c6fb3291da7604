-- AlterEnum
ALTER TYPE "ImportStatus" ADD VALUE 'INTERRUPTED';

-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN     "heartbeatAt" TIMESTAMPTZ(3);

-- DropTable
DROP TABLE "ImportStaging";
