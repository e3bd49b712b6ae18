// The CHECK constraints of the enum-like columns (migrations/0016_enum_checks.sql): the database itself refuses a
// value outside its list (src/shared/enums.ts), whoever writes it, so the column types in src/db/schema hold.
import { sql, type SQL } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { newId } from '../../src/shared/ids.ts';
import { FORCE_A, incidentBody, suspectBody, victimBody } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

const h = await buildTestApp(t);
const db = h.database.db;

// One of every row with an enum-like column, recorded through the API (so with values it accepts).
const system = await h.key(['force_system'], FORCE_A);
const welfare = await h.key(['welfare_officer'], FORCE_A);
const post = async (key: string, url: string, payload: object) => {
  const res = await h.call(key, { method: 'POST', url, payload });
  // Thrown, not asserted: an assertion at the top level of the file ends tap's root test early on Postgres.
  if (res.statusCode !== 201) throw new Error(`POST ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json() as { id: string; victims?: { id: string }[]; suspects?: { id: string }[] };
};
const incident = await post(system, '/v1/incidents', incidentBody({ victims: [victimBody()], suspects: [suspectBody()] }));
const victimId = incident.victims![0]!.id;
const suspectId = incident.suspects![0]!.id;
await post(welfare, `/v1/victims/${victimId}/follow-ups`, { occurredAt: '2026-03-01T10:00:00Z', kind: 'call', contactBy: 'Welfare officer (synthetic)' });
const referral = await post(welfare, `/v1/victims/${victimId}/trim-referrals`, { referredBy: 'Supervisor (synthetic)', consent: 'given' });
await post(welfare, `/v1/trim-referrals/${referral.id}/assessments`, { kind: 'initial', assessedAt: '2026-03-02T08:00:00Z', score: 5, outcome: 'monitor' });
await post(system, `/v1/incidents/${incident.id}/justice-events`, {
  type: 'charging_decision',
  occurredAt: '2026-03-01T12:00:00Z',
  suspectId,
  decision: 'charged',
  charges: [{ offence: 'emergency_worker_common_assault' }],
});
const webhook = await post(system, '/v1/webhooks', { url: 'https://receiver.example.org/hook', eventTypes: ['incident.created'] });
const [event] = await queryRows<{ id: string }>(db, sql`select id from outbox_events where force_id = ${FORCE_A} limit 1`);

const ofIncident = sql`where incident_id = ${incident.id}`;
const refused: [constraint: string, statement: SQL][] = [
  ['forces_country_check', sql`update forces set country = 'scotland' where id = ${FORCE_A}`],
  ['forces_kind_check', sql`update forces set kind = 'national' where id = ${FORCE_A}`],
  ['principals_roles_check', sql`update principals set roles = array['force_system', 'superuser'] where force_id = ${FORCE_A}`],
  ['incidents_circumstances_check', sql`update incidents set circumstances = 'unknown' where id = ${incident.id}`],
  ['incidents_methods_check', sql`update incidents set methods = array['kick', 'stare'] where id = ${incident.id}`],
  ['incidents_hate_aggravation_check', sql`update incidents set hate_aggravation = array['age'] where id = ${incident.id}`],
  ['incidents_offences_check', sql`update incidents set offences = array['murder'] where id = ${incident.id}`],
  ['incidents_status_check', sql`update incidents set status = 'archived' where id = ${incident.id}`],
  ['incidents_location_type_check', sql`update incidents set location = location || '{"locationType": "moon"}' where id = ${incident.id}`],
  ['incidents_crewing_check', sql`update incidents set deployment = deployment || '{"crewing": "triple"}' where id = ${incident.id}`],
  ['incidents_duty_type_check', sql`update incidents set deployment = deployment || '{"dutyType": "holiday"}' where id = ${incident.id}`],
  ['victims_role_check', sql`update victims set role = 'chief' where id = ${victimId}`],
  ['victims_service_band_check', sql`update victims set service_band = '50_years' where id = ${victimId}`],
  ['victims_injury_check', sql`update victims set injury = 'grave' where id = ${victimId}`],
  ['victims_hospital_treatment_check', sql`update victims set hospital_treatment = 'discharged' where id = ${victimId}`],
  ['victims_status_check', sql`update victims set status = 'deleted' where id = ${victimId}`],
  ['victims_protective_equipment_check', sql`update victims set protective_equipment = '{"carried": ["cape"], "used": []}' where id = ${victimId}`],
  ['victims_protective_equipment_check', sql`update victims set protective_equipment = '{"carried": [], "used": ["cape"]}' where id = ${victimId}`],
  ['suspects_age_band_check', sql`update suspects set age_band = 'ancient' where id = ${suspectId}`],
  ['suspects_status_check', sql`update suspects set status = 'deleted' where id = ${suspectId}`],
  ['care_plan_templates_owner_role_check', sql`update care_plan_templates set steps = jsonb_set(steps, '{0,ownerRole}', '"janitor"') where force_id is null`],
  ['care_steps_owner_role_check', sql`update care_steps set owner_role = 'janitor' where victim_id = ${victimId}`],
  ['care_steps_status_check', sql`update care_steps set status = 'lost' where victim_id = ${victimId}`],
  [
    'care_steps_history_status_check',
    sql`update care_steps set history = '[{"status": "lost", "reason": null, "at": "2026-03-02T09:00:00Z", "by": "x"}]' where victim_id = ${victimId}`,
  ],
  ['follow_ups_kind_check', sql`update follow_ups set kind = 'carrier_pigeon' where victim_id = ${victimId}`],
  ['trim_referrals_consent_check', sql`update trim_referrals set consent = 'maybe' where id = ${referral.id}`],
  ['trim_referrals_status_check', sql`update trim_referrals set status = 'paused' where id = ${referral.id}`],
  ['trim_referrals_outcome_check', sql`update trim_referrals set outcome = 'cured' where id = ${referral.id}`],
  ['trim_assessments_kind_check', sql`update trim_assessments set kind = 'final' where referral_id = ${referral.id}`],
  ['trim_assessments_outcome_check', sql`update trim_assessments set outcome = 'cured' where referral_id = ${referral.id}`],
  ['justice_events_type_check', sql`update justice_events set type = 'rumour' ${ofIncident}`],
  ['justice_cases_status_check', sql`update justice_cases set status = 'solved' ${ofIncident}`],
  ['victim_notifications_decision_type_check', sql`update victim_notifications set decision_type = 'arrest' ${ofIncident}`],
  ['outbox_events_type_check', sql`update outbox_events set type = 'incident.deleted' where id = ${event!.id}`],
  ['webhook_subscriptions_event_types_check', sql`update webhook_subscriptions set event_types = array['incident.deleted'] where id = ${webhook.id}`],
  ['webhook_subscriptions_status_check', sql`update webhook_subscriptions set status = 'paused' where id = ${webhook.id}`],
  [
    'webhook_deliveries_status_check',
    sql`insert into webhook_deliveries (id, subscription_id, event_id, force_id, status, created_at) values (${newId()}, ${webhook.id}, ${event!.id}, ${FORCE_A}, 'lost', now())`,
  ],
];

t.test('a value outside its list is refused by the CHECK constraint of its column', async (t) => {
  for (const [constraint, statement] of refused) {
    const err = await db.execute(statement).then(
      () => null,
      (e: unknown) => e as { cause?: { code?: string; constraint?: string } },
    );
    t.equal(err?.cause?.code, '23514', `${constraint}: refused as a check violation`);
    t.equal(err?.cause?.constraint, constraint, `${constraint}: by that constraint`);
  }
});

t.test('every listed value is accepted: the checks are no narrower than the lists', async (t) => {
  const accepted: [what: string, statement: SQL][] = [
    [
      'all methods',
      sql`update incidents set methods = array['punch', 'kick', 'push_or_grab', 'spit', 'bite', 'head_butt', 'weapon', 'vehicle', 'thrown_object', 'threat_without_contact', 'abuse_without_contact', 'other'] where id = ${incident.id}`,
    ],
    ['no location type', sql`update incidents set location = location || '{"locationType": null}' where id = ${incident.id}`],
    ['no service band', sql`update victims set service_band = null where id = ${victimId}`],
    [
      'all protective items',
      sql`update victims set protective_equipment = '{"carried": ["body_worn_video", "taser", "spit_and_bite_guard", "body_armour", "baton", "incapacitant_spray", "handcuffs", "shield"], "used": []}' where id = ${victimId}`,
    ],
    [
      'every history status',
      sql`update care_steps set history = '[{"status": "done"}, {"status": "not_applicable"}, {"status": "declined"}, {"status": "pending"}]' where victim_id = ${victimId}`,
    ],
    ['no TRiM outcome', sql`update trim_referrals set outcome = null where id = ${referral.id}`],
  ];
  for (const [what, statement] of accepted) await t.resolves(db.execute(statement), what);
});
