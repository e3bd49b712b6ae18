-- 0018_web_sessions: the page's sign-in sessions (issue #16), kept in the database so every instance shares
-- them. Only a SHA-256 hash of the session token (the cookie's value) is stored; the principal is what the
-- identity provider's ID token said at sign-in. The auth plugin reads and moves a session as the tables' owner,
-- outside any request scope (as it looks up API keys); sign-in and sign-out write theirs in the request's scope,
-- so row-level security holds the table to the caller's force like every force-owned table.
CREATE TABLE web_sessions (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  -- The identity provider's issuer and subject (`iss|sub`), and the principal id derived from them.
  subject text NOT NULL,
  principal_id uuid NOT NULL,
  name text NOT NULL,
  roles text[] NOT NULL,
  force_id uuid REFERENCES forces(id),
  -- Sent back as X-CSRF-Token on every write the cookie authenticates.
  csrf_token text NOT NULL,
  created_at timestamp with time zone NOT NULL,
  last_seen_at timestamp with time zone NOT NULL,
  idle_expires_at timestamp with time zone NOT NULL,
  expires_at timestamp with time zone NOT NULL,
  CONSTRAINT web_sessions_roles_check CHECK (roles <@ ARRAY['admin', 'force_system', 'welfare_officer', 'federation_rep', 'analyst']::text[])
);
--> statement-breakpoint
-- The sweep finds sessions past either expiry without reading the table.
CREATE INDEX web_sessions_idle_expires_idx ON web_sessions (idle_expires_at);
--> statement-breakpoint
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
--> statement-breakpoint
ALTER TABLE web_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY force_isolation ON web_sessions USING (app_sees_force(force_id)) WITH CHECK (app_sees_force(force_id));
