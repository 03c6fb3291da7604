-- Written by hand (Prisma cannot express partial indexes): the audit viewer's "denied" and
-- "failure" filters read only the rare non-success rows, newest first.
CREATE INDEX "AuditEvent_not_success_at_idx" ON "AuditEvent" ("at") WHERE outcome <> 'success';
