-- Rate-limit windows per principal, shared by every instance. Unlogged: losing counters in a crash is
-- harmless, and it spares the WAL a write per request.
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL
);
