// TRiM referrals: due times from the later of the incident and the referral (planning meeting 24–48 h, initial
// assessment 72 h, follow-up 28 days after the initial), consent, every stage to closing, the next milestone in the welfare queue, and who may see it.
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { DAY, HOUR, REASON, auditFor, iso, ok, paths, problem, queueAll, recordIncident } from '../care/support.ts';

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'force A system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const welfareNational = await h.key(['welfare_officer'], null, 'national welfare');
const federationA = await h.key(['federation_rep'], FORCE_A, 'force A federation');
const analyst = await h.key(['analyst'], null, 'analyst');

interface Referral {
  id: string;
  victimId: string;
  incidentId: string;
  forceId: string;
  referredAt: string;
  referredBy: string;
  consent: string;
  status: string;
  stage: string;
  clock: { startsAt: string; startsFrom: string };
  planningMeeting: { dueFrom: string; dueAt: string; doneAt: string | null };
  initialAssessment: { dueAt: string; doneAt: string | null };
  followUp: { dueAt: string; doneAt: string | null };
  outcome: string | null;
  closedAt: string | null;
  closeReason: string | null;
  note: string | null;
  assessments: { id: string; referralId: string; kind: string; assessedAt: string; score: number; outcome: string; note: string | null; createdAt: string }[];
  history: { event: string; at: string; by: string; detail: string | null }[];
  version: number;
}

const refer = (
  key: string | null,
  victimId: string,
  payload: Record<string, unknown> = { referredBy: 'Synthetic sergeant' },
  headers: Record<string, string> = {},
) => h.call(key, { method: 'POST', url: `/v1/victims/${victimId}/trim-referrals`, payload, headers });
const read = (key: string | null, id: string, reason: string | null = REASON) =>
  h.call(key, { method: 'GET', url: `/v1/trim-referrals/${id}`, headers: reason ? { 'x-access-reason': reason } : {} });
const patch = (key: string | null, id: string, payload: Record<string, unknown>, ifMatch?: number | string) =>
  h.call(key, {
    method: 'PATCH',
    url: `/v1/trim-referrals/${id}`,
    payload,
    headers: ifMatch === undefined ? {} : { 'if-match': typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch },
  });
const assess = (key: string | null, id: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.call(key, { method: 'POST', url: `/v1/trim-referrals/${id}/assessments`, payload, headers });

async function victim(occurredAt = '2026-03-06T19:30:00Z') {
  const inc = await recordIncident(h, systemA, { occurredAt });
  return { incident: inc, victimId: inc.victims[0]!.id };
}

async function openReferral(victimId: string, consent = 'given'): Promise<Referral> {
  const res = await refer(welfareA, victimId, { referredBy: 'Synthetic sergeant', consent });
  if (res.statusCode !== 201) throw new Error(`referral failed: ${res.statusCode} ${res.body}`);
  return res.json() as Referral;
}

/** The TRiM items of the queue for one victim. */
const trimQueue = async (victimId: string, status = 'open') =>
  (await queueAll(h, welfareA, { status })).filter((i) => i.victimId === victimId && i.kind === 'trim_referral');

t.test('a referral runs through every stage, with due times from the incident and the queue following along', async (t) => {
  // Referred at the moment of the assault: the clock starts at both.
  h.clock.set('2026-03-06T19:30:00Z');
  // Friday 6 March 2026 19:30Z.
  const { incident, victimId } = await victim('2026-03-06T19:30:00Z');
  const res = await refer(welfareA, victimId, { referredBy: 'Synthetic sergeant', note: 'Synthetic TRiM note.' });
  let r = ok(t, res, 201) as Referral;
  t.equal(res.headers.location, `/v1/trim-referrals/${r.id}`);
  t.equal(res.headers.etag, '"1"');
  t.match(r, {
    victimId,
    incidentId: incident.id,
    forceId: FORCE_A,
    referredAt: '2026-03-06T19:30:00.000Z', // default now
    referredBy: 'Synthetic sergeant',
    consent: 'pending',
    status: 'open',
    stage: 'awaiting_consent',
    outcome: null,
    closedAt: null,
    note: 'Synthetic TRiM note.',
    version: 1,
  });
  // Planning meeting 24–48 h after 19:30Z Friday: from Saturday 7 March 19:30Z, due Sunday 8 March 19:30Z.
  // Initial assessment 72 h: Monday 9 March 19:30Z. Follow-up 72 h + 28 days: Monday 6 April 19:30Z (elapsed time).
  t.same(r.planningMeeting, { dueFrom: '2026-03-07T19:30:00.000Z', dueAt: '2026-03-08T19:30:00.000Z', doneAt: null });
  t.same(r.initialAssessment, { dueAt: '2026-03-09T19:30:00.000Z', doneAt: null });
  t.same(r.followUp, { dueAt: '2026-04-06T19:30:00.000Z', doneAt: null });
  const occurred = Date.parse('2026-03-06T19:30:00Z');
  t.equal(r.planningMeeting.dueAt, iso(occurred + 48 * HOUR));
  t.equal(r.followUp.dueAt, iso(occurred + 72 * HOUR + 28 * DAY));
  t.same(r.assessments, []);
  t.same(r.history, [{ event: 'referred', at: '2026-03-06T19:30:00.000Z', by: 'force A welfare', detail: 'consent pending' }]);

  // The queue shows the planning meeting.
  t.same(
    (await trimQueue(victimId)).map((i) => [i.id, i.stepKey, i.title, i.ownerRole, i.dueAt, i.version]),
    [[r.id, 'trim_planning_meeting', 'TRiM planning meeting due', 'welfare_officer', '2026-03-08T19:30:00.000Z', 1]],
  );

  // A second open referral for the same officer: 422.
  const second = problem(t, await refer(welfareA, victimId), 422, 'rule-violated');
  t.same(paths(second), ['victimId']);
  t.match(second.detail, r.id);

  // Consent pending: no planning meeting, no assessment, no closing.
  h.clock.set('2026-03-08T12:00:00Z');
  t.same(paths(problem(t, await patch(welfareA, r.id, { planningMeetingAt: '2026-03-08T10:00:00Z' }, 1), 422, 'rule-violated')), ['consent']);
  problem(t, await assess(welfareA, r.id, { kind: 'initial', assessedAt: '2026-03-08T10:00:00Z', score: 10, outcome: 'monitor' }), 422, 'rule-violated');
  problem(t, await patch(welfareA, r.id, { status: 'closed', outcome: 'monitor' }, 1), 422, 'rule-violated');

  // If-Match required and current.
  problem(t, await patch(welfareA, r.id, { consent: 'given' }), 428, 'precondition-required');
  problem(t, await patch(welfareA, r.id, { consent: 'given' }, 7), 412, 'precondition-failed');

  // Consent given -> awaiting the planning meeting.
  const given = await patch(welfareA, r.id, { consent: 'given' }, 1);
  r = ok(t, given) as Referral;
  t.equal(given.headers.etag, '"2"');
  t.match(r, { consent: 'given', status: 'open', stage: 'awaiting_planning_meeting', version: 2 });
  t.match(r.history.at(-1), { event: 'consent given', at: '2026-03-08T12:00:00.000Z', by: 'force A welfare' });

  // The planning meeting cannot be in the future.
  t.same(paths(problem(t, await patch(welfareA, r.id, { planningMeetingAt: '2026-03-08T12:00:01Z' }, 2), 422, 'rule-violated')), ['planningMeetingAt']);
  // Held Sunday 8 March 10:00Z -> awaiting the initial assessment; the queue moves to it.
  r = ok(t, await patch(welfareA, r.id, { planningMeetingAt: '2026-03-08T10:00:00+00:00' }, 2)) as Referral;
  t.match(r, { stage: 'awaiting_initial_assessment', version: 3 });
  t.equal(r.planningMeeting.doneAt, '2026-03-08T10:00:00.000Z');
  t.same(
    (await trimQueue(victimId)).map((i) => [i.stepKey, i.title, i.dueAt, i.version]),
    [['trim_initial_assessment', 'TRiM initial assessment due', '2026-03-09T19:30:00.000Z', 3]],
  );

  // A follow-up assessment before the initial one: 422.
  h.clock.set('2026-03-09T16:00:00Z');
  t.same(
    paths(
      problem(t, await assess(welfareA, r.id, { kind: 'follow_up', assessedAt: '2026-03-09T15:00:00Z', score: 5, outcome: 'monitor' }), 422, 'rule-violated'),
    ),
    ['kind'],
  );
  problem(t, await assess(welfareA, r.id, { kind: 'initial', assessedAt: '2026-03-09T16:00:01Z', score: 5, outcome: 'monitor' }), 422, 'rule-violated'); // in the future
  problem(t, await assess(welfareA, r.id, { kind: 'initial', assessedAt: '2026-03-09T15:00:00Z', score: 101, outcome: 'monitor' }), 400, 'validation-failed');
  problem(
    t,
    await assess(welfareA, r.id, { kind: 'initial', assessedAt: '2026-03-09T15:00:00Z', score: 5, outcome: 'monitor', checklist: [1, 2] }),
    400,
    'validation-failed',
  );

  // The initial assessment, Monday 9 March 15:00Z: the follow-up is now due 28 days after it, 6 April 15:00Z.
  const initialRes = await assess(welfareA, r.id, { kind: 'initial', assessedAt: '2026-03-09T15:00:00Z', score: 12, outcome: 'monitor', note: 'Synthetic.' });
  r = ok(t, initialRes, 201) as Referral;
  t.equal(initialRes.headers.location, `/v1/trim-referrals/${r.id}`);
  t.match(r, { stage: 'awaiting_follow_up', outcome: 'monitor', version: 4 });
  t.same(r.initialAssessment, { dueAt: '2026-03-09T19:30:00.000Z', doneAt: '2026-03-09T15:00:00.000Z' });
  t.same(r.followUp, { dueAt: '2026-04-06T15:00:00.000Z', doneAt: null });
  t.equal(r.followUp.dueAt, iso(Date.parse('2026-03-09T15:00:00Z') + 28 * DAY));
  t.match(r.assessments, [
    {
      referralId: r.id,
      kind: 'initial',
      assessedAt: '2026-03-09T15:00:00.000Z',
      score: 12,
      outcome: 'monitor',
      note: 'Synthetic.',
      createdAt: '2026-03-09T16:00:00.000Z',
    },
  ]);
  t.same(
    (await trimQueue(victimId)).map((i) => [i.stepKey, i.title, i.dueAt]),
    [['trim_follow_up', 'TRiM follow-up assessment due', '2026-04-06T15:00:00.000Z']],
  );
  // A second initial assessment: 422 (use additional).
  problem(t, await assess(welfareA, r.id, { kind: 'initial', assessedAt: '2026-03-09T15:30:00Z', score: 3, outcome: 'monitor' }), 422, 'rule-violated');
  // An additional one is fine and changes no milestone.
  h.clock.set('2026-03-20T10:00:00Z');
  r = ok(
    t,
    await assess(welfareA, r.id, { kind: 'additional', assessedAt: '2026-03-20T09:00:00Z', score: 20, outcome: 'refer_occupational_health' }),
    201,
  ) as Referral;
  t.match(r, { stage: 'awaiting_follow_up', outcome: 'refer_occupational_health' });
  t.equal(r.followUp.dueAt, '2026-04-06T15:00:00.000Z');
  t.equal(r.assessments.length, 2);

  // In the queue: overdue once 6 April 15:00Z passes.
  h.clock.set('2026-04-06T16:00:00Z');
  t.same(
    (await trimQueue(victimId, 'overdue')).map((i) => [i.stepKey, i.overdueSeconds]),
    [['trim_follow_up', 3600]],
  );

  // The follow-up assessment -> ready to close; nothing of TRiM left in the queue.
  r = ok(t, await assess(welfareA, r.id, { kind: 'follow_up', assessedAt: '2026-04-06T15:30:00Z', score: 4, outcome: 'no_further_action' }), 201) as Referral;
  t.match(r, { stage: 'ready_to_close', status: 'open', outcome: 'no_further_action' });
  t.equal(r.followUp.doneAt, '2026-04-06T15:30:00.000Z');
  t.same(await trimQueue(victimId), [], 'no TRiM milestone left');
  t.same(
    r.assessments.map((a) => a.kind),
    ['initial', 'additional', 'follow_up'],
  );

  // Close: the outcome comes from the last assessment.
  h.clock.set('2026-04-07T09:00:00Z');
  t.same(paths(problem(t, await patch(welfareA, r.id, { closeReason: 'Synthetic.' }, r.version), 422, 'rule-violated')), ['closeReason']);
  r = ok(t, await patch(welfareA, r.id, { status: 'closed', closeReason: 'Synthetic: support complete.' }, r.version)) as Referral;
  t.match(r, {
    status: 'closed',
    stage: 'closed',
    outcome: 'no_further_action',
    closedAt: '2026-04-07T09:00:00.000Z',
    closeReason: 'Synthetic: support complete.',
  });
  t.same(
    r.history.map((e) => e.event),
    ['referred', 'consent given', 'planning meeting', 'initial assessment', 'additional assessment', 'follow_up assessment', 'closed'],
  );
  // Nothing changes after closing.
  problem(t, await patch(welfareA, r.id, { note: 'Synthetic late note.' }, r.version), 422, 'rule-violated');
  problem(t, await patch(welfareA, r.id, { consent: 'declined' }, r.version), 422, 'rule-violated');
  problem(t, await assess(welfareA, r.id, { kind: 'additional', assessedAt: '2026-04-07T08:00:00Z', score: 1, outcome: 'monitor' }), 422, 'rule-violated');
  const final = ok(t, await read(welfareA, r.id)) as Referral;
  t.same(final, r, 'the closed referral reads back unchanged');
  // With no open referral, the officer can be referred again.
  t.equal((await refer(welfareA, victimId)).statusCode, 201);
});

t.test('closing needs an outcome: 422 when none was ever recorded; with one given, closed', async (t) => {
  h.clock.set('2026-03-07T09:00:00Z');
  const { victimId } = await victim('2026-03-06T19:30:00Z');
  const r = await openReferral(victimId);
  const refused = problem(t, await patch(welfareA, r.id, { status: 'closed' }, r.version), 422, 'rule-violated');
  t.same(paths(refused), ['outcome']);
  t.equal((ok(t, await read(welfareA, r.id)) as Referral).status, 'open', 'still open');
  const closed = ok(t, await patch(welfareA, r.id, { status: 'closed', outcome: 'refer_professional_help' }, r.version)) as Referral;
  t.match(closed, { status: 'closed', stage: 'closed', outcome: 'refer_professional_help', closedAt: '2026-03-07T09:00:00.000Z', closeReason: null });
  t.same(await trimQueue(victimId), [], 'a closed referral leaves the queue');
});

t.test('consent declined: status declined, out of the queue; created declined too', async (t) => {
  h.clock.set('2026-03-07T09:00:00Z');
  const { victimId } = await victim('2026-03-06T19:30:00Z');
  const r = await openReferral(victimId, 'pending');
  t.equal((await trimQueue(victimId)).length, 1);
  const declined = ok(t, await patch(welfareA, r.id, { consent: 'declined' }, r.version)) as Referral;
  t.match(declined, { consent: 'declined', status: 'declined', stage: 'declined', closedAt: '2026-03-07T09:00:00.000Z' });
  t.same(await trimQueue(victimId), [], 'a declined referral leaves the queue');
  problem(t, await patch(welfareA, r.id, { consent: 'given' }, declined.version), 422, 'rule-violated');

  const { victimId: other } = await victim('2026-03-06T19:30:00Z');
  const created = ok(t, await refer(welfareA, other, { referredBy: 'Synthetic', consent: 'declined' }), 201) as Referral;
  t.match(created, { consent: 'declined', status: 'declined', stage: 'declined' });
  t.same(await trimQueue(other), []);
  // Declining does not block a later referral.
  t.equal((await refer(welfareA, other)).statusCode, 201);
});

t.test('POST referral: rules, validation, roles and scope', async (t) => {
  h.clock.set('2026-03-07T09:00:00Z');
  const { victimId } = await victim('2026-03-06T19:30:00Z');
  t.same(paths(problem(t, await refer(welfareA, victimId, { referredBy: 'x', referredAt: '2026-03-07T09:00:01Z' }), 422, 'rule-violated')), ['referredAt']);
  problem(t, await refer(welfareA, victimId, {}), 400, 'validation-failed');
  problem(t, await refer(welfareA, victimId, { referredBy: 'x', consent: 'maybe' }), 400, 'validation-failed');
  problem(t, await refer(welfareA, victimId, { referredBy: 'x', planningMeetingDueAt: '2026-03-09T00:00:00Z' }), 400, 'validation-failed');
  for (const key of [systemA, federationA, analyst, h.adminKey]) problem(t, await refer(key, victimId), 403, 'forbidden');
  problem(t, await refer(welfareB, victimId), 404, 'victim-not-found');
  problem(t, await refer(welfareA, uuidv7()), 404, 'victim-not-found');
  problem(t, await refer(null, victimId), 401, 'unauthenticated');
  // A back-dated referral keeps its referredAt, and due times run from it (made after the assault).
  const r = ok(t, await refer(welfareA, victimId, { referredBy: 'x', referredAt: '2026-03-07T08:00:00+00:00', consent: 'given' }), 201) as Referral;
  t.equal(r.referredAt, '2026-03-07T08:00:00.000Z');
  t.equal(r.planningMeeting.dueAt, '2026-03-09T08:00:00.000Z');
  // Idempotency-Key on assessments: the same key and body replays the first answer, one assessment only.
  h.clock.set('2026-03-09T20:00:00Z');
  const body = { kind: 'initial', assessedAt: '2026-03-09T19:00:00Z', score: 8, outcome: 'monitor' };
  const first = await assess(welfareA, r.id, body, { 'idempotency-key': `synthetic-${r.id}` });
  const again = await assess(welfareA, r.id, body, { 'idempotency-key': `synthetic-${r.id}` });
  t.equal(first.statusCode, 201);
  t.equal(again.statusCode, 201);
  t.same(again.json(), first.json());
  t.equal((ok(t, await read(welfareA, r.id)) as Referral).assessments.length, 1);
  problem(t, await assess(welfareA, r.id, { ...body, score: 9 }, { 'idempotency-key': `synthetic-${r.id}` }), 422, 'idempotency-key-reused');
});

t.test('GET referral: X-Access-Reason required; welfare officers and admins; 403 and 404 for the rest', async (t) => {
  h.clock.set('2026-03-07T09:00:00Z');
  const { victimId } = await victim('2026-03-06T19:30:00Z');
  const r = await openReferral(victimId);
  problem(t, await read(welfareA, r.id, null), 400, 'access-reason-required');
  problem(t, await read(h.adminKey, r.id, null), 400, 'access-reason-required');
  const got = await read(welfareA, r.id);
  t.same(ok(t, got), r);
  t.equal(got.headers.etag, `"${r.version}"`);
  t.same(ok(t, await read(h.adminKey, r.id)), r);
  t.same(ok(t, await read(welfareNational, r.id)), r);
  const adminA = await h.key(['admin'], FORCE_A, 'force A admin');
  t.same(ok(t, await read(adminA, r.id)), r);
  problem(t, await read(systemA, r.id), 403, 'forbidden');
  problem(t, await read(federationA, r.id), 403, 'forbidden');
  problem(t, await read(analyst, r.id), 403, 'forbidden');
  problem(t, await read(welfareB, r.id), 404, 'trim-referral-not-found');
  problem(t, await read(await h.key(['admin'], FORCE_B, 'force B admin'), r.id), 404, 'trim-referral-not-found');
  problem(t, await read(welfareA, uuidv7()), 404, 'trim-referral-not-found');
  // Writes by others: 403 for the wrong role, 404 for another force.
  problem(t, await patch(welfareB, r.id, { note: 'x' }, r.version), 404, 'trim-referral-not-found');
  problem(t, await patch(h.adminKey, r.id, { note: 'x' }, r.version), 403, 'forbidden');
  problem(t, await patch(systemA, r.id, { note: 'x' }, r.version), 403, 'forbidden');
  problem(
    t,
    await assess(welfareB, r.id, { kind: 'initial', assessedAt: '2026-03-07T08:00:00Z', score: 1, outcome: 'monitor' }),
    404,
    'trim-referral-not-found',
  );
  // Every read is audited with its reason.
  const reads = (await auditFor(h, r.id)).filter((e) => e.action === 'read');
  t.equal(reads.length, 4);
  t.ok(
    reads.every((e) => e.reason === REASON && e.resource_type === 'trim_referral'),
    'each read carries the X-Access-Reason',
  );
});

t.test('the queue shows one TRiM item per open referral, scoped by force', async (t) => {
  h.clock.set('2026-03-07T09:00:00Z');
  const { victimId } = await victim('2026-03-06T19:30:00Z');
  const r = await openReferral(victimId);
  const welfareBItems = (await queueAll(h, welfareB, { status: 'open' })).filter((i) => i.id === r.id);
  t.same(welfareBItems, [], 'not in another force');
  const mine = await trimQueue(victimId);
  t.match(mine, [{ kind: 'trim_referral', id: r.id, forceId: FORCE_A, victimId, stepKey: 'trim_planning_meeting', overdueSeconds: 0 }]);
  // Monday 9 March 09:30Z: 30 minutes past the planning meeting due time (48 h after the referral, Saturday 09:00Z).
  h.clock.set('2026-03-09T09:30:00Z');
  t.same(
    (await trimQueue(victimId, 'overdue')).map((i) => i.overdueSeconds),
    [1800],
  );
});

t.test("correcting the incident's time moves the TRiM milestones not yet reached", async (t) => {
  h.clock.set('2026-03-07T09:00:00Z');
  const { incident, victimId } = await victim('2026-03-06T19:30:00Z');
  // Referred at the moment of the assault, so the clock runs from the incident's time.
  const r = ok(t, await refer(welfareA, victimId, { referredBy: 'Synthetic sergeant', referredAt: '2026-03-06T19:30:00Z', consent: 'given' }), 201) as Referral;
  t.equal(r.planningMeeting.dueAt, '2026-03-08T19:30:00.000Z');
  // The force system corrects the time: it was Saturday 7 March 07:30Z, twelve hours later.
  ok(
    t,
    await h.call(systemA, {
      method: 'PATCH',
      url: `/v1/incidents/${incident.id}`,
      headers: { 'if-match': `"${incident.version}"` },
      payload: { occurredAt: '2026-03-07T07:30:00Z' },
    }),
  );
  const after = ok(t, await read(welfareA, r.id)) as Referral;
  // From Saturday 7 March 07:30Z (now later than the referral): planning meeting from 8 March 07:30Z, due 9 March 07:30Z;
  // initial assessment 10 March 07:30Z; follow-up 72 h + 28 days = 7 April 07:30Z.
  t.same(after.planningMeeting, { dueFrom: '2026-03-08T07:30:00.000Z', dueAt: '2026-03-09T07:30:00.000Z', doneAt: null }, 'planning meeting moved');
  t.same(after.initialAssessment, { dueAt: '2026-03-10T07:30:00.000Z', doneAt: null }, 'initial assessment moved');
  t.same(after.followUp, { dueAt: '2026-04-07T07:30:00.000Z', doneAt: null }, 'follow-up moved');
  t.same(after.clock, { startsAt: '2026-03-07T07:30:00.000Z', startsFrom: 'incident' });
  // The care steps of the same victim did move (24 h after the corrected time).
  const plan = await h.call(welfareA, { method: 'GET', url: `/v1/victims/${victimId}/care-plan`, headers: { 'x-access-reason': REASON } });
  t.equal(ok(t, plan).steps[0].dueAt, '2026-03-08T07:30:00.000Z', 'care steps moved');
});

t.test('a late referral: due times run from the referral, not the assault, so it is not overdue when made (#20 item 12)', async (t) => {
  // Assaulted Monday 2 March 2026 10:00Z; referred twelve days later, Saturday 14 March 10:00Z.
  h.clock.set('2026-03-14T10:00:00Z');
  const { incident, victimId } = await victim('2026-03-02T10:00:00Z');
  const r = await openReferral(victimId);
  t.same(r.clock, { startsAt: '2026-03-14T10:00:00.000Z', startsFrom: 'referral' }, 'the clock starts at the referral; the incident keeps its own time');
  t.same(r.planningMeeting, { dueFrom: '2026-03-15T10:00:00.000Z', dueAt: '2026-03-16T10:00:00.000Z', doneAt: null });
  t.same(r.initialAssessment, { dueAt: '2026-03-17T10:00:00.000Z', doneAt: null });
  t.same(r.followUp, { dueAt: '2026-04-14T10:00:00.000Z', doneAt: null });
  t.same((await trimQueue(victimId, 'overdue')).length, 0, 'not overdue the moment it is made');
  t.same(
    (await trimQueue(victimId)).map((i) => i.dueAt),
    ['2026-03-16T10:00:00.000Z'],
  );
  // Correcting the assault's time (still before the referral) leaves a late referral's clock where it is.
  ok(
    t,
    await h.call(systemA, {
      method: 'PATCH',
      url: `/v1/incidents/${incident.id}`,
      headers: { 'if-match': `"${incident.version}"` },
      payload: { occurredAt: '2026-03-01T10:00:00Z' },
    }),
  );
  t.same((ok(t, await read(welfareA, r.id)) as Referral).planningMeeting.dueAt, '2026-03-16T10:00:00.000Z');
});
