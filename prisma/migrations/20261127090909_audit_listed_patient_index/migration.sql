-- CreateTable
CREATE TABLE "AuditEventListedPatient" (
    "patientId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "auditEventId" BIGINT NOT NULL,

    CONSTRAINT "AuditEventListedPatient_pkey" PRIMARY KEY ("patientId","at","auditEventId")
);

-- Written by hand. The audit viewer's patient filter also finds the list pages and exports that
-- showed the patient (detail.patientIds). A GIN index on that array finds them but not in time
-- order, so every page of the trail of a patient shown in thousands of worklist views read and
-- sorted all of them. This table is that index in (patient, time) order, kept by a trigger so that
-- every writer (the app, older instances during a rolling upgrade, the data set's COPY) feeds it.
-- The next migration fills it for the events recorded so far.

-- The patient ids an event's detail lists, each once. A malformed entry is skipped rather than
-- failing the audit write; the event keeps it.
CREATE FUNCTION audit_event_listed_ids(detail jsonb) RETURNS SETOF uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT listed.id::uuid
    FROM jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(detail -> 'patientIds') = 'array' THEN detail -> 'patientIds' ELSE '[]' END
         ) AS listed(id)
   WHERE listed.id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
$$;

CREATE FUNCTION audit_event_list_patients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AuditEventListedPatient" ("patientId", "at", "auditEventId")
  SELECT listed.id, NEW."at", NEW.id FROM audit_event_listed_ids(NEW.detail) AS listed(id);
  RETURN NULL;
END $$;

-- Per row, and only for events that list patients: the WHEN test costs the other events nothing.
CREATE TRIGGER "AuditEvent_listed_patients" AFTER INSERT ON "AuditEvent"
  FOR EACH ROW WHEN (NEW.detail ? 'patientIds') EXECUTE FUNCTION audit_event_list_patients();
