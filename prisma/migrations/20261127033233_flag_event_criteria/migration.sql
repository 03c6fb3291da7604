-- AlterTable
ALTER TABLE "FlagEvent" ADD COLUMN     "metCriteria" TEXT[];
