// The figures of a period and force do not change when records of another period or another force are added:
// incidents, victims, justice events, care, TRiM, withdrawals and headcounts dated after the period.
import t from 'tap';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { load, loadStatsDataset, NOW, type Dataset } from '../../fixtures/stats-dataset.ts';
import { series, summary, type SeriesResponse, type SummaryResponse } from './support.ts';

const h = await buildTestApp(t);
const ctx = await loadStatsDataset(h);
const analyst = await h.key(['analyst'], null, 'national analyst');
const repA = await h.key(['federation_rep'], FORCE_A, 'federation rep A');

const H1 = { from: '2026-01-01', to: '2026-06-30' };
const FY = { from: '2026-01-01', to: '2026-12-31' };

/** Records of other periods (force A before and after the first half) and of another force (B, in the first half). */
const UNRELATED: Dataset = {
  incidents: [
    // Force A, 00:00 BST on 1 July (the first instant after the first half). Staff number A-100 is V1's (A1, first half).
    {
      ref: 'S1',
      force: 'A',
      occurredAt: '2026-06-30T23:00:00Z',
      circumstances: 'arrest',
      crewing: 'single',
      eq: { worn: true, activated: true, spit: true, drawn: true, discharged: true },
      offences: ['gbh_s20'],
      victims: [
        { ref: 'Z1', role: 'constable', staff: 'A-100', band: '1_to_2_years', injury: 'serious', hospital: 'admitted', daysLost: 40, training: false },
        { ref: 'Z2', role: 'pcso', staff: 'A-900', band: null, injury: 'minor', hospital: 'attended', daysLost: 2, training: null },
      ],
    },
    // Force A, 23:59 GMT on 31 December 2025 (the last minute before 2026). A-200 is V4's (A3, first half).
    {
      ref: 'S2',
      force: 'A',
      occurredAt: '2025-12-31T23:59:00Z',
      circumstances: 'custody',
      crewing: 'double',
      eq: { worn: false, activated: false, spit: false, drawn: false, discharged: false },
      offences: ['emergency_worker_common_assault'],
      victims: [{ ref: 'Z3', role: 'sergeant', staff: 'A-200', band: '5_to_10_years', injury: 'minor', hospital: 'none', daysLost: 1, training: true }],
    },
    // Force B, inside the first half, with force A's staff numbers.
    {
      ref: 'S3',
      force: 'B',
      occurredAt: '2026-03-01T10:00:00Z',
      circumstances: 'public_order',
      crewing: 'team',
      eq: { worn: true, activated: false, spit: false, drawn: true, discharged: false },
      offences: ['emergency_worker_common_assault', 'abh_s47'],
      victims: [
        { ref: 'Z4', role: 'constable', staff: 'A-101', band: '2_to_5_years', injury: 'minor', hospital: 'none', daysLost: 3, training: true },
        { ref: 'Z5', role: 'constable', staff: 'A-300', band: '2_to_5_years', injury: 'none', hospital: 'none', daysLost: 0, training: true },
      ],
    },
  ],
  actions: [
    // Headcounts: force A's dated after the first half; force B's.
    { at: '2026-09-02T09:00:00Z', kind: 'headcount', force: 'A', officers: 3000, constables: 2500, asOf: '2026-09-01' },
    { at: '2026-02-02T09:00:00Z', kind: 'headcount', force: 'B', officers: 1100, constables: 800, asOf: '2026-02-01' },
    // S2 (2025): charged, told on time; care and TRiM.
    { at: '2026-01-02T10:00:00Z', kind: 'decision', incident: 'S2', ref: 'S2-charge', decision: 'charged', charges: ['emergency_worker_common_assault'] },
    { at: '2026-01-05T10:00:00Z', kind: 'tell', incident: 'S2', victim: 'Z3', about: ['S2-charge'] },
    { at: '2026-01-01T10:00:00Z', kind: 'care', victim: 'Z3', positions: [1, 2, 3, 4, 5, 6, 7], status: 'done' },
    { at: '2026-01-02T11:00:00Z', kind: 'trimRefer', victim: 'Z3', ref: 'T-Z3', consent: 'given' },
    // S3 (force B, first half): charged, convicted, told; care and TRiM.
    { at: '2026-03-02T10:00:00Z', kind: 'decision', incident: 'S3', ref: 'S3-charge', decision: 'charged', charges: ['abh_s47'] },
    { at: '2026-03-03T10:00:00Z', kind: 'tell', incident: 'S3', victim: 'Z4', about: ['S3-charge'] },
    { at: '2026-04-01T10:00:00Z', kind: 'result', incident: 'S3', ref: 'S3-result', charge: 'S3-charge#0', result: 'convicted' },
    { at: '2026-03-01T12:00:00Z', kind: 'care', victim: 'Z4', positions: [1], status: 'done' },
    { at: '2026-03-02T12:00:00Z', kind: 'trimRefer', victim: 'Z5', ref: 'T-Z5', consent: 'given' },
    { at: '2026-03-05T12:00:00Z', kind: 'trimClose', referral: 'T-Z5', outcome: 'monitor' },
    // S1 (force A, July): community resolution, then an outcome code; care, TRiM.
    { at: '2026-07-03T10:00:00Z', kind: 'decision', incident: 'S1', ref: 'S1-cr', decision: 'community_resolution' },
    { at: '2026-07-04T10:00:00Z', kind: 'tell', incident: 'S1', victim: 'Z1', about: ['S1-cr'] },
    { at: '2026-07-01T09:00:00Z', kind: 'care', victim: 'Z1', positions: [1], status: 'done' },
    { at: '2026-07-02T09:00:00Z', kind: 'trimRefer', victim: 'Z2', ref: 'T-Z2', consent: 'pending' },
    // Force A, second half: a victim added to A8 (A-200 is V4's), A6 charged, V9 withdrawn, V8's plan worked.
    {
      at: '2026-09-16T12:00:00Z',
      kind: 'addVictim',
      incident: 'A8',
      victim: { ref: 'Z6', role: 'constable', staff: 'A-200', band: '10_to_20_years', injury: 'minor', hospital: 'none', daysLost: 4, training: true },
    },
    { at: '2026-07-05T10:00:00Z', kind: 'decision', incident: 'A6', ref: 'A6-charge', decision: 'charged', charges: ['threats_or_abuse'] },
    { at: '2026-07-06T10:00:00Z', kind: 'tell', incident: 'A6', victim: 'V8', about: ['A6-charge'] },
    { at: '2026-07-02T10:00:00Z', kind: 'care', victim: 'V8', positions: [1, 2, 3, 4, 5, 6, 7], status: 'done' },
    { at: '2026-10-01T10:00:00Z', kind: 'withdrawVictim', victim: 'V9' },
    { at: '2026-12-19T09:00:00Z', kind: 'care', victim: 'V11', positions: [1, 2], status: 'done' },
  ],
};

interface Snapshot {
  aH1: SummaryResponse;
  repQ2: SummaryResponse;
  aH1Series: SeriesResponse[];
  nationalH1ForceA: SummaryResponse['forces'][number];
  bSecondHalf: SummaryResponse;
  cYear: SummaryResponse;
  aYear: SummaryResponse;
  bYear: SummaryResponse;
}

async function snapshot(): Promise<Snapshot> {
  h.clock.set(NOW);
  const aH1Series: SeriesResponse[] = [];
  for (const metric of ['incidents', 'repeatVictims', 'perThousandConstables', 'chargeRate', 'victimsCodeOnTime', 'openOverdueSteps', 'trimOffered']) {
    aH1Series.push(await series(h, analyst, { forceId: FORCE_A, metric, interval: 'month', ...H1 }));
  }
  const national = await summary(h, analyst, H1);
  return {
    aH1: await summary(h, analyst, { forceId: FORCE_A, ...H1 }),
    // A rep gets grid periods only (docs/statistics.md, Disclosure control): the second quarter, which ends with H1.
    repQ2: await summary(h, repA, { from: '2026-04-01', to: '2026-06-30' }),
    aH1Series,
    nationalH1ForceA: national.forces.find((f) => f.forceId === FORCE_A)!,
    bSecondHalf: await summary(h, analyst, { forceId: FORCE_B, from: '2026-07-01', to: '2026-12-31' }),
    cYear: await summary(h, analyst, { forceId: ctx.forces.C, ...FY }),
    aYear: await summary(h, analyst, { forceId: FORCE_A, ...FY }),
    bYear: await summary(h, analyst, { forceId: FORCE_B, ...FY }),
  };
}

t.test('figures of a period and force are unmoved by records of other periods and forces', async (t) => {
  const before = await snapshot();
  // Sanity: the snapshot is of the known figures (summary.test.ts).
  t.equal(before.aH1.forces[0]!.counts.incidents, 5);
  t.equal(before.aH1.forces[0]!.counts.repeatVictims, 1);

  await load(h, ctx, UNRELATED);
  const after = await snapshot();

  t.same(after.aH1, before.aH1, 'force A, first half (analyst)');
  t.same(after.repQ2, before.repQ2, 'force A, second quarter (federation rep)');
  after.aH1Series.forEach((s, i) => t.same(s, before.aH1Series[i], `force A, first half by month: ${s.metric}`));
  t.same(after.nationalH1ForceA, before.nationalH1ForceA, 'force A in the national first-half view');
  t.same(after.bSecondHalf, before.bSecondHalf, 'force B, second half (the new force B records are in the first half)');
  t.same(after.cYear, before.cYear, 'force C, the whole year (nothing new in force C)');

  // Control: the records did land where they belong.
  const a = after.aYear.forces[0]!;
  t.equal(a.counts.incidents, 9, 'force A year: + S1');
  t.equal(a.counts.assaultedPeople, 12, 'force A year: 10 + Z1 + Z2 + Z6 - V9');
  // A-101 (A2, A3), A-100 (A1, S1), A-200 (A3, A8's Z6); A-300 no longer (V9 withdrawn)
  t.equal(a.counts.repeatVictims, 3, 'force A year: repeat victims across the halves');
  t.same(a.headcount, { officers: 3000, constables: 2500, asOf: '2026-09-01', forces: 1 }, 'force A year: the September headcount');
  t.notSame(after.aYear, before.aYear);
  const b = after.bYear.forces[0]!;
  t.equal(b.counts.incidents, 4, 'force B year: + S3');
  t.equal(b.counts.repeatVictims, 1, "force A's staff numbers in force B are other people");
  const nationalH1 = await summary(h, analyst, H1);
  t.equal(nationalH1.total.counts.incidents, 9, 'national first half: 8 + S3');
  const y2025 = await summary(h, analyst, { forceId: FORCE_A, from: '2025-12-31', to: '2025-12-31' });
  t.equal(y2025.forces[0]!.counts.incidents, 1, 'S2 is on 31 December 2025 (UK)');
});
