// The deterrent (issue #18 item 5; docs/statistics.md, "The deterrent"): custody rate, median custodial length,
// the share of sentenced defendants whose court stated the emergency-worker aggravation (Sentencing Act 2020, s.67)
// and out-of-court disposals by type, against a small hand-computed fixture; the same figures rounded and withheld
// for a federation rep; and the rounding of the deterrent counts on their own (controlled rounding, base 5).
import t from 'tap';
import { FORCE_A } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { load, NOW, prepare, type Action, type Dataset, type IncidentSpec } from '../../fixtures/stats-dataset.ts';
import { computeEmpty, summaryOf, withhold } from '../../../src/modules/stats/summary.ts';
import { publishedCounts, roundMonth } from '../../../src/modules/stats/disclosure.ts';
import type { RawStats } from '../../../src/modules/stats/queries.ts';
import { deterrent, S, share, summary } from './support.ts';

// Force A. Every incident has one suspect (the defendant) and one victim (a constable).
//
//  inc  occurredAt (UTC)  justice
//  D1   2026-01-05        charged ewca + abh; both convicted; ewca: immediate custody 6 months, s.67 yes;
//                         abh: immediate custody 12 months, s.67 not given (default not_recorded)
//  D2   2026-01-20        charged ewca; guilty plea; one sentence for all: immediate custody 4 months, s.67 no
//  D3   2026-02-10        charged ewca; convicted; community order, s.67 yes - sentenced in April (after Q1)
//  D4   2026-02-15        charged ewca; convicted; suspended sentence 8 months (not immediate custody), s.67 not given
//  D5   2026-03-01        charged ewca + abh; both convicted; ewca: fine, s.67 no; abh: immediate custody 3 months,
//                         s.67 not_recorded (sent explicitly)
//  D6   2026-03-10        caution (charging decision)                      -> out of court: caution
//  D7   2026-03-12        community resolution (charging decision)         -> out of court: community_resolution
//  D8   2026-03-20        outcome code 6 (penalty notice for disorder)     -> out of court: penalty_notice_for_disorder
//  D9   2026-03-25        community resolution decision, then outcome 22   -> out of court: diversionary (the code wins)
//  D10  2026-04-10        charged ewca; convicted; immediate custody 24 months, s.67 yes (Q2: outside Q1)
//
// Defendants: one per incident (incident x suspect). A defendant with several sentences counts once: in immediate
// custody if any sentence is, with the longest immediate custody term; s.67 stated if any sentence says yes,
// recorded if any says yes or no.
//
// Q1 2026 (Jan-Mar), by the assault's date (D3's April sentence counts in Q1):
//   sentenced defendants: D1 D2 D3 D4 D5 = 5
//   immediate custody:    D1 D2 D5 = 3                          custodyRate 3 / 5 = 0.6
//   custody terms:        D1 max(6, 12) = 12, D2 4, D5 3         median of [3, 4, 12] = 4
//   s.67 recorded:        D1 (yes), D2 (no), D3 (yes), D5 (no) = 4 (D4 not recorded)
//   s.67 stated:          D1 D3 = 2                               aggravationStated 2 / 4 = 0.5
//   out of court:         D6 caution, D7 community resolution, D8 PND, D9 diversionary: 4 of 9 incidents
// 2026 (the year) adds D10:
//   sentenced 6, custody 4 (terms [3, 4, 12, 24], median (4 + 12) / 2 = 8), recorded 5, stated 3 (0.6)

const victim = (n: number): IncidentSpec['victims'][number] => ({
  ref: `DV${n}`,
  role: 'constable',
  staff: `D-${n}`,
  band: '2_to_5_years',
  injury: 'minor',
  hospital: 'none',
  daysLost: 0,
  training: true,
});
const incident = (n: number, occurredAt: string): IncidentSpec => ({
  ref: `D${n}`,
  force: 'A',
  occurredAt,
  circumstances: 'arrest',
  crewing: 'single',
  eq: { worn: true, activated: true, spit: false, drawn: false, discharged: false },
  offences: ['emergency_worker_common_assault'],
  victims: [victim(n)],
});

const EWCA = 'emergency_worker_common_assault';
const charge = (inc: string, at: string, charges: string[]): Action => ({ at, kind: 'decision', incident: inc, ref: `${inc}-c`, decision: 'charged', charges });
const result = (inc: string, at: string, index: number, r = 'convicted'): Action => ({
  at,
  kind: 'result',
  incident: inc,
  ref: `${inc}-r${index}`,
  charge: `${inc}-c#${index}`,
  result: r,
});

const DETERRENT: Dataset = {
  incidents: [
    incident(1, '2026-01-05T10:00:00Z'),
    incident(2, '2026-01-20T10:00:00Z'),
    incident(3, '2026-02-10T10:00:00Z'),
    incident(4, '2026-02-15T10:00:00Z'),
    incident(5, '2026-03-01T10:00:00Z'),
    incident(6, '2026-03-10T10:00:00Z'),
    incident(7, '2026-03-12T10:00:00Z'),
    incident(8, '2026-03-20T10:00:00Z'),
    incident(9, '2026-03-25T10:00:00Z'),
    incident(10, '2026-04-10T10:00:00Z'),
  ],
  actions: [
    charge('D1', '2026-01-06T10:00:00Z', [EWCA, 'abh_s47']),
    result('D1', '2026-02-20T10:00:00Z', 0),
    result('D1', '2026-02-20T10:05:00Z', 1),
    {
      at: '2026-03-05T10:00:00Z',
      kind: 'sentence',
      incident: 'D1',
      ref: 'D1-s0',
      charge: 'D1-c#0',
      sentence: 'immediate_custody',
      custodyMonths: 6,
      aggravation: 'yes',
    },
    { at: '2026-03-05T10:05:00Z', kind: 'sentence', incident: 'D1', ref: 'D1-s1', charge: 'D1-c#1', sentence: 'immediate_custody', custodyMonths: 12 },
    charge('D2', '2026-01-21T10:00:00Z', [EWCA]),
    result('D2', '2026-02-01T10:00:00Z', 0, 'guilty_plea'),
    { at: '2026-02-15T10:00:00Z', kind: 'sentence', incident: 'D2', ref: 'D2-s', sentence: 'immediate_custody', custodyMonths: 4, aggravation: 'no' },
    charge('D3', '2026-02-11T10:00:00Z', [EWCA]),
    result('D3', '2026-03-30T10:00:00Z', 0),
    { at: '2026-04-20T10:00:00Z', kind: 'sentence', incident: 'D3', ref: 'D3-s', sentence: 'community_order', aggravation: 'yes' },
    charge('D4', '2026-02-16T10:00:00Z', [EWCA]),
    result('D4', '2026-03-16T10:00:00Z', 0),
    { at: '2026-03-17T10:00:00Z', kind: 'sentence', incident: 'D4', ref: 'D4-s', sentence: 'suspended_sentence', custodyMonths: 8 },
    charge('D5', '2026-03-02T10:00:00Z', [EWCA, 'abh_s47']),
    result('D5', '2026-03-20T10:00:00Z', 0),
    result('D5', '2026-03-20T10:05:00Z', 1),
    { at: '2026-03-27T10:00:00Z', kind: 'sentence', incident: 'D5', ref: 'D5-s0', charge: 'D5-c#0', sentence: 'fine', amountPence: 20_000, aggravation: 'no' },
    {
      at: '2026-03-27T10:05:00Z',
      kind: 'sentence',
      incident: 'D5',
      ref: 'D5-s1',
      charge: 'D5-c#1',
      sentence: 'immediate_custody',
      custodyMonths: 3,
      aggravation: 'not_recorded',
    },
    { at: '2026-03-11T10:00:00Z', kind: 'decision', incident: 'D6', ref: 'D6-d', decision: 'caution' },
    { at: '2026-03-13T10:00:00Z', kind: 'decision', incident: 'D7', ref: 'D7-d', decision: 'community_resolution' },
    { at: '2026-03-21T10:00:00Z', kind: 'outcome', incident: 'D8', code: 6 },
    { at: '2026-03-26T10:00:00Z', kind: 'decision', incident: 'D9', ref: 'D9-d', decision: 'community_resolution' },
    { at: '2026-03-27T12:00:00Z', kind: 'outcome', incident: 'D9', code: 22 },
    charge('D10', '2026-04-11T10:00:00Z', [EWCA]),
    result('D10', '2026-05-11T10:00:00Z', 0),
    { at: '2026-06-01T10:00:00Z', kind: 'sentence', incident: 'D10', ref: 'D10-s', sentence: 'immediate_custody', custodyMonths: 24, aggravation: 'yes' },
  ],
};

const h = await buildTestApp(t);
const ctx = await prepare(h);
await load(h, ctx, DETERRENT);
h.clock.set(NOW);
const analyst = await h.key(['analyst'], null, 'national analyst');
const repA = await h.key(['federation_rep'], FORCE_A, 'federation rep A');

const Q1 = { forceId: FORCE_A, from: '2026-01-01', to: '2026-03-31' };
const YEAR = { forceId: FORCE_A, from: '2026-01-01', to: '2026-12-31' };

t.test('analyst, force A, Q1 2026: the hand-computed deterrent figures', async (t) => {
  const res = await summary(h, analyst, Q1);
  const a = res.forces[0]!;
  t.same(
    a.deterrent,
    deterrent(
      { custodyRate: share(3, 5, 0.6), medianCustodyMonths: 4, aggravationStated: share(2, 4, 0.5) },
      { caution: 1, community_resolution: 1, penalty_notice_for_disorder: 1, diversionary: 1 },
    ),
  );
  t.same(a.justice.outOfCourtRate, share(4, 9, 0.4444), 'the disposals are a partition of the out-of-court incidents');
  t.same(res.total.deterrent, a.deterrent, 'the total of one force is that force');
});

t.test('analyst, force A, 2026: a later assault adds its defendant', async (t) => {
  const a = (await summary(h, analyst, YEAR)).forces[0]!;
  t.same(
    a.deterrent,
    deterrent(
      { custodyRate: share(4, 6, 0.6667), medianCustodyMonths: 8, aggravationStated: share(3, 5, 0.6) },
      { caution: 1, community_resolution: 1, penalty_notice_for_disorder: 1, diversionary: 1 },
    ),
  );
});

t.test('analyst, Q2 2026: only D10 (a sentence counts in the period of its assault)', async (t) => {
  const a = (await summary(h, analyst, { forceId: FORCE_A, from: '2026-04-01', to: '2026-06-30' })).forces[0]!;
  t.same(a.deterrent, deterrent({ custodyRate: share(1, 1, 1), medianCustodyMonths: 24, aggravationStated: share(1, 1, 1) }));
});

t.test('federation rep, force A, Q1 2026: counts rounded to base 5, derived figures withheld on a small base', async (t) => {
  const res = await summary(h, repA, Q1);
  const r = res.forces[0]!;
  // Sentenced defendants by month: January 2 (D1 D2), February 2 (D3 D4), March 1 (D5): each rounds to 0, so the
  // quarter's published base is 0 (< 10): the custody rate, the median and the s.67 share are withheld.
  // Out of court: 4 of the quarter's 9 incidents, all in March; incidents published 0 + 0 + 5 = 5 (< 10), so the
  // out-of-court rate is withheld, and with it the disposals by type (their sum would be its numerator).
  t.same(r.deterrent, {
    custodyRate: share(S, 0, S),
    medianCustodyMonths: S,
    aggravationStated: share(S, 0, S),
    outOfCourtDisposals: deterrent({}, { caution: S, community_resolution: S, penalty_notice_for_disorder: S, cannabis_khat_warning: S, diversionary: S })
      .outOfCourtDisposals,
  });
  t.same(r.justice.outOfCourtRate, share(S, 5, S), 'out of court over a base of 5 incidents: withheld');
  t.equal(r.counts.incidents, 5, 'January 2 -> 0, February 2 -> 0, March 5 -> 5');
});

/** A month's exact deterrent figures (the rest of its raw figures empty). */
const rawWith = (fields: Partial<RawStats>): RawStats => ({ ...computeEmpty(), ...fields });

t.test('protected view, on their own: every deterrent count a multiple of 5 and its relations kept; shares published on a base of 10 or more', async (t) => {
  // 23 sentenced, 11 in immediate custody (median 9 months), s.67 recorded for 17 and stated for 9; 12 of 40 incidents
  // out of court: 4 cautions, 3 community resolutions, 2 PNDs, 1 cannabis warning, 2 diversionary.
  const month = rawWith({
    incidents: 40,
    outOfCourt: 12,
    outOfCourtByType: [4, 3, 2, 1, 2],
    sentenced: 23,
    custody: 11,
    aggravationRecorded: 17,
    aggravationStated: 9,
    medianCustodyMonths: 9,
  });
  const rounded = roundMonth(month);
  // sentenced 23 -> 25 (nearest); custody 11 of 23 (rest 12, the larger remainder, goes up): 10;
  // recorded 17 of 23 (rest 6): 17 has the larger remainder: 20; stated 9 of 20 published (rest 8): both go up: 10.
  t.same([rounded.sentenced, rounded.custody, rounded.aggravationRecorded, rounded.aggravationStated], [25, 10, 20, 10]);
  // out of court 12 of 40 -> 10 (40 stays 40; 12 and its rest 28: 28 has the larger remainder and goes up);
  // by type [4, 3, 2, 1, 2] of 12 (no rest): floors 0, ups 2 -> 4 and 3: [5, 5, 0, 0, 0].
  t.same(rounded.outOfCourt, 10);
  t.same(rounded.outOfCourtByType, [5, 5, 0, 0, 0]);
  const shown = withhold(summaryOf(publishedCounts([rounded], month), 'force', 'Force', null, 31)).deterrent;
  t.same(shown, {
    custodyRate: share(10, 25, 0.4),
    medianCustodyMonths: 9, // the period's own median, published: its base (10 in custody) is not under 10
    aggravationStated: share(10, 20, 0.5),
    outOfCourtDisposals: deterrent({}, { caution: 5, community_resolution: 5 }).outOfCourtDisposals,
  });
  // 8 sentenced -> 10; 3 in custody of 8 (rest 5, a multiple of 5): 3 goes up: 5.
  const small = withhold(
    summaryOf(
      publishedCounts([roundMonth(rawWith({ sentenced: 8, custody: 3, medianCustodyMonths: 6 }))], rawWith({ medianCustodyMonths: 6 })),
      'f',
      'F',
      null,
      31,
    ),
  );
  t.same(small.deterrent.custodyRate, share(5, 10, 0.5), 'a base of 10 sentenced: the custody rate is published...');
  t.equal(small.deterrent.medianCustodyMonths, S, '...but the median custodial length rests on 5 in custody (< 10): withheld');
});
