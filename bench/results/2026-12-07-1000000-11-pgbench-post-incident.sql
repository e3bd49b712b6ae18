-- POST incident (2 victims, 1 suspect): the transaction the service sent, captured with SQL_CAPTURE_FILE (bench/run.ts writes this file).
-- Substitutions: each id the request generated -> a random uuid built from two pgbench random numbers (\set,
-- evaluated by pgbench without a round trip; sent as parameters), the same one wherever the id appears;
-- JSON or text holding such ids is rebuilt by concatenation and cast to its column type; the request's unique
-- forceReference -> 'pgb-' || gen_random_uuid() (inside JSON too); every other parameter -> a literal of the text the driver sent.
-- The service opens the transaction with BEGIN and the scope's settings in one simple-protocol message, and sends
-- its audit rows (and a write its outbox rows) with COMMIT the same way (src/db/begin.ts); pgbench in extended mode
-- cannot send two statements as one, so here each is its own command: 3 round trips more than the service's 4.
-- Not in the script: 137 other statements captured in the same window (the request's key lookup outside its transaction, and the sealer or webhook relay running beside it):
--   begin
--   select stats_drain($1) as n
--   select "id", "force_id", "type", "data"->>'incidentId' from "outbox_events" where "outbox_events"."relayed_at" is null order by "outbox_events"."id" a
--   select "id", "force_id", "event_types" from "webhook_subscriptions" where ("webhook_subscriptions"."force_id" in ($1) and "webhook_subscriptions"."sta
--   update "outbox_events" set "relayed_at" = $1 where "outbox_events"."id" in ($2, $3, $4)
--   select "id", "subscription_id" from "webhook_deliveries" where "webhook_deliveries"."status" = $1 limit $2 for update skip locked
--   commit
--    WITH next as ( SELECT id, singleton_key, policy FROM pgboss.job WHERE name = $1 AND state < 'active' AND start_after < now() ORDER BY priority desc, 
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
begin; select set_config('role', 'oar_app', true), set_config('app.force_id', '019b76da-a816-753e-993b-72cc7f21f17a', true);
with i as (insert into "incidents" ("id", "force_id", "force_reference", "occurred_at", "location", "circumstances", "deployment", "equipment", "methods", "hate_aggravation", "offences", "narrative", "personal_data_erased_at", "health_data_erased_at", "status", "status_reason", "version", "created_at", "updated_at") select r."id", r."force_id", r."force_reference", r."occurred_at", r."location", r."circumstances", r."deployment", r."equipment", coalesce(r."methods", '{}'::text[]), coalesce(r."hate_aggravation", '{}'::text[]), coalesce(r."offences", '{}'::text[]), r."narrative", r."personal_data_erased_at", r."health_data_erased_at", r."status", r."status_reason", r."version", r."created_at", r."updated_at" from jsonb_populate_recordset(null::"incidents", ('[{"id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","force_reference":"' || ('pgb-' || gen_random_uuid()::text) || E'","occurred_at"\x3a"2026-12-07T14\x3a30\x3a19.154Z","location"\x3a{"description"\x3a"Synthetic benchmark location","locationType"\x3a"street","latitude"\x3anull,"longitude"\x3anull},"circumstances"\x3a"arrest","deployment"\x3a{"crewing"\x3a"double","dutyType"\x3a"response"},"equipment"\x3a{"bodyWornVideo"\x3a{"worn"\x3atrue,"activated"\x3atrue,"footageRetained"\x3anull},"taser"\x3a{"drawn"\x3afalse,"discharged"\x3anull},"spitAndBiteGuardUsed"\x3anull,"bodyArmourWorn"\x3anull},"methods"\x3a["punch","spit"],"hate_aggravation"\x3a[],"offences"\x3a["emergency_worker_common_assault"],"narrative"\x3anull,"personal_data_erased_at"\x3anull,"health_data_erased_at"\x3anull,"status"\x3a"open","status_reason"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"}]')::jsonb) r on conflict (force_id, force_reference) do nothing returning *)
      select (select row_to_json(i) from i) as incident, (select row_to_json(t) from (select * from care_plan_templates c where c.force_id = '019b76da-a816-753e-993b-72cc7f21f17a' or c.force_id is null order by c.force_id nulls last, c.version desc limit 1) t) as template, (select json_agg(h.day) from bank_holidays h where h.region = 'england-and-wales' and h.day between '2026-12-07'::date and '2028-05-31'::date) as holidays;
with v as (insert into "victims" ("id", "incident_id", "force_id", "role", "service_band", "staff_number", "injury", "injury_detail", "hospital_treatment", "days_lost", "safety_training_in_date", "protective_equipment", "federation_consent", "enhanced_rights", "status", "status_reason", "version", "created_at", "updated_at") select r."id", r."incident_id", r."force_id", r."role", r."service_band", r."staff_number", r."injury", r."injury_detail", r."hospital_treatment", r."days_lost", r."safety_training_in_date", r."protective_equipment", r."federation_consent", r."enhanced_rights", r."status", r."status_reason", r."version", r."created_at", r."updated_at" from jsonb_populate_recordset(null::"victims", ('[{"id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || E'","role"\x3a"constable","service_band"\x3a"2_to_5_years","staff_number"\x3a"SYNBENCH1","injury"\x3a"minor","injury_detail"\x3anull,"hospital_treatment"\x3a"none","days_lost"\x3anull,"safety_training_in_date"\x3anull,"protective_equipment"\x3a{"carried"\x3a[],"used"\x3a[]},"federation_consent"\x3atrue,"enhanced_rights"\x3afalse,"status"\x3a"active","status_reason"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || E'","role"\x3a"sergeant","service_band"\x3a"10_to_20_years","staff_number"\x3a"SYNBENCH2","injury"\x3a"none","injury_detail"\x3anull,"hospital_treatment"\x3a"none","days_lost"\x3anull,"safety_training_in_date"\x3anull,"protective_equipment"\x3a{"carried"\x3a[],"used"\x3a[]},"federation_consent"\x3afalse,"enhanced_rights"\x3afalse,"status"\x3a"active","status_reason"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"}]')::jsonb) r returning *),
      c as (insert into "care_steps" ("id", "victim_id", "incident_id", "force_id", "template_id", "position", "key", "title", "description", "owner_role", "due", "due_at", "status", "status_reason", "note", "completed_at", "completed_by", "history", "version", "created_at", "updated_at") select r."id", r."victim_id", r."incident_id", r."force_id", r."template_id", r."position", r."key", r."title", r."description", r."owner_role", r."due", r."due_at", r."status", r."status_reason", r."note", r."completed_at", r."completed_by", coalesce(r."history", '[]'::jsonb), r."version", r."created_at", r."updated_at" from jsonb_populate_recordset(null::"care_steps", ('[{"id":"' || overlay(overlay(lpad(to_hex(:ida4::bigint), 16, '0') || lpad(to_hex(:idb4::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a1,"key"\x3a"supervisor_contact","title"\x3a"Supervisor contacts the assaulted officer","description"\x3a"A supervisor makes contact with the officer promptly to check on their welfare and explain the support available.","owner_role"\x3a"supervisor","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida5::bigint), 16, '0') || lpad(to_hex(:idb5::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a2,"key"\x3a"investigation_standard","title"\x3a"Assault investigated like any other","description"\x3a"The assault is recorded and investigated with the same care as an assault on a member of the public.","owner_role"\x3a"investigating_supervisor","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida6::bigint), 16, '0') || lpad(to_hex(:idb6::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a3,"key"\x3a"independent_oic","title"\x3a"Officer is not the officer in charge of their own case","description"\x3a"The assaulted officer is never the officer in charge of the investigation into their own assault.","owner_role"\x3a"investigating_supervisor","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida7::bigint), 16, '0') || lpad(to_hex(:idb7::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a4,"key"\x3a"victims_code","title"\x3a"Victims\' Code applied","description"\x3a"The officer is treated as a victim under the Victims\' Code\x3a needs assessed, updates agreed, Victim Personal Statement offered, right to review explained.","owner_role"\x3a"officer_in_charge","due"\x3a{"workingDays"\x3a5},"due_at"\x3a"2026-12-14T23\x3a59\x3a59.999Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida8::bigint), 16, '0') || lpad(to_hex(:idb8::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a5,"key"\x3a"health_and_safety_report","title"\x3a"Health and safety report made","description"\x3a"A health and safety report is made for every assault (RIDDOR applies to injuries with more than 7 days off work).","owner_role"\x3a"supervisor","due"\x3a{"workingDays"\x3a3},"due_at"\x3a"2026-12-10T23\x3a59\x3a59.999Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida9::bigint), 16, '0') || lpad(to_hex(:idb9::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a6,"key"\x3a"command_informed","title"\x3a"Command informed","description"\x3a"Command is informed of the assault; a chief officer when the officer is hospitalised.","owner_role"\x3a"duty_inspector","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida10::bigint), 16, '0') || lpad(to_hex(:idb10::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a7,"key"\x3a"federation_informed","title"\x3a"Federation or staff union told","description"\x3a"The Police Federation or staff union is told of the assault, with the officer\'s consent.","owner_role"\x3a"welfare_officer","due"\x3a{"workingDays"\x3a2},"due_at"\x3a"2026-12-09T23\x3a59\x3a59.999Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida11::bigint), 16, '0') || lpad(to_hex(:idb11::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a1,"key"\x3a"supervisor_contact","title"\x3a"Supervisor contacts the assaulted officer","description"\x3a"A supervisor makes contact with the officer promptly to check on their welfare and explain the support available.","owner_role"\x3a"supervisor","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida12::bigint), 16, '0') || lpad(to_hex(:idb12::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a2,"key"\x3a"investigation_standard","title"\x3a"Assault investigated like any other","description"\x3a"The assault is recorded and investigated with the same care as an assault on a member of the public.","owner_role"\x3a"investigating_supervisor","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida13::bigint), 16, '0') || lpad(to_hex(:idb13::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a3,"key"\x3a"independent_oic","title"\x3a"Officer is not the officer in charge of their own case","description"\x3a"The assaulted officer is never the officer in charge of the investigation into their own assault.","owner_role"\x3a"investigating_supervisor","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida14::bigint), 16, '0') || lpad(to_hex(:idb14::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a4,"key"\x3a"victims_code","title"\x3a"Victims\' Code applied","description"\x3a"The officer is treated as a victim under the Victims\' Code\x3a needs assessed, updates agreed, Victim Personal Statement offered, right to review explained.","owner_role"\x3a"officer_in_charge","due"\x3a{"workingDays"\x3a5},"due_at"\x3a"2026-12-14T23\x3a59\x3a59.999Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida15::bigint), 16, '0') || lpad(to_hex(:idb15::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a5,"key"\x3a"health_and_safety_report","title"\x3a"Health and safety report made","description"\x3a"A health and safety report is made for every assault (RIDDOR applies to injuries with more than 7 days off work).","owner_role"\x3a"supervisor","due"\x3a{"workingDays"\x3a3},"due_at"\x3a"2026-12-10T23\x3a59\x3a59.999Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida16::bigint), 16, '0') || lpad(to_hex(:idb16::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a6,"key"\x3a"command_informed","title"\x3a"Command informed","description"\x3a"Command is informed of the assault; a chief officer when the officer is hospitalised.","owner_role"\x3a"duty_inspector","due"\x3a{"hours"\x3a24},"due_at"\x3a"2026-12-08T14\x3a30\x3a19.154Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"},{"id"\x3a"' || overlay(overlay(lpad(to_hex(:ida17::bigint), 16, '0') || lpad(to_hex(:idb17::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","victim_id":"' || overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || '","template_id":"' || '019b76da-a900-7000-8000-000000000001' || E'","position"\x3a7,"key"\x3a"federation_informed","title"\x3a"Federation or staff union told","description"\x3a"The Police Federation or staff union is told of the assault, with the officer\'s consent.","owner_role"\x3a"welfare_officer","due"\x3a{"workingDays"\x3a2},"due_at"\x3a"2026-12-09T23\x3a59\x3a59.999Z","status"\x3a"pending","status_reason"\x3anull,"note"\x3anull,"completed_at"\x3anull,"completed_by"\x3anull,"history"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"}]')::jsonb) r),
      s as (insert into "suspects" ("id", "incident_id", "force_id", "reference", "age_band", "arrested", "status", "status_reason", "version", "created_at", "updated_at") select r."id", r."incident_id", r."force_id", r."reference", r."age_band", r."arrested", r."status", r."status_reason", r."version", r."created_at", r."updated_at" from jsonb_populate_recordset(null::"suspects", ('[{"id":"' || overlay(overlay(lpad(to_hex(:ida18::bigint), 16, '0') || lpad(to_hex(:idb18::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","incident_id":"' || overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid::text || '","force_id":"' || '019b76da-a816-753e-993b-72cc7f21f17a' || E'","reference"\x3anull,"age_band"\x3a"25_to_34","arrested"\x3atrue,"status"\x3a"active","status_reason"\x3anull,"version"\x3a1,"created_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z","updated_at"\x3a"2026-12-07T17\x3a31\x3a06.130Z"}]')::jsonb) r returning *)
      select (select json_agg(v) from v) as victims, (select json_agg(s) from s) as suspects;
insert into audit_events (id, occurred_at, actor_id, actor_name, actor_roles, actor_force_id, action, resource_type, resource_id, force_id, request_id, reason, changed_fields) values (overlay(overlay(lpad(to_hex(:ida19::bigint), 16, '0') || lpad(to_hex(:idb19::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T17:31:06.130Z', '01a2518f-1a9d-761c-be6f-f7d00e8a96bb', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'incident', overlay(overlay(lpad(to_hex(:ida1::bigint), 16, '0') || lpad(to_hex(:idb1::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '5cee0a36-fd91-4164-8883-00b4fa73703a', null, array['forceReference', 'occurredAt', 'location', 'circumstances', 'deployment', 'equipment', 'methods', 'hateAggravation', 'offences', 'narrative']::text[]), (overlay(overlay(lpad(to_hex(:ida20::bigint), 16, '0') || lpad(to_hex(:idb20::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T17:31:06.130Z', '01a2518f-1a9d-761c-be6f-f7d00e8a96bb', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'victim', overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '5cee0a36-fd91-4164-8883-00b4fa73703a', null, array['role', 'serviceBand', 'staffNumber', 'injury', 'injuryDetail', 'hospitalTreatment', 'daysLost', 'safetyTrainingInDate', 'protectiveEquipment', 'federationConsent', 'enhancedRights']::text[]), (overlay(overlay(lpad(to_hex(:ida21::bigint), 16, '0') || lpad(to_hex(:idb21::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T17:31:06.130Z', '01a2518f-1a9d-761c-be6f-f7d00e8a96bb', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'victim', overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '5cee0a36-fd91-4164-8883-00b4fa73703a', null, array['role', 'serviceBand', 'staffNumber', 'injury', 'injuryDetail', 'hospitalTreatment', 'daysLost', 'safetyTrainingInDate', 'protectiveEquipment', 'federationConsent', 'enhancedRights']::text[]), (overlay(overlay(lpad(to_hex(:ida22::bigint), 16, '0') || lpad(to_hex(:idb22::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T17:31:06.130Z', '01a2518f-1a9d-761c-be6f-f7d00e8a96bb', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'care_plan', overlay(overlay(lpad(to_hex(:ida2::bigint), 16, '0') || lpad(to_hex(:idb2::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '5cee0a36-fd91-4164-8883-00b4fa73703a', null, array['steps']::text[]), (overlay(overlay(lpad(to_hex(:ida23::bigint), 16, '0') || lpad(to_hex(:idb23::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T17:31:06.130Z', '01a2518f-1a9d-761c-be6f-f7d00e8a96bb', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'care_plan', overlay(overlay(lpad(to_hex(:ida3::bigint), 16, '0') || lpad(to_hex(:idb3::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '5cee0a36-fd91-4164-8883-00b4fa73703a', null, array['steps']::text[]), (overlay(overlay(lpad(to_hex(:ida24::bigint), 16, '0') || lpad(to_hex(:idb24::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '2026-12-07T17:31:06.130Z', '01a2518f-1a9d-761c-be6f-f7d00e8a96bb', 'Bench force system', array['force_system']::text[], '019b76da-a816-753e-993b-72cc7f21f17a', 'create', 'suspect', overlay(overlay(lpad(to_hex(:ida18::bigint), 16, '0') || lpad(to_hex(:idb18::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', '5cee0a36-fd91-4164-8883-00b4fa73703a', null, array['reference', 'ageBand', 'arrested']::text[]); insert into outbox_events (id, force_id, type, data, occurred_at, dedupe_key) values (overlay(overlay(lpad(to_hex(:ida25::bigint), 16, '0') || lpad(to_hex(:idb25::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'incident.created', '{"incidentId":"01a2518f-2813-7799-9232-676fba3809f6"}'::jsonb, '2026-12-07T17:31:06.130Z', null), (overlay(overlay(lpad(to_hex(:ida26::bigint), 16, '0') || lpad(to_hex(:idb26::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'victim.created', '{"incidentId":"01a2518f-2813-7799-9232-676fba3809f6","victimId":"01a2518f-2816-7117-9949-8366070f501c"}'::jsonb, '2026-12-07T17:31:06.130Z', null), (overlay(overlay(lpad(to_hex(:ida27::bigint), 16, '0') || lpad(to_hex(:idb27::bigint), 16, '0') placing '4' from 13) placing '8' from 17)::uuid, '019b76da-a816-753e-993b-72cc7f21f17a', 'victim.created', '{"incidentId":"01a2518f-2813-7799-9232-676fba3809f6","victimId":"01a2518f-2816-7117-9949-851bdcca8f60"}'::jsonb, '2026-12-07T17:31:06.130Z', null) on conflict (dedupe_key) do nothing; commit;
