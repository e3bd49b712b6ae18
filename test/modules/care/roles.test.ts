// Who sees what of the care plan, follow-ups and TRiM, and the audit trail of every health-data read.
// Care and TRiM notes are health data: welfare officers (own force) and admins only, each read with an
// X-Access-Reason and an audit event. Force systems see that a plan exists and its step statuses, never notes.
// Federation reps and analysts see neither.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { queryRows } from '../../../src/db/client.ts';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { REASON, auditFor, byKey, completeStep, ok, problem, readPlan, recordIncident, type PlanView } from './support.ts';

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'force A system');
const systemB = await h.key(['force_system'], FORCE_B, 'force B system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const adminA = await h.key(['admin'], FORCE_A, 'force A admin');
const adminB = await h.key(['admin'], FORCE_B, 'force B admin');
const federationA = await h.key(['federation_rep'], FORCE_A, 'force A federation');
const federationNational = await h.key(['federation_rep'], null, 'national federation');
const analyst = await h.key(['analyst'], null, 'analyst');
const analystA = await h.key(['analyst'], FORCE_A, 'force A analyst');

const NOTE = 'Synthetic health note: officer reports poor sleep.';
const NA_REASON = 'Synthetic: officer on long-term sick leave.';

h.clock.set('2026-03-03T09:00:00Z');
const incident = await recordIncident(h, systemA, { occurredAt: '2026-03-02T08:00:00Z' });
const victimId = incident.victims[0]!.id;
{
  const steps = byKey(await readPlan(h, welfareA, victimId));
  await completeStep(h, welfareA, steps.supervisor_contact!, { status: 'done', note: NOTE });
  await completeStep(h, welfareA, steps.command_informed!, { status: 'not_applicable', statusReason: NA_REASON });
}
// A follow-up and a TRiM referral with notes.
// (No assertions at the top level: the setup throws if anything is off.)
const created = async (res: Awaited<ReturnType<typeof h.call>>) => {
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
};
const followUp = await created(
  await h.call(welfareA, {
    method: 'POST',
    url: `/v1/victims/${victimId}/follow-ups`,
    payload: { occurredAt: '2026-03-03T08:00:00Z', kind: 'call', contactBy: 'Synthetic', note: NOTE },
  }),
);
const referral = await created(
  await h.call(welfareA, {
    method: 'POST',
    url: `/v1/victims/${victimId}/trim-referrals`,
    payload: { referredBy: 'Synthetic sergeant', consent: 'given', note: NOTE },
  }),
);

const getPlan = (key: string | null, reason?: string, id = victimId) =>
  h.call(key, { method: 'GET', url: `/v1/victims/${id}/care-plan`, headers: reason ? { 'x-access-reason': reason } : {} });
const getFollowUps = (key: string | null, reason?: string) =>
  h.call(key, { method: 'GET', url: `/v1/victims/${victimId}/follow-ups`, headers: reason ? { 'x-access-reason': reason } : {} });
const getReferral = (key: string | null, reason?: string) =>
  h.call(key, { method: 'GET', url: `/v1/trim-referrals/${referral.id}`, headers: reason ? { 'x-access-reason': reason } : {} });

const countAudit = async () => Number((await queryRows<{ n: number | string }>(h.database.db, sql`select count(*) as n from audit_events`))[0]!.n);

t.test('welfare officer of the force and admins read the full plan, with notes, reasons and history', async (t) => {
  for (const key of [welfareA, h.adminKey, adminA]) {
    const plan = ok(t, await getPlan(key, REASON)) as PlanView;
    const steps = byKey(plan);
    t.equal(steps.supervisor_contact?.note, NOTE);
    t.equal(steps.supervisor_contact?.completedBy, 'force A welfare');
    t.equal(steps.command_informed?.statusReason, NA_REASON);
    t.equal(steps.supervisor_contact?.history?.length, 1);
    t.equal(steps.victims_code?.note, null, 'health fields present even when empty');
    t.same(steps.victims_code?.history, []);
  }
});

t.test('force_system sees the plan and step statuses and times, never notes, reasons, history or who completed a step (#20 item 14)', async (t) => {
  for (const reason of [undefined, REASON]) {
    const res = await getPlan(systemA, reason);
    const plan = ok(t, res) as PlanView;
    t.match(plan, { victimId, incidentId: incident.id, forceId: FORCE_A, templateForceId: null, templateVersion: 1, complete: false });
    t.equal(plan.steps.length, 7);
    for (const step of plan.steps) {
      t.notOk('note' in step, `${step.key}: no note field`);
      t.notOk('statusReason' in step, `${step.key}: no statusReason field`);
      t.notOk('history' in step, `${step.key}: no history field`);
      t.notOk('completedBy' in step, `${step.key}: no completedBy field`);
    }
    const steps = byKey(plan);
    t.match(steps.supervisor_contact, { status: 'done', completedAt: '2026-03-03T09:00:00.000Z', dueAt: String });
    t.notMatch(res.body, /force A welfare/, "the welfare officer's name appears nowhere in the answer");
    t.equal(steps.command_informed?.status, 'not_applicable');
    t.equal(steps.victims_code?.status, 'pending');
    t.notMatch(res.body, /Synthetic health note|long-term sick leave/, 'no note text anywhere in the answer');
  }
  // A national force system too.
  const national = await h.key(['force_system'], null, 'national system');
  const res = await getPlan(national);
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /Synthetic health note|long-term sick leave|"history"|"completedBy"/);
});

t.test('X-Access-Reason is required of welfare officers and admins (400), and the refused read is not audited', async (t) => {
  const before = await countAudit();
  problem(t, await getPlan(welfareA), 400, 'access-reason-required');
  problem(t, await getPlan(welfareA, '  '), 400, 'access-reason-required');
  problem(t, await getPlan(h.adminKey), 400, 'access-reason-required');
  problem(t, await getFollowUps(welfareA), 400, 'access-reason-required');
  problem(t, await getFollowUps(h.adminKey), 400, 'access-reason-required');
  problem(t, await getReferral(welfareA), 400, 'access-reason-required');
  problem(t, await getReferral(h.adminKey), 400, 'access-reason-required');
  t.equal(await countAudit(), before, 'no audit event for refused reads');
});

t.test('other forces: 404 for scoped welfare officers, admins and force systems', async (t) => {
  problem(t, await getPlan(welfareB, REASON), 404, 'victim-not-found');
  problem(t, await getPlan(adminB, REASON), 404, 'victim-not-found');
  problem(t, await getPlan(systemB), 404, 'victim-not-found');
  problem(t, await getFollowUps(welfareB, REASON), 404, 'victim-not-found');
  problem(t, await getFollowUps(adminB, REASON), 404, 'victim-not-found');
  problem(t, await getReferral(welfareB, REASON), 404, 'trim-referral-not-found');
  problem(t, await getReferral(adminB, REASON), 404, 'trim-referral-not-found');
  // Unknown ids answer the same.
  problem(t, await getPlan(welfareA, REASON, uuidv7()), 404, 'victim-not-found');
  problem(t, await getPlan(systemA, undefined, uuidv7()), 404, 'victim-not-found');
});

t.test('federation reps and analysts see neither the plan nor any health data (403)', async (t) => {
  const step = (await readPlan(h, welfareA, victimId)).steps[3]!;
  for (const key of [federationA, federationNational, analyst, analystA]) {
    problem(t, await getPlan(key, REASON), 403, 'forbidden');
    problem(t, await getPlan(key), 403, 'forbidden');
    problem(t, await getFollowUps(key, REASON), 403, 'forbidden');
    problem(t, await getReferral(key, REASON), 403, 'forbidden');
    problem(t, await h.call(key, { method: 'GET', url: '/v1/care-steps' }), 403, 'forbidden');
    problem(
      t,
      await h.call(key, { method: 'PATCH', url: `/v1/care-steps/${step.id}`, headers: { 'if-match': `"${step.version}"` }, payload: { status: 'done' } }),
      403,
      'forbidden',
    );
    problem(
      t,
      await h.call(key, {
        method: 'POST',
        url: `/v1/victims/${victimId}/follow-ups`,
        payload: { occurredAt: '2026-03-03T08:00:00Z', kind: 'call', contactBy: 'x' },
      }),
      403,
      'forbidden',
    );
    problem(t, await h.call(key, { method: 'POST', url: `/v1/victims/${victimId}/trim-referrals`, payload: { referredBy: 'x' } }), 403, 'forbidden');
    problem(
      t,
      await h.call(key, { method: 'PATCH', url: `/v1/trim-referrals/${referral.id}`, headers: { 'if-match': '*' }, payload: { note: 'x' } }),
      403,
      'forbidden',
    );
    problem(
      t,
      await h.call(key, {
        method: 'POST',
        url: `/v1/trim-referrals/${referral.id}/assessments`,
        payload: { kind: 'initial', assessedAt: '2026-03-03T08:00:00Z', score: 1, outcome: 'monitor' },
      }),
      403,
      'forbidden',
    );
    problem(t, await h.call(key, { method: 'GET', url: `/v1/care-plan-templates/${FORCE_A}` }), 403, 'forbidden');
  }
  // Force systems read the plan (lean) but nothing else of care or TRiM.
  problem(t, await getFollowUps(systemA, REASON), 403, 'forbidden');
  problem(t, await getReferral(systemA, REASON), 403, 'forbidden');
  problem(t, await h.call(systemA, { method: 'GET', url: '/v1/care-steps' }), 403, 'forbidden');
  // Nothing changed through the refused writes.
  t.equal((await readPlan(h, welfareA, victimId)).steps[3]!.status, 'pending');
});

t.test('every health-data read appends one audit event with the X-Access-Reason as reason', async (t) => {
  h.clock.set('2026-03-04T10:00:00Z');
  const planEvents = async () => (await auditFor(h, victimId)).filter((e) => e.resource_type === 'care_plan' && e.action === 'read');
  const before = (await planEvents()).length;
  ok(t, await getPlan(welfareA, '  Synthetic reason: weekly review  '));
  const after = await planEvents();
  t.equal(after.length, before + 1, 'one read event');
  t.match(after.at(-1), {
    action: 'read',
    resource_type: 'care_plan',
    resource_id: victimId,
    force_id: FORCE_A,
    reason: 'Synthetic reason: weekly review',
    actor_name: 'force A welfare',
  });

  ok(t, await getPlan(h.adminKey, 'Synthetic reason: audit sample'));
  t.match((await planEvents()).at(-1), { reason: 'Synthetic reason: audit sample', actor_name: 'test admin' });
  // The force system's lean read is audited too (no reason needed).
  ok(t, await getPlan(systemA));
  t.match((await planEvents()).at(-1), { action: 'read', reason: null, actor_name: 'force A system' });

  // Follow-ups: a 'list' event on the victim.
  ok(t, await getFollowUps(welfareA, 'Synthetic reason: follow-up check'));
  const fu = (await auditFor(h, victimId)).filter((e) => e.resource_type === 'follow_up');
  t.match(fu, [{ action: 'list', resource_id: victimId, force_id: FORCE_A, reason: 'Synthetic reason: follow-up check' }]);
  t.match(await auditFor(h, followUp.id), [{ action: 'create', resource_type: 'follow_up' }], 'the follow-up itself has its create event');

  // TRiM: a 'read' event on the referral.
  ok(t, await getReferral(welfareA, 'Synthetic reason: TRiM planning'));
  ok(t, await getReferral(h.adminKey, 'Synthetic reason: TRiM oversight'));
  const trim = (await auditFor(h, referral.id)).filter((e) => e.action === 'read');
  t.match(trim, [
    {
      action: 'read',
      resource_type: 'trim_referral',
      resource_id: referral.id,
      force_id: FORCE_A,
      reason: 'Synthetic reason: TRiM planning',
      actor_name: 'force A welfare',
    },
    { reason: 'Synthetic reason: TRiM oversight', actor_name: 'test admin' },
  ]);

  // The queue read is a 'list' event too.
  const queueBefore = Number(
    (await queryRows<{ n: number | string }>(h.database.db, sql`select count(*) as n from audit_events where resource_type = 'care_queue'`))[0]!.n,
  );
  ok(t, await h.call(welfareA, { method: 'GET', url: '/v1/care-steps', headers: { 'x-access-reason': 'Synthetic reason: queue' } }));
  const [queueEvent] = await queryRows<{ n: number | string; action: string; reason: string | null; force_id: string | null }>(
    h.database.db,
    sql`select count(*) over () as n, action, reason, force_id::text as force_id from audit_events where resource_type = 'care_queue' order by occurred_at desc, id desc limit 1`,
  );
  t.equal(Number(queueEvent!.n), queueBefore + 1);
  t.match(queueEvent, { action: 'list', reason: 'Synthetic reason: queue', force_id: FORCE_A });
});

t.test('writes are audited with the changed fields', async (t) => {
  const step = byKey(await readPlan(h, welfareA, victimId)).victims_code!;
  await completeStep(h, welfareA, step, { status: 'done', note: 'Synthetic.' });
  const events = (await auditFor(h, step.id)).filter((e) => e.action === 'update');
  t.equal(events.length, 1);
  t.match(events[0], { resource_type: 'care_step', force_id: FORCE_A, actor_name: 'force A welfare' });
  t.same([...(events[0]!.changed_fields ?? [])].sort(), ['completedAt', 'completedBy', 'note', 'status', 'statusReason']);
  // The plan was created with the victim, audited as such.
  t.match(
    (await auditFor(h, victimId)).filter((e) => e.resource_type === 'care_plan' && e.action === 'create'),
    [{ actor_name: 'force A system', changed_fields: ['steps'] }],
  );
});
