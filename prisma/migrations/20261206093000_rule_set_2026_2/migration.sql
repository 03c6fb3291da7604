-- Rule set 2026.2 (built in) changes what several rules mean and moves the opioid dose threshold
-- from GEN-SIDE-EFFECTS to the new OPIOID-SAFETY rule (clinical review, issue 14).
--
-- The built-in 2026.1 stays readable from code (app/domain/referral/retired-rule-sets.ts), so its
-- evaluations are still shown with the thresholds and sources they were made with.
--
-- 1. A stored version named 2026.2 would clash with the new built-in one: stop rather than mix them.
-- 2. Stored versions were made on 2026.1's rules. Running them with 2026.2's logic would change
--    what an active version means without anyone deciding it, so they are retired, with an audit
--    event each; the built-in 2026.2 is then in force and an administrator re-makes any change on it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "RuleSetVersion" WHERE version = '2026.2') THEN
    RAISE EXCEPTION 'A stored rule-set version is named 2026.2, the name of the new built-in rule set: rename it first.';
  END IF;
END $$;

INSERT INTO "AuditEvent" (action, "entityType", "entityId", detail)
SELECT 'rules.retire', 'RuleSetVersion', v.id::text,
       jsonb_build_object('version', v.version, 'previousStatus', v.status::text,
                          'reason', 'Made on the 2026.1 rules; the 2026.2 release changes what they mean.')
  FROM "RuleSetVersion" v
 WHERE v.status <> 'RETIRED';

UPDATE "RuleSetVersion" SET status = 'RETIRED' WHERE status <> 'RETIRED';
