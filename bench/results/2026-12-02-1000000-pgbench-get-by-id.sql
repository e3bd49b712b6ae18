-- GET incident by id: the transaction the service sent, captured with SQL_CAPTURE_FILE (bench/run.ts writes this file).
-- Substitutions: each id the request generated -> a random uuid built from two pgbench random numbers (\set,
-- evaluated by pgbench without a round trip; sent as parameters), the same one wherever the id appears;
-- JSON or text holding such ids is rebuilt by concatenation and cast to its column type; the request's unique
-- forceReference -> 'pgb-' || gen_random_uuid(); every other parameter -> a literal of the text the driver sent.
-- Not in the script: 2 other statements captured in the same window (the request's key lookup outside its transaction, and the sealer or webhook relay running beside it):
--   select "principals"."id", "principals"."name", "principals"."roles", "principals"."force_id", "principal_keys"."id", "principal_keys"."last_used_at" f
--   update "principal_keys" set "last_used_at" = $1 where "principal_keys"."id" = $2
\set ida1 random(0, 4611686018427387903)
\set idb1 random(0, 4611686018427387903)
begin;
select "id", "force_id", "force_reference", "occurred_at", "location", "circumstances", "deployment", "equipment", "methods", "hate_aggravation", "offences", "narrative", "personal_data_erased_at", "health_data_erased_at", "status", "status_reason", "version", "created_at", "updated_at", (select json_agg(v order by v.created_at, v.id) from victims v where v.incident_id = "incidents"."id"), (select json_agg(s order by s.created_at, s.id) from suspects s where s.incident_id = "incidents"."id"), set_config('synchronous_commit', 'off', true) from "incidents" where "incidents"."id" = '017655e9-12e4-7f2b-8cb5-f6921e204fec';
insert into "audit_events" ("id", "occurred_at", "actor_id", "actor_name", "actor_roles", "actor_force_id", "action", "resource_type", "resource_id", "force_id", "request_id", "reason", "changed_fields", "seq", "prev_hash", "hash", "sealed_at") values (overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-02T06\x3a35\x3a20.344Z', '01a23576-d2fd-74fa-952c-a96bbe31fb2c', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'read', 'incident', '017655e9-12e4-7f2b-8cb5-f6921e204fec', '019b76da-a816-753e-993b-72cc7f21f17a', '6900e49f-d0d0-498a-8a2d-974d27131cd2', NULL, NULL, default, default, default, default);
commit;
