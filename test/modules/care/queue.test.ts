// The welfare officers' queue (GET /v1/care-steps): exactly the right pending steps across many victims and
// incidents, oldest due first; due/open/overdue windows; withdrawn people and incidents drop out; force scope;
// cursor paging; CSV; roles. One app and database; each test works in forces of its own so queues do not mix.
import t from 'tap';
import { FORCE_A } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { FORCE_C, FORCE_D, FORCE_E, FORCE_F, completeStep, ok, problem, queueAll, readPlan, recordIncident, type QueueItem, type StepView } from './support.ts';

const h = await buildTestApp(t);
const welfareNational = await h.key(['welfare_officer'], null, 'national welfare');

interface Victim {
  id: string;
  incidentId: string;
  staffNumber: string | null;
  forceReference: string;
}

/** Records incidents at the given times in a force, with the given number of victims each. */
async function seed(forceId: string, incidents: [occurredAt: string, victims: number][]) {
  const system = await h.key(['force_system'], forceId, `system ${forceId}`);
  const out: { incident: Awaited<ReturnType<typeof recordIncident>>; victims: Victim[] }[] = [];
  for (const [occurredAt, n] of incidents) {
    const incident = await recordIncident(h, system, { occurredAt }, n);
    out.push({
      incident,
      victims: incident.victims.map((v) => ({ id: v.id, incidentId: incident.id, staffNumber: v.staffNumber, forceReference: incident.forceReference })),
    });
  }
  return { system, out, victims: out.flatMap((o) => o.victims) };
}

/** Every step of these victims, read through the care plan. */
async function stepsOf(key: string, victims: Victim[]): Promise<StepView[]> {
  const all: StepView[] = [];
  for (const v of victims) all.push(...(await readPlan(h, key, v.id)).steps);
  return all;
}

const order = (a: { dueAt: string; id: string }, b: { dueAt: string; id: string }) =>
  a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
const ids = (items: { id: string }[]) => items.map((i) => i.id);

t.test('status=overdue lists exactly the pending steps past due, oldest first, across many victims', async (t) => {
  h.clock.set('2026-03-02T09:00:00Z');
  const { out, victims } = await seed(FORCE_C, [
    ['2026-03-02T08:00:00Z', 2], // Monday morning
    ['2026-03-04T22:00:00Z', 1], // Wednesday night
    ['2026-03-06T19:30:00Z', 3], // Friday evening
    ['2026-03-09T12:00:00Z', 1], // Monday midday
  ]);
  const welfareC = await h.key(['welfare_officer'], FORCE_C, 'force C welfare');
  const before = await stepsOf(welfareC, victims);
  t.equal(before.length, 7 * 7, 'seven victims, seven steps each');

  // Some steps are worked: two overdue ones done, one not applicable, one declined; one not yet due done too.
  h.clock.set('2026-03-08T10:00:00Z');
  const first = out[0]!.victims[0]!.id;
  const firstSteps = before.filter((s) => s.victimId === first);
  await completeStep(h, welfareC, firstSteps[0]!);
  await completeStep(h, welfareC, firstSteps[1]!, { status: 'not_applicable', statusReason: 'Synthetic reason.' });
  await completeStep(h, welfareC, firstSteps[2]!, { status: 'declined' });
  const friday = out[2]!.victims[1]!.id;
  await completeStep(
    h,
    welfareC,
    before.find((s) => s.victimId === friday && s.key === 'supervisor_contact')!,
  );
  await completeStep(
    h,
    welfareC,
    before.find((s) => s.victimId === friday && s.key === 'victims_code')!,
  );

  // Now: Tuesday 10 March 2026, 12:00Z.
  h.clock.set('2026-03-10T12:00:00Z');
  const now = Date.parse('2026-03-10T12:00:00Z');
  const steps = await stepsOf(welfareC, victims);
  const expected = steps.filter((s) => s.status === 'pending' && Date.parse(s.dueAt) < now).sort(order);

  // Spot-check the set by hand:
  // Monday 2 March 08:00Z: 24 h -> 3 March 08:00Z; 2 WD -> Wed 4; 3 WD -> Thu 5; 5 WD -> Mon 9 end (all overdue, 7 per victim).
  // Wednesday 4 March 22:00Z: 24 h -> 5 March 22:00Z; 2 WD -> Fri 6; 3 WD -> Mon 9; 5 WD -> Wed 11 end (not yet due): 6 overdue.
  // Friday 6 March 19:30Z: 24 h -> 7 March 19:30Z (4 steps); 2 WD -> Tue 10 end, 3 WD Wed 11, 5 WD Fri 13: 4 overdue each.
  // Monday 9 March 12:00Z: 24 h -> 10 March 12:00Z, which is now and not before it: none overdue.
  // 7 + 7 + 6 + 4 * 3 = 32, less the four worked overdue steps (3 on the first victim, 1 on the Friday one) = 28.
  t.equal(expected.length, 28, 'the hand count agrees with the plans');

  const res = await h.call(welfareC, { method: 'GET', url: '/v1/care-steps?status=overdue&limit=500' });
  const body = ok(t, res) as { items: QueueItem[]; nextCursor: string | null };
  t.equal(body.nextCursor, null);
  t.same(ids(body.items), ids(expected), 'exactly the overdue pending steps, oldest due first');
  t.ok(
    body.items.every((i) => i.kind === 'care_step' && i.forceId === FORCE_C && i.overdueSeconds > 0),
    'all care steps of force C, all overdue',
  );
  for (const item of body.items) {
    const step = expected.find((s) => s.id === item.id)!;
    const victim = victims.find((v) => v.id === step.victimId)!;
    t.same(
      item,
      {
        kind: 'care_step',
        id: step.id,
        forceId: FORCE_C,
        incidentId: step.incidentId,
        incidentReference: victim.forceReference,
        victimId: step.victimId,
        victimRole: 'constable',
        staffNumber: victim.staffNumber,
        stepKey: step.key,
        title: step.title,
        ownerRole: step.ownerRole,
        dueAt: step.dueAt,
        overdueSeconds: Math.floor((now - Date.parse(step.dueAt)) / 1000),
        version: step.version,
      },
      `queue item ${step.key}`,
    );
  }
  // Hand-computed: the Monday victims' 5-working-day step was due 2026-03-09T23:59:59.999Z: 12 h (less 1 ms) ago.
  const victimsCode = body.items.find((i) => i.victimId === first && i.stepKey === 'victims_code')!;
  t.equal(victimsCode.dueAt, '2026-03-09T23:59:59.999Z');
  t.equal(victimsCode.overdueSeconds, 43_200);
  // The Friday victims' 24 h steps were due 2026-03-07T19:30Z: 2 days 16.5 hours = 232,200 seconds ago.
  const fridayContact = body.items.find((i) => i.victimId === out[2]!.victims[0]!.id && i.stepKey === 'supervisor_contact')!;
  t.equal(fridayContact.overdueSeconds, 232_200);
  // The oldest first: the Monday incident's 24 h steps (3 March 08:00Z).
  t.equal(body.items[0]!.dueAt, '2026-03-03T08:00:00.000Z');
  // None of the worked steps, and nothing from the Monday-midday incident (due exactly now).
  const worked = [firstSteps[0]!.id, firstSteps[1]!.id, firstSteps[2]!.id];
  t.notOk(
    body.items.some((i) => worked.includes(i.id)),
    'worked steps are gone',
  );
  t.notOk(
    body.items.some((i) => i.incidentId === out[3]!.incident.id),
    'a step due exactly now is not overdue',
  );

  // One millisecond later the Monday-midday 24 h steps are overdue too (4 more).
  h.clock.set('2026-03-10T12:00:00.001Z');
  t.equal((await queueAll(h, welfareC, { status: 'overdue' })).length, 32);
  h.clock.set('2026-03-10T12:00:00Z');

  // status=overdue with an earlier dueBefore narrows the window: due before Friday 6 March 00:00Z.
  // Monday victims: 24 h (3 Mar), 2 WD (4 Mar end), 3 WD (5 Mar end) = 6 steps each, less the 3 worked on the first = 9.
  // Wednesday victim: its four 24 h steps (5 Mar 22:00Z); its 2 WD step ends Fri 6 = 4. Total 13.
  const early = await queueAll(h, welfareC, { status: 'overdue', dueBefore: '2026-03-06T00:00:00Z' });
  t.same(ids(early), ids(expected.filter((s) => Date.parse(s.dueAt) < Date.parse('2026-03-06T00:00:00Z'))));
  t.equal(early.length, 13);
  // A dueBefore later than now does not widen overdue.
  t.same(ids(await queueAll(h, welfareC, { status: 'overdue', dueBefore: '2026-04-01T00:00:00Z' })), ids(expected));

  // status=due: by dueBefore (overdue included).
  const dueBefore = '2026-03-12T00:00:00Z';
  const due = await queueAll(h, welfareC, { status: 'due', dueBefore });
  t.same(ids(due), ids(steps.filter((s) => s.status === 'pending' && Date.parse(s.dueAt) < Date.parse(dueBefore)).sort(order)));
  t.ok(
    due.some((i) => i.overdueSeconds === 0),
    'not-yet-due items have overdueSeconds 0',
  );
  // status=due without dueBefore: the next 24 hours (before 2026-03-11T12:00Z).
  const dueDefault = await queueAll(h, welfareC, { status: 'due' });
  t.same(ids(dueDefault), ids(steps.filter((s) => s.status === 'pending' && Date.parse(s.dueAt) < now + 24 * 3_600_000).sort(order)));
  // status=open (also the default): everything pending, whenever due.
  const open = await queueAll(h, welfareC, { status: 'open' });
  t.same(ids(open), ids(steps.filter((s) => s.status === 'pending').sort(order)));
  t.equal(open.length, 49 - 5);
  t.same(ids(await queueAll(h, welfareC, {})), ids(open), 'open is the default');
  // status=open with dueBefore.
  t.same(ids(await queueAll(h, welfareC, { status: 'open', dueBefore })), ids(due));
});

t.test('withdrawn victims and withdrawn incidents drop out of the queue', async (t) => {
  h.clock.set('2026-03-02T09:00:00Z');
  const { system, out } = await seed(FORCE_D, [
    ['2026-03-02T08:00:00Z', 2],
    ['2026-03-03T08:00:00Z', 1],
  ]);
  const welfareD = await h.key(['welfare_officer'], FORCE_D, 'force D welfare');
  h.clock.set('2026-03-20T12:00:00Z');
  const all = await queueAll(h, welfareD, { status: 'overdue' });
  t.equal(all.length, 21, 'three victims, seven overdue steps each');

  // Withdraw one victim of the first incident.
  const victim = out[0]!.incident.victims[1]!;
  const withdrawn = await h.call(system, {
    method: 'PATCH',
    url: `/v1/victims/${victim.id}`,
    headers: { 'if-match': `"${victim.version}"` },
    payload: { status: 'withdrawn', statusReason: 'Synthetic: recorded in error.' },
  });
  t.equal(ok(t, withdrawn).status, 'withdrawn');
  const afterVictim = await queueAll(h, welfareD, { status: 'overdue' });
  t.equal(afterVictim.length, 14);
  t.notOk(
    afterVictim.some((i) => i.victimId === victim.id),
    'the withdrawn victim is gone',
  );

  // Withdraw the second incident.
  const incident = out[1]!.incident;
  const res = await h.call(system, {
    method: 'PATCH',
    url: `/v1/incidents/${incident.id}`,
    headers: { 'if-match': `"${incident.version}"` },
    payload: { status: 'withdrawn', statusReason: 'Synthetic: not an assault.' },
  });
  t.equal(ok(t, res).status, 'withdrawn');
  const afterIncident = await queueAll(h, welfareD, { status: 'open' });
  t.same([...new Set(afterIncident.map((i) => i.victimId))], [out[0]!.incident.victims[0]!.id], 'only the remaining active victim of the open incident');
  t.equal(afterIncident.length, 7);

  // A closed (not withdrawn) incident stays in the queue: care goes on after the case ends.
  const close = await h.call(system, {
    method: 'PATCH',
    url: `/v1/incidents/${out[0]!.incident.id}`,
    headers: { 'if-match': `"${out[0]!.incident.version}"` },
    payload: { status: 'closed', statusReason: 'Synthetic: outcome recorded.' },
  });
  t.equal(ok(t, close).status, 'closed');
  t.equal((await queueAll(h, welfareD, { status: 'open' })).length, 7);
});

t.test('force scope: forceId filter, a force welfare officer never sees another force', async (t) => {
  h.clock.set('2026-03-02T09:00:00Z');
  const e = await seed(FORCE_E, [['2026-03-02T08:00:00Z', 1]]);
  const f = await seed(FORCE_F, [['2026-03-02T10:00:00Z', 2]]);
  const welfareE = await h.key(['welfare_officer'], FORCE_E, 'force E welfare');
  const welfareF = await h.key(['welfare_officer'], FORCE_F, 'force F welfare');
  h.clock.set('2026-03-20T12:00:00Z');
  const eIds = ids(await stepsOf(welfareE, e.victims)).sort();
  const fIds = ids(await stepsOf(welfareF, f.victims)).sort();

  const onlyE = await queueAll(h, welfareE, { status: 'overdue' });
  t.same(ids(onlyE).sort(), eIds, 'force E officer: force E items only');
  const onlyF = await queueAll(h, welfareF, { status: 'overdue' });
  t.same(ids(onlyF).sort(), fIds, 'force F officer: force F items only');
  // Asking for another force gives nothing of it.
  t.same(await queueAll(h, welfareE, { status: 'overdue', forceId: FORCE_F }), [], 'force E officer asking for force F gets nothing');
  // A national welfare officer filters by force.
  t.same(ids(await queueAll(h, welfareNational, { status: 'overdue', forceId: FORCE_E })).sort(), eIds);
  t.same(ids(await queueAll(h, welfareNational, { status: 'overdue', forceId: FORCE_F })).sort(), fIds);
  const everything = await queueAll(h, welfareNational, { status: 'overdue' });
  t.ok(
    eIds.every((id) => everything.some((i) => i.id === id)) && fIds.every((id) => everything.some((i) => i.id === id)),
    'without a filter, a national officer sees both',
  );
  // National admins may read the queue too.
  t.same(ids(await queueAll(h, h.adminKey, { status: 'overdue', forceId: FORCE_E })).sort(), eIds);
  // A force-scoped admin sees only its force.
  const adminE = await h.key(['admin'], FORCE_E, 'force E admin');
  t.same(ids(await queueAll(h, adminE, { status: 'overdue' })).sort(), eIds);
});

t.test('cursor paging walks the whole queue once, in order, without duplicates', async (t) => {
  h.clock.set('2026-03-20T12:00:00Z');
  // Everything pending for the national officer (the other tests' forces together): well over one page.
  const single = ok(t, await h.call(welfareNational, { method: 'GET', url: '/v1/care-steps?status=open&limit=500' })) as {
    items: QueueItem[];
    nextCursor: string | null;
  };
  t.equal(single.nextCursor, null);
  t.ok(single.items.length > 50, `${single.items.length} items`);
  const walked: QueueItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/care-steps?status=open&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = ok(t, await h.call(welfareNational, { method: 'GET', url })) as { items: QueueItem[]; nextCursor: string | null };
    t.ok(page.items.length <= 7, 'page size respected');
    walked.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 200);
  t.equal(pages, Math.ceil(single.items.length / 7));
  t.same(ids(walked), ids(single.items), 'the same items in the same order');
  t.equal(new Set(ids(walked)).size, walked.length, 'no duplicates');
  t.same([...walked].sort(order), walked, 'ordered by due time then id');
  // Many steps share a due time (four 24 h steps per victim): the id breaks the tie, so nothing is skipped.
  t.ok(
    walked.some((item, i) => i > 0 && walked[i - 1]!.dueAt === item.dueAt),
    'ties on dueAt were crossed',
  );
  problem(t, await h.call(welfareNational, { method: 'GET', url: '/v1/care-steps?cursor=not-a-cursor' }), 400, 'validation-failed');
});

t.test('Accept: text/csv gives CSV with a header row, one line per item', async (t) => {
  h.clock.set('2026-03-20T12:00:00Z');
  const welfareC = await h.key(['welfare_officer'], FORCE_C, 'force C welfare csv');
  const json = await queueAll(h, welfareC, { status: 'overdue' });
  const res = await h.call(welfareC, { method: 'GET', url: '/v1/care-steps?status=overdue&limit=500', headers: { accept: 'text/csv' } });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/csv/);
  const lines = res.body.split('\r\n').filter((l) => l !== '');
  t.equal(lines[0], 'kind,id,incidentReference,incidentId,victimId,victimRole,staffNumber,stepKey,title,ownerRole,dueAt,overdueSeconds');
  t.equal(lines.length, json.length + 1, 'a header and one line per item');
  const first = json[0]!;
  t.equal(
    lines[1],
    [
      'care_step',
      first.id,
      first.incidentReference,
      first.incidentId,
      first.victimId,
      first.victimRole,
      first.staffNumber,
      first.stepKey,
      first.title,
      first.ownerRole,
      first.dueAt,
      first.overdueSeconds,
    ].join(','),
  );
  // Paged CSV: the next cursor comes in X-Next-Cursor.
  const paged = await h.call(welfareC, { method: 'GET', url: '/v1/care-steps?status=overdue&limit=3', headers: { accept: 'text/csv' } });
  t.equal(paged.body.split('\r\n').filter((l) => l !== '').length, 4);
  t.type(paged.headers['x-next-cursor'], 'string');
});

t.test('who may read the queue: welfare officers and admins; not force systems, federation reps or analysts', async (t) => {
  for (const [roles, force] of [
    [['force_system'], FORCE_A],
    [['federation_rep'], FORCE_A],
    [['analyst'], null],
  ] as const) {
    const key = await h.key([...roles], force);
    problem(t, await h.call(key, { method: 'GET', url: '/v1/care-steps' }), 403, 'forbidden');
  }
  problem(t, await h.call(null, { method: 'GET', url: '/v1/care-steps' }), 401, 'unauthenticated');
  problem(t, await h.call(welfareNational, { method: 'GET', url: '/v1/care-steps?status=late' }), 400, 'validation-failed');
  problem(t, await h.call(welfareNational, { method: 'GET', url: '/v1/care-steps?dueBefore=tomorrow' }), 400, 'validation-failed');
  problem(t, await h.call(welfareNational, { method: 'GET', url: '/v1/care-steps?limit=501' }), 400, 'validation-failed');
});
