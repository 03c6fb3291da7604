-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "ImportedScoreScale" AS ENUM ('PAIN_NRS', 'PEG_MEAN');

-- CreateEnum
CREATE TYPE "ImportCodeStatus" AS ENUM ('OPEN', 'MAPPED', 'IGNORED');

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "sourceSystem" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'QUEUED',
    "startedById" UUID NOT NULL,
    "physicianId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "patientsTotal" INTEGER NOT NULL DEFAULT 0,
    "patientsDone" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB,
    "error" TEXT,

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportedRecord" (
    "id" UUID NOT NULL,
    "sourceSystem" TEXT NOT NULL,
    "sourceResource" TEXT NOT NULL,
    "sourceVersion" TEXT,
    "sourceDisplay" TEXT,
    "contentHash" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "entityVersion" INTEGER NOT NULL,
    "patientId" UUID NOT NULL,
    "firstImportRunId" UUID NOT NULL,
    "lastImportRunId" UUID NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ImportedRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportedScore" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "observedOn" DATE NOT NULL,
    "scale" "ImportedScoreScale" NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID NOT NULL,
    "enteredInErrorAt" TIMESTAMPTZ(3),
    "enteredInErrorById" UUID,
    "enteredInErrorReason" TEXT,

    CONSTRAINT "ImportedScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportCodeReview" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "display" TEXT NOT NULL,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "ImportCodeStatus" NOT NULL DEFAULT 'OPEN',
    "decision" JSONB,
    "decidedById" UUID,
    "decidedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ImportCodeReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportConflict" (
    "id" UUID NOT NULL,
    "importRunId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "sourceResource" TEXT NOT NULL,
    "incoming" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedById" UUID,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ImportConflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportStaging" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "patientKey" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "body" JSONB NOT NULL,

    CONSTRAINT "ImportStaging_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImportRun_createdAt_idx" ON "ImportRun"("createdAt");

-- CreateIndex
CREATE INDEX "ImportedRecord_patientId_idx" ON "ImportedRecord"("patientId");

-- CreateIndex
CREATE INDEX "ImportedRecord_entityType_entityId_idx" ON "ImportedRecord"("entityType", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "ImportedRecord_sourceSystem_sourceResource_key" ON "ImportedRecord"("sourceSystem", "sourceResource");

-- CreateIndex
CREATE INDEX "ImportedScore_patientId_observedOn_idx" ON "ImportedScore"("patientId", "observedOn");

-- CreateIndex
CREATE INDEX "ImportCodeReview_status_lastSeenAt_idx" ON "ImportCodeReview"("status", "lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "ImportCodeReview_kind_system_code_key" ON "ImportCodeReview"("kind", "system", "code");

-- CreateIndex
CREATE INDEX "ImportConflict_status_createdAt_idx" ON "ImportConflict"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ImportConflict_patientId_idx" ON "ImportConflict"("patientId");

-- CreateIndex
CREATE INDEX "ImportStaging_runId_patientKey_idx" ON "ImportStaging"("runId", "patientKey");
