-- CreateIndex
CREATE INDEX "Referral_createdAt_idx" ON "Referral"("createdAt");
