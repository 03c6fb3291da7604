-- CreateEnum
CREATE TYPE "CdsCardKind" AS ENUM ('RED_FLAG', 'REFERRAL', 'NOT_YET');

-- CreateEnum
CREATE TYPE "CdsCardOutcome" AS ENUM ('ACCEPTED', 'OVERRIDDEN');

-- CreateTable
CREATE TABLE "CdsIssuer" (
    "id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "jwksUrl" TEXT,
    "jwks" JSONB,
    "mrnSystem" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CdsIssuer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CdsTokenUse" (
    "issuer" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CdsTokenUse_pkey" PRIMARY KEY ("issuer","jti")
);

-- CreateTable
CREATE TABLE "CdsCard" (
    "id" UUID NOT NULL,
    "issuerId" UUID NOT NULL,
    "serviceId" TEXT NOT NULL,
    "hookInstance" TEXT NOT NULL,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" "CdsCardKind" NOT NULL,
    "patientId" UUID,
    "flagId" UUID,
    "raiseEventId" BIGINT,
    "metCriteria" TEXT[],
    "outcome" "CdsCardOutcome",
    "overrideReason" TEXT,
    "outcomeAt" TIMESTAMPTZ(3),
    "feedbackAt" TIMESTAMPTZ(3),

    CONSTRAINT "CdsCard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CdsIssuer_issuer_key" ON "CdsIssuer"("issuer");

-- CreateIndex
CREATE INDEX "CdsTokenUse_expiresAt_idx" ON "CdsTokenUse"("expiresAt");

-- CreateIndex
CREATE INDEX "CdsCard_issuedAt_idx" ON "CdsCard"("issuedAt");

-- CreateIndex
CREATE INDEX "CdsCard_raiseEventId_idx" ON "CdsCard"("raiseEventId");
