-- CreateTable
CREATE TABLE "AuditSeal" (
    "auditEventId" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "sealedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditSeal_pkey" PRIMARY KEY ("auditEventId")
);

-- Written by hand (Prisma's schema language has no triggers).
-- The database, not the app, stamps each event's time: whatever "at" an INSERT names is replaced by
-- the clock read after the row's id was drawn from the sequence. So a row's time never precedes its
-- id, which is what lets the sealer tell which ids can no longer be taken by a write in flight.
CREATE FUNCTION audit_event_stamp_time() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."at" := clock_timestamp();
  RETURN NEW;
END;
$$;

CREATE TRIGGER "AuditEvent_stamp_time"
  BEFORE INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_stamp_time();

-- Seals are append-only too: a seal that could be rewritten would prove nothing.
CREATE TRIGGER "AuditSeal_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditSeal"
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();

CREATE TRIGGER "AuditSeal_no_truncate"
  BEFORE TRUNCATE ON "AuditSeal"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- Nothing is sealed yet: the app's first seal chains every event recorded so far, in id order.
