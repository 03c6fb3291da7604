-- Additive: older instances keep working (the defaults fill the new columns). Every existing
-- session gets its own random public id; the table is rewritten once, under a short lock.
-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "browser" TEXT,
ADD COLUMN     "clientAddress" TEXT,
ADD COLUMN     "publicId" UUID NOT NULL DEFAULT gen_random_uuid();

-- CreateIndex
CREATE UNIQUE INDEX "Session_publicId_key" ON "Session"("publicId");
