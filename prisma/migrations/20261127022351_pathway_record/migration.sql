-- CreateEnum
CREATE TYPE "PatientStatus" AS ENUM ('ACTIVE', 'DISCHARGED');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('FEMALE', 'MALE', 'OTHER', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "PsychEvaluationStatus" AS ENUM ('NOT_DONE', 'REFERRED', 'CLEARED', 'NOT_CLEARED');

-- CreateEnum
CREATE TYPE "BodyRegion" AS ENUM ('LUMBAR', 'CERVICAL', 'THORACIC', 'SACROILIAC', 'KNEE', 'HIP', 'SHOULDER', 'OTHER');

-- CreateEnum
CREATE TYPE "PainType" AS ENUM ('AXIAL', 'RADICULAR', 'NEUROPATHIC', 'JOINT', 'MYOFASCIAL', 'WIDESPREAD');

-- CreateEnum
CREATE TYPE "SurgicalStatus" AS ENUM ('NOT_EVALUATED', 'CANDIDATE', 'DECLINED_BY_PATIENT', 'NOT_A_CANDIDATE');

-- CreateEnum
CREATE TYPE "RedFlag" AS ENUM ('FRACTURE_RISK', 'TUMOUR_OR_INFECTION', 'CAUDA_EQUINA', 'PROGRESSIVE_NEURO_DEFICIT', 'CERVICAL_MYELOPATHY', 'SUSPECTED_AAA');

-- CreateEnum
CREATE TYPE "TherapyModality" AS ENUM ('OTC_ANALGESIC', 'NSAID', 'MUSCLE_RELAXANT', 'NEUROPATHIC_AGENT', 'OPIOID', 'TOPICAL', 'OTHER_MEDICATION', 'PHYSICAL_THERAPY', 'HOME_EXERCISE', 'LIFESTYLE', 'PSYCHOLOGICAL_THERAPY');

-- CreateEnum
CREATE TYPE "TherapyStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'STOPPED');

-- CreateEnum
CREATE TYPE "StopReason" AS ENUM ('INEFFECTIVE', 'SIDE_EFFECTS', 'COMPLETED_COURSE', 'PATIENT_CHOICE', 'ACCESS_OR_COST', 'OTHER');

-- CreateEnum
CREATE TYPE "SideEffectSeverity" AS ENUM ('NONE', 'MILD', 'MODERATE', 'SEVERE');

-- CreateEnum
CREATE TYPE "Adherence" AS ENUM ('AS_PRESCRIBED', 'PARTIAL', 'POOR', 'NOT_TAKING');

-- CreateEnum
CREATE TYPE "Limitation" AS ENUM ('NONE', 'MILD', 'MODERATE', 'SEVERE');

-- CreateEnum
CREATE TYPE "ProcedureType" AS ENUM ('EPIDURAL_STEROID_INJECTION', 'MEDIAL_BRANCH_BLOCK', 'FACET_JOINT_INJECTION', 'RADIOFREQUENCY_ABLATION', 'SACROILIAC_JOINT_INJECTION', 'GENICULAR_NERVE_BLOCK', 'PERIPHERAL_NERVE_BLOCK', 'SPINAL_CORD_STIMULATOR_TRIAL', 'SPINAL_CORD_STIMULATOR_IMPLANT', 'OTHER');

-- CreateTable
CREATE TABLE "Patient" (
    "id" UUID NOT NULL,
    "mrn" TEXT NOT NULL,
    "givenName" TEXT NOT NULL,
    "familyName" TEXT NOT NULL,
    "birthDate" DATE NOT NULL,
    "sex" "Sex" NOT NULL,
    "status" "PatientStatus" NOT NULL DEFAULT 'ACTIVE',
    "assignedPhysicianId" UUID NOT NULL,
    "onAnticoagulant" BOOLEAN NOT NULL DEFAULT false,
    "onAntiplatelet" BOOLEAN NOT NULL DEFAULT false,
    "bleedingDisorder" BOOLEAN NOT NULL DEFAULT false,
    "pregnant" BOOLEAN NOT NULL DEFAULT false,
    "contrastAllergy" BOOLEAN NOT NULL DEFAULT false,
    "poorlyControlledDiabetes" BOOLEAN NOT NULL DEFAULT false,
    "implantedCardiacDevice" BOOLEAN NOT NULL DEFAULT false,
    "activeInfection" BOOLEAN NOT NULL DEFAULT false,
    "psychEvaluationStatus" "PsychEvaluationStatus" NOT NULL DEFAULT 'NOT_DONE',
    "psychEvaluationDate" DATE,
    "lastAssessedOn" DATE,
    "followUpAnchor" DATE,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PainDiagnosis" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "icd10Code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "bodyRegion" "BodyRegion" NOT NULL,
    "painType" "PainType" NOT NULL,
    "onsetDate" DATE NOT NULL,
    "surgicalStatus" "SurgicalStatus" NOT NULL DEFAULT 'NOT_EVALUATED',
    "redFlags" "RedFlag"[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,
    "enteredInErrorAt" TIMESTAMPTZ(3),
    "enteredInErrorById" UUID,
    "enteredInErrorReason" TEXT,

    CONSTRAINT "PainDiagnosis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TherapyTrial" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "diagnosisId" UUID NOT NULL,
    "modality" "TherapyModality" NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE,
    "status" "TherapyStatus" NOT NULL DEFAULT 'ACTIVE',
    "stopReason" "StopReason",
    "stopNote" TEXT,
    "drug" TEXT,
    "dose" DOUBLE PRECISION,
    "doseUnit" TEXT,
    "frequency" TEXT,
    "maxDosesPerDay" INTEGER,
    "route" TEXT,
    "sessionsPlanned" INTEGER,
    "sessionsAttended" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,
    "enteredInErrorAt" TIMESTAMPTZ(3),
    "enteredInErrorById" UUID,
    "enteredInErrorReason" TEXT,

    CONSTRAINT "TherapyTrial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutcomeAssessment" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "assessedOn" DATE NOT NULL,
    "painNow" INTEGER NOT NULL,
    "painAverage" INTEGER NOT NULL,
    "painWorst" INTEGER NOT NULL,
    "pegPain" INTEGER NOT NULL,
    "pegEnjoyment" INTEGER NOT NULL,
    "pegActivity" INTEGER NOT NULL,
    "pegScore" DOUBLE PRECISION NOT NULL,
    "odiPercent" INTEGER,
    "ndiPercent" INTEGER,
    "adherence" "Adherence",
    "limitation" "Limitation" NOT NULL,
    "note" TEXT,
    "recordedById" UUID NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "enteredInErrorAt" TIMESTAMPTZ(3),
    "enteredInErrorById" UUID,
    "enteredInErrorReason" TEXT,

    CONSTRAINT "OutcomeAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentSideEffect" (
    "id" UUID NOT NULL,
    "assessmentId" UUID NOT NULL,
    "therapyTrialId" UUID NOT NULL,
    "severity" "SideEffectSeverity" NOT NULL,

    CONSTRAINT "AssessmentSideEffect_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcedureRecord" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "diagnosisId" UUID,
    "type" "ProcedureType" NOT NULL,
    "region" "BodyRegion" NOT NULL,
    "level" TEXT,
    "performedOn" DATE NOT NULL,
    "scaleName" TEXT NOT NULL,
    "painBefore" INTEGER,
    "painAfter" INTEGER,
    "reliefPercent" INTEGER,
    "reliefDurationDays" INTEGER,
    "note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID NOT NULL,
    "enteredInErrorAt" TIMESTAMPTZ(3),
    "enteredInErrorById" UUID,
    "enteredInErrorReason" TEXT,

    CONSTRAINT "ProcedureRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordRevision" (
    "id" BIGSERIAL NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "changedById" UUID NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "RecordRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Patient_mrn_key" ON "Patient"("mrn");

-- CreateIndex
CREATE INDEX "Patient_assignedPhysicianId_idx" ON "Patient"("assignedPhysicianId");

-- CreateIndex
CREATE INDEX "Patient_followUpAnchor_idx" ON "Patient"("followUpAnchor");

-- CreateIndex
CREATE INDEX "PainDiagnosis_patientId_idx" ON "PainDiagnosis"("patientId");

-- CreateIndex
CREATE INDEX "TherapyTrial_patientId_startDate_idx" ON "TherapyTrial"("patientId", "startDate");

-- CreateIndex
CREATE INDEX "TherapyTrial_diagnosisId_idx" ON "TherapyTrial"("diagnosisId");

-- CreateIndex
CREATE INDEX "OutcomeAssessment_patientId_assessedOn_idx" ON "OutcomeAssessment"("patientId", "assessedOn");

-- CreateIndex
CREATE INDEX "AssessmentSideEffect_therapyTrialId_idx" ON "AssessmentSideEffect"("therapyTrialId");

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentSideEffect_assessmentId_therapyTrialId_key" ON "AssessmentSideEffect"("assessmentId", "therapyTrialId");

-- CreateIndex
CREATE INDEX "ProcedureRecord_patientId_performedOn_idx" ON "ProcedureRecord"("patientId", "performedOn");

-- CreateIndex
CREATE INDEX "RecordRevision_entityType_entityId_idx" ON "RecordRevision"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "RecordRevision_patientId_idx" ON "RecordRevision"("patientId");

-- AddForeignKey
ALTER TABLE "Patient" ADD CONSTRAINT "Patient_assignedPhysicianId_fkey" FOREIGN KEY ("assignedPhysicianId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PainDiagnosis" ADD CONSTRAINT "PainDiagnosis_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TherapyTrial" ADD CONSTRAINT "TherapyTrial_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TherapyTrial" ADD CONSTRAINT "TherapyTrial_diagnosisId_fkey" FOREIGN KEY ("diagnosisId") REFERENCES "PainDiagnosis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeAssessment" ADD CONSTRAINT "OutcomeAssessment_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentSideEffect" ADD CONSTRAINT "AssessmentSideEffect_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "OutcomeAssessment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentSideEffect" ADD CONSTRAINT "AssessmentSideEffect_therapyTrialId_fkey" FOREIGN KEY ("therapyTrialId") REFERENCES "TherapyTrial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcedureRecord" ADD CONSTRAINT "ProcedureRecord_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
