// Follow-up welfare contacts: logged by welfare officers, listed newest first (health data: X-Access-Reason),
// and the next contact due surfaces in the welfare queue until a newer follow-up is logged.
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { REASON, auditFor, ok, paths, problem, queueAll, recordIncident } from './support.ts';

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'force A system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const federationA = await h.key(['federation_rep'], FORCE_A, 'force A federation');
const analyst = await h.key(['analyst'], null, 'analyst');

interface FollowUp {
  id: string;
  victimId: string;
  incidentId: string;
  forceId: string;
  occurredAt: string;
  kind: string;
  contactBy: string;
  note: string | null;
  nextFollowUpAt: string | null;
  createdAt: string;
}

const body = (overrides: Record<string, unknown> = {}) => ({
  occurredAt: '2026-03-03T10:00:00Z',
  kind: 'call',
  contactBy: 'Synthetic welfare officer',
  note: 'Synthetic note.',
  ...overrides,
});
const post = (key: string | null, victimId: string, payload: Record<string, unknown>) =>
  h.call(key, { method: 'POST', url: `/v1/victims/${victimId}/follow-ups`, payload });
const list = (key: string | null, victimId: string, reason: string | null = REASON, query = '') =>
  h.call(key, { method: 'GET', url: `/v1/victims/${victimId}/follow-ups${query}`, headers: reason ? { 'x-access-reason': reason } : {} });

async function log(victimId: string, overrides: Record<string, unknown>): Promise<FollowUp> {
  const res = await post(welfareA, victimId, body(overrides));
  if (res.statusCode !== 201) throw new Error(`follow-up not logged: ${res.statusCode} ${res.body}`);
  return res.json() as FollowUp;
}

async function newVictim(occurredAt = '2026-03-02T08:00:00Z') {
  const inc = await recordIncident(h, systemA, { occurredAt });
  return { incident: inc, victimId: inc.victims[0]!.id };
}

/** The queue items of one victim, of one kind. */
const queued = async (victimId: string, status: string, kind = 'follow_up') =>
  (await queueAll(h, welfareA, { status })).filter((i) => i.victimId === victimId && i.kind === kind);

t.test('POST follow-up: 201 with Location and the contact as logged', async (t) => {
  h.clock.set('2026-03-03T12:00:00Z');
  const { incident, victimId } = await newVictim();
  const res = await post(welfareA, victimId, body({ occurredAt: '2026-03-03T10:00:00+00:00', kind: 'visit', nextFollowUpAt: '2026-03-10T10:00:00+00:00' }));
  const created = ok(t, res, 201) as FollowUp;
  t.equal(res.headers.location, `/v1/victims/${victimId}/follow-ups`);
  t.same(created, {
    id: created.id,
    victimId,
    incidentId: incident.id,
    forceId: FORCE_A,
    occurredAt: '2026-03-03T10:00:00.000Z',
    kind: 'visit',
    contactBy: 'Synthetic welfare officer',
    note: 'Synthetic note.',
    nextFollowUpAt: '2026-03-10T10:00:00.000Z',
    createdAt: '2026-03-03T12:00:00.000Z',
  });
  t.match(await auditFor(h, created.id), [{ action: 'create', resource_type: 'follow_up', force_id: FORCE_A }]);
  // Defaults: no note, no next contact.
  const minimal = ok(t, await post(welfareA, victimId, { occurredAt: '2026-03-03T11:00:00Z', kind: 'message', contactBy: 'Synthetic' }), 201) as FollowUp;
  t.equal(minimal.note, null);
  t.equal(minimal.nextFollowUpAt, null);
});

t.test('POST follow-up: rules (422), validation (400), roles and scope', async (t) => {
  h.clock.set('2026-03-03T12:00:00Z');
  const { victimId } = await newVictim();
  const before = problem(t, await post(welfareA, victimId, body({ nextFollowUpAt: '2026-03-03T09:00:00Z' })), 422, 'rule-violated');
  t.same(paths(before), ['nextFollowUpAt']);
  problem(t, await post(welfareA, victimId, body({ nextFollowUpAt: '2026-03-03T10:00:00Z' })), 422, 'rule-violated'); // the same instant is not after
  const future = problem(t, await post(welfareA, victimId, body({ occurredAt: '2026-03-03T12:00:01Z' })), 422, 'rule-violated');
  t.same(paths(future), ['occurredAt']);
  problem(t, await post(welfareA, victimId, body({ kind: 'telepathy' })), 400, 'validation-failed');
  problem(t, await post(welfareA, victimId, body({ contactBy: '' })), 400, 'validation-failed');
  problem(t, await post(welfareA, victimId, body({ occurredAt: 'yesterday' })), 400, 'validation-failed');
  problem(t, await post(welfareA, victimId, body({ dueAt: '2026-03-04T00:00:00Z' })), 400, 'validation-failed');
  problem(t, await post(systemA, victimId, body()), 403, 'forbidden');
  problem(t, await post(federationA, victimId, body()), 403, 'forbidden');
  problem(t, await post(h.adminKey, victimId, body()), 403, 'forbidden');
  problem(t, await post(welfareB, victimId, body()), 404, 'victim-not-found');
  problem(t, await post(welfareA, uuidv7(), body()), 404, 'victim-not-found');
  problem(t, await post(null, victimId, body()), 401, 'unauthenticated');
  t.same(ok(t, await list(welfareA, victimId)).items, [], 'nothing was logged');
});

t.test('GET follow-ups: newest first by when they happened, paged; X-Access-Reason required; roles', async (t) => {
  h.clock.set('2026-03-20T12:00:00Z');
  const { victimId } = await newVictim();
  // Logged out of order: the list follows occurredAt, not the order of logging.
  const second = await log(victimId, { occurredAt: '2026-03-10T10:00:00Z', kind: 'visit' });
  const first = await log(victimId, { occurredAt: '2026-03-03T10:00:00Z', kind: 'call' });
  const third = await log(victimId, { occurredAt: '2026-03-17T10:00:00Z', kind: 'return_to_work_review' });
  const all = ok(t, await list(welfareA, victimId));
  t.same(
    all.items.map((f: FollowUp) => f.id),
    [third.id, second.id, first.id],
  );
  t.equal(all.nextCursor, null);
  t.same(all.items[0], third);

  const page1 = ok(t, await list(welfareA, victimId, REASON, '?limit=2'));
  t.same(
    page1.items.map((f: FollowUp) => f.id),
    [third.id, second.id],
  );
  const page2 = ok(t, await list(welfareA, victimId, REASON, `?limit=2&cursor=${page1.nextCursor}`));
  t.same(
    page2.items.map((f: FollowUp) => f.id),
    [first.id],
  );
  t.equal(page2.nextCursor, null);

  // Health data: no reason, no read (400), for welfare officers and admins alike.
  problem(t, await list(welfareA, victimId, null), 400, 'access-reason-required');
  problem(t, await list(welfareA, victimId, '   '), 400, 'access-reason-required');
  problem(t, await list(h.adminKey, victimId, null), 400, 'access-reason-required');
  // Admins may read.
  t.equal(ok(t, await list(h.adminKey, victimId)).items.length, 3);
  // Force systems, federation reps and analysts may not.
  problem(t, await list(systemA, victimId), 403, 'forbidden');
  problem(t, await list(federationA, victimId), 403, 'forbidden');
  problem(t, await list(analyst, victimId), 403, 'forbidden');
  // Another force's welfare officer: not found.
  problem(t, await list(welfareB, victimId), 404, 'victim-not-found');
});

t.test('the next follow-up due appears in the queue as kind follow_up until a newer follow-up is logged', async (t) => {
  h.clock.set('2026-03-03T12:00:00Z');
  const { incident, victimId } = await newVictim();
  t.same(await queued(victimId, 'open'), [], 'nothing before any follow-up');

  const first = await log(victimId, { occurredAt: '2026-03-03T10:00:00Z', nextFollowUpAt: '2026-03-10T10:00:00Z' });
  const open = await queued(victimId, 'open');
  t.same(open, [
    {
      kind: 'follow_up',
      id: first.id,
      forceId: FORCE_A,
      incidentId: incident.id,
      incidentReference: incident.forceReference,
      victimId,
      victimRole: 'constable',
      staffNumber: incident.victims[0]!.staffNumber,
      stepKey: null,
      title: 'Follow-up contact due',
      ownerRole: 'welfare_officer',
      dueAt: '2026-03-10T10:00:00.000Z',
      overdueSeconds: 0,
      version: null,
    },
  ]);
  t.same(await queued(victimId, 'overdue'), [], 'not overdue yet');
  t.same(await queued(victimId, 'due'), [], 'not due in the next 24 hours either');
  // Within 24 hours of it, it is due; after it, overdue by the right number of seconds.
  h.clock.set('2026-03-09T12:00:00Z');
  t.same(
    (await queued(victimId, 'due')).map((i) => i.id),
    [first.id],
  );
  h.clock.set('2026-03-10T11:30:00Z');
  const overdue = await queued(victimId, 'overdue');
  t.same(
    overdue.map((i) => [i.id, i.overdueSeconds]),
    [[first.id, 5400]],
  );

  // A follow-up logged back-dated before the latest one does not replace the latest one's next date.
  await log(victimId, { occurredAt: '2026-03-02T18:00:00Z', nextFollowUpAt: '2026-03-04T09:00:00Z' });
  t.same(
    (await queued(victimId, 'open')).map((i) => [i.id, i.dueAt]),
    [[first.id, '2026-03-10T10:00:00.000Z']],
  );

  // A newer follow-up with its own next date replaces it.
  const second = await log(victimId, { occurredAt: '2026-03-10T11:00:00Z', nextFollowUpAt: '2026-03-24T11:00:00Z' });
  t.same(
    (await queued(victimId, 'open')).map((i) => [i.id, i.dueAt]),
    [[second.id, '2026-03-24T11:00:00.000Z']],
  );
  t.same(await queued(victimId, 'overdue'), [], 'no longer overdue');

  // A newer follow-up without a next date clears it from the queue.
  h.clock.set('2026-03-25T09:00:00Z');
  await log(victimId, { occurredAt: '2026-03-25T08:00:00Z', kind: 'meeting', nextFollowUpAt: null });
  t.same(await queued(victimId, 'open'), [], 'cleared');
  // Care steps of the victim are untouched by follow-ups.
  t.equal((await queued(victimId, 'open', 'care_step')).length, 7);
});

t.test('follow-up items sort among care steps by due time, and drop out with a withdrawn victim', async (t) => {
  h.clock.set('2026-03-03T12:00:00Z');
  const { victimId, incident } = await newVictim('2026-03-02T08:00:00Z');
  // Due 2026-03-03T09:00Z: after the 24 h steps (3 March 08:00Z), before the 2-working-day one (Wed 4 March end).
  const f = await log(victimId, { occurredAt: '2026-03-03T08:30:00Z', nextFollowUpAt: '2026-03-03T09:00:00Z' });
  const items = (await queueAll(h, welfareA, { status: 'open' })).filter((i) => i.victimId === victimId);
  t.same(
    items.map((i) => i.stepKey ?? i.kind),
    [...items.slice(0, 4).map((i) => i.stepKey), 'follow_up', 'federation_informed', 'health_and_safety_report', 'victims_code'],
  );
  t.equal(items[4]!.id, f.id);
  t.same(
    items.map((i) => i.dueAt),
    [...items.map((i) => i.dueAt)].sort(),
  );
  const overdue = (await queueAll(h, welfareA, { status: 'overdue' })).filter((i) => i.victimId === victimId);
  t.same(
    overdue.map((i) => i.kind),
    ['care_step', 'care_step', 'care_step', 'care_step', 'follow_up'],
  );
  t.equal(overdue[4]!.overdueSeconds, 3 * 3600);

  const victim = incident.victims[0]!;
  const res = await h.call(systemA, {
    method: 'PATCH',
    url: `/v1/victims/${victimId}`,
    headers: { 'if-match': `"${victim.version}"` },
    payload: { status: 'withdrawn', statusReason: 'Synthetic: duplicate record.' },
  });
  ok(t, res);
  t.same(
    (await queueAll(h, welfareA, { status: 'open' })).filter((i) => i.victimId === victimId),
    [],
    'a withdrawn victim has nothing in the queue',
  );
});
