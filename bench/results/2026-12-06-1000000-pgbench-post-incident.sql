-- POST incident (2 victims, 1 suspect): the transaction the service sent, captured with SQL_CAPTURE_FILE (bench/run.ts writes this file).
-- Substitutions: each id the request generated -> a random uuid built from two pgbench random numbers (\set,
-- evaluated by pgbench without a round trip; sent as parameters), the same one wherever the id appears;
-- JSON or text holding such ids is rebuilt by concatenation and cast to its column type; the request's unique
-- forceReference -> 'pgb-' || gen_random_uuid(); every other parameter -> a literal of the text the driver sent.
-- Not in the script: 114 other statements captured in the same window (the request's key lookup outside its transaction, and the sealer or webhook relay running beside it):
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $1
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   begin
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
--   select audit_seal($1) as n
\set ida1 random(0, 4611686018427387903)
\set idb1 random(0, 4611686018427387903)
\set ida2 random(0, 4611686018427387903)
\set idb2 random(0, 4611686018427387903)
\set ida3 random(0, 4611686018427387903)
\set idb3 random(0, 4611686018427387903)
\set ida4 random(0, 4611686018427387903)
\set idb4 random(0, 4611686018427387903)
\set ida5 random(0, 4611686018427387903)
\set idb5 random(0, 4611686018427387903)
\set ida6 random(0, 4611686018427387903)
\set idb6 random(0, 4611686018427387903)
\set ida7 random(0, 4611686018427387903)
\set idb7 random(0, 4611686018427387903)
\set ida8 random(0, 4611686018427387903)
\set idb8 random(0, 4611686018427387903)
\set ida9 random(0, 4611686018427387903)
\set idb9 random(0, 4611686018427387903)
\set ida10 random(0, 4611686018427387903)
\set idb10 random(0, 4611686018427387903)
\set ida11 random(0, 4611686018427387903)
\set idb11 random(0, 4611686018427387903)
\set ida12 random(0, 4611686018427387903)
\set idb12 random(0, 4611686018427387903)
\set ida13 random(0, 4611686018427387903)
\set idb13 random(0, 4611686018427387903)
\set ida14 random(0, 4611686018427387903)
\set idb14 random(0, 4611686018427387903)
\set ida15 random(0, 4611686018427387903)
\set idb15 random(0, 4611686018427387903)
\set ida16 random(0, 4611686018427387903)
\set idb16 random(0, 4611686018427387903)
\set ida17 random(0, 4611686018427387903)
\set idb17 random(0, 4611686018427387903)
\set ida18 random(0, 4611686018427387903)
\set idb18 random(0, 4611686018427387903)
\set ida19 random(0, 4611686018427387903)
\set idb19 random(0, 4611686018427387903)
\set ida20 random(0, 4611686018427387903)
\set idb20 random(0, 4611686018427387903)
\set ida21 random(0, 4611686018427387903)
\set idb21 random(0, 4611686018427387903)
\set ida22 random(0, 4611686018427387903)
\set idb22 random(0, 4611686018427387903)
\set ida23 random(0, 4611686018427387903)
\set idb23 random(0, 4611686018427387903)
\set ida24 random(0, 4611686018427387903)
\set idb24 random(0, 4611686018427387903)
\set ida25 random(0, 4611686018427387903)
\set idb25 random(0, 4611686018427387903)
\set ida26 random(0, 4611686018427387903)
\set idb26 random(0, 4611686018427387903)
\set ida27 random(0, 4611686018427387903)
\set idb27 random(0, 4611686018427387903)
begin;
select set_config('role', 'oar_app', true), set_config('app.force_id', '019b76da-a816-753e-993b-72cc7f21f17a', true);
insert into "incidents" ("id", "force_id", "force_reference", "occurred_at", "location", "circumstances", "deployment", "equipment", "methods", "hate_aggravation", "offences", "narrative", "personal_data_erased_at", "health_data_erased_at", "status", "status_reason", "version", "created_at", "updated_at") values (overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', ('pgb-' || gen_random_uuid()::text), E'2026-12-05T21\x3a14\x3a29.971Z', E'{"description"\x3a"Synthetic benchmark location","locationType"\x3a"street","latitude"\x3anull,"longitude"\x3anull}', 'arrest', '{"crewing":"double","dutyType":"response"}', E'{"bodyWornVideo"\x3a{"worn"\x3atrue,"activated"\x3atrue,"footageRetained"\x3anull},"taser"\x3a{"drawn"\x3afalse,"discharged"\x3anull},"spitAndBiteGuardUsed"\x3anull,"bodyArmourWorn"\x3anull}', '{"punch","spit"}', '{}', '{"emergency_worker_common_assault"}', NULL, default, default, 'open', default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z') on conflict ("force_id","force_reference") do nothing returning "id", "force_id", "force_reference", "occurred_at", "location", "circumstances", "deployment", "equipment", "methods", "hate_aggravation", "offences", "narrative", "personal_data_erased_at", "health_data_erased_at", "status", "status_reason", "version", "created_at", "updated_at";
insert into "victims" ("id", "incident_id", "force_id", "role", "service_band", "staff_number", "injury", "injury_detail", "hospital_treatment", "days_lost", "safety_training_in_date", "protective_equipment", "federation_consent", "enhanced_rights", "status", "status_reason", "version", "created_at", "updated_at") values (overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'constable', '2_to_5_years', 'SYNBENCH1', 'minor', NULL, 'none', NULL, NULL, '{"carried":[],"used":[]}', 'true', 'false', 'active', default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'sergeant', '10_to_20_years', 'SYNBENCH2', 'none', NULL, 'none', NULL, NULL, '{"carried":[],"used":[]}', 'false', 'false', 'active', default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z') returning "id", "incident_id", "force_id", "role", "service_band", "staff_number", "injury", "injury_detail", "hospital_treatment", "days_lost", "safety_training_in_date", "protective_equipment", "federation_consent", "enhanced_rights", "status", "status_reason", "version", "created_at", "updated_at";
select "id", "force_id", "version", "steps", "created_at", "created_by" from "care_plan_templates" where ("care_plan_templates"."force_id" = '019b76da-a816-753e-993b-72cc7f21f17a' or "care_plan_templates"."force_id" is null) order by "care_plan_templates"."force_id" nulls last, "care_plan_templates"."version" desc limit '1';
select "day" from "bank_holidays" where ("bank_holidays"."region" = 'england-and-wales' and "bank_holidays"."day" between '2026-12-05' and '2027-01-05');
insert into "care_steps" ("id", "victim_id", "incident_id", "force_id", "template_id", "position", "key", "title", "description", "owner_role", "due", "due_at", "status", "status_reason", "note", "completed_at", "completed_by", "history", "version", "created_at", "updated_at") values (overlay(overlay(lpad(to_hex(:ida4::bigint), 16, '0') || lpad(to_hex(:idb4::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '1', 'supervisor_contact', 'Supervisor contacts the assaulted officer', 'A supervisor makes contact with the officer promptly to check on their welfare and explain the support available.', 'supervisor', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida5::bigint), 16, '0') || lpad(to_hex(:idb5::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '2', 'investigation_standard', 'Assault investigated like any other', 'The assault is recorded and investigated with the same care as an assault on a member of the public.', 'investigating_supervisor', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida6::bigint), 16, '0') || lpad(to_hex(:idb6::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '3', 'independent_oic', 'Officer is not the officer in charge of their own case', 'The assaulted officer is never the officer in charge of the investigation into their own assault.', 'investigating_supervisor', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida7::bigint), 16, '0') || lpad(to_hex(:idb7::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '4', 'victims_code', 'Victims'' Code applied', 'The officer is treated as a victim under the Victims'' Code: needs assessed, updates agreed, Victim Personal Statement offered, right to review explained.', 'officer_in_charge', E'{"workingDays"\x3a5}', E'2026-12-11T23\x3a59\x3a59.999Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida8::bigint), 16, '0') || lpad(to_hex(:idb8::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '5', 'health_and_safety_report', 'Health and safety report made', 'A health and safety report is made for every assault (RIDDOR applies to injuries with more than 7 days off work).', 'supervisor', E'{"workingDays"\x3a3}', E'2026-12-09T23\x3a59\x3a59.999Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida9::bigint), 16, '0') || lpad(to_hex(:idb9::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '6', 'command_informed', 'Command informed', 'Command is informed of the assault; a chief officer when the officer is hospitalised.', 'duty_inspector', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida10::bigint), 16, '0') || lpad(to_hex(:idb10::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '7', 'federation_informed', 'Federation or staff union told', 'The Police Federation or staff union is told of the assault, with the officer''s consent.', 'welfare_officer', E'{"workingDays"\x3a2}', E'2026-12-08T23\x3a59\x3a59.999Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida11::bigint), 16, '0') || lpad(to_hex(:idb11::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '1', 'supervisor_contact', 'Supervisor contacts the assaulted officer', 'A supervisor makes contact with the officer promptly to check on their welfare and explain the support available.', 'supervisor', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida12::bigint), 16, '0') || lpad(to_hex(:idb12::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '2', 'investigation_standard', 'Assault investigated like any other', 'The assault is recorded and investigated with the same care as an assault on a member of the public.', 'investigating_supervisor', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida13::bigint), 16, '0') || lpad(to_hex(:idb13::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '3', 'independent_oic', 'Officer is not the officer in charge of their own case', 'The assaulted officer is never the officer in charge of the investigation into their own assault.', 'investigating_supervisor', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida14::bigint), 16, '0') || lpad(to_hex(:idb14::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '4', 'victims_code', 'Victims'' Code applied', 'The officer is treated as a victim under the Victims'' Code: needs assessed, updates agreed, Victim Personal Statement offered, right to review explained.', 'officer_in_charge', E'{"workingDays"\x3a5}', E'2026-12-11T23\x3a59\x3a59.999Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida15::bigint), 16, '0') || lpad(to_hex(:idb15::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '5', 'health_and_safety_report', 'Health and safety report made', 'A health and safety report is made for every assault (RIDDOR applies to injuries with more than 7 days off work).', 'supervisor', E'{"workingDays"\x3a3}', E'2026-12-09T23\x3a59\x3a59.999Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida16::bigint), 16, '0') || lpad(to_hex(:idb16::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '6', 'command_informed', 'Command informed', 'Command is informed of the assault; a chief officer when the officer is hospitalised.', 'duty_inspector', E'{"hours"\x3a24}', E'2026-12-06T21\x3a14\x3a29.971Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z'), (overlay(overlay(lpad(to_hex(:ida17::bigint), 16, '0') || lpad(to_hex(:idb17::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '019b76da-a900-7000-8000-000000000001', '7', 'federation_informed', 'Federation or staff union told', 'The Police Federation or staff union is told of the assault, with the officer''s consent.', 'welfare_officer', E'{"workingDays"\x3a2}', E'2026-12-08T23\x3a59\x3a59.999Z', 'pending', default, default, default, default, default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z');
insert into "suspects" ("id", "incident_id", "force_id", "reference", "age_band", "arrested", "status", "status_reason", "version", "created_at", "updated_at") values (overlay(overlay(lpad(to_hex(:ida18::bigint), 16, '0') || lpad(to_hex(:idb18::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', NULL, '25_to_34', 'true', 'active', default, default, E'2026-12-06T00\x3a14\x3a41.887Z', E'2026-12-06T00\x3a14\x3a41.887Z') returning "id", "incident_id", "force_id", "reference", "age_band", "arrested", "status", "status_reason", "version", "created_at", "updated_at";
insert into "audit_events" ("id", "occurred_at", "actor_id", "actor_name", "actor_roles", "actor_force_id", "action", "resource_type", "resource_id", "force_id", "request_id", "reason", "changed_fields", "seq", "prev_hash", "hash", "sealed_at") values (overlay(overlay(lpad(to_hex(:ida19::bigint), 16, '0') || lpad(to_hex(:idb19::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-06T00\x3a14\x3a41.887Z', '01a248b3-c973-72f5-af80-18f0990defd1', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'incident', overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '2b61db38-f58a-44d8-b07d-31af234d2c11', NULL, '{"forceReference","occurredAt","location","circumstances","deployment","equipment","methods","hateAggravation","offences","narrative"}', default, default, default, default), (overlay(overlay(lpad(to_hex(:ida20::bigint), 16, '0') || lpad(to_hex(:idb20::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-06T00\x3a14\x3a41.887Z', '01a248b3-c973-72f5-af80-18f0990defd1', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'victim', overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '2b61db38-f58a-44d8-b07d-31af234d2c11', NULL, '{"role","serviceBand","staffNumber","injury","injuryDetail","hospitalTreatment","daysLost","safetyTrainingInDate","protectiveEquipment","federationConsent","enhancedRights"}', default, default, default, default), (overlay(overlay(lpad(to_hex(:ida21::bigint), 16, '0') || lpad(to_hex(:idb21::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-06T00\x3a14\x3a41.887Z', '01a248b3-c973-72f5-af80-18f0990defd1', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'victim', overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '2b61db38-f58a-44d8-b07d-31af234d2c11', NULL, '{"role","serviceBand","staffNumber","injury","injuryDetail","hospitalTreatment","daysLost","safetyTrainingInDate","protectiveEquipment","federationConsent","enhancedRights"}', default, default, default, default), (overlay(overlay(lpad(to_hex(:ida22::bigint), 16, '0') || lpad(to_hex(:idb22::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-06T00\x3a14\x3a41.887Z', '01a248b3-c973-72f5-af80-18f0990defd1', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'care_plan', overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '2b61db38-f58a-44d8-b07d-31af234d2c11', NULL, '{"steps"}', default, default, default, default), (overlay(overlay(lpad(to_hex(:ida23::bigint), 16, '0') || lpad(to_hex(:idb23::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-06T00\x3a14\x3a41.887Z', '01a248b3-c973-72f5-af80-18f0990defd1', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'care_plan', overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '2b61db38-f58a-44d8-b07d-31af234d2c11', NULL, '{"steps"}', default, default, default, default), (overlay(overlay(lpad(to_hex(:ida24::bigint), 16, '0') || lpad(to_hex(:idb24::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, E'2026-12-06T00\x3a14\x3a41.887Z', '01a248b3-c973-72f5-af80-18f0990defd1', 'Bench force system', '{"force_system"}', '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'suspect', overlay(overlay(lpad(to_hex(:ida18::bigint), 16, '0') || lpad(to_hex(:idb18::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '2b61db38-f58a-44d8-b07d-31af234d2c11', NULL, '{"reference","ageBand","arrested"}', default, default, default, default);
insert into "outbox_events" ("id", "force_id", "type", "data", "occurred_at", "dedupe_key", "relayed_at") values (overlay(overlay(lpad(to_hex(:ida25::bigint), 16, '0') || lpad(to_hex(:idb25::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'incident.created', ('{"incidentId":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '"}')::jsonb, E'2026-12-06T00\x3a14\x3a41.887Z', NULL, default), (overlay(overlay(lpad(to_hex(:ida26::bigint), 16, '0') || lpad(to_hex(:idb26::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'victim.created', ('{"incidentId":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victimId":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '"}')::jsonb, E'2026-12-06T00\x3a14\x3a41.887Z', NULL, default), (overlay(overlay(lpad(to_hex(:ida27::bigint), 16, '0') || lpad(to_hex(:idb27::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'victim.created', ('{"incidentId":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victimId":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '"}')::jsonb, E'2026-12-06T00\x3a14\x3a41.887Z', NULL, default) on conflict ("dedupe_key") do nothing;
commit;
