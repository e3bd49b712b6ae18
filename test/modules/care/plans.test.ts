// The seven-step care plan born with each victim: due times from the incident (a Friday evening, a bank-holiday
// weekend, Christmas), moved when the incident's time is corrected, and each step worked by welfare officers.
// One app and database for the file; every test records its own incidents.
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { FORCE_A, FORCE_B, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { byKey, completeStep, ok, patchStep, paths, problem, readPlan, recordIncident, type StepView } from './support.ts';

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'force A system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const welfareNational = await h.key(['welfare_officer'], null, 'national welfare');
const federationA = await h.key(['federation_rep'], FORCE_A, 'force A federation');
const analyst = await h.key(['analyst'], null, 'analyst');

const NATIONAL_KEYS = [
  'supervisor_contact',
  'investigation_standard',
  'independent_oic',
  'victims_code',
  'health_and_safety_report',
  'command_informed',
  'federation_informed',
];

/** The expected due time of each national step, from the hand-computed 24-hour and working-day times. */
function expectedDue(plus24h: string, wd2: string, wd3: string, wd5: string): Record<string, string> {
  return {
    supervisor_contact: plus24h, // { hours: 24 }
    investigation_standard: plus24h, // { hours: 24 }
    independent_oic: plus24h, // { hours: 24 }
    victims_code: wd5, // { workingDays: 5 }
    health_and_safety_report: wd3, // { workingDays: 3 }
    command_informed: plus24h, // { hours: 24 }
    federation_informed: wd2, // { workingDays: 2 }
  };
}

const dueByKey = (steps: StepView[]) => Object.fromEntries(steps.map((s) => [s.key, s.dueAt]));

t.test('Friday-evening assault: the seven national steps with hand-computed due times', async (t) => {
  h.clock.set('2026-03-06T21:00:00Z');
  // Friday 6 March 2026, 19:30 GMT (BST only starts on 29 March).
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-03-06T19:30:00+00:00' });
  const victimId = inc.victims[0]!.id;
  const plan = await readPlan(h, welfareA, victimId);
  t.match(plan, { victimId, incidentId: inc.id, forceId: FORCE_A, templateForceId: null, templateVersion: 1, complete: false });
  t.same(
    plan.steps.map((s) => s.key),
    NATIONAL_KEYS,
    'the seven national steps, in template order',
  );
  t.same(
    plan.steps.map((s) => s.position),
    [1, 2, 3, 4, 5, 6, 7],
  );
  // 24 h steps: 2026-03-06T19:30Z + 24 h = Saturday 7 March 19:30Z.
  // 2 working days: Sat 7, Sun 8 skipped; Mon 9 (1), Tue 10 (2) -> end of Tue 10 March GMT = 2026-03-10T23:59:59.999Z.
  // 3 working days: Wed 11 -> 2026-03-11T23:59:59.999Z.
  // 5 working days: Thu 12 (4), Fri 13 (5) -> 2026-03-13T23:59:59.999Z.
  t.same(dueByKey(plan.steps), expectedDue('2026-03-07T19:30:00.000Z', '2026-03-10T23:59:59.999Z', '2026-03-11T23:59:59.999Z', '2026-03-13T23:59:59.999Z'));
  for (const step of plan.steps) {
    t.match(
      step,
      { victimId, incidentId: inc.id, forceId: FORCE_A, status: 'pending', completedAt: null, completedBy: null, note: null, statusReason: null, version: 1 },
      step.key,
    );
    t.same(step.history, [], `${step.key}: no history yet`);
  }
  const steps = byKey(plan);
  t.same(steps.supervisor_contact?.due, { hours: 24 });
  t.equal(steps.supervisor_contact?.ownerRole, 'supervisor');
  t.same(steps.victims_code?.due, { workingDays: 5 });
  t.equal(steps.federation_informed?.ownerRole, 'welfare_officer');

  // A victim added to the same incident later (on Monday) gets the same due times: they run from the incident, not from now.
  h.clock.set('2026-03-09T10:00:00Z');
  const later = await h.call(systemA, { method: 'POST', url: `/v1/incidents/${inc.id}/victims`, payload: victimBody({ role: 'pcso' }) });
  const laterPlan = await readPlan(h, welfareA, ok(t, later, 201).id);
  t.same(dueByKey(laterPlan.steps), dueByKey(plan.steps));
});

t.test('Spring bank holiday weekend: working-day steps skip Sat 23, Sun 24 and Mon 25 May 2026', async (t) => {
  h.clock.set('2026-05-22T20:00:00Z');
  // Friday 22 May 2026, 18:00 BST = 17:00Z.
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-05-22T18:00:00+01:00' });
  const plan = await readPlan(h, welfareA, inc.victims[0]!.id);
  // 24 h: 2026-05-23T17:00Z.
  // 2 working days: Sat 23, Sun 24, Mon 25 (Spring bank holiday) skipped; Tue 26 (1), Wed 27 (2) -> 23:59:59.999 BST = 2026-05-27T22:59:59.999Z.
  // 3 working days: Thu 28 -> 2026-05-28T22:59:59.999Z.
  // 5 working days: Fri 29 (4), Mon 1 June (5) -> 2026-06-01T22:59:59.999Z.
  t.same(dueByKey(plan.steps), expectedDue('2026-05-23T17:00:00.000Z', '2026-05-27T22:59:59.999Z', '2026-05-28T22:59:59.999Z', '2026-06-01T22:59:59.999Z'));
});

t.test('Christmas 2026: Christmas Day, the Boxing Day substitute and New Year 2027 are skipped', async (t) => {
  h.clock.set('2026-12-24T22:00:00Z');
  // Thursday 24 December 2026, 20:00 GMT.
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-12-24T20:00:00Z' });
  const plan = await readPlan(h, welfareA, inc.victims[0]!.id);
  // 24 h: 2026-12-25T20:00Z (hours ignore holidays).
  // Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (Boxing Day substitute) skipped: Tue 29 (1), Wed 30 (2) -> 2026-12-30T23:59:59.999Z.
  // 3 working days: Thu 31 -> 2026-12-31T23:59:59.999Z.
  // Fri 1 January 2027 (New Year), Sat 2, Sun 3 skipped: Mon 4 (4), Tue 5 (5) -> 2027-01-05T23:59:59.999Z.
  t.same(dueByKey(plan.steps), expectedDue('2026-12-25T20:00:00.000Z', '2026-12-30T23:59:59.999Z', '2026-12-31T23:59:59.999Z', '2027-01-05T23:59:59.999Z'));
});

t.test("correcting the incident's occurredAt moves pending steps, not completed ones", async (t) => {
  h.clock.set('2026-04-04T10:00:00Z');
  // Recorded as Friday 3 April 2026 (Good Friday) 21:00 BST = 20:00Z.
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-04-03T21:00:00+01:00' });
  const victimId = inc.victims[0]!.id;
  const before = byKey(await readPlan(h, welfareA, victimId));
  // From Fri 3 April: Sat 4, Sun 5, Mon 6 (Easter Monday) skipped; Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5); BST.
  t.same(
    dueByKey(Object.values(before)),
    expectedDue('2026-04-04T20:00:00.000Z', '2026-04-08T22:59:59.999Z', '2026-04-09T22:59:59.999Z', '2026-04-13T22:59:59.999Z'),
  );
  await completeStep(h, welfareA, before.supervisor_contact!);
  await completeStep(h, welfareA, before.health_and_safety_report!);
  await completeStep(h, welfareA, before.command_informed!, { status: 'not_applicable', statusReason: 'Synthetic: command already aware.' });
  await completeStep(h, welfareA, before.independent_oic!, { status: 'declined' });

  // The force system corrects the time: it was Wednesday 1 April 2026, 21:00 BST = 20:00Z.
  const patched = await h.call(systemA, {
    method: 'PATCH',
    url: `/v1/incidents/${inc.id}`,
    headers: { 'if-match': `"${inc.version}"` },
    payload: { occurredAt: '2026-04-01T21:00:00+01:00' },
  });
  t.equal(ok(t, patched).occurredAt, '2026-04-01T20:00:00.000Z');
  const after = byKey(await readPlan(h, welfareA, victimId));
  // Pending steps move. From Wed 1 April: Thu 2 (1); Fri 3 (Good Friday), Sat 4, Sun 5, Mon 6 (Easter Monday) skipped;
  // Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5). 24 h: 2026-04-02T20:00Z.
  t.equal(after.investigation_standard?.dueAt, '2026-04-02T20:00:00.000Z', 'pending 24 h step moved');
  t.equal(after.federation_informed?.dueAt, '2026-04-07T22:59:59.999Z', 'pending 2-working-day step moved');
  t.equal(after.victims_code?.dueAt, '2026-04-10T22:59:59.999Z', 'pending 5-working-day step moved');
  // Steps no longer pending keep the due time they had.
  t.equal(after.supervisor_contact?.dueAt, '2026-04-04T20:00:00.000Z', 'done step unchanged');
  t.equal(after.health_and_safety_report?.dueAt, '2026-04-09T22:59:59.999Z', 'done working-day step unchanged');
  t.equal(after.command_informed?.dueAt, '2026-04-04T20:00:00.000Z', 'not applicable step unchanged');
  t.equal(after.independent_oic?.dueAt, '2026-04-04T20:00:00.000Z', 'declined step unchanged');
  t.equal(after.supervisor_contact?.status, 'done');

  // Another change to the incident that leaves its time alone moves nothing.
  const narrative = await h.call(systemA, {
    method: 'PATCH',
    url: `/v1/incidents/${inc.id}`,
    headers: { 'if-match': `"${inc.version + 1}"` },
    payload: { narrative: 'Synthetic narrative, amended.' },
  });
  ok(t, narrative);
  t.same(dueByKey((await readPlan(h, welfareA, victimId)).steps), dueByKey(Object.values(after)));
});

t.test('PATCH /v1/care-steps/{id}: If-Match is required (428) and must be current (412)', async (t) => {
  h.clock.set('2026-03-10T09:00:00Z');
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-03-09T08:00:00Z' });
  const step = (await readPlan(h, welfareA, inc.victims[0]!.id)).steps[0]!;
  problem(t, await patchStep(h, welfareA, step.id, { status: 'done' }), 428, 'precondition-required');
  problem(t, await patchStep(h, welfareA, step.id, { status: 'done' }, 2), 412, 'precondition-failed');
  const unchanged = (await readPlan(h, welfareA, inc.victims[0]!.id)).steps[0]!;
  t.equal(unchanged.status, 'pending', 'nothing changed');
  t.equal(unchanged.version, 1);
  const done = await patchStep(h, welfareA, step.id, { status: 'done' }, 1);
  t.equal(done.headers.etag, '"2"');
  t.equal(ok(t, done).version, 2);
});

t.test('step transitions: done, not applicable, declined, reopen; who and when; history', async (t) => {
  h.clock.set('2026-03-10T09:00:00Z');
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-03-09T08:00:00Z' });
  const victimId = inc.victims[0]!.id;
  const steps = byKey(await readPlan(h, welfareA, victimId));

  // pending -> done: completedAt defaults to now, completedBy is the principal's name.
  h.clock.set('2026-03-10T09:15:00Z');
  const done = ok(t, await patchStep(h, welfareA, steps.supervisor_contact!.id, { status: 'done', note: 'Synthetic: spoke to the officer.' }, 1)) as StepView;
  t.match(done, {
    status: 'done',
    completedAt: '2026-03-10T09:15:00.000Z',
    completedBy: 'force A welfare',
    note: 'Synthetic: spoke to the officer.',
    statusReason: null,
    version: 2,
  });
  t.same(done.history, [{ status: 'done', reason: null, at: '2026-03-10T09:15:00.000Z', by: 'force A welfare' }]);

  // An explicit completedAt in the past is kept.
  const backdated = ok(
    t,
    await patchStep(h, welfareA, steps.investigation_standard!.id, { status: 'done', completedAt: '2026-03-09T18:00:00+00:00' }, 1),
  ) as StepView;
  t.equal(backdated.completedAt, '2026-03-09T18:00:00.000Z');

  // completedAt in the future: 422, nothing changed.
  const future = problem(
    t,
    await patchStep(h, welfareA, steps.independent_oic!.id, { status: 'done', completedAt: '2026-03-10T09:16:00Z' }, 1),
    422,
    'rule-violated',
  );
  t.same(paths(future), ['completedAt']);

  // not_applicable needs a reason.
  const noReason = problem(t, await patchStep(h, welfareA, steps.command_informed!.id, { status: 'not_applicable' }, 1), 422, 'rule-violated');
  t.same(paths(noReason), ['statusReason']);
  const na = ok(
    t,
    await patchStep(h, welfareA, steps.command_informed!.id, { status: 'not_applicable', statusReason: 'Synthetic: command informed by phone.' }, 1),
  ) as StepView;
  t.match(na, {
    status: 'not_applicable',
    statusReason: 'Synthetic: command informed by phone.',
    completedAt: '2026-03-10T09:15:00.000Z',
    completedBy: 'force A welfare',
  });

  // declined needs no reason.
  const declined = ok(t, await patchStep(h, welfareA, steps.federation_informed!.id, { status: 'declined' }, 1)) as StepView;
  t.match(declined, { status: 'declined', completedBy: 'force A welfare' });

  // done -> declined directly: 422 (reopen first).
  const direct = problem(t, await patchStep(h, welfareA, done.id, { status: 'declined' }, done.version), 422, 'rule-violated');
  t.same(paths(direct), ['status']);
  problem(t, await patchStep(h, welfareA, done.id, { status: 'not_applicable', statusReason: 'Synthetic.' }, done.version), 422, 'rule-violated');

  // Reopen needs a reason; with one it clears the completion.
  const reopenBare = problem(t, await patchStep(h, welfareA, done.id, { status: 'pending' }, done.version), 422, 'rule-violated');
  t.same(paths(reopenBare), ['statusReason']);
  h.clock.set('2026-03-10T10:00:00Z');
  const reopened = ok(
    t,
    await patchStep(h, welfareA, done.id, { status: 'pending', statusReason: 'Synthetic: contact did not happen.' }, done.version),
  ) as StepView;
  t.match(reopened, { status: 'pending', completedAt: null, completedBy: null, statusReason: 'Synthetic: contact did not happen.', version: 3 });

  // Now declined is allowed.
  h.clock.set('2026-03-10T11:00:00Z');
  const nowDeclined = ok(t, await patchStep(h, welfareA, done.id, { status: 'declined' }, reopened.version)) as StepView;
  t.match(nowDeclined, { status: 'declined', completedAt: '2026-03-10T11:00:00.000Z', version: 4 });
  t.same(nowDeclined.history, [
    { status: 'done', reason: null, at: '2026-03-10T09:15:00.000Z', by: 'force A welfare' },
    { status: 'pending', reason: 'Synthetic: contact did not happen.', at: '2026-03-10T10:00:00.000Z', by: 'force A welfare' },
    { status: 'declined', reason: null, at: '2026-03-10T11:00:00.000Z', by: 'force A welfare' },
  ]);

  // A pending step has no completion to change.
  problem(t, await patchStep(h, welfareA, steps.victims_code!.id, { completedAt: '2026-03-10T08:00:00Z' }, 1), 422, 'rule-violated');

  // The plan shows every change; it is complete once no step is pending.
  let plan = await readPlan(h, welfareA, victimId);
  t.same(
    plan.steps.map((s) => s.status),
    ['declined', 'done', 'pending', 'pending', 'pending', 'not_applicable', 'declined'],
  );
  t.equal(plan.complete, false);
  for (const step of plan.steps.filter((s) => s.status === 'pending')) await completeStep(h, welfareA, step);
  plan = await readPlan(h, welfareA, victimId);
  t.equal(plan.complete, true, 'no pending step left: complete');
});

t.test('PATCH care step: the answer carries the note, reason and history only with X-Access-Reason (field policy, #20 item 4)', async (t) => {
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-03-09T08:00:00Z' });
  const steps = byKey(await readPlan(h, welfareA, inc.victims[0]!.id));
  const res = await patchStep(h, welfareA, steps.supervisor_contact!.id, { status: 'done', note: 'Synthetic: no reason given' }, 1, null);
  const step = ok(t, res) as StepView;
  t.match(step, { status: 'done', completedBy: 'force A welfare', version: 2 });
  for (const field of ['note', 'statusReason', 'history']) t.notOk(field in step, `no ${field} without a reason`);
  t.notMatch(res.body, /no reason given/);
});

t.test('PATCH care step: who may change a step', async (t) => {
  h.clock.set('2026-03-10T09:00:00Z');
  const inc = await recordIncident(h, systemA, { occurredAt: '2026-03-09T08:00:00Z' });
  const step = (await readPlan(h, welfareA, inc.victims[0]!.id)).steps[0]!;
  problem(t, await patchStep(h, systemA, step.id, { status: 'done' }, 1), 403, 'forbidden');
  problem(t, await patchStep(h, federationA, step.id, { status: 'done' }, 1), 403, 'forbidden');
  problem(t, await patchStep(h, analyst, step.id, { status: 'done' }, 1), 403, 'forbidden');
  problem(t, await patchStep(h, h.adminKey, step.id, { status: 'done' }, 1), 403, 'forbidden');
  problem(t, await patchStep(h, welfareB, step.id, { status: 'done' }, 1), 404, 'care-step-not-found');
  problem(t, await patchStep(h, welfareA, uuidv7(), { status: 'done' }, 1), 404, 'care-step-not-found');
  problem(t, await patchStep(h, null, step.id, { status: 'done' }, 1), 401, 'unauthenticated');
  problem(t, await patchStep(h, welfareA, step.id, { status: 'finished' }, 1), 400, 'validation-failed');
  problem(t, await patchStep(h, welfareA, step.id, { status: 'done', dueAt: '2027-01-01T00:00:00Z' }, 1), 400, 'validation-failed');
  t.equal((await readPlan(h, welfareA, inc.victims[0]!.id)).steps[0]!.status, 'pending', 'nothing changed');
  // A national welfare officer may work any force's steps.
  const national = ok(t, await patchStep(h, welfareNational, step.id, { status: 'done' }, 1)) as StepView;
  t.equal(national.completedBy, 'national welfare');
});
