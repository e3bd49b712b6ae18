-- The audit trail is append-only, enforced by the database: no DELETE, no TRUNCATE, and an UPDATE
-- may only set the chain fields (seq, prev_hash, hash, sealed_at) once, from null, and nothing else.
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = '42501';
  END IF;
  IF OLD.seq IS NOT NULL OR OLD.hash IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL THEN
    RAISE EXCEPTION 'audit_events is append-only: chain fields are set once' USING ERRCODE = '42501';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash', 'sealed_at'])
     IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash', 'sealed_at']) THEN
    RAISE EXCEPTION 'audit_events is append-only: only chain fields may be set' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard();
--> statement-breakpoint
-- The digest of one event given the hash before it. Canonical: a JSON array of the fields in a fixed
-- order, with the time as integer microseconds so no session time zone changes it.
CREATE FUNCTION audit_event_digest(prev text, e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    prev, e.seq, e.id, (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
    e.actor_id, e.actor_name, e.actor_roles, e.actor_force_id, e.action, e.resource_type,
    e.resource_id, e.force_id, e.request_id, e.reason, e.changed_fields
  )::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Chains up to max_rows committed, unsealed events after the current head, in the order found.
-- Returns how many it sealed, or -1 when another session holds the sealer's lock.
CREATE FUNCTION audit_seal(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  r audit_events%ROWTYPE;
  n integer := 0;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7240221) THEN
    RETURN -1;
  END IF;
  SELECT seq, hash INTO head_seq, head_hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0);
  FOR r IN SELECT * FROM audit_events WHERE seq IS NULL ORDER BY occurred_at, id LIMIT max_rows LOOP
    head_seq := head_seq + 1;
    r.seq := head_seq;
    r.prev_hash := head_hash;
    head_hash := audit_event_digest(r.prev_hash, r);
    UPDATE audit_events SET seq = r.seq, prev_hash = r.prev_hash, hash = head_hash, sealed_at = now()
      WHERE id = r.id;
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
--> statement-breakpoint
CREATE INDEX audit_events_unsealed_idx ON audit_events (occurred_at, id) WHERE seq IS NULL;
