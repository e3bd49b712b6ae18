-- The sealer's read of the oldest unsealed audit events (audit_seal: WHERE seq IS NULL ORDER BY occurred_at, id
-- LIMIT n) could be answered from two indexes: audit_events_unsealed_idx, which holds exactly those rows in that
-- order, and the unique index on seq, which also holds every null. With statistics taken while few events were
-- unsealed the planner took the second, then fetched and sorted every unsealed event for each batch: at 1,000,000
-- incidents, after the bench's reads had left 133,000 events to seal, each batch of 1,000 cost 450-640 ms of the
-- database's CPU, one batch after another (issue #19). Unique only where seq is set (nulls never collided anyway),
-- the index on seq cannot answer the unsealed read, and the chain's reads (seq IS NOT NULL, seq = n) still use it.
-- Rebuilding it holds audit_events for the time of one index build (21 s at 24,000,000 events).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_seq_unique;
--> statement-breakpoint
CREATE UNIQUE INDEX audit_events_seq_unique ON audit_events (seq) WHERE seq IS NOT NULL;
