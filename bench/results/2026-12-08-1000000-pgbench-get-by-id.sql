-- GET incident by id: the transaction the service sent, captured with SQL_CAPTURE_FILE (bench/run.ts writes this file).
-- Substitutions: each id the request generated -> a random uuid built from two pgbench random numbers (\set,
-- evaluated by pgbench without a round trip; sent as parameters), the same one wherever the id appears;
-- JSON or text holding such ids is rebuilt by concatenation and cast to its column type; the request's unique
-- forceReference -> 'pgb-' || gen_random_uuid() (inside JSON too); every other parameter -> a literal of the text the driver sent.
-- The service opens the transaction with BEGIN and the scope's settings in one simple-protocol message, and sends
-- its audit rows (and a write its outbox rows) with COMMIT the same way (src/db/begin.ts); pgbench in extended mode
-- cannot send two statements as one, so here each is its own command: 3 round trips more than the service's 2.
-- Not in the script: 7 other statements captured in the same window (the request's key lookup outside its transaction, and the sealer or webhook relay running beside it):
--   select greatest(1, ceil(extract(epoch from (window_start + make_interval(secs => $1) - now()))))::int as ttl from rate_limits where key in ($2, $3) an
--   select "principals"."id", "principals"."name", "principals"."roles", "principals"."force_id", "principal_keys"."id", "principal_keys"."last_used_at" f
--   update "principal_keys" set "last_used_at" = $1 where "principal_keys"."id" = $2
--   with spread as ( select force_id, month from stats_monthly where month < $1::date and slot <> 0 group by force_id, month ), locked as ( select m.force
--   with gone as (delete from stats_extras where computed_at < $1::timestamptz returning 1) select count(*)::int as n from gone
--   vacuum stats_monthly, stats_dirty
--    WITH results AS ( UPDATE pgboss.job SET completed_on = now(), state = 'completed', output = $3::jsonb WHERE name = $1 AND id IN (SELECT UNNEST($2::uu
\set ida1 random(0, 4611686018427387903)
\set idb1 random(0, 4611686018427387903)
begin; select set_config('role', 'oar_app', true), set_config('app.force_id', '019b76da-a816-753e-993b-72cc7f21f17a', true), set_config('synchronous_commit', 'off', true); select row_to_json(i) as incident, (select json_agg(v order by v.created_at, v.id) from victims v where v.incident_id = i.id) as victims,
    (select json_agg(s order by s.created_at, s.id) from suspects s where s.incident_id = i.id) as suspects from "incidents" i where i.id = '018bb66d-35dd-7e9c-9806-31ac262d6d8a';
insert into audit_events (id, occurred_at, actor_id, actor_name, actor_roles, actor_force_id, action, resource_type, resource_id, force_id, request_id, reason, changed_fields) values (overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-08T01:13:30.413Z', '01a25336-661f-754a-83cb-36bab2b4b785', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'read', 'incident', '018bb66d-35dd-7e9c-9806-31ac262d6d8a', '019b76da-a816-753e-993b-72cc7f21f17a', '73976c50-e8ba-4628-a0f5-1d2153a9490d', null, null); commit;
