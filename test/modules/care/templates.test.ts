// Care-plan templates: the national default, a force's own versions (PUT adds a version), which version a new
// victim's plan is made from, and who may read or publish. One app and database; the tests run in order.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { queryRows } from '../../../src/db/client.ts';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { auditFor, ok, paths, problem, readPlan, recordIncident } from './support.ts';

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'force A system');
const systemB = await h.key(['force_system'], FORCE_B, 'force B system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const adminA = await h.key(['admin'], FORCE_A, 'force A admin');
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

const V1_STEPS = [
  { key: 'welfare_call', title: 'Welfare officer calls the officer', description: 'Synthetic step one.', ownerRole: 'welfare_officer', due: { hours: 12 } },
  {
    key: 'occupational_health',
    title: 'Occupational health told',
    description: 'Synthetic step two.',
    ownerRole: 'health_and_safety',
    due: { workingDays: 1 },
  },
  { key: 'command_briefing', title: 'Command briefed', ownerRole: 'command', due: { workingDays: 10 } },
];
const V2_STEPS = [
  { key: 'welfare_call', title: 'Welfare officer calls the officer, sooner', description: '', ownerRole: 'welfare_officer', due: { hours: 6 } },
  { key: 'peer_support', title: 'Peer supporter assigned', description: '', ownerRole: 'other', due: { workingDays: 2 } },
];

const put = (key: string | null, forceId: string, steps: unknown) =>
  h.call(key, { method: 'PUT', url: `/v1/care-plan-templates/${forceId}`, payload: { steps } as Record<string, unknown> });
const get = (key: string | null, forceId: string, query = '') => h.call(key, { method: 'GET', url: `/v1/care-plan-templates/${forceId}${query}` });

// Friday 22 May 2026 18:00 BST (17:00Z), before the Spring bank holiday on Monday 25 May.
const OCCURRED = '2026-05-22T18:00:00+01:00';
let victimBefore = '';

t.test('GET national and a force without its own template: the national default, version 1', async (t) => {
  h.clock.set('2026-05-22T20:00:00Z');
  const national = ok(t, await get(welfareA, 'national'));
  t.match(national, { forceId: null, version: 1, source: 'national', createdAt: '2026-01-01T00:00:00.000Z' });
  t.same(
    national.steps.map((s: { key: string }) => s.key),
    NATIONAL_KEYS,
  );
  t.same(national.steps[0], {
    key: 'supervisor_contact',
    title: 'Supervisor contacts the assaulted officer',
    description: 'A supervisor makes contact with the officer promptly to check on their welfare and explain the support available.',
    ownerRole: 'supervisor',
    due: { hours: 24 },
  });
  const forceA = ok(t, await get(systemA, FORCE_A));
  t.same(forceA, national, 'force A uses the national default for now');
  // A victim recorded now gets the national seven steps.
  const inc = await recordIncident(h, systemA, { occurredAt: OCCURRED });
  victimBefore = inc.victims[0]!.id;
  const plan = await readPlan(h, welfareA, victimBefore);
  t.match(plan, { templateForceId: null, templateVersion: 1 });
  t.equal(plan.steps.length, 7);
});

t.test('PUT a force template: version 1, source force; new victims get its steps, earlier ones keep theirs', async (t) => {
  h.clock.set('2026-05-22T20:30:00Z');
  const res = await put(h.adminKey, FORCE_A, V1_STEPS);
  const v1 = ok(t, res);
  t.match(v1, { forceId: FORCE_A, version: 1, source: 'force', createdAt: '2026-05-22T20:30:00.000Z' });
  t.same(v1.steps, [V1_STEPS[0], V1_STEPS[1], { ...V1_STEPS[2], description: '' }], 'description defaults to empty');
  t.same(ok(t, await get(welfareA, FORCE_A)), v1, 'the current version of force A');

  // Audited as a create of the template.
  const [row] = await queryRows<{ id: string }>(h.database.db, sql`select id::text as id from care_plan_templates where force_id = ${FORCE_A} and version = 1`);
  const audit = await auditFor(h, row!.id);
  t.match(audit, [{ action: 'create', resource_type: 'care_plan_template', force_id: FORCE_A, changed_fields: ['steps'] }]);

  // A victim recorded afterwards gets the three force steps, with due times from the incident:
  // 12 h: 2026-05-22T17:00Z + 12 h = 2026-05-23T05:00Z.
  // 1 working day: Sat 23, Sun 24, Mon 25 (bank holiday) skipped -> Tue 26 May, BST -> 2026-05-26T22:59:59.999Z.
  // 10 working days: Tue 26 (1), Wed 27, Thu 28, Fri 29 (4), Mon 1 June (5), Tue 2, Wed 3, Thu 4, Fri 5 (9), Mon 8 (10)
  //   -> 2026-06-08T22:59:59.999Z.
  const inc = await recordIncident(h, systemA, { occurredAt: OCCURRED });
  const plan = await readPlan(h, welfareA, inc.victims[0]!.id);
  t.match(plan, { templateForceId: FORCE_A, templateVersion: 1, forceId: FORCE_A });
  t.same(
    plan.steps.map((s) => [s.position, s.key, s.ownerRole, s.dueAt]),
    [
      [1, 'welfare_call', 'welfare_officer', '2026-05-23T05:00:00.000Z'],
      [2, 'occupational_health', 'health_and_safety', '2026-05-26T22:59:59.999Z'],
      [3, 'command_briefing', 'command', '2026-06-08T22:59:59.999Z'],
    ],
  );
  // The victim recorded before keeps the national seven.
  const earlier = await readPlan(h, welfareA, victimBefore);
  t.match(earlier, { templateForceId: null, templateVersion: 1 });
  t.same(
    earlier.steps.map((s) => s.key),
    NATIONAL_KEYS,
  );

  // Force B still uses the national default.
  const forceB = ok(t, await get(welfareB, FORCE_B));
  t.match(forceB, { forceId: null, version: 1, source: 'national' });
  const incB = await recordIncident(h, systemB, { occurredAt: OCCURRED });
  const planB = await readPlan(h, welfareB, incB.victims[0]!.id);
  t.match(planB, { templateForceId: null, templateVersion: 1 });
  t.same(
    planB.steps.map((s) => s.key),
    NATIONAL_KEYS,
  );
});

t.test('a second PUT makes version 2; ?version=1 still returns the first; plans keep their version', async (t) => {
  h.clock.set('2026-05-23T09:00:00Z');
  const incV1 = await recordIncident(h, systemA, { occurredAt: OCCURRED });
  const v2 = ok(t, await put(adminA, FORCE_A, V2_STEPS));
  t.match(v2, { forceId: FORCE_A, version: 2, source: 'force', createdAt: '2026-05-23T09:00:00.000Z' });
  t.same(v2.steps, V2_STEPS);
  t.same(ok(t, await get(welfareA, FORCE_A)), v2, 'current is version 2');
  const v1 = ok(t, await get(welfareA, FORCE_A, '?version=1'));
  t.match(v1, { forceId: FORCE_A, version: 1, source: 'force' });
  t.same(
    v1.steps.map((s: { key: string }) => s.key),
    ['welfare_call', 'occupational_health', 'command_briefing'],
  );
  t.same(ok(t, await get(welfareA, FORCE_A, '?version=2')), v2);
  problem(t, await get(welfareA, FORCE_A, '?version=3'), 404);
  problem(t, await get(welfareB, FORCE_B, '?version=1'), 404); // force B has no own version 1
  t.same(ok(t, await get(welfareA, 'national', '?version=1')).version, 1);

  // New victims get version 2 (6 h after 17:00Z = 23:00Z; 2 working days -> Wed 27 May BST end).
  const inc = await recordIncident(h, systemA, { occurredAt: OCCURRED });
  const plan = await readPlan(h, welfareA, inc.victims[0]!.id);
  t.match(plan, { templateForceId: FORCE_A, templateVersion: 2 });
  t.same(
    plan.steps.map((s) => [s.key, s.dueAt]),
    [
      ['welfare_call', '2026-05-22T23:00:00.000Z'],
      ['peer_support', '2026-05-27T22:59:59.999Z'],
    ],
  );
  // A victim made from version 1 keeps version 1's steps.
  const old = await readPlan(h, welfareA, incV1.victims[0]!.id);
  t.match(old, { templateForceId: FORCE_A, templateVersion: 1 });
  t.equal(old.steps.length, 3);
});

t.test('who may publish: admins only; a force admin only for its own force; not the national default', async (t) => {
  problem(t, await put(adminA, FORCE_B, V1_STEPS), 404, 'force-not-found');
  problem(t, await get(adminA, FORCE_B), 404, 'force-not-found');
  problem(t, await get(welfareA, FORCE_B), 404, 'force-not-found');
  problem(t, await put(adminA, 'national', V1_STEPS), 403, 'forbidden');
  for (const key of [welfareA, systemA, federationA, analyst]) problem(t, await put(key, FORCE_A, V1_STEPS), 403, 'forbidden');
  problem(t, await put(null, FORCE_A, V1_STEPS), 401, 'unauthenticated');
  problem(t, await put(h.adminKey, uuidv7(), V1_STEPS), 404, 'force-not-found');
  problem(t, await get(h.adminKey, uuidv7()), 404, 'force-not-found');
  // Reading: admin, welfare officer and force system; not federation reps or analysts.
  problem(t, await get(federationA, FORCE_A), 403, 'forbidden');
  problem(t, await get(analyst, 'national'), 403, 'forbidden');
  t.equal((await get(h.adminKey, FORCE_B)).statusCode, 200);
  // Nothing was published by the refused calls: force A is still at version 2, force B has none, national at 1.
  t.equal(ok(t, await get(welfareA, FORCE_A)).version, 2);
  t.equal(ok(t, await get(welfareB, FORCE_B)).source, 'national');
  t.equal(ok(t, await get(welfareA, 'national')).version, 1);
});

t.test('PUT validation: duplicate keys, bad steps, empty list are 400 and publish nothing', async (t) => {
  const dup = problem(t, await put(h.adminKey, FORCE_A, [V1_STEPS[0], { ...V1_STEPS[1], key: 'welfare_call' }]), 400, 'validation-failed');
  t.match(JSON.stringify(dup.errors), /unique/);
  problem(t, await put(h.adminKey, FORCE_A, []), 400, 'validation-failed');
  const bad = problem(
    t,
    await put(h.adminKey, FORCE_A, [
      { key: 'Bad Key', title: 'x', ownerRole: 'supervisor', due: { hours: 1 } },
      { key: 'ok_key', title: ' ', ownerRole: 'chief', due: { hours: 1, workingDays: 2 } },
    ]),
    400,
    'validation-failed',
  );
  t.ok(paths(bad).length >= 3, 'every failing field listed');
  t.ok(
    paths(bad).some((p) => p.startsWith('body.steps.0.key')),
    'the bad key is named',
  );
  problem(t, await put(h.adminKey, FORCE_A, [{ ...V1_STEPS[0], due: { days: 3 } }]), 400, 'validation-failed');
  problem(t, await put(h.adminKey, FORCE_A, [{ ...V1_STEPS[0], due: { hours: 0 } }]), 400, 'validation-failed');
  t.equal(ok(t, await get(welfareA, FORCE_A)).version, 2, 'still version 2');
});

t.test('a force admin publishes for its own force; a national admin publishes the national default', async (t) => {
  h.clock.set('2026-05-24T09:00:00Z');
  t.match(ok(t, await put(adminA, FORCE_A, V1_STEPS)), { version: 3, source: 'force', forceId: FORCE_A });
  const national = ok(t, await put(h.adminKey, 'national', V2_STEPS));
  t.match(national, { forceId: null, version: 2, source: 'national' });
  // Force B (no own template) now gets national version 2; force A keeps its own version 3.
  t.match(ok(t, await get(welfareB, FORCE_B)), { forceId: null, version: 2, source: 'national' });
  const incB = await recordIncident(h, systemB, { occurredAt: OCCURRED });
  t.match(await readPlan(h, welfareB, incB.victims[0]!.id), { templateForceId: null, templateVersion: 2 });
  const incA = await recordIncident(h, systemA, { occurredAt: OCCURRED });
  t.match(await readPlan(h, welfareA, incA.victims[0]!.id), { templateForceId: FORCE_A, templateVersion: 3 });
  t.equal(ok(t, await get(welfareA, 'national', '?version=1')).steps.length, 7, 'national version 1 is kept');
});
