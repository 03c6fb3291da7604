-- Written by hand. A patient's audit trail is read through AuditEventListedPatient, so a row
-- removed or forged there hides a view of the patient or invents one: it is held to the same rules
-- as AuditEvent. Its trigger function now runs as the table's owner (not as whoever ran the
-- migrations, perhaps a superuser), so the application's role needs only SELECT on the table (see
-- the README's grants). Its search_path is fixed so that no temporary table of the caller's can
-- stand in for the real one, and no other role may attach it to a table of its own (say a temporary
-- one) to write rows through it: EXECUTE is checked when a trigger is created, not when it fires.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_event_list_patients() SECURITY DEFINER SET search_path = %I, pg_temp',
                 current_schema());
  EXECUTE format('ALTER FUNCTION audit_event_list_patients() OWNER TO %I',
                 (SELECT tableowner FROM pg_tables
                   WHERE schemaname = current_schema() AND tablename = 'AuditEventListedPatient'));
END $$;
REVOKE EXECUTE ON FUNCTION audit_event_list_patients() FROM PUBLIC;

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
