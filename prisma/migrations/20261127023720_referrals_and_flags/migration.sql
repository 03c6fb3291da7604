-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'DISMISSED', 'SNOOZED', 'REFERRED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "DismissReason" AS ENUM ('NOT_CLINICALLY_INDICATED', 'PATIENT_DECLINES', 'ALREADY_UNDER_SPECIALIST', 'DATA_INCORRECT', 'CONTRAINDICATED', 'OTHER');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('PENDING', 'SCHEDULED', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ReferralUrgency" AS ENUM ('ROUTINE', 'SOON', 'URGENT');

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "diagnosisId" UUID NOT NULL,
    "ruleSetVersion" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMPTZ(3) NOT NULL,
    "evaluatedOn" DATE NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3) NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "flagged" BOOLEAN NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "needsData" BOOLEAN NOT NULL,
    "current" BOOLEAN NOT NULL DEFAULT true,
    "summary" TEXT NOT NULL,
    "result" JSONB NOT NULL,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Flag" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "diagnosisId" UUID NOT NULL,
    "physicianId" UUID NOT NULL,
    "status" "FlagStatus" NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "summary" TEXT NOT NULL,
    "metCriteria" TEXT[],
    "suggestedProcedures" "ProcedureType"[],
    "latestPain" INTEGER,
    "waitingSince" TIMESTAMPTZ(3) NOT NULL,
    "snoozedUntil" DATE,
    "dismissReason" "DismissReason",
    "actedMetCriteria" TEXT[],
    "actedPain" INTEGER,
    "evaluationId" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlagEvent" (
    "id" BIGSERIAL NOT NULL,
    "flagId" UUID NOT NULL,
    "fromStatus" "FlagStatus",
    "toStatus" "FlagStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "reason" TEXT,
    "note" TEXT,
    "evaluationId" UUID,

    CONSTRAINT "FlagEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "diagnosisId" UUID NOT NULL,
    "flagId" UUID,
    "evaluationId" UUID,
    "procedure" "ProcedureType" NOT NULL,
    "receivingClinic" TEXT NOT NULL,
    "urgency" "ReferralUrgency" NOT NULL,
    "reason" TEXT NOT NULL,
    "conservativeCareContinues" BOOLEAN NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'PENDING',
    "scheduledFor" DATE,
    "procedureDate" DATE,
    "reliefPercent" INTEGER,
    "reliefDurationDays" INTEGER,
    "cancelReason" TEXT,
    "procedureRecordId" UUID,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Evaluation_diagnosisId_evaluatedAt_idx" ON "Evaluation"("diagnosisId", "evaluatedAt");

-- CreateIndex
CREATE INDEX "Evaluation_patientId_idx" ON "Evaluation"("patientId");

-- CreateIndex
CREATE UNIQUE INDEX "Flag_diagnosisId_key" ON "Flag"("diagnosisId");

-- CreateIndex
CREATE INDEX "Flag_status_urgent_waitingSince_idx" ON "Flag"("status", "urgent", "waitingSince");

-- CreateIndex
CREATE INDEX "Flag_physicianId_status_idx" ON "Flag"("physicianId", "status");

-- CreateIndex
CREATE INDEX "Flag_patientId_idx" ON "Flag"("patientId");

-- CreateIndex
CREATE INDEX "FlagEvent_flagId_at_idx" ON "FlagEvent"("flagId", "at");

-- CreateIndex
CREATE INDEX "Referral_patientId_idx" ON "Referral"("patientId");

-- CreateIndex
CREATE INDEX "Referral_diagnosisId_idx" ON "Referral"("diagnosisId");

-- CreateIndex
CREATE INDEX "Referral_status_createdAt_idx" ON "Referral"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "FlagEvent" ADD CONSTRAINT "FlagEvent_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "Flag"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Written by hand (Prisma cannot express partial indexes): the current evaluations that need data
-- or raise a flag, for the nurses' needs-data list and the batch re-evaluation.
CREATE INDEX "Evaluation_current_needsData_idx" ON "Evaluation" ("evaluatedAt") WHERE current AND "needsData";
CREATE UNIQUE INDEX "Evaluation_one_current_per_diagnosis_idx" ON "Evaluation" ("diagnosisId") WHERE current;
