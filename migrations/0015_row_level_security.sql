-- Force isolation enforced by the database. Request transactions run as oar_app (SET LOCAL ROLE through
-- set_config('role', ...)), which owns nothing and is not a superuser, so these policies bind it. The
-- request scope sets app.force_id for the transaction: a force's id, or '*' for a national principal.
-- Unset (or any other value) sees no force-owned row at all: a forgotten scope fails closed.
-- Work that is not a request (migrations, the audit sealer, the outbox relay, the webhook worker, retention)
-- runs as the connecting role, the tables' owner, outside any policy.
DO $$
BEGIN
  CREATE ROLE oar_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- Roles are cluster-wide: another database of the same cluster (or a concurrent migration) made it.
  NULL;
END
$$;
--> statement-breakpoint
-- The connecting role must be able to switch to oar_app (a superuser always can).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'oar_app', 'MEMBER') THEN
    EXECUTE format('GRANT oar_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO oar_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO oar_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO oar_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO oar_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO oar_app;
--> statement-breakpoint
-- A request appends to the audit trail and never changes it (the sealer, as owner, sets the chain fields).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM oar_app;
--> statement-breakpoint
-- True when the transaction's scope may see rows of this force. Inlined by the planner (SQL, STABLE).
CREATE OR REPLACE FUNCTION app_sees_force(row_force uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT current_setting('app.force_id', true) IN ('*', row_force::text) $$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['incidents', 'victims', 'suspects', 'care_steps', 'follow_ups', 'trim_referrals',
    'trim_assessments', 'justice_events', 'justice_cases', 'victim_notifications', 'outbox_events',
    'webhook_subscriptions', 'webhook_deliveries', 'principals']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY force_isolation ON %I USING (app_sees_force(force_id)) WITH CHECK (app_sees_force(force_id))', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Rows without a force column of their own follow their parent row (whose own policy applies in the subquery).
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY force_isolation ON webhook_attempts
  USING (EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = delivery_id))
  WITH CHECK (EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = delivery_id));
--> statement-breakpoint
ALTER TABLE principal_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY force_isolation ON principal_keys
  USING (EXISTS (SELECT 1 FROM principals p WHERE p.id = principal_id))
  WITH CHECK (EXISTS (SELECT 1 FROM principals p WHERE p.id = principal_id));
--> statement-breakpoint
-- Templates: everyone reads the national default (force_id null); a force's own only within that force;
-- writing the national default takes a national scope.
ALTER TABLE care_plan_templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY read_national_or_own ON care_plan_templates FOR SELECT
  USING (force_id IS NULL OR app_sees_force(force_id));
--> statement-breakpoint
CREATE POLICY write_own ON care_plan_templates FOR INSERT WITH CHECK (app_sees_force(force_id));
--> statement-breakpoint
CREATE POLICY change_own ON care_plan_templates FOR UPDATE USING (app_sees_force(force_id)) WITH CHECK (app_sees_force(force_id));
--> statement-breakpoint
-- The audit trail: a force-scoped admin reads its own force's events; any request may append events
-- (a read of national data by a force's key is filed with no force).
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY read_own ON audit_events FOR SELECT USING (app_sees_force(force_id));
--> statement-breakpoint
CREATE POLICY append_any ON audit_events FOR INSERT WITH CHECK (true);
