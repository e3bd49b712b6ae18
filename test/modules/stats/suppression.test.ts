// Small-number suppression for federation reps (docs/statistics.md): counts 1-4 and everything built on them
// show "<5", zero and 5+ are shown; reps see their own force only; analysts see the exact figures.
import t from 'tap';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { loadStatsDataset } from '../../fixtures/stats-dataset.ts';
import { csvRecords, emptySummary, list, S, series, seriesUrl, share, summary, summaryUrl, type Share, type Summary } from './support.ts';

const h = await buildTestApp(t);
await loadStatsDataset(h);
const analyst = await h.key(['analyst'], null, 'national analyst');
const repA = await h.key(['federation_rep'], FORCE_A, 'federation rep A');
const repB = await h.key(['federation_rep'], FORCE_B, 'federation rep B');
const A_NAME = 'Avon and Somerset Constabulary';

const H1 = { from: '2026-01-01', to: '2026-06-30' };
const FY = { from: '2026-01-01', to: '2026-12-31' };
const Q4 = { from: '2026-10-01', to: '2026-12-31' };

// Force A, first half, as a federation rep sees it (exact figures: summary.test.ts A_H1).
const REP_A_H1: Summary = {
  forceId: FORCE_A,
  forceName: A_NAME,
  headcount: { officers: 2000, constables: 1600, asOf: '2026-01-01', forces: 1 },
  // 5, 7, 5 shown; withoutInjury 2, attendedHospital 3, hospitalised 1, repeatVictims 1 suppressed; daysLost 18 over 7 people shown
  counts: { incidents: 5, assaultedPeople: 7, withInjury: 5, withoutInjury: S, attendedHospital: S, hospitalised: S, daysLost: 18, repeatVictims: S },
  // numerators 4: suppressed with the value; the headcount denominators are shown
  rates: { perThousandOfficers: share(S, 2000, S), perThousandConstables: share(S, 1600, S) },
  breakdowns: {
    // every key counts 1-4 in this period
    circumstances: list(['arrest', S], ['custody', S], ['domestic_incident', S], ['public_order', S]),
    offence: list(['abh_s47', S], ['emergency_worker_common_assault', S], ['gbh_s20', S]),
    crewing: list(['double', S], ['not_recorded', S], ['single', S]),
    hourOfDay: list(['00', S], ['03', S], ['09', S], ['14', S], ['23', S]),
    dayOfWeek: list(['1', S], ['2', S], ['6', S]),
    victimRole: list(['constable', S], ['pcso', S], ['police_staff', S], ['special_constable', S]),
    serviceBand: list(['10_to_20_years', S], ['1_to_2_years', S], ['2_to_5_years', S], ['5_to_10_years', S], ['under_1_year', S]),
    safetyTrainingInDate: list(['false', S], ['not_recorded', S], ['true', S]),
  },
  equipment: {
    bodyWornVideoWorn: share(S, 5, S), // 4 / 5
    bodyWornVideoActivated: share(S, 5, S), // 3 / 5
    spitAndBiteGuardUsed: share(S, 5, S), // 1 / 5
    taserDrawn: share(S, 5, S), // 2 / 5
    taserDischarged: share(S, 5, S), // 1 / 5
  },
  justice: {
    chargeRate: share(S, 5, S), // 3 / 5
    convictionRate: share(S, S, S), // 1 / 2
    outOfCourtRate: share(S, 5, S), // 1 / 5
    medianDaysToCharge: S, // over 3 charged incidents
    medianDaysToCourtResult: S, // over 2 resolved incidents
  },
  care: { firstStepOnTime: share(S, 7, S), plansComplete: share(S, 7, S), openOverdueSteps: 32 }, // 3 / 7, 2 / 7
  trim: { offered: S, accepted: S, completed: S }, // 3, 1, 1
  victimsCode: { updatesOnTime: share(6, 10, 0.6) }, // 6 / 10: nothing small
};

// Force A, the whole of 2026 (exact: summary.test.ts A_FY).
const REP_A_FY: Summary = {
  forceId: FORCE_A,
  forceName: A_NAME,
  headcount: { officers: 2100, constables: 1700, asOf: '2026-07-01', forces: 1 },
  counts: { incidents: 8, assaultedPeople: 10, withInjury: 7, withoutInjury: S, attendedHospital: S, hospitalised: S, daysLost: 19, repeatVictims: S }, // 3, 3, 1, 2 suppressed
  rates: { perThousandOfficers: share(7, 2100, 3.33), perThousandConstables: share(6, 1700, 3.53) }, // 7 and 6: shown
  breakdowns: {
    circumstances: list(
      ['arrest', S],
      ['custody', S],
      ['domestic_incident', S],
      ['mental_health', S],
      ['public_order', S],
      ['road_traffic', S],
      ['stop_and_search', S],
    ),
    offence: list(['abh_s47', S], ['emergency_worker_common_assault', 5], ['gbh_s20', S], ['threats_or_abuse', S]), // 5 shown
    crewing: list(['double', S], ['not_recorded', S], ['single', S], ['team', S]), // single is 4
    hourOfDay: list(['00', S], ['03', S], ['09', S], ['10', S], ['14', S], ['23', S]),
    dayOfWeek: list(['1', S], ['2', S], ['3', S], ['5', S], ['6', S]),
    victimRole: list(['constable', 6], ['inspector_and_above', S], ['pcso', S], ['police_staff', S], ['special_constable', S]),
    serviceBand: list(
      ['10_to_20_years', S],
      ['1_to_2_years', S],
      ['20_years_or_more', S],
      ['2_to_5_years', S],
      ['5_to_10_years', S],
      ['not_recorded', S],
      ['under_1_year', S],
    ),
    safetyTrainingInDate: list(['false', S], ['not_recorded', S], ['true', 6]),
  },
  equipment: {
    bodyWornVideoWorn: share(6, 8, 0.75),
    bodyWornVideoActivated: share(5, 8, 0.625),
    spitAndBiteGuardUsed: share(S, 8, S), // 1 / 8
    taserDrawn: share(S, 8, S), // 2 / 8
    taserDischarged: share(S, 8, S), // 1 / 8
  },
  justice: {
    chargeRate: share(5, 8, 0.625),
    convictionRate: share(S, S, S), // 2 / 3
    outOfCourtRate: share(S, 8, S), // 1 / 8
    medianDaysToCharge: 2, // over 5 charged incidents: shown
    medianDaysToCourtResult: S, // over 3 resolved incidents
  },
  care: { firstStepOnTime: share(S, 10, S), plansComplete: share(S, 10, S), openOverdueSteps: 49 }, // 4 / 10, 2 / 10
  trim: { offered: S, accepted: S, completed: S }, // 4, 2, 1
  victimsCode: { updatesOnTime: share(6, 11, 0.5455) },
};

// Force A, October to December: A9 alone (V11, an inspector, minor injury, 0 days lost, enhanced rights).
const REP_A_Q4: Summary = {
  forceId: FORCE_A,
  forceName: A_NAME,
  headcount: { officers: 2100, constables: 1700, asOf: '2026-07-01', forces: 1 },
  // daysLost is 0 but over 1 person: suppressed all the same; the zeros are shown
  counts: { incidents: S, assaultedPeople: S, withInjury: S, withoutInjury: 0, attendedHospital: 0, hospitalised: 0, daysLost: S, repeatVictims: 0 },
  rates: { perThousandOfficers: share(S, 2100, S), perThousandConstables: share(0, 1700, 0) }, // 1 officer; 0 constables: 0 shown
  breakdowns: {
    circumstances: list(['stop_and_search', S]),
    offence: list(['emergency_worker_common_assault', S]),
    crewing: list(['single', S]),
    hourOfDay: list(['10', S]),
    dayOfWeek: list(['5', S]),
    victimRole: list(['inspector_and_above', S]),
    serviceBand: list(['20_years_or_more', S]),
    safetyTrainingInDate: list(['true', S]),
  },
  equipment: {
    bodyWornVideoWorn: share(S, S, S), // 1 / 1
    bodyWornVideoActivated: share(S, S, S), // 1 / 1
    spitAndBiteGuardUsed: share(0, S, S), // 0 / 1: the zero is shown, the denominator and value are not
    taserDrawn: share(0, S, S),
    taserDischarged: share(0, S, S),
  },
  justice: {
    chargeRate: share(S, S, S), // 1 / 1
    convictionRate: share(0, 0, null), // nothing resolved: nothing to suppress
    outOfCourtRate: share(0, S, S), // 0 / 1
    medianDaysToCharge: S, // over 1 case (0.25 days)
    medianDaysToCourtResult: null, // over no case
  },
  // V11: 4 steps overdue of 1 plan
  care: { firstStepOnTime: share(0, S, S), plansComplete: share(0, S, S), openOverdueSteps: S },
  trim: { offered: 0, accepted: 0, completed: 0 },
  victimsCode: { updatesOnTime: share(0, 0, null) }, // V11's notification is not yet due
};

// Force B, the whole of 2026 (exact: summary.test.ts B_FY): almost everything is small.
const REP_B_FY: Summary = {
  forceId: FORCE_B,
  forceName: 'Bedfordshire Police',
  headcount: { officers: 1200, constables: 900, asOf: '2026-03-31', forces: 1 },
  counts: { incidents: S, assaultedPeople: S, withInjury: S, withoutInjury: S, attendedHospital: S, hospitalised: 0, daysLost: S, repeatVictims: S }, // 3, 4, 2, 2, 1, 0, (3 over 4 people), 1
  rates: { perThousandOfficers: share(S, 1200, S), perThousandConstables: share(S, 900, S) }, // 3, 2
  breakdowns: {
    circumstances: list(['arrest', S], ['other', S]),
    offence: list(['emergency_worker_common_assault', S], ['other', S]),
    crewing: list(['double', S], ['single', S]),
    hourOfDay: list(['09', S], ['12', S], ['18', S]),
    dayOfWeek: list(['1', S], ['5', S], ['7', S]),
    victimRole: list(['constable', S], ['pcso', S], ['sergeant', S]),
    serviceBand: list(['10_to_20_years', S], ['1_to_2_years', S], ['2_to_5_years', S], ['not_recorded', S]),
    safetyTrainingInDate: list(['false', S], ['true', S]),
  },
  equipment: {
    bodyWornVideoWorn: share(S, S, S),
    bodyWornVideoActivated: share(S, S, S),
    spitAndBiteGuardUsed: share(S, S, S),
    taserDrawn: share(S, S, S),
    taserDischarged: share(0, S, S), // 0 / 3
  },
  justice: { chargeRate: share(S, S, S), convictionRate: share(S, S, S), outOfCourtRate: share(S, S, S), medianDaysToCharge: S, medianDaysToCourtResult: S },
  care: { firstStepOnTime: share(S, S, S), plansComplete: share(S, S, S), openOverdueSteps: 19 }, // 2 / 4, 1 / 4; 19 shown
  trim: { offered: S, accepted: S, completed: S },
  victimsCode: { updatesOnTime: share(S, S, S) }, // 2 / 4
};

t.test('federation rep of force A: "<5" exactly where the definitions say', async (t) => {
  for (const [name, period, expected] of [
    ['first half', H1, REP_A_H1],
    ['whole year', FY, REP_A_FY],
    ['October to December', Q4, REP_A_Q4],
  ] as const) {
    const own = await summary(h, repA, period);
    t.same(own.forces, [expected], `${name}: without forceId, the rep's own force`);
    t.same(own.total, expected, `${name}: total`);
    const named = await summary(h, repA, { forceId: FORCE_A, ...period });
    t.same(named.forces, [expected], `${name}: with its own forceId`);
  }
  // January to March: A1 (V1) and A2 (V2, V3): 3 people with 10 days lost: suppressed because 1-4 people were assaulted.
  const q1 = await summary(h, repA, { from: '2026-01-01', to: '2026-03-31' });
  t.equal(q1.forces[0]!.counts.daysLost, S, 'daysLost over 3 people');
  t.equal((await summary(h, analyst, { forceId: FORCE_A, from: '2026-01-01', to: '2026-03-31' })).forces[0]!.counts.daysLost, 10, 'the analyst sees 10');
  // A period with nothing: zeros are shown, values are null.
  const empty = await summary(h, repA, { from: '2025-06-01', to: '2025-06-30' });
  t.same(empty.forces, [emptySummary(FORCE_A, A_NAME)]);
});

t.test('federation rep of force B', async (t) => {
  const res = await summary(h, repB, FY);
  t.same(res.forces, [REP_B_FY]);
  t.same(res.total, REP_B_FY);
});

t.test('reps see their own force only', async (t) => {
  for (const url of [summaryUrl({ forceId: FORCE_B, ...FY }), seriesUrl({ forceId: FORCE_B, metric: 'incidents', interval: 'month', ...FY })]) {
    const res = await h.call(repA, { method: 'GET', url });
    t.equal(res.statusCode, 404, `rep A asking for force B: 404 (${url.split('?')[0]})`);
    t.match(String(res.headers['content-type']), /^application\/problem\+json/);
    t.notMatch(res.body, /Bedfordshire/, 'nothing about force B');
  }
  const nationalRep = await h.key(['federation_rep'], null, 'national federation rep');
  const res = await h.call(nationalRep, { method: 'GET', url: summaryUrl(FY) });
  t.equal(res.statusCode, 403, 'a rep key without a force cannot see every force');
});

t.test('an analyst sees the exact figures of the same query', async (t) => {
  const res = await h.call(analyst, { method: 'GET', url: summaryUrl({ forceId: FORCE_A, ...FY }) });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /<5/, 'nothing suppressed');
  const s = (res.json() as { forces: Summary[] }).forces[0]!;
  t.same(s.counts, {
    incidents: 8,
    assaultedPeople: 10,
    withInjury: 7,
    withoutInjury: 3,
    attendedHospital: 3,
    hospitalised: 1,
    daysLost: 19,
    repeatVictims: 2,
  });
  t.same(s.trim, { offered: 4, accepted: 2, completed: 1 });
  t.same(s.justice.convictionRate, share(2, 3, 0.6667));
  t.equal(s.justice.medianDaysToCourtResult, 60);
  t.same(s.equipment.taserDrawn, share(2, 8, 0.25));
  t.same(s.breakdowns.crewing, list(['double', 2], ['not_recorded', 1], ['single', 4], ['team', 1]));
  const q4 = (await summary(h, analyst, { forceId: FORCE_A, ...Q4 })).forces[0]!;
  t.equal(q4.counts.daysLost, 0);
  t.equal(q4.care.openOverdueSteps, 4);
  t.equal(q4.justice.medianDaysToCharge, 0.3, '0.25 days, to 1 decimal');
  const b = (await summary(h, analyst, { forceId: FORCE_B, ...FY })).forces[0]!;
  t.same(b.victimsCode.updatesOnTime, share(2, 4, 0.5));
});

/** docs/statistics.md, Small-number suppression, applied to an analyst's exact summary. */
function suppressedByTheDoc(s: Summary): Summary {
  const small = (v: unknown) => typeof v === 'number' && v >= 1 && v <= 4;
  const c = <V>(v: V) => (small(v) ? S : v);
  const sh = (x: Share): Share => (small(x.numerator) || small(x.denominator) ? { numerator: c(x.numerator), denominator: c(x.denominator), value: S } : x);
  const shares = <K extends string>(o: Record<K, Share>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, sh(v as Share)])) as Record<K, Share>;
  return {
    ...s,
    counts: {
      incidents: c(s.counts.incidents),
      assaultedPeople: c(s.counts.assaultedPeople),
      withInjury: c(s.counts.withInjury),
      withoutInjury: c(s.counts.withoutInjury),
      attendedHospital: c(s.counts.attendedHospital),
      hospitalised: c(s.counts.hospitalised),
      // "daysLost is "<5" when 1-4 people were assaulted"
      daysLost: small(s.counts.assaultedPeople) ? S : c(s.counts.daysLost),
      repeatVictims: c(s.counts.repeatVictims),
    },
    rates: shares(s.rates),
    breakdowns: Object.fromEntries(
      Object.entries(s.breakdowns).map(([k, l]) => [k, l.map((b) => ({ key: b.key, count: c(b.count) }))]),
    ) as Summary['breakdowns'],
    equipment: shares(s.equipment),
    justice: {
      chargeRate: sh(s.justice.chargeRate),
      convictionRate: sh(s.justice.convictionRate),
      outOfCourtRate: sh(s.justice.outOfCourtRate),
      // "a median is "<5" when it is over 1-4 cases": charged incidents; resolved (convicted or not) incidents
      medianDaysToCharge: small(s.justice.chargeRate.numerator) ? S : s.justice.medianDaysToCharge,
      medianDaysToCourtResult: small(s.justice.convictionRate.denominator) ? S : s.justice.medianDaysToCourtResult,
    },
    care: { firstStepOnTime: sh(s.care.firstStepOnTime), plansComplete: sh(s.care.plansComplete), openOverdueSteps: c(s.care.openOverdueSteps) },
    trim: { offered: c(s.trim.offered), accepted: c(s.trim.accepted), completed: c(s.trim.completed) },
    victimsCode: { updatesOnTime: sh(s.victimsCode.updatesOnTime) },
  };
}

t.test('every period: the rep sees the analyst figures with the definitions applied', async (t) => {
  const periods = [
    { from: '2026-01-01', to: '2026-03-31' },
    { from: '2026-04-01', to: '2026-06-30' },
    { from: '2026-07-01', to: '2026-09-30' },
    Q4,
    H1,
    FY,
    { from: '2026-06-01', to: '2026-07-31' },
  ];
  for (const [force, rep] of [
    [FORCE_A, repA],
    [FORCE_B, repB],
  ] as const) {
    for (const p of periods) {
      const exact = await summary(h, analyst, { forceId: force, ...p });
      const seen = await summary(h, rep, p);
      t.same(seen.forces, [suppressedByTheDoc(exact.forces[0]!)], `${force === FORCE_A ? 'A' : 'B'} ${p.from}..${p.to}`);
    }
  }
});

t.test('series and CSV for a rep are suppressed the same way', async (t) => {
  const res = await series(h, repA, { metric: 'incidents', interval: 'month', ...FY });
  // Jan 1, Feb 1, Mar 0, Apr 1, May 0, Jun 2, Jul 1, Aug 0, Sep 1, Oct 0, Nov 0, Dec 1
  t.same(
    res.total.map((p) => p.value),
    [S, S, 0, S, 0, S, S, 0, S, 0, 0, S],
  );
  t.same(
    res.forces[0]!.points.map((p) => p.value),
    [S, S, 0, S, 0, S, S, 0, S, 0, 0, S],
  );
  const yearly = await series(h, repA, { metric: 'incidents', interval: 'year', ...FY });
  t.same(
    yearly.total.map((p) => p.value),
    [8],
  );
  const rate = await series(h, repA, { metric: 'perThousandConstables', interval: 'quarter', ...FY });
  t.same(
    rate.total.map((p) => p.value),
    [S, S, S, 0],
    'rates over 2, 2, 2 and 0 constables',
  );

  const csv = await h.call(repA, { method: 'GET', url: seriesUrl({ metric: 'incidents', interval: 'quarter', ...FY }), headers: { accept: 'text/csv' } });
  t.equal(csv.statusCode, 200);
  t.same(
    csvRecords(csv.body)
      .records.filter((r) => r.forceName === 'total')
      .map((r) => r.incidents),
    ['<5', '<5', '<5', '<5'],
    'quarters of 2, 3, 2 and 1 incidents',
  );
  const sum = await h.call(repA, { method: 'GET', url: summaryUrl(FY), headers: { accept: 'text/csv' } });
  t.equal(sum.statusCode, 200);
  const { records } = csvRecords(sum.body);
  t.equal(records.length, 2, 'the force and its total');
  t.equal(records[0]!['counts.incidents'], '8');
  t.equal(records[0]!['counts.repeatVictims'], '<5');
  t.equal(records[0]!['justice.medianDaysToCourtResult'], '<5');
  t.equal(records[0]!['breakdowns.offence.emergency_worker_common_assault'], '5');
});
