// Disclosure control over HTTP (docs/statistics.md, "Disclosure control"): the audience with protected figures
// (federation reps, STATS_VIEWS in src/policy.ts) gets counts rounded to base 5 by calendar month, derived figures
// withheld on a small base, every breakdown key, and grid periods only; analysts and admins keep exact figures for
// any period. Each disclosure route of issue #18 (item 4) is tried as a rep would try it. The pure functions over
// many generated datasets: disclosure.test.ts.
import t from 'tap';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { load, loadStatsDataset, NOW, type Dataset, type IncidentSpec } from '../../fixtures/stats-dataset.ts';
import { BREAKDOWN_KEYS } from '../../../src/modules/stats/disclosure.ts';
import { SUPPRESSED } from '../../../src/modules/stats/schemas.ts';
import { STATS_VIEWS, statsViewOf, POLICY } from '../../../src/policy.ts';
import { addAnswer, ADDITIVE, LinearSystem } from './disclosure-check.ts';
import { csvRecords, list, series, seriesUrl, summary, summaryUrl, type Summary } from './support.ts';

const h = await buildTestApp(t);
const ctx = await loadStatsDataset(h);
const analyst = await h.key(['analyst'], null, 'national analyst');
const repA = await h.key(['federation_rep'], FORCE_A, 'federation rep A');
const repB = await h.key(['federation_rep'], FORCE_B, 'federation rep B');

// Force B, November 2026: 7 assaults, one officer each: the figures (5 arrests and 2 public order; 5 injured, 2 not).
const NOVEMBER: IncidentSpec[] = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
  ref: `N${n}`,
  force: 'B',
  occurredAt: `2026-11-${String(2 + n).padStart(2, '0')}T1${n}:00:00Z`,
  circumstances: n <= 5 ? 'arrest' : 'public_order',
  crewing: 'single',
  eq: { worn: true, activated: n <= 6, spit: false, drawn: n === 7, discharged: false },
  offences: ['emergency_worker_common_assault'],
  victims: [
    {
      ref: `NV${n}`,
      role: n === 6 ? 'pcso' : 'constable',
      staff: `B-9${n}`,
      band: 'under_1_year',
      injury: n <= 5 ? 'minor' : 'none',
      hospital: 'none',
      daysLost: n,
      training: true,
    },
  ],
}));
await load(h, ctx, { incidents: NOVEMBER, actions: [] } satisfies Dataset);
h.clock.set(NOW);

const NOV = { from: '2026-11-01', to: '2026-11-30' };
const YEAR = { from: '2026-01-01', to: '2026-12-31' };
const MONTHS = Array.from({ length: 12 }, (_, i) => {
  const m = String(i + 1).padStart(2, '0');
  return { from: `2026-${m}-01`, to: `2026-${m}-${new Date(Date.UTC(2026, i + 1, 0)).getUTCDate()}` };
});

t.test('the audience is a policy: reps protected and own force only, analysts and admins exact', async (t) => {
  t.same(statsViewOf(['federation_rep']), { figures: 'protected', ownForceOnly: true });
  t.same(statsViewOf(['analyst']), { figures: 'exact', ownForceOnly: false });
  t.same(statsViewOf(['admin']), { figures: 'exact', ownForceOnly: false });
  t.same(statsViewOf(['federation_rep', 'analyst']), { figures: 'exact', ownForceOnly: false }, 'the most open of its roles');
  t.same(statsViewOf(['force_system']), { figures: 'protected', ownForceOnly: true }, 'a role not allowed on the routes gets nothing open');
  for (const route of ['GET /v1/stats/summary', 'GET /v1/stats/series'])
    for (const role of POLICY[route]!) t.ok(STATS_VIEWS[role], `${route}: ${role} has a declared view`);
  const nationalRep = await h.key(['federation_rep'], null, 'national federation rep');
  t.equal((await h.call(nationalRep, { method: 'GET', url: summaryUrl(YEAR) })).statusCode, 403, 'a rep key without a force: 403');
  for (const url of [summaryUrl({ forceId: FORCE_B, ...YEAR }), seriesUrl({ forceId: FORCE_B, metric: 'incidents', interval: 'month', ...YEAR })]) {
    const res = await h.call(repA, { method: 'GET', url });
    t.equal(res.statusCode, 404, `rep A asking for force B: 404 (${url.split('?')[0]})`);
    t.notMatch(res.body, /Bedfordshire/);
  }
});

t.test('subtraction: the issue figures, rounded so that nothing can be taken from anything', async (t) => {
  const exact = (await summary(h, analyst, { forceId: FORCE_B, ...NOV })).forces[0]!;
  t.same(exact.counts.assaultedPeople, 7, 'the analyst: 7 people');
  t.same([exact.counts.withInjury, exact.counts.withoutInjury], [5, 2]);
  t.same(exact.breakdowns.circumstances, list(['arrest', 5], ['public_order', 2]));
  const seen = await summary(h, repB, NOV);
  const s = seen.forces[0]!;
  t.same(seen.total, s, 'one force: the total is that force');
  // 7 -> 5 (nearest); 5 + 2 under a total of 5: 2 has the larger remainder but the total leaves no room: 5 and 0.
  t.same([s.counts.incidents, s.counts.assaultedPeople, s.counts.withInjury, s.counts.withoutInjury], [5, 5, 5, 0]);
  t.same(
    s.breakdowns.circumstances,
    BREAKDOWN_KEYS.circumstances!.map((key) => ({ key, count: key === 'arrest' ? 5 : 0 })),
  );
  t.equal(Number(s.counts.withInjury) + Number(s.counts.withoutInjury), s.counts.assaultedPeople, 'the relation still holds, on the published figures');
  t.match(seen.notice, /rounded to a multiple of 5/);
  // A solver over the figures: people 3..7, injured 1..9, not injured 0..4: nothing is pinned.
  const sys = new LinearSystem();
  addAnswer(sys, '', s, exact, true);
  t.same(sys.pinned(), []);
});

t.test('subtraction across one year, its months and its series: nothing pinned', async (t) => {
  for (const [force, key] of [
    [FORCE_A, repA],
    [FORCE_B, repB],
  ] as const) {
    const sys = new LinearSystem();
    const months: Summary[] = [];
    for (const [i, m] of MONTHS.entries()) {
      const shown = (await summary(h, key, m)).forces[0]!;
      months.push(shown);
      addAnswer(sys, `m${i}:`, shown, (await summary(h, analyst, { forceId: force, ...m })).forces[0]!, true);
    }
    const year = (await summary(h, key, YEAR)).forces[0]!;
    addAnswer(sys, 'year:', year, (await summary(h, analyst, { forceId: force, ...YEAR })).forces[0]!, false, false);
    for (const path of ADDITIVE())
      sys.relate(
        `year:${path}`,
        MONTHS.map((_, i) => `m${i}:${path}`),
      );
    t.same(sys.pinned(), [], `force ${force === FORCE_A ? 'A' : 'B'}: ${sys.vars.size} cells, none pinned`);
    // The year is the sum of its months, cell by cell, and so are the series' quarters.
    t.equal(
      year.counts.incidents,
      months.reduce((a, m) => a + (m.counts.incidents as number), 0),
    );
    const monthly = await series(h, key, { metric: 'incidents', interval: 'month', ...YEAR });
    const quarterly = await series(h, key, { metric: 'incidents', interval: 'quarter', ...YEAR });
    t.same(
      monthly.total.map((p) => p.value),
      months.map((m) => m.counts.incidents),
      'monthly series = monthly summaries',
    );
    t.same(
      quarterly.total.map((p) => p.value),
      [0, 1, 2, 3].map((q) => monthly.total.slice(q * 3, q * 3 + 3).reduce<number>((a, p) => a + (p.value as number), 0)),
      'each quarter = the sum of its months',
    );
  }
  const b = await series(h, repB, { metric: 'incidents', interval: 'month', ...YEAR });
  t.same(
    b.total.map((p) => p.value),
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0],
    'force B: 1 in February, May, October: 0; 7 in November: 5',
  );
});

t.test('derived figures resting on a small base are withheld', async (t) => {
  const exact = (await summary(h, analyst, { forceId: FORCE_B, ...NOV })).forces[0]!;
  const s = (await summary(h, repB, NOV)).forces[0]!;
  t.ok((exact.care.openOverdueSteps as number) > 0, `the analyst sees ${exact.care.openOverdueSteps} overdue steps`);
  t.equal(s.care.plansComplete.denominator, 5, '7 plans, published 5');
  t.equal(s.care.openOverdueSteps, SUPPRESSED, 'overdue steps withheld: they would say how many plans there are');
  t.equal(s.counts.daysLost, SUPPRESSED, 'days lost (28) over 5 people as published: withheld');
  t.same(s.trim, { offered: SUPPRESSED, accepted: SUPPRESSED, completed: SUPPRESSED });
  t.same(s.equipment.bodyWornVideoWorn, { numerator: SUPPRESSED, denominator: 5, value: SUPPRESSED });
  t.same(s.rates.perThousandOfficers, { numerator: SUPPRESSED, denominator: 1200, value: SUPPRESSED });
  t.equal(s.justice.medianDaysToCharge, SUPPRESSED, 'no charge: withheld, not null (null would say none)');
  // Across every month of both forces: a derived figure shows only on a published base of 10 or more.
  for (const key of [repA, repB])
    for (const m of MONTHS) {
      const x = (await summary(h, key, m)).forces[0]!;
      const small = (v: unknown) => typeof v !== 'number' || v < 10;
      if (small(x.counts.assaultedPeople)) t.same([x.counts.daysLost, x.trim.offered], [SUPPRESSED, SUPPRESSED], `${m.from}: days lost, TRiM`);
      if (small(x.care.plansComplete.denominator)) t.equal(x.care.openOverdueSteps, SUPPRESSED, `${m.from}: overdue steps`);
    }
});

t.test('category keys: every key of every breakdown, in a fixed order, for a month with one assault', async (t) => {
  // December 2026, force A: A9 alone (stop and search, Friday 10:00, an inspector).
  const exact = (await summary(h, analyst, { forceId: FORCE_A, from: '2026-12-01', to: '2026-12-31' })).forces[0]!;
  t.same(exact.breakdowns.victimRole, list(['inspector_and_above', 1]), 'the analyst sees the one key');
  const s = (await summary(h, repA, { from: '2026-12-01', to: '2026-12-31' })).forces[0]!;
  for (const [dim, keys] of Object.entries(BREAKDOWN_KEYS)) {
    const got = s.breakdowns[dim as keyof Summary['breakdowns']];
    t.same(
      got.map((b) => b.key),
      keys,
      `${dim}: all ${keys.length} keys`,
    );
    t.ok(
      got.every((b) => b.count === 0),
      `${dim}: 1 rounds to 0, so no key stands out`,
    );
  }
  t.equal(s.counts.incidents, 0);
  const csv = await h.call(repA, { method: 'GET', url: summaryUrl({ from: '2026-12-01', to: '2026-12-31' }), headers: { accept: 'text/csv' } });
  const { header, records } = csvRecords(csv.body);
  t.ok(header.includes('breakdowns.hourOfDay.03') && header.includes('breakdowns.victimRole.volunteer'), 'CSV: every key a column');
  t.notOk(
    Object.entries(records[0]!).some(([k, v]) => k.startsWith('breakdowns.') && v !== '0'),
    'CSV: every breakdown cell 0',
  );
});

t.test('differencing: grid periods only for reps, any period for analysts', async (t) => {
  const refused = [
    { from: '2026-03-01', to: '2026-03-30' }, // the issue: 1-31 March less 1-30 March
    { from: '2026-01-01', to: '2026-06-30' }, // a half year
    { from: '2026-03-02', to: '2026-03-31' },
    { from: '2026-02-01', to: '2026-04-30' }, // three months, not a quarter
    { from: '2026-04-01', to: '2026-12-31' },
    { from: '2025-12-01', to: '2026-11-30' },
  ];
  for (const p of refused) {
    const res = await h.call(repA, { method: 'GET', url: summaryUrl(p) });
    t.equal(res.statusCode, 400, `${p.from}..${p.to}: 400`);
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.match(res.json(), { errors: [{ path: 'query.from', message: /calendar months, quarters .* financial years .* calendar years/ }] }, 'names the grid');
    t.equal((await h.call(analyst, { method: 'GET', url: summaryUrl({ forceId: FORCE_A, ...p }) })).statusCode, 200, 'the analyst: any period');
  }
  for (const p of [
    { from: '2026-03-01', to: '2026-03-31' },
    { from: '2026-02-01', to: '2026-02-28' },
    { from: '2026-04-01', to: '2026-06-30' },
    { from: '2026-04-01', to: '2027-03-31' },
    YEAR,
  ])
    t.equal((await h.call(repA, { method: 'GET', url: summaryUrl(p) })).statusCode, 200, `${p.from}..${p.to}: on the grid`);
  for (const q of [
    { interval: 'month', from: '2026-02-15', to: '2026-07-31' },
    { interval: 'month', from: '2026-02-01', to: '2026-07-10' },
    { interval: 'quarter', from: '2026-02-01', to: '2026-12-31' },
    { interval: 'quarter', from: '2026-01-01', to: '2026-11-30' },
    { interval: 'year', from: '2026-04-01', to: '2027-03-31' },
  ]) {
    const res = await h.call(repA, { method: 'GET', url: seriesUrl({ metric: 'incidents', ...q }) });
    t.equal(res.statusCode, 400, `series by ${q.interval} ${q.from}..${q.to}: 400`);
    t.match(res.body, /calendar months, quarters/);
  }
  const ok = await series(h, repA, { metric: 'incidents', interval: 'quarter', from: '2025-10-01', to: '2026-12-31' });
  t.same(
    ok.total.map((p) => `${p.from}..${p.to}`),
    ['2025-10-01..2025-12-31', '2026-01-01..2026-03-31', '2026-04-01..2026-06-30', '2026-07-01..2026-09-30', '2026-10-01..2026-12-31'],
    'buckets are whole quarters',
  );
  const analystSeries = await series(h, analyst, { forceId: FORCE_A, metric: 'incidents', interval: 'month', from: '2026-02-15', to: '2026-07-10' });
  t.same(
    analystSeries.total.map((p) => p.value),
    [0, 0, 1, 0, 2, 1],
    'the analyst: clipped buckets, exact',
  );
});

t.test('analysts and admins: exact figures, unrounded, only the keys recorded', async (t) => {
  const admin = await h.key(['admin'], null, 'admin');
  for (const key of [analyst, admin]) {
    const res = await h.call(key, { method: 'GET', url: summaryUrl({ forceId: FORCE_B, ...NOV }) });
    t.notMatch(res.body, /<5|\[c\]/, 'nothing withheld');
    const s = (res.json() as { forces: Summary[]; notice: string }).forces[0]!;
    t.same(s.counts.incidents, 7);
    t.same(s.breakdowns.victimRole, list(['constable', 6], ['pcso', 1]));
    t.equal(s.counts.daysLost, 28);
  }
  const march = await summary(h, analyst, { forceId: FORCE_A, from: '2026-03-01', to: '2026-03-30' });
  t.notMatch(march.notice, /rounded/);
});
