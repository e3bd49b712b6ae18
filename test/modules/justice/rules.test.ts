// The rules of POST /v1/incidents/{id}/justice-events: impossible sequences and missing details are 422
// problems naming the field, malformed events are 400, nothing is half-written; who may post and read;
// force scoping; idempotent replays; audit rows.
import t from 'tap';
import { count, eq } from 'drizzle-orm';
import { justiceCases, justiceEvents, victimNotifications } from '../../../src/db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { auditOf, event, justice, ok, postEvent, problem, recordIncident, rule, type T } from './support.ts';

const NOW = '2026-09-01T09:00:00Z';
const UNKNOWN = '019b76da-ffff-7fff-bfff-ffffffffffff';

/** Everything a rejected event could have touched, for before/after comparisons. */
async function snapshot(t: T, h: TestApp, key: string, incidentId: string) {
  const db = h.database.db;
  const [events] = await db.select({ n: count() }).from(justiceEvents).where(eq(justiceEvents.incidentId, incidentId));
  const [notifications] = await db.select({ n: count() }).from(victimNotifications).where(eq(victimNotifications.incidentId, incidentId));
  const caseRows = await db.select().from(justiceCases).where(eq(justiceCases.incidentId, incidentId));
  const view = await justice(t, h, key, incidentId);
  return { events: events!.n, notifications: notifications!.n, caseRows, view };
}

t.test('justice event rules', async (t) => {
  const h = await buildTestApp(t);
  h.clock.set(NOW);
  const fs = await h.key(['force_system'], FORCE_A);

  // One incident with two defendants and two officers; X is convicted on one charge, Y charged only.
  const inc = await recordIncident(t, h, fs, { suspects: [{}, {}], victims: [{}, { role: 'sergeant' }] });
  const [x, y] = inc.suspects as [string, string];
  const [v1] = inc.victims as [string];
  const arrest = await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2026-03-01T01:00:00Z', suspectId: x });
  const cx = await event(t, h, fs, inc.id, {
    type: 'charging_decision',
    occurredAt: '2026-03-01T12:00:00Z',
    suspectId: x,
    decision: 'charged',
    charges: [{ offence: 'abh_s47' }, { offence: 'emergency_worker_common_assault' }],
  });
  const cy = await event(t, h, fs, inc.id, {
    type: 'charging_decision',
    occurredAt: '2026-03-01T12:30:00Z',
    suspectId: y,
    decision: 'charged',
    charges: [{ offence: 'emergency_worker_common_assault' }],
  });
  const [x1, x2] = cx.charges.map((c: { id: string }) => c.id) as [string, string];
  const [y1] = cy.charges.map((c: { id: string }) => c.id) as [string];
  await event(t, h, fs, inc.id, { type: 'court_result', occurredAt: '2026-05-05T15:00:00+01:00', suspectId: x, chargeId: x1, result: 'convicted' });

  // Another incident of the same force, with its own people and decision.
  const other = await recordIncident(t, h, fs);
  const otherDecision = await event(t, h, fs, other.id, {
    type: 'charging_decision',
    occurredAt: '2026-03-02T12:00:00Z',
    suspectId: other.suspects[0],
    decision: 'charged',
    charges: [{ offence: 'threats_or_abuse' }],
  });

  const at = '2026-08-01T10:00:00+01:00';

  t.test('422: impossible sequences and missing details, each naming its field; the timeline is unchanged', async (t) => {
    const before = await snapshot(t, h, fs, inc.id);
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'a sentence with no conviction of that defendant',
        { type: 'sentence', occurredAt: at, suspectId: y, sentence: 'fine', amountPence: 10_000 },
        'suspectId',
      ],
      ['a sentence on a charge not (yet) convicted', { type: 'sentence', occurredAt: at, suspectId: x, chargeId: x2, sentence: 'discharge' }, 'chargeId'],
      [
        'a sentence on a convicted charge of another defendant',
        { type: 'sentence', occurredAt: at, suspectId: y, chargeId: x1, sentence: 'discharge' },
        'chargeId',
      ],
      [
        'a court result on a charge of another suspect',
        { type: 'court_result', occurredAt: at, suspectId: y, chargeId: x2, result: 'guilty_plea' },
        'chargeId',
      ],
      ['a court result on an unknown charge', { type: 'court_result', occurredAt: at, suspectId: x, chargeId: UNKNOWN, result: 'guilty_plea' }, 'chargeId'],
      [
        'a court result on a charge of another incident',
        { type: 'court_result', occurredAt: at, suspectId: x, chargeId: otherDecision.charges[0].id, result: 'guilty_plea' },
        'chargeId',
      ],
      ['an arrest of a suspect of another incident', { type: 'arrest', occurredAt: at, suspectId: other.suspects[0] }, 'suspectId'],
      ['a result for an unknown suspect', { type: 'court_result', occurredAt: at, suspectId: UNKNOWN, chargeId: x2, result: 'convicted' }, 'suspectId'],
      ['a victim of another incident', { type: 'victim_personal_statement', occurredAt: at, victimId: other.victims[0], status: 'made' }, 'victimId'],
      [
        'a victim update to a victim of another incident',
        { type: 'victim_update', occurredAt: at, victimId: other.victims[0], about: [cx.id], method: 'phone', toldBy: 'OIC (synthetic)' },
        'victimId',
      ],
      [
        'a victim update about an arrest',
        { type: 'victim_update', occurredAt: at, victimId: v1, about: [arrest.id], method: 'phone', toldBy: 'OIC (synthetic)' },
        'about',
      ],
      [
        'a victim update about a decision of another incident',
        { type: 'victim_update', occurredAt: at, victimId: v1, about: [cx.id, otherDecision.id], method: 'email', toldBy: 'OIC (synthetic)' },
        'about',
      ],
      [
        'a review of something that is not a charging decision',
        { type: 'review_requested', occurredAt: at, victimId: v1, decisionEventId: arrest.id },
        'decisionEventId',
      ],
      ['charged with no charges', { type: 'charging_decision', occurredAt: at, suspectId: y, decision: 'charged', charges: [] }, 'charges'],
      ['summonsed with no charges (charges left out)', { type: 'charging_decision', occurredAt: at, suspectId: y, decision: 'summonsed' }, 'charges'],
      [
        'no further action with charges',
        { type: 'charging_decision', occurredAt: at, suspectId: y, decision: 'no_further_action', charges: [{ offence: 'abh_s47' }] },
        'charges',
      ],
      [
        'a caution with charges',
        { type: 'charging_decision', occurredAt: at, suspectId: y, decision: 'caution', charges: [{ offence: 'abh_s47' }] },
        'charges',
      ],
      ['a fine without amountPence', { type: 'sentence', occurredAt: at, suspectId: x, chargeId: x1, sentence: 'fine' }, 'amountPence'],
      ['compensation without amountPence', { type: 'sentence', occurredAt: at, suspectId: x, chargeId: x1, sentence: 'compensation' }, 'amountPence'],
      [
        'immediate custody without custodyMonths',
        { type: 'sentence', occurredAt: at, suspectId: x, chargeId: x1, sentence: 'immediate_custody' },
        'custodyMonths',
      ],
      ['a suspended sentence without custodyMonths', { type: 'sentence', occurredAt: at, suspectId: x, sentence: 'suspended_sentence' }, 'custodyMonths'],
      ['outcome code 19 (not in the scheme)', { type: 'outcome_code', occurredAt: at, code: 19 }, 'code'],
      ['an outcome code of an unknown scheme', { type: 'outcome_code', occurredAt: at, code: 1, scheme: '1999-01' }, 'code'],
      ['an event 1 ms in the future', { type: 'arrest', occurredAt: '2026-09-01T09:00:00.001Z', suspectId: y }, 'occurredAt'],
      ['an event in the future, written in BST', { type: 'arrest', occurredAt: '2026-09-01T10:30:00+01:00', suspectId: y }, 'occurredAt'],
    ];
    for (const [name, payload, path] of cases) {
      await t.test(name, async (t) => {
        const p = rule(t, await postEvent(h, fs, inc.id, payload), path);
        t.equal(p.instance, `/v1/incidents/${inc.id}/justice-events`);
        t.ok(p.detail.length > 0, 'says what is wrong');
      });
    }
    const after = await snapshot(t, h, fs, inc.id);
    t.same(after, before, 'no event, notification or case change from any rejected request');
  });

  t.test('an event at exactly "now" is accepted (only the future is refused)', async (t) => {
    const other2 = await recordIncident(t, h, fs);
    await event(t, h, fs, other2.id, { type: 'arrest', occurredAt: NOW, suspectId: other2.suspects[0] });
  });

  t.test('400: malformed events (unknown type, out-of-range code, missing or extra fields)', async (t) => {
    const before = await snapshot(t, h, fs, inc.id);
    const cases: [string, Record<string, unknown>][] = [
      ['an unknown type', { type: 'interview', occurredAt: at, suspectId: x }],
      ['no type', { occurredAt: at, suspectId: x }],
      ['outcome code 23', { type: 'outcome_code', occurredAt: at, code: 23 }],
      ['outcome code 0', { type: 'outcome_code', occurredAt: at, code: 0 }],
      ['an unknown decision', { type: 'charging_decision', occurredAt: at, suspectId: y, decision: 'warned' }],
      ['an unknown court result', { type: 'court_result', occurredAt: at, suspectId: x, chargeId: x2, result: 'hung_jury' }],
      ['a hearing without a court', { type: 'court_hearing', occurredAt: at, suspectId: x, kind: 'trial' }],
      ['a field of another event type', { type: 'arrest', occurredAt: at, suspectId: x, chargeId: x1 }],
      ['a time without an offset', { type: 'arrest', occurredAt: '2026-08-01T10:00:00', suspectId: x }],
      ['a victim update about nothing', { type: 'victim_update', occurredAt: at, victimId: v1, about: [], method: 'phone', toldBy: 'OIC' }],
      ['a negative amount', { type: 'sentence', occurredAt: at, suspectId: x, chargeId: x1, sentence: 'fine', amountPence: -5 }],
    ];
    for (const [name, payload] of cases) {
      await t.test(name, async (t) => {
        const p = problem(t, await postEvent(h, fs, inc.id, payload), 400, 'validation-failed');
        t.ok((p.errors ?? []).length > 0, 'lists the failing fields');
        t.ok(
          (p.errors ?? []).every((e) => e.path.startsWith('body')),
          'paths point into the body',
        );
      });
    }
    t.same(await snapshot(t, h, fs, inc.id), before, 'nothing written');
  });

  t.test('a sentence after a conviction is accepted for that defendant, on the charge or for all convictions', async (t) => {
    await event(t, h, fs, inc.id, { type: 'sentence', occurredAt: at, suspectId: x, chargeId: x1, sentence: 'fine', amountPence: 50_000 });
    await event(t, h, fs, inc.id, { type: 'sentence', occurredAt: at, suspectId: x, sentence: 'community_order' });
    // Y is still only charged: the rule holds after X's sentences too.
    rule(t, await postEvent(h, fs, inc.id, { type: 'sentence', occurredAt: at, suspectId: y, chargeId: y1, sentence: 'discharge' }), 'chargeId');
  });

  t.test('a conviction quashed by a later result no longer supports a sentence', async (t) => {
    const q = await recordIncident(t, h, fs);
    const [s] = q.suspects;
    const c = await event(t, h, fs, q.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-01T12:00:00Z',
      suspectId: s,
      decision: 'charged',
      charges: [{ offence: 'abh_s47' }],
    });
    await event(t, h, fs, q.id, {
      type: 'court_result',
      occurredAt: '2026-04-01T12:00:00+01:00',
      suspectId: s,
      chargeId: c.charges[0].id,
      result: 'convicted',
    });
    await event(t, h, fs, q.id, {
      type: 'court_result',
      occurredAt: '2026-07-01T12:00:00+01:00',
      suspectId: s,
      chargeId: c.charges[0].id,
      result: 'acquitted',
      note: 'Appeal allowed (synthetic)',
    });
    t.equal((await justice(t, h, fs, q.id)).status, 'not_convicted');
    rule(t, await postEvent(h, fs, q.id, { type: 'sentence', occurredAt: at, suspectId: s, sentence: 'discharge' }), 'suspectId');
  });

  t.test('roles and force scope', async (t) => {
    const welfare = await h.key(['welfare_officer'], FORCE_A);
    const rep = await h.key(['federation_rep'], FORCE_A);
    const analyst = await h.key(['analyst'], FORCE_A);
    const nationalAnalyst = await h.key(['analyst'], null);
    const fsB = await h.key(['force_system'], FORCE_B);
    const welfareB = await h.key(['welfare_officer'], FORCE_B);
    const nationalFs = await h.key(['force_system'], null);
    const body = { type: 'victim_personal_statement', occurredAt: at, victimId: v1, status: 'offered' };
    const before = await snapshot(t, h, fs, inc.id);

    t.test('a welfare officer of the force reads the timeline but cannot post', async (t) => {
      const j = await justice(t, h, welfare, inc.id);
      t.equal(j.status, before.view.status);
      t.equal(j.events.length, before.view.events.length);
      problem(t, await postEvent(h, welfare, inc.id, body), 403, 'forbidden');
    });

    for (const [name, key] of [
      ['federation rep', rep],
      ['analyst', analyst],
      ['national analyst', nationalAnalyst],
    ] as const) {
      t.test(`a ${name} can neither read nor post`, async (t) => {
        problem(t, await h.call(key, { method: 'GET', url: `/v1/incidents/${inc.id}/justice` }), 403, 'forbidden');
        problem(t, await postEvent(h, key, inc.id, body), 403, 'forbidden');
      });
    }

    t.test('another force gets 404 for reads and writes, the same as for no incident', async (t) => {
      for (const key of [fsB, welfareB]) {
        const p = problem(t, await h.call(key, { method: 'GET', url: `/v1/incidents/${inc.id}/justice` }), 404, 'incident-not-found');
        const none = problem(t, await h.call(key, { method: 'GET', url: `/v1/incidents/${UNKNOWN}/justice` }), 404, 'incident-not-found');
        t.equal(p.title, none.title);
      }
      problem(t, await postEvent(h, fsB, inc.id, body), 404, 'incident-not-found');
      problem(t, await postEvent(h, fs, UNKNOWN, body), 404, 'incident-not-found');
    });

    t.test('a national force system reads and writes every force', async (t) => {
      t.equal((await justice(t, h, nationalFs, inc.id)).incidentId, inc.id);
    });

    t.test('no key: 401', async (t) => {
      problem(t, await h.call(null, { method: 'GET', url: `/v1/incidents/${inc.id}/justice` }), 401);
      problem(t, await postEvent(h, 'not-a-key', inc.id, body), 401);
    });

    t.test('none of the refused requests wrote anything', async (t) => {
      t.same(await snapshot(t, h, fs, inc.id), before);
    });
  });

  t.test('Idempotency-Key: the same key and body replay the first answer; one event is recorded', async (t) => {
    const i = await recordIncident(t, h, fs);
    const payload = { type: 'arrest', occurredAt: '2026-03-01T01:00:00Z', suspectId: i.suspects[0] };
    const headers = { 'idempotency-key': `arrest-${i.id}` };
    const first = await postEvent(h, fs, i.id, payload, headers);
    const created = ok(t, first, 201);
    const again = await postEvent(h, fs, i.id, payload, headers);
    t.equal(again.statusCode, 201);
    t.same(again.json(), created, 'the same event');
    t.equal(again.headers['idempotent-replayed'], 'true');
    t.equal(again.headers.location, first.headers.location);
    const j = await justice(t, h, fs, i.id);
    t.same(
      j.events.map((e) => e.id),
      [created.id],
      'one event only',
    );

    const changed = await postEvent(h, fs, i.id, { ...payload, occurredAt: '2026-03-01T02:00:00Z' }, headers);
    problem(t, changed, 422, 'idempotency-key-reused');
    t.equal((await justice(t, h, fs, i.id)).events.length, 1, 'still one event');
  });

  t.test('a rejected request leaves its Idempotency-Key free for the corrected request', async (t) => {
    const i = await recordIncident(t, h, fs);
    const headers = { 'idempotency-key': `decision-${i.id}` };
    rule(t, await postEvent(h, fs, i.id, { type: 'charging_decision', occurredAt: at, suspectId: i.suspects[0], decision: 'charged' }, headers), 'charges');
    const fixed = await postEvent(
      h,
      fs,
      i.id,
      { type: 'charging_decision', occurredAt: at, suspectId: i.suspects[0], decision: 'charged', charges: [{ offence: 'abh_s47' }] },
      headers,
    );
    ok(t, fixed, 201);
    t.equal(fixed.headers['idempotent-replayed'], undefined, 'not a replay');
  });

  t.test('writes and reads are audited; a refused write is not', async (t) => {
    const i = await recordIncident(t, h, fs);
    const res = await postEvent(h, fs, i.id, { type: 'arrest', occurredAt: at, suspectId: i.suspects[0] });
    const created = ok(t, res, 201);
    const [write, ...more] = await auditOf(h, res);
    t.same(more, [], 'one audit event');
    t.match(write, { action: 'create', resourceType: 'justice_event', resourceId: created.id, forceId: FORCE_A });
    t.same([...(write!.changedFields ?? [])].sort(), ['note', 'occurredAt', 'suspectId', 'type']);

    const read = await h.call(fs, { method: 'GET', url: `/v1/incidents/${i.id}/justice` });
    const rows = await auditOf(h, read);
    t.match(rows, [{ action: 'read', resourceType: 'justice', resourceId: i.id, forceId: FORCE_A }]);

    const refused = await postEvent(h, fs, i.id, { type: 'sentence', occurredAt: at, suspectId: i.suspects[0], sentence: 'discharge' });
    problem(t, refused, 422);
    t.same(await auditOf(h, refused), [], 'no audit event for a rejected write');
  });
});
