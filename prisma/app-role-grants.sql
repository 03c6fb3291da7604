-- What the role the app runs as (painpath_app) may do. The tables' owner applies this after
-- every `npm run db:migrate`, so that tables a migration added are granted too.
GRANT USAGE ON SCHEMA public TO painpath_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO painpath_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO painpath_app;
-- Migrations are the owner's: the app only reads which ones ran.
REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM painpath_app;
-- The audit trail is append-only, and its per-patient index is written only by its trigger.
REVOKE ALL ON "AuditEvent", "AuditEventListedPatient", "AuditSeal" FROM painpath_app;
GRANT SELECT, INSERT ON "AuditEvent" TO painpath_app;
-- The sealer (app/models/audit-chain.server.ts) runs as the app: it needs to add seals, never change them.
GRANT SELECT, INSERT ON "AuditSeal" TO painpath_app;
GRANT SELECT ON "AuditEventListedPatient" TO painpath_app;
GRANT USAGE ON SEQUENCE "AuditEvent_id_seq" TO painpath_app;
