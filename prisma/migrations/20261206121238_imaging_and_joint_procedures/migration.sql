-- CreateEnum
CREATE TYPE "ImagingModality" AS ENUM ('MRI', 'CT', 'CT_MYELOGRAM', 'XRAY', 'ULTRASOUND');

-- CreateEnum
CREATE TYPE "ImagingConcordance" AS ENUM ('CONCORDANT', 'NOT_CONCORDANT', 'NOT_ASSESSED');

-- CreateEnum
CREATE TYPE "RadicularSign" AS ENUM ('PAIN_BELOW_KNEE_OR_ELBOW', 'DERMATOMAL_DISTRIBUTION', 'POSITIVE_NEURAL_TENSION_SIGN', 'MATCHING_NEUROLOGICAL_DEFICIT');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ProcedureType" ADD VALUE 'INTRA_ARTICULAR_INJECTION';
ALTER TYPE "ProcedureType" ADD VALUE 'TRIGGER_POINT_INJECTION';

-- AlterTable
ALTER TABLE "PainDiagnosis" ADD COLUMN     "radicularSigns" "RadicularSign"[] DEFAULT ARRAY[]::"RadicularSign"[];

-- CreateTable
CREATE TABLE "ImagingStudy" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "diagnosisId" UUID NOT NULL,
    "modality" "ImagingModality" NOT NULL,
    "performedOn" DATE NOT NULL,
    "concordance" "ImagingConcordance" NOT NULL,
    "finding" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,
    "enteredInErrorAt" TIMESTAMPTZ(3),
    "enteredInErrorById" UUID,
    "enteredInErrorReason" TEXT,

    CONSTRAINT "ImagingStudy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImagingStudy_patientId_performedOn_idx" ON "ImagingStudy"("patientId", "performedOn");

-- CreateIndex
CREATE INDEX "ImagingStudy_diagnosisId_idx" ON "ImagingStudy"("diagnosisId");

-- AddForeignKey
ALTER TABLE "ImagingStudy" ADD CONSTRAINT "ImagingStudy_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImagingStudy" ADD CONSTRAINT "ImagingStudy_diagnosisId_fkey" FOREIGN KEY ("diagnosisId") REFERENCES "PainDiagnosis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
