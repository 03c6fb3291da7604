-- Written by hand (Prisma cannot express expression indexes): list pages and exports record the
-- patients they showed in detail.patientIds, and the audit viewer's patient filter finds those
-- events too ("who saw this patient", not only "who opened this patient's record").
CREATE INDEX "AuditEvent_listed_patients_idx" ON "AuditEvent" USING gin ((detail -> 'patientIds') jsonb_path_ops);
