-- AlterTable
ALTER TABLE "Patient" ADD COLUMN     "allergyNotes" TEXT,
ADD COLUMN     "corticosteroidAllergy" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "latexAllergy" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "localAnaestheticAllergy" BOOLEAN NOT NULL DEFAULT false;
