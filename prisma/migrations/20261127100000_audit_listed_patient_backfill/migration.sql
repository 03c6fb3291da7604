-- Written by hand: the events recorded before the trigger of the previous migration. A migration of
-- its own, so a transaction of its own: the trigger is committed and feeding the table already, and
-- this long read of "AuditEvent" blocks no audit write (rows the trigger adds meanwhile are skipped).
INSERT INTO "AuditEventListedPatient" ("patientId", "at", "auditEventId")
SELECT listed.id, e."at", e.id
  FROM "AuditEvent" e
 CROSS JOIN LATERAL audit_event_listed_ids(e.detail) AS listed(id)
 WHERE e.detail ? 'patientIds'
ON CONFLICT DO NOTHING;

-- "AuditEvent_listed_patients_idx" (GIN) stays for now: during a rolling upgrade the older instances
-- still find listed events through it. A later release drops it.
