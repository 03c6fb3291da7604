-- Written by hand. A patient's audit trail is read through AuditEventListedPatient, so a row
-- removed or forged there hides a view of the patient or invents one: it is held to the same rules
-- as AuditEvent. Its trigger function now runs as its owner, so the application's role needs only
-- SELECT on the table (see the README's grants), with a fixed search_path so that no temporary
-- table of the caller's can stand in for it.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_event_list_patients() SECURITY DEFINER SET search_path = %I, pg_temp',
                 current_schema());
END $$;

-- The same refusal for both tables, naming the table.
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditEventListedPatient_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditEventListedPatient"
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();

CREATE TRIGGER "AuditEventListedPatient_no_truncate"
  BEFORE TRUNCATE ON "AuditEventListedPatient"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();
