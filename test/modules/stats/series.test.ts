// Series against the fixed dataset: monthly and quarterly incidents and rates, buckets clipped to from/to, each
// bucket equal to the summary of that bucket, and CSV of both the series and the summary.
import t from 'tap';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { loadStatsDataset } from '../../fixtures/stats-dataset.ts';
import { csvRecords, flatCells, METRIC_OF, series, seriesUrl, summary, summaryUrl, type Point, type SummaryResponse } from './support.ts';

const h = await buildTestApp(t);
const ctx = await loadStatsDataset(h);
const analyst = await h.key(['analyst'], null, 'national analyst');
const A_NAME = 'Avon and Somerset Constabulary';

const pt = (period: string, from: string, to: string, value: Point['value']): Point => ({ period, from, to, value });

t.test('force A: incidents by month over 2026', async (t) => {
  const res = await series(h, analyst, { forceId: FORCE_A, metric: 'incidents', interval: 'month', from: '2026-01-01', to: '2026-12-31' });
  t.equal(res.metric, 'incidents');
  t.equal(res.interval, 'month');
  t.match(res.notice, /recorded assaults only/i);
  // A1 Jan, A2 Feb, (A7 withdrawn in March), A3 Apr, A4 6 June UK + A5 30 June 23:30 BST, A6 1 July 00:30 BST, A8 Sep, A9 Dec.
  const expected = [
    pt('2026-01', '2026-01-01', '2026-01-31', 1),
    pt('2026-02', '2026-02-01', '2026-02-28', 1),
    pt('2026-03', '2026-03-01', '2026-03-31', 0),
    pt('2026-04', '2026-04-01', '2026-04-30', 1),
    pt('2026-05', '2026-05-01', '2026-05-31', 0),
    pt('2026-06', '2026-06-01', '2026-06-30', 2),
    pt('2026-07', '2026-07-01', '2026-07-31', 1),
    pt('2026-08', '2026-08-01', '2026-08-31', 0),
    pt('2026-09', '2026-09-01', '2026-09-30', 1),
    pt('2026-10', '2026-10-01', '2026-10-31', 0),
    pt('2026-11', '2026-11-01', '2026-11-30', 0),
    pt('2026-12', '2026-12-01', '2026-12-31', 1),
  ];
  t.same(res.forces, [{ forceId: FORCE_A, forceName: A_NAME, points: expected }]);
  t.same(res.total, expected, 'the total of one force is that force');
});

t.test('buckets are clipped to from and to', async (t) => {
  const monthly = await series(h, analyst, { forceId: FORCE_A, metric: 'incidents', interval: 'month', from: '2026-02-15', to: '2026-07-10' });
  t.same(monthly.total, [
    pt('2026-02', '2026-02-15', '2026-02-28', 0), // A2 (14 Feb) is before the clipped start
    pt('2026-03', '2026-03-01', '2026-03-31', 0),
    pt('2026-04', '2026-04-01', '2026-04-30', 1),
    pt('2026-05', '2026-05-01', '2026-05-31', 0),
    pt('2026-06', '2026-06-01', '2026-06-30', 2),
    pt('2026-07', '2026-07-01', '2026-07-10', 1),
  ]);
  const quarterly = await series(h, analyst, { forceId: FORCE_A, metric: 'assaultedPeople', interval: 'quarter', from: '2026-02-14', to: '2026-08-10' });
  t.same(quarterly.total, [
    pt('2026-Q1', '2026-02-14', '2026-03-31', 2), // A2 (14 Feb 03:30 GMT, inside the clipped start): V2, V3
    pt('2026-Q2', '2026-04-01', '2026-06-30', 4), // A3: V4, V5; A4: V6; A5: V7
    pt('2026-Q3', '2026-07-01', '2026-08-10', 1), // A6: V8
  ]);
  const yearly = await series(h, analyst, { forceId: FORCE_A, metric: 'incidents', interval: 'year', from: '2025-07-01', to: '2026-06-30' });
  t.same(yearly.total, [pt('2025', '2025-07-01', '2025-12-31', 0), pt('2026', '2026-01-01', '2026-06-30', 5)]);
  const single = await series(h, analyst, { forceId: FORCE_A, metric: 'incidents', interval: 'quarter', from: '2026-06-30', to: '2026-06-30' });
  t.same(single.total, [pt('2026-Q2', '2026-06-30', '2026-06-30', 1)], 'a one-day period is one bucket');
});

t.test('force A: annualised constable rate by quarter, each over the headcount in force at its end', async (t) => {
  const res = await series(h, analyst, { forceId: FORCE_A, metric: 'perThousandConstables', interval: 'quarter', from: '2026-01-01', to: '2026-12-31' });
  t.same(res.total, [
    pt('2026-Q1', '2026-01-01', '2026-03-31', 5.07), // V1, V2: 2 / 1600 * 1000 * 365 / 90 = 5.069
    pt('2026-Q2', '2026-04-01', '2026-06-30', 5.01), // V5, V6: 2 / 1600 * 1000 * 365 / 91 = 5.014
    pt('2026-Q3', '2026-07-01', '2026-09-30', 4.67), // V8, V9: 2 / 1700 * 1000 * 365 / 92 = 4.668 (headcount of 2026-07-01)
    pt('2026-Q4', '2026-10-01', '2026-12-31', 0), // V11 is an inspector: 0 / 1700 = 0
  ]);
  const officers = await series(h, analyst, { forceId: FORCE_A, metric: 'perThousandOfficers', interval: 'quarter', from: '2026-01-01', to: '2026-12-31' });
  // Officers: Q1 V1 V2: 2 / 2000 * 1000 * 365 / 90 = 4.056; Q2 V5 V6: 2 / 2000 * 1000 * 365 / 91 = 4.011;
  // Q3 V8 V9: 2 / 2100 * 1000 * 365 / 92 = 3.778; Q4 V11 (an inspector is an officer): 1 / 2100 * 1000 * 365 / 92 = 1.889
  t.same(
    officers.total.map((p) => p.value),
    [4.06, 4.01, 3.78, 1.89],
  );
});

t.test('force B: no rate before its first headcount', async (t) => {
  // B's only headcount is dated 2026-03-31: January and February have none (B1 in February has two officers).
  const res = await series(h, analyst, { forceId: FORCE_B, metric: 'perThousandOfficers', interval: 'month', from: '2026-01-01', to: '2026-04-30' });
  t.same(
    res.total.map((p) => p.value),
    [null, null, 0, 0],
  );
});

t.test('each bucket equals the summary of that bucket, for every metric, every force and the total', async (t) => {
  const metrics = Object.keys(METRIC_OF);
  t.equal(metrics.length, 30, 'every metric of docs/statistics.md');
  const quarters = [
    { from: '2026-01-01', to: '2026-03-31' },
    { from: '2026-04-01', to: '2026-06-30' },
    { from: '2026-07-01', to: '2026-09-30' },
    { from: '2026-10-01', to: '2026-12-31' },
  ];
  const summaries: SummaryResponse[] = [];
  for (const q of quarters) summaries.push(await summary(h, analyst, q));
  for (const metric of metrics) {
    const res = await series(h, analyst, { metric, interval: 'quarter', from: '2026-01-01', to: '2026-12-31' });
    t.equal(res.forces.length, 44, `${metric}: 44 forces`);
    const pick = METRIC_OF[metric]!;
    const wrong: string[] = [];
    res.forces.forEach((f, i) => {
      f.points.forEach((p, j) => {
        const s = summaries[j]!;
        if (s.forces[i]!.forceId !== f.forceId) wrong.push(`${f.forceName}: force order`);
        if (p.value !== pick(s.forces[i]!)) wrong.push(`${f.forceName} ${p.period}: ${p.value} vs ${pick(s.forces[i]!)}`);
      });
    });
    t.same(wrong, [], `${metric}: every force's points equal the quarter summaries`);
    t.same(
      res.total.map((p) => p.value),
      summaries.map((s) => pick(s.total)),
      `${metric}: total points equal the quarter summaries' totals`,
    );
  }
  // Spot values of the national totals by quarter (hand-computed): incidents A+B+C.
  const incidents = await series(h, analyst, { metric: 'incidents', interval: 'quarter', from: '2026-01-01', to: '2026-12-31' });
  t.same(
    incidents.total.map((p) => p.value),
    [4, 4, 3, 2],
    'Q1 A1 A2 B1 C1; Q2 A3 A4 A5 B2; Q3 A6 A8 C2; Q4 A9 B3',
  );
});

t.test('monthly buckets of force A equal summaries of those months (clipped period)', async (t) => {
  const from = '2026-02-10';
  const to = '2026-09-20';
  for (const metric of [
    'incidents',
    'repeatVictims',
    'perThousandOfficers',
    'chargeRate',
    'medianDaysToCharge',
    'openOverdueSteps',
    'victimsCodeOnTime',
    'firstStepOnTime',
  ]) {
    const res = await series(h, analyst, { forceId: FORCE_A, metric, interval: 'month', from, to });
    t.equal(res.total.length, 8, `${metric}: February to September`);
    for (const p of res.total) {
      const s = await summary(h, analyst, { forceId: FORCE_A, from: p.from, to: p.to });
      t.equal(p.value, METRIC_OF[metric]!(s.total), `${metric} ${p.period} (${p.from}..${p.to})`);
    }
  }
});

t.test('series as CSV', async (t) => {
  const res = await h.call(analyst, {
    method: 'GET',
    url: seriesUrl({ forceId: FORCE_A, metric: 'incidents', interval: 'quarter', from: '2026-01-01', to: '2026-12-31' }),
    headers: { accept: 'text/csv' },
  });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/csv/);
  const rows = [
    'period,from,to,forceId,forceName,incidents',
    `2026-Q1,2026-01-01,2026-03-31,${FORCE_A},${A_NAME},2`,
    `2026-Q2,2026-04-01,2026-06-30,${FORCE_A},${A_NAME},3`,
    `2026-Q3,2026-07-01,2026-09-30,${FORCE_A},${A_NAME},2`,
    `2026-Q4,2026-10-01,2026-12-31,${FORCE_A},${A_NAME},1`,
    '2026-Q1,2026-01-01,2026-03-31,,total,2',
    '2026-Q2,2026-04-01,2026-06-30,,total,3',
    '2026-Q3,2026-07-01,2026-09-30,,total,2',
    '2026-Q4,2026-10-01,2026-12-31,,total,1',
  ];
  t.equal(res.body, rows.map((r) => `${r}\r\n`).join(''), 'header row, the force, then the total');

  // National, a rate with null values: one row per force per bucket, then the total; empty cells for null.
  const nat = await h.call(analyst, {
    method: 'GET',
    url: seriesUrl({ metric: 'perThousandConstables', interval: 'quarter', from: '2026-01-01', to: '2026-06-30' }),
    headers: { accept: 'text/csv' },
  });
  t.equal(nat.statusCode, 200);
  const { header, records } = csvRecords(nat.body);
  t.same(header, ['period', 'from', 'to', 'forceId', 'forceName', 'perThousandConstables']);
  t.equal(records.length, 44 * 2 + 2, '44 forces x 2 quarters + 2 total rows');
  const json = await series(h, analyst, { metric: 'perThousandConstables', interval: 'quarter', from: '2026-01-01', to: '2026-06-30' });
  const expected = [
    ...json.forces.flatMap((f) =>
      f.points.map((p) => ({
        period: p.period,
        from: p.from,
        to: p.to,
        forceId: f.forceId,
        forceName: f.forceName,
        perThousandConstables: p.value === null ? '' : String(p.value),
      })),
    ),
    ...json.total.map((p) => ({
      period: p.period,
      from: p.from,
      to: p.to,
      forceId: '',
      forceName: 'total',
      perThousandConstables: p.value === null ? '' : String(p.value),
    })),
  ];
  t.same(records, expected, 'the CSV carries the JSON values');
  const a = records.filter((r) => r.forceId === FORCE_A).map((r) => r.perThousandConstables);
  t.same(a, ['5.07', '5.01']);
  const b = records.filter((r) => r.forceId === FORCE_B).map((r) => r.perThousandConstables);
  // B Q1: the headcount dated 2026-03-31 applies (on the last day): W1, W2: 2 / 900 * 1000 * 365 / 90 = 9.012; Q2: W3 is a PCSO: 0
  t.same(b, ['9.01', '0']);
  const c = records.filter((r) => r.forceId === ctx.forces.C).map((r) => r.perThousandConstables);
  t.same(c, ['', ''], 'force C has no headcount: empty cells');
  // Total Q1: (A 2 + B 2) / (1600 + 900) * 1000 * 365 / 90 = 6.49; Q2: (2 + 0) / 2500 * 1000 * 365 / 91 = 3.21
  t.same(
    records.filter((r) => r.forceName === 'total').map((r) => r.perThousandConstables),
    ['6.49', '3.21'],
  );
});

t.test('summary as CSV: a header row, one row per force, then the total', async (t) => {
  const from = '2026-01-01';
  const to = '2026-12-31';
  const json = await summary(h, analyst, { from, to });
  const res = await h.call(analyst, { method: 'GET', url: summaryUrl({ from, to }), headers: { accept: 'text/csv' } });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/csv/);
  const { header, records } = csvRecords(res.body);
  t.equal(records.length, 45, '44 forces and the total');
  t.same(
    records.map((r) => r.forceId),
    [...json.forces.map((f) => f.forceId), ''],
    'forces in order, then the total (no id)',
  );
  t.same(records.at(-1)!.forceName, 'All forces (total)');
  for (const column of [
    'forceId',
    'forceName',
    'counts.incidents',
    'rates.perThousandOfficers.value',
    'breakdowns.victimRole.constable',
    'justice.medianDaysToCharge',
    'victimsCode.updatesOnTime.value',
  ]) {
    t.ok(header.includes(column), `column ${column}`);
  }
  const rows = [...json.forces, { ...json.total, forceName: 'All forces (total)' }];
  rows.forEach((s, i) => {
    const cells = flatCells(s);
    const record = records[i]!;
    const mismatched = header.filter((col) => (cells[col] ?? '') !== record[col]);
    t.same(mismatched, [], `${s.forceName}: every cell equals the JSON figure`);
  });
  const byId = (id: string) => records.find((r) => r.forceId === id)!;
  t.equal(byId(FORCE_A)['counts.incidents'], '8');
  t.equal(byId(FORCE_A)['rates.perThousandConstables.value'], '3.53');
  t.equal(byId(FORCE_A)['headcount.asOf'], '2026-07-01');
  t.equal(byId(FORCE_B)['counts.repeatVictims'], '1');
  t.equal(byId(ctx.forces.C)['rates.perThousandOfficers.value'], '', 'no headcount: empty value');
  t.equal(records.at(-1)!['counts.incidents'], '13');
  t.equal(records.at(-1)!['breakdowns.offence.emergency_worker_common_assault'], '9');

  // One force: its row, then the total.
  const one = await h.call(analyst, {
    method: 'GET',
    url: summaryUrl({ forceId: FORCE_A, from: '2026-01-01', to: '2026-06-30' }),
    headers: { accept: 'text/csv' },
  });
  const single = csvRecords(one.body).records;
  t.same(
    single.map((r) => [r.forceId, r.forceName, r['counts.incidents'], r['rates.perThousandConstables.value']]),
    [
      [FORCE_A, A_NAME, '5', '5.04'],
      [FORCE_A, `${A_NAME} (total)`, '5', '5.04'],
    ],
  );
  // JSON unless CSV is asked for first.
  const jsonFirst = await h.call(analyst, {
    method: 'GET',
    url: summaryUrl({ forceId: FORCE_A, from, to }),
    headers: { accept: 'application/json, text/csv' },
  });
  t.match(String(jsonFirst.headers['content-type']), /^application\/json/);
});

t.test('forces=none: the total alone, the same as in the full answer, as JSON, CSV and chart', async (t) => {
  const q = { metric: 'chargeRate', interval: 'quarter', from: '2026-01-01', to: '2026-12-31' };
  const full = await series(h, analyst, q);
  const total = await series(h, analyst, { ...q, forces: 'none' });
  t.same(total.forces, [], 'no force series');
  t.same(total.total, full.total, 'the same total points');
  // Summed as the total alone (no row per force) for every metric but the rates: the same totals, every metric.
  const wrong: string[] = [];
  for (const metric of Object.keys(METRIC_OF)) {
    for (const forceId of [undefined, FORCE_A]) {
      const each = await series(h, analyst, { ...q, metric, ...(forceId ? { forceId } : {}) });
      const alone = await series(h, analyst, { ...q, metric, forces: 'none', ...(forceId ? { forceId } : {}) });
      if (JSON.stringify(each.total) !== JSON.stringify(alone.total)) wrong.push(`${metric} ${forceId ?? 'national'}`);
    }
  }
  t.same(wrong, [], 'every metric: the total alone equals the total beside the forces');
  const csv = await h.call(analyst, { method: 'GET', url: seriesUrl({ ...q, forces: 'none' }), headers: { accept: 'text/csv' } });
  t.equal(csv.body.trim().split('\r\n').length, 1 + 4, 'header and the four quarters of the total');
  const svg = await h.call(analyst, { method: 'GET', url: seriesUrl({ ...q, forces: 'none' }), headers: { accept: 'image/svg+xml' } });
  t.equal(svg.statusCode, 200);
  t.match(svg.body, /the forces in scope \(total only\)/, 'the chart says it draws the total only');
  const bad = await h.call(analyst, { method: 'GET', url: seriesUrl({ ...q, forces: 'some' }) });
  t.equal(bad.statusCode, 400, 'forces is each or none');
});
