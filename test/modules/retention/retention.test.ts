// Retention: past the configured periods, personal and health data go; the records, statistics and the
// audit trail stay, and every removal is audited.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../../src/db/client.ts';
import { applyRetention, dueForRetention } from '../../../src/modules/retention/service.ts';
import { buildTestApp } from '../../helper.ts';
import { FORCE_A, incidentBody, suspectBody, victimBody } from '../../factories.ts';

const policy = { personalDataYears: 7, healthDataYears: 7 };

t.test('dry run lists what is due; a real run removes it, audits each record, and leaves the audit trail alone', async (t) => {
  const h = await buildTestApp(t);
  const fs = await h.key(['force_system'], FORCE_A);
  const wo = await h.key(['welfare_officer'], FORCE_A);
  h.clock.set('2026-03-02T12:00:00Z');
  const make = async (occurredAt: string) =>
    (
      await h.call(fs, {
        method: 'POST',
        url: '/v1/incidents',
        payload: incidentBody({
          occurredAt,
          narrative: 'Synthetic personal narrative',
          victims: [victimBody({ injuryDetail: 'Synthetic injury detail' })],
          suspects: [suspectBody()],
        }),
      })
    ).json();
  const old = await make('2018-05-01T10:00:00Z');
  const oldOpen = await make('2018-06-01T10:00:00Z');
  const recent = await make('2025-05-01T10:00:00Z');
  // Close the old one; the old open one stays open (an open case keeps its personal data).
  t.equal(
    (
      await h.call(fs, {
        method: 'PATCH',
        url: `/v1/incidents/${old.id}`,
        headers: { 'if-match': '"1"' },
        payload: { status: 'closed', statusReason: 'Case concluded' },
      })
    ).statusCode,
    200,
  );
  const plan = (await h.call(wo, { method: 'GET', url: `/v1/victims/${old.victims[0].id}/care-plan`, headers: { 'x-access-reason': 'test' } })).json();
  await h.call(wo, {
    method: 'PATCH',
    url: `/v1/care-steps/${plan.steps[0].id}`,
    headers: { 'if-match': `"${plan.steps[0].version}"` },
    payload: { status: 'done', note: 'Synthetic health note' },
  });
  await h.call(wo, {
    method: 'POST',
    url: `/v1/victims/${old.victims[0].id}/follow-ups`,
    payload: { occurredAt: '2026-03-01T10:00:00Z', kind: 'call', contactBy: 'Welfare', note: 'Synthetic follow-up note' },
  });

  const due = await dueForRetention(h.database.db, policy, h.clock.now());
  t.same(
    due.personal.map((r) => r.incidentId),
    [old.id],
    'personal: closed and older than 7 years',
  );
  t.same(due.health.map((r) => r.incidentId).sort(), [old.id, oldOpen.id].sort(), 'health: older than 7 years, open or not');
  const untouched = await queryRows<{ narrative: string | null }>(h.database.db, sql`select narrative from incidents where id = ${old.id}`);
  t.equal(untouched[0]!.narrative, 'Synthetic personal narrative', 'a dry run changes nothing');

  await h.seal();
  const auditBefore = await queryRows<{ n: number; hash: string }>(h.database.db, sql`select count(*)::int as n, max(hash) as hash from audit_events`);
  const done = await applyRetention(h.database.db, h.clock, policy);
  t.match(done, { personal: 1, health: 2 });
  t.equal(done.auditEvents, 1 + 1 + 1 + 2, 'the incident, its victim and suspect; health data of two victims');

  const read = (await h.call(fs, { method: 'GET', url: `/v1/incidents/${old.id}` })).json();
  t.equal(read.narrative, null);
  t.equal(read.location.description, null);
  t.equal(read.location.locationType, 'street', 'non-personal fields stay');
  t.equal(read.victims[0].staffNumber, null);
  const health = (await h.call(wo, { method: 'GET', url: `/v1/victims/${old.victims[0].id}`, headers: { 'x-access-reason': 'test' } })).json();
  t.equal(health.injuryDetail, null);
  t.equal(read.victims[0].injury, 'minor', 'the facts statistics use stay');
  t.equal(read.suspects[0].reference, null);
  const notes = await queryRows<{ n: number }>(
    h.database.db,
    sql`
    select (select count(*) from care_steps where incident_id = ${old.id} and note is not null)
         + (select count(*) from follow_ups where incident_id = ${old.id} and note is not null) as n`,
  );
  t.equal(Number(notes[0]!.n), 0, 'health notes gone');
  const recentRead = (await h.call(fs, { method: 'GET', url: `/v1/incidents/${recent.id}` })).json();
  t.equal(recentRead.narrative, 'Synthetic personal narrative', 'recent records untouched');
  const openRead = (await h.call(fs, { method: 'GET', url: `/v1/incidents/${oldOpen.id}` })).json();
  t.equal(openRead.victims[0].staffNumber !== null, true, 'an open old case keeps its personal data');

  const erasures = await queryRows<{ resource_type: string; n: number }>(
    h.database.db,
    sql`select resource_type, count(*)::int as n from audit_events where action = 'erase' group by resource_type order by resource_type`,
  );
  t.same(
    erasures.map((e) => [e.resource_type, Number(e.n)]),
    [
      ['incident', 1],
      ['suspect', 1],
      ['victim', 1],
      ['victim_health_data', 2],
    ],
  );
  await h.seal();
  const verify = (await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events/verify' })).json();
  t.equal(verify.intact, true, 'the audit chain is intact: retention never touches it');
  t.ok(verify.sealed >= Number(auditBefore[0]!.n) + done.auditEvents, 'earlier events all still there');

  const again = await applyRetention(h.database.db, h.clock, policy);
  t.same(again, { personal: 0, health: 0, auditEvents: 0 }, 'a second run finds nothing left to do');
  const stats = (await h.call(h.adminKey, { method: 'GET', url: `/v1/stats/summary?forceId=${FORCE_A}&from=2018-01-01&to=2018-12-31` })).json();
  t.equal(stats.total.counts.incidents, 2, 'statistics still count the anonymised incidents');
});

t.test('erasure reaches the answers kept for Idempotency-Key replays: a replay after erasure shows none of the erased values (#20 item 19)', async (t) => {
  const h = await buildTestApp(t);
  const fs = await h.key(['force_system'], FORCE_A);
  const wo = await h.key(['welfare_officer'], FORCE_A);
  h.clock.set('2026-03-02T12:00:00Z');
  const secret = {
    narrative: 'Synthetic erasable narrative',
    place: 'Synthetic erasable street',
    staff: 'SYN-ERASE-4711',
    nominal: 'NOMINAL-ERASE-0815',
    note: 'Synthetic erasable follow-up note',
  };
  const body = incidentBody({
    occurredAt: '2018-05-01T10:00:00Z',
    narrative: secret.narrative,
    location: { description: secret.place, locationType: 'street', latitude: 51.45, longitude: -2.58 },
    victims: [victimBody({ staffNumber: secret.staff })],
    suspects: [suspectBody({ reference: secret.nominal })],
  });
  const post = () => h.call(fs, { method: 'POST', url: '/v1/incidents', headers: { 'idempotency-key': 'erase-replay-incident' }, payload: body });
  const first = await post();
  t.equal(first.statusCode, 201);
  const incident = first.json();
  const followUpBody = { occurredAt: '2026-03-01T10:00:00Z', kind: 'call', contactBy: 'Welfare', note: secret.note };
  const postFollowUp = () =>
    h.call(wo, {
      method: 'POST',
      url: `/v1/victims/${incident.victims[0].id}/follow-ups`,
      headers: { 'idempotency-key': 'erase-replay-follow-up' },
      payload: followUpBody,
    });
  t.equal((await postFollowUp()).statusCode, 201);
  // Another incident, not due, keeps its replay.
  const keptBody = incidentBody({ occurredAt: '2025-05-01T10:00:00Z' });
  const postKept = () => h.call(fs, { method: 'POST', url: '/v1/incidents', headers: { 'idempotency-key': 'erase-replay-kept' }, payload: keptBody });
  t.equal((await postKept()).statusCode, 201);

  const before = await post();
  t.equal(before.headers['idempotent-replayed'], 'true', 'before erasure the key replays');
  t.match(before.body, secret.narrative);
  t.equal(
    (
      await h.call(fs, {
        method: 'PATCH',
        url: `/v1/incidents/${incident.id}`,
        headers: { 'if-match': '"1"' },
        payload: { status: 'closed', statusReason: 'Case concluded' },
      })
    ).statusCode,
    200,
  );

  const done = await applyRetention(h.database.db, h.clock, policy);
  t.match(done, { personal: 1, health: 1 });

  for (const [what, replay] of [
    ['incident', post],
    ['follow-up', postFollowUp],
  ] as const) {
    const res = await replay();
    t.equal(res.statusCode, 422, `${what}: the erased answer is not replayed`);
    t.equal(res.json().type, '/problems/idempotent-answer-erased', what);
    for (const value of Object.values(secret)) t.notMatch(res.body, value, `${what}: no erased value (${value})`);
  }
  const incidentCount = await queryRows<{ n: number }>(
    h.database.db,
    sql`select count(*)::int as n from incidents where force_reference = ${body.forceReference}`,
  );
  t.equal(Number(incidentCount[0]!.n), 1, 'the request is not run again');
  const stored = await queryRows<{ body: string | null }>(
    h.database.db,
    sql`select response_body::text as body from idempotency_keys where key in ('erase-replay-incident', 'erase-replay-follow-up')`,
  );
  t.same(
    stored.map((r) => r.body),
    [null, null],
    'the kept answers are gone from the database',
  );
  const kept = await postKept();
  t.equal(kept.statusCode, 201, 'an answer about a record not erased still replays');
  t.equal(kept.headers['idempotent-replayed'], 'true');
  const erasedAudit = await queryRows<{ n: number }>(
    h.database.db,
    sql`select count(*)::int as n from audit_events where action = 'erase' and resource_type = 'idempotent_answers' and resource_id = ${incident.id}`,
  );
  t.equal(Number(erasedAudit[0]!.n), 1, 'the erasure of kept answers is audited (all went with the personal fields; the health pass found none left)');
});
