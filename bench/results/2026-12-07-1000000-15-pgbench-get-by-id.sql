-- GET incident by id: the transaction the service sent, captured with SQL_CAPTURE_FILE (bench/run.ts writes this file).
-- Substitutions: each id the request generated -> a random uuid built from two pgbench random numbers (\set,
-- evaluated by pgbench without a round trip; sent as parameters), the same one wherever the id appears;
-- JSON or text holding such ids is rebuilt by concatenation and cast to its column type; the request's unique
-- forceReference -> 'pgb-' || gen_random_uuid() (inside JSON too); every other parameter -> a literal of the text the driver sent.
-- The service opens the transaction with BEGIN and the scope's settings in one simple-protocol message, and sends
-- its audit rows (and a write its outbox rows) with COMMIT the same way (src/db/begin.ts); pgbench in extended mode
-- cannot send two statements as one, so here each is its own command: 3 round trips more than the service's 2.
-- Not in the script: 3 other statements captured in the same window (the request's key lookup outside its transaction, and the sealer or webhook relay running beside it):
--   select greatest(1, ceil(extract(epoch from (window_start + make_interval(secs => $1) - now()))))::int as ttl from rate_limits where key in ($2, $3) an
--   select "principals"."id", "principals"."name", "principals"."roles", "principals"."force_id", "principal_keys"."id", "principal_keys"."last_used_at" f
--   update "principal_keys" set "last_used_at" = $1 where "principal_keys"."id" = $2
\set ida1 random(0, 4611686018427387903)
\set idb1 random(0, 4611686018427387903)
begin; select set_config('role', 'oar_app', true), set_config('app.force_id', '019b76da-a816-753e-993b-72cc7f21f17a', true), set_config('synchronous_commit', 'off', true); select row_to_json(i) as incident, (select json_agg(v order by v.created_at, v.id) from victims v where v.incident_id = i.id) as victims,
    (select json_agg(s order by s.created_at, s.id) from suspects s where s.incident_id = i.id) as suspects from "incidents" i where i.id = '0166d52e-7cce-7017-8350-9d6ce706adbd';
insert into audit_events (id, occurred_at, actor_id, actor_name, actor_roles, actor_force_id, action, resource_type, resource_id, force_id, request_id, reason, changed_fields) values (overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T21:55:33.490Z', '01a25281-395e-7127-9e16-e81888d15530', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'read', 'incident', '0166d52e-7cce-7017-8350-9d6ce706adbd', '019b76da-a816-753e-993b-72cc7f21f17a', '5cbccad7-d052-4eaa-b5bc-d6af21f67ba3', null, null); commit;
