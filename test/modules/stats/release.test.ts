// The quarterly national table (GET /v1/stats/quarterly; issue #18 item 6): its figures equal the summary's for the
// same quarter, deterrent included, on a small hand-made fixture; its tidy CSV; the protected view of a federation rep
// (rounded, withheld); a wrong quarter is a 400.
import t from 'tap';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { load, NOW, prepare, type Dataset, type IncidentSpec } from '../../fixtures/stats-dataset.ts';
import { STATS_DEFINITIONS_VERSION } from '../../../src/modules/stats/release.ts';
import { csvRecords, S, share, summary, type Summary } from './support.ts';

// Force A, Q1 2026: R1 charged, convicted, immediate custody 6 months, s.67 stated; R2 cautioned; R3 nothing yet.
const incident = (n: number, occurredAt: string): IncidentSpec => ({
  ref: `R${n}`,
  force: 'A',
  occurredAt,
  circumstances: 'arrest',
  crewing: 'single',
  eq: { worn: true, activated: true, spit: false, drawn: false, discharged: false },
  offences: ['emergency_worker_common_assault'],
  victims: [{ ref: `RV${n}`, role: 'constable', staff: `R-${n}`, band: '2_to_5_years', injury: 'minor', hospital: 'none', daysLost: 1, training: true }],
});
const RELEASE: Dataset = {
  incidents: [incident(1, '2026-01-05T10:00:00Z'), incident(2, '2026-02-10T10:00:00Z'), incident(3, '2026-03-12T10:00:00Z')],
  actions: [
    { at: '2026-01-06T10:00:00Z', kind: 'decision', incident: 'R1', ref: 'R1-c', decision: 'charged', charges: ['emergency_worker_common_assault'] },
    { at: '2026-02-01T10:00:00Z', kind: 'result', incident: 'R1', ref: 'R1-r', charge: 'R1-c#0', result: 'convicted' },
    { at: '2026-02-15T10:00:00Z', kind: 'sentence', incident: 'R1', ref: 'R1-s', sentence: 'immediate_custody', custodyMonths: 6, aggravation: 'yes' },
    { at: '2026-02-11T10:00:00Z', kind: 'decision', incident: 'R2', ref: 'R2-d', decision: 'caution' },
  ],
};

const h = await buildTestApp(t);
await load(h, await prepare(h), RELEASE);
h.clock.set(NOW);
const analyst = await h.key(['analyst'], null, 'release analyst');
const repA = await h.key(['federation_rep'], FORCE_A, 'release federation rep A');

const get = (key: string, query: string, accept = 'application/json') =>
  h.call(key, { method: 'GET', url: `/v1/stats/quarterly?${query}`, headers: { accept } });

/** Where each column of the table's row is found in the summary (docs/statistics.md, Quarterly table). */
const SOURCES: [string, string][] = [
  ['forceId', 'forceId'],
  ['headcountAsOf', 'headcount.asOf'],
  ['incidents', 'counts.incidents'],
  ['assaultedPeople', 'counts.assaultedPeople'],
  ['perThousandOfficers', 'rates.perThousandOfficers'],
  ['perThousandConstables', 'rates.perThousandConstables'],
  ['chargeRate', 'justice.chargeRate'],
  ['convictionRate', 'justice.convictionRate'],
  ['outOfCourtRate', 'justice.outOfCourtRate'],
  ['firstStepOnTime', 'care.firstStepOnTime'],
  ['plansComplete', 'care.plansComplete'],
  ['victimsCodeOnTime', 'victimsCode.updatesOnTime'],
  ['trimOffered', 'trim.offered'],
  ['custodyRate', 'deterrent.custodyRate'],
  ['medianCustodyMonths', 'deterrent.medianCustodyMonths'],
  ['aggravationStated', 'deterrent.aggravationStated'],
  ['outOfCourtDisposals', 'deterrent.outOfCourtDisposals'],
];

/** The table's row as the summary has the same figures. */
const rowOf = (s: Summary) =>
  Object.fromEntries(
    SOURCES.map(([column, path]) => [column, path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k] ?? null, s)]),
  );

t.test('analyst, national, 2026-Q1: every force and the total, the same figures as the summary of the quarter', async (t) => {
  const res = await get(analyst, 'quarter=2026-Q1');
  t.equal(res.statusCode, 200, res.body);
  const table = res.json();
  t.match(table, { quarter: '2026-Q1', from: '2026-01-01', to: '2026-03-31', definitionsVersion: STATS_DEFINITIONS_VERSION, figures: 'exact' });
  t.equal(res.headers['x-statistics-notice'], table.notice, 'the notice as a header too');
  const sum = await summary(h, analyst, { from: '2026-01-01', to: '2026-03-31' });
  t.equal(table.forces.length, 44);
  t.same(
    table.forces.map((f: { forceName: string }) => f.forceName),
    sum.forces.map((f) => f.forceName),
  );
  table.forces.forEach((f: Record<string, unknown>, i: number) => t.match(f, rowOf(sum.forces[i]!), `${sum.forces[i]!.forceName}`));
  t.match(table.total, { ...rowOf(sum.total), forceName: 'England and Wales' });
  const a = table.forces.find((f: { forceId: string }) => f.forceId === FORCE_A);
  // Hand-computed: 3 incidents, R1 charged and convicted, R2 out of court (caution); one sentenced defendant in custody.
  t.match(a, {
    incidents: 3,
    chargeRate: share(1, 3, 0.3333),
    convictionRate: share(1, 1, 1),
    outOfCourtRate: share(1, 3, 0.3333),
    custodyRate: share(1, 1, 1),
    medianCustodyMonths: 6,
    aggravationStated: share(1, 1, 1),
  });
  t.same(a.outOfCourtDisposals[0], { key: 'caution', count: 1 });
});

t.test('CSV: one header row, period and version as columns, a row per force then the total', async (t) => {
  const res = await get(analyst, 'quarter=2026-Q1', 'text/csv');
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/csv/);
  t.match(String(res.headers['x-statistics-notice']), /^Recorded assaults only/);
  const { header, records } = csvRecords(res.body);
  t.same(header.slice(0, 11), [
    'quarter',
    'from',
    'to',
    'definitionsVersion',
    'figures',
    'level',
    'forceId',
    'forceName',
    'headcountAsOf',
    'incidents',
    'assaultedPeople',
  ]);
  for (const c of [
    'chargeRate.numerator',
    'chargeRate.denominator',
    'chargeRate.value',
    'custodyRate.value',
    'medianCustodyMonths',
    'outOfCourtDisposals.caution',
  ])
    t.ok(header.includes(c), c);
  t.equal(records.length, 45, '44 forces and the total');
  const a = records.find((r) => r.forceId === FORCE_A)!;
  t.match(a, {
    quarter: '2026-Q1',
    from: '2026-01-01',
    to: '2026-03-31',
    definitionsVersion: STATS_DEFINITIONS_VERSION,
    figures: 'exact',
    level: 'force',
    incidents: '3',
    'chargeRate.numerator': '1',
    'chargeRate.denominator': '3',
    'chargeRate.value': '0.3333',
    'custodyRate.value': '1',
    medianCustodyMonths: '6',
    'outOfCourtDisposals.caution': '1',
  });
  const b = records.find((r) => r.forceId === FORCE_B)!;
  t.equal(b['chargeRate.value'], '[z]', 'no denominator: [z], not applicable');
  t.match(records.at(-1), { level: 'total', forceId: '', forceName: 'England and Wales', incidents: '3' });
});

t.test('federation rep: own force, the protected view (rounded, withheld)', async (t) => {
  const res = await get(repA, 'quarter=2026-Q1');
  t.equal(res.statusCode, 200, res.body);
  const table = res.json();
  t.equal(table.figures, 'protected');
  t.match(table.notice, /Disclosure control/);
  t.equal(table.forces.length, 1);
  // One incident a month rounds to 0 each month: the quarter publishes 0, and every share on it is withheld.
  t.match(table.forces[0], { incidents: 0, chargeRate: share(S, 0, S), custodyRate: share(S, 0, S), medianCustodyMonths: S });
  const rep = await summary(h, repA, { forceId: FORCE_A, from: '2026-01-01', to: '2026-03-31' });
  t.match(table.forces[0], rowOf(rep.forces[0]!), 'the same figures as the protected summary');
  const csv = csvRecords((await get(repA, 'quarter=2026-Q1', 'text/csv')).body).records[0]!;
  t.match(csv, { figures: 'protected', incidents: '0', 'chargeRate.value': S, 'custodyRate.numerator': S, medianCustodyMonths: S });
  t.equal((await get(repA, 'quarter=2026-Q1&forceId=' + FORCE_B)).statusCode, 404, 'another force: 404');
});

t.test('a quarter that is not one is a 400 problem', async (t) => {
  for (const q of ['2026-Q5', '2026-04', '2026Q1', '']) {
    const res = await get(analyst, `quarter=${q}`);
    t.equal(res.statusCode, 400, q);
    t.match(res.json(), { status: 400, errors: [{ path: 'query.quarter' }] });
  }
});
