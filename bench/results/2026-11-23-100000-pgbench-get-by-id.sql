-- GET incident by id: the transaction the service sent, captured with SQL_CAPTURE_FILE (bench/run.ts writes this file).
-- Substitutions: ids the request generated -> gen_random_uuid(); the row of a single-row INSERT ... RETURNING
-- that creates one is kept with \gset and later statements use its id as :sN_id (sent as a parameter);
-- JSON or text holding such ids is rebuilt by concatenation and cast to its column type; the request's unique
-- forceReference -> 'pgb-' || gen_random_uuid(); every other parameter -> a literal of the text the driver sent.
-- Not in the script: 2 other statements captured in the same window (the request's key lookup outside its transaction, and the sealer or webhook relay running beside it):
--   select "principals"."id", "principals"."name", "principals"."roles", "principals"."force_id", "principal_keys"."id", "principal_keys"."last_used_at" f
--   update "principal_keys" set "last_used_at" = $1 where "principal_keys"."id" = $2
begin;
set local synchronous_commit = off;
select "id", "force_id", "force_reference", "occurred_at", "location", "circumstances", "deployment", "equipment", "methods", "hate_aggravation", "offences", "narrative", "personal_data_erased_at", "health_data_erased_at", "status", "status_reason", "version", "created_at", "updated_at" from "incidents" where "incidents"."id" = '0165dca0-24d6-757d-9af1-818eed58a1a9';
select "id", "incident_id", "force_id", "role", "service_band", "staff_number", "injury", "injury_detail", "hospital_treatment", "days_lost", "safety_training_in_date", "protective_equipment", "federation_consent", "enhanced_rights", "status", "status_reason", "version", "created_at", "updated_at" from "victims" where "victims"."incident_id" = '0165dca0-24d6-757d-9af1-818eed58a1a9' order by "victims"."created_at" asc, "victims"."id" asc;
select "id", "incident_id", "force_id", "reference", "age_band", "arrested", "status", "status_reason", "version", "created_at", "updated_at" from "suspects" where "suspects"."incident_id" = '0165dca0-24d6-757d-9af1-818eed58a1a9' order by "suspects"."created_at" asc, "suspects"."id" asc;
insert into "audit_events" ("id", "occurred_at", "actor_id", "actor_name", "actor_roles", "actor_force_id", "action", "resource_type", "resource_id", "force_id", "request_id", "reason", "changed_fields", "seq", "prev_hash", "hash", "sealed_at") values (gen_random_uuid(), E'2026-11-23T20\x3a39\x3a12.979Z', '01a20a22-354b-7101-8a53-dee21694bf97', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'read', 'incident', '0165dca0-24d6-757d-9af1-818eed58a1a9', '019b76da-a816-753e-993b-72cc7f21f17a', '17fc0aad-6758-42a8-910c-be48c808fdec', NULL, NULL, default, default, default, default);
commit;
