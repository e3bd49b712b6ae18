// The summary against the fixed dataset (test/fixtures/stats-dataset.ts): every figure of force A for the first
// half and the whole of 2026, force B, force C, and the national view, equal to hand-computed constants that
// follow docs/statistics.md. Also who may ask, and how bad periods are answered.
import t from 'tap';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { loadStatsDataset } from '../../fixtures/stats-dataset.ts';
import { deterrent, emptySummary, list, share, summary, summaryUrl, type Summary } from './support.ts';

const h = await buildTestApp(t);
const ctx = await loadStatsDataset(h);
const FORCE_C = ctx.forces.C;
const analyst = await h.key(['analyst'], null, 'national analyst');

const H1 = { from: '2026-01-01', to: '2026-06-30' }; // 31+28+31+30+31+30 = 181 days
const FY = { from: '2026-01-01', to: '2026-12-31' }; // 365 days

// ---------------------------------------------------------------------------------------------------------------
// Force A, 2026-01-01 to 2026-06-30. Counted: A1, A2, A3, A4, A5 (A5 at 23:30 BST on 30 June is in; A6 at 00:30 BST on
// 1 July is not; A7 is withdrawn). Assaulted people: V1, V2, V3 (A2), V4, V5 (A3), V6, V7.
const A_H1: Summary = {
  forceId: FORCE_A,
  forceName: 'Avon and Somerset Constabulary',
  // Latest headcount with asOf <= 2026-06-30: the one of 2026-01-01 (the 2026-07-01 one is after the period).
  headcount: { officers: 2000, constables: 1600, asOf: '2026-01-01', forces: 1 },
  counts: {
    incidents: 5, // A1 A2 A3 A4 A5
    assaultedPeople: 7, // V1..V7
    withInjury: 5, // V1 minor, V2 serious, V4 minor, V5 minor, V6 serious
    withoutInjury: 2, // V3, V7
    attendedHospital: 3, // V2 admitted, V4 attended, V6 attended
    hospitalised: 1, // V2
    daysLost: 18, // 0 + 10 + (null=0) + 2 + 1 + 5 + 0
    repeatVictims: 1, // A-101 (V2 in A2, V5 in A3); A-100 only once (A7 withdrawn); A-300 only once before July
  },
  rates: {
    // officers: V1, V2, V5, V6 (constables); V3 pcso, V4 staff, V7 special excluded
    perThousandOfficers: share(4, 2000, 4.03), // 4 / 2000 * 1000 * 365 / 181 = 4.033
    perThousandConstables: share(4, 1600, 5.04), // 4 / 1600 * 1000 * 365 / 181 = 5.041
  },
  breakdowns: {
    circumstances: list(['arrest', 2], ['custody', 1], ['domestic_incident', 1], ['public_order', 1]), // A1 A4 | A3 | A5 | A2
    offence: list(['abh_s47', 1], ['emergency_worker_common_assault', 4], ['gbh_s20', 1]), // A2 has two offences: ewca A1 A2 A3 A5
    crewing: list(['double', 2], ['not_recorded', 1], ['single', 2]), // A2 A5 | A3 | A1 A4
    // UK local hours: A1 14:15 GMT, A2 03:30 GMT, A3 09:00 BST, A4 00:30 BST (23:30Z), A5 23:30 BST (22:30Z)
    hourOfDay: list(['00', 1], ['03', 1], ['09', 1], ['14', 1], ['23', 1]),
    // A1 Sat, A2 Sat, A3 Mon, A4 Sat 6 June UK (Fri 5 June UTC), A5 Tue
    dayOfWeek: list(['1', 1], ['2', 1], ['6', 3]),
    victimRole: list(['constable', 4], ['pcso', 1], ['police_staff', 1], ['special_constable', 1]),
    // sorted by key as text: "10_to_20_years" < "1_to_2_years" ("0" < "_")
    serviceBand: list(['10_to_20_years', 1], ['1_to_2_years', 1], ['2_to_5_years', 2], ['5_to_10_years', 1], ['under_1_year', 2]),
    safetyTrainingInDate: list(['false', 2], ['not_recorded', 1], ['true', 4]), // V2 V7 | V3 | V1 V4 V5 V6
  },
  equipment: {
    bodyWornVideoWorn: share(4, 5, 0.8), // A1 A2 A4 A5
    bodyWornVideoActivated: share(3, 5, 0.6), // A1 A4 A5
    spitAndBiteGuardUsed: share(1, 5, 0.2), // A2 (A3 not recorded = not used)
    taserDrawn: share(2, 5, 0.4), // A2 A4
    taserDischarged: share(1, 5, 0.2), // A4
  },
  justice: {
    chargeRate: share(3, 5, 0.6), // A1 charged, A2 charged, A4 summonsed; A3 community resolution is not a charge
    convictionRate: share(1, 2, 0.5), // resolved: A1 convicted, A2 not convicted; A4 has a guilty plea to 1 of 2 charges: not resolved
    outOfCourtRate: share(1, 5, 0.2), // A3 community resolution
    medianDaysToCharge: 5, // A1 2.0, A2 5.0, A4 10.0 -> 5.0
    medianDaysToCourtResult: 50, // A1 40.0, A2 60.0 -> (40 + 60) / 2 = 50.0
  },
  care: {
    // first step done by its due time: V1 (09:00 < 14:15), V4, V6 (exactly at due); V2 late, V3 declined, V5 V7 pending
    firstStepOnTime: share(3, 7, 0.4286), // 3 / 7 = 0.42857
    plansComplete: share(2, 7, 0.2857), // V1 all done, V3 all declined; 2 / 7 = 0.28571
    openOverdueSteps: 32, // pending, all past due by NOW: V2 6 + V4 6 + V5 7 + V6 6 + V7 7 = 32
  },
  trim: { offered: 3, accepted: 1, completed: 1 }, // V2 given+closed, V4 declined, V6 pending
  // notifications told or past deadline: A1 V1 charge (on time) + result (late); A2 V2 charge + result (on time), V3 charge +
  // result (overdue); A3 V4 (on time), V5 (overdue); A4 V6 summons + result (on time). On time 1+2+1+2 = 6 of 2+4+2+2 = 10.
  victimsCode: { updatesOnTime: share(6, 10, 0.6) },
  deterrent: deterrent({}, { community_resolution: 1 }), // no sentences in this dataset (test/modules/stats/deterrent.test.ts); A3
};

// ---------------------------------------------------------------------------------------------------------------
// Force A, the whole of 2026: A1..A6, A8, A9 (A7 withdrawn). People: V1..V9, V11 (V10 withdrawn).
const A_FY: Summary = {
  forceId: FORCE_A,
  forceName: 'Avon and Somerset Constabulary',
  // Latest headcount with asOf <= 2026-12-31: 2026-07-01 (recorded mid-year, applies to the whole period).
  headcount: { officers: 2100, constables: 1700, asOf: '2026-07-01', forces: 1 },
  counts: {
    incidents: 8,
    assaultedPeople: 10, // 7 + V8 + V9 + V11
    withInjury: 7, // 5 + V9 minor + V11 minor (V10 serious is withdrawn)
    withoutInjury: 3, // V3, V7, V8
    attendedHospital: 3, // unchanged: V10 admitted is withdrawn
    hospitalised: 1,
    daysLost: 19, // 18 + V8 null + V9 1 + V11 0 (V10's 30 withdrawn)
    repeatVictims: 2, // A-101 (A2, A3), A-300 (A4, A8); A-600 is V11 and the withdrawn V10: once
  },
  rates: {
    perThousandOfficers: share(7, 2100, 3.33), // V1 V2 V5 V6 V8 V9 + V11 inspector = 7; 7 / 2100 * 1000 * 365 / 365 = 3.333
    perThousandConstables: share(6, 1700, 3.53), // 6 / 1700 * 1000 = 3.529
  },
  breakdowns: {
    circumstances: list(
      ['arrest', 2],
      ['custody', 1],
      ['domestic_incident', 1],
      ['mental_health', 1],
      ['public_order', 1],
      ['road_traffic', 1],
      ['stop_and_search', 1],
    ),
    offence: list(['abh_s47', 2], ['emergency_worker_common_assault', 5], ['gbh_s20', 1], ['threats_or_abuse', 1]), // + A8 abh, A9 ewca, A6 threats
    crewing: list(['double', 2], ['not_recorded', 1], ['single', 4], ['team', 1]), // + A6 single, A9 single, A8 team
    hourOfDay: list(['00', 2], ['03', 1], ['09', 1], ['10', 1], ['14', 2], ['23', 1]), // + A6 00:30 BST, A8 14:00 BST, A9 10:00 GMT
    dayOfWeek: list(['1', 1], ['2', 2], ['3', 1], ['5', 1], ['6', 3]), // + A6 Wed 1 July UK, A8 Tue, A9 Fri
    victimRole: list(['constable', 6], ['inspector_and_above', 1], ['pcso', 1], ['police_staff', 1], ['special_constable', 1]),
    serviceBand: list(
      ['10_to_20_years', 1],
      ['1_to_2_years', 1],
      ['20_years_or_more', 1],
      ['2_to_5_years', 2],
      ['5_to_10_years', 2],
      ['not_recorded', 1],
      ['under_1_year', 2],
    ),
    safetyTrainingInDate: list(['false', 2], ['not_recorded', 2], ['true', 6]),
  },
  equipment: {
    bodyWornVideoWorn: share(6, 8, 0.75), // + A8, A9 (A6 not recorded)
    bodyWornVideoActivated: share(5, 8, 0.625),
    spitAndBiteGuardUsed: share(1, 8, 0.125),
    taserDrawn: share(2, 8, 0.25),
    taserDischarged: share(1, 8, 0.125),
  },
  justice: {
    chargeRate: share(5, 8, 0.625), // A1 A2 A4 A8 A9
    convictionRate: share(2, 3, 0.6667), // A1, A8 convicted of A1 A2 A8 resolved; 2 / 3 = 0.66667
    outOfCourtRate: share(1, 8, 0.125), // A3
    medianDaysToCharge: 2, // 0.25 (A9), 1.5 (A8), 2 (A1), 5 (A2), 10 (A4) -> 2.0
    medianDaysToCourtResult: 60, // 40 (A1), 60 (A2), 90 (A8) -> 60.0
  },
  care: {
    firstStepOnTime: share(4, 10, 0.4), // + V9 on time (V8, V11 pending)
    plansComplete: share(2, 10, 0.2),
    // 32 + V8 7 + V9 6 + V11 4 (A9 at 2026-12-18T10:00Z: the four 24-hour steps were due 2026-12-19T10:00Z, before NOW;
    // the 2, 3 and 5 working-day steps fall due on 22, 23 and 29 December, after NOW) = 49
    openOverdueSteps: 49,
  },
  trim: { offered: 4, accepted: 2, completed: 1 }, // + V9 (consent given later, open); V10's closed referral is withdrawn
  // + A8 V9 charge told late (due, not on time); A8 result (deadline end of 21 Dec) and A9 charge (V11, enhanced: end of
  // 21 Dec) are not yet due at NOW and left out. 6 / 11 = 0.54545
  victimsCode: { updatesOnTime: share(6, 11, 0.5455) },
  deterrent: deterrent({}, { community_resolution: 1 }), // A3
};

// ---------------------------------------------------------------------------------------------------------------
// Force B, the whole of 2026: B1 (W1, W2), B2 (W3), B3 (W4).
const B_FY: Summary = {
  forceId: FORCE_B,
  forceName: 'Bedfordshire Police',
  headcount: { officers: 1200, constables: 900, asOf: '2026-03-31', forces: 1 },
  counts: {
    incidents: 3,
    assaultedPeople: 4,
    withInjury: 2, // W1, W4
    withoutInjury: 2, // W2, W3
    attendedHospital: 1, // W1
    hospitalised: 0,
    daysLost: 3, // 3 + 0 + null + 0
    repeatVictims: 1, // B-2 (W2 in B1, W4 in B3); X-1 is once here (and once in force C: other force)
  },
  rates: {
    perThousandOfficers: share(3, 1200, 2.5), // W1, W2 constables + W4 sergeant; 3 / 1200 * 1000 = 2.5
    perThousandConstables: share(2, 900, 2.22), // 2 / 900 * 1000 = 2.222
  },
  breakdowns: {
    circumstances: list(['arrest', 2], ['other', 1]),
    offence: list(['emergency_worker_common_assault', 2], ['other', 1]),
    crewing: list(['double', 2], ['single', 1]),
    hourOfDay: list(['09', 1], ['12', 1], ['18', 1]), // B3 09:00 GMT (after 25 Oct), B2 12:00 BST, B1 18:00 GMT
    dayOfWeek: list(['1', 1], ['5', 1], ['7', 1]), // B1 Mon, B3 Fri, B2 Sun
    victimRole: list(['constable', 2], ['pcso', 1], ['sergeant', 1]),
    serviceBand: list(['10_to_20_years', 1], ['1_to_2_years', 1], ['2_to_5_years', 1], ['not_recorded', 1]),
    safetyTrainingInDate: list(['false', 1], ['true', 3]),
  },
  equipment: {
    bodyWornVideoWorn: share(2, 3, 0.6667), // B1, B3
    bodyWornVideoActivated: share(2, 3, 0.6667),
    spitAndBiteGuardUsed: share(1, 3, 0.3333), // B1
    taserDrawn: share(1, 3, 0.3333), // B2
    taserDischarged: share(0, 3, 0),
  },
  justice: {
    chargeRate: share(1, 3, 0.3333), // B1
    convictionRate: share(1, 1, 1), // B1 guilty plea
    outOfCourtRate: share(1, 3, 0.3333), // B2 outcome 8 (community resolution); B3 outcome 14 is not out of court
    medianDaysToCharge: 4, // B1 4.0
    medianDaysToCourtResult: 30, // B1 30.0
  },
  care: {
    firstStepOnTime: share(2, 4, 0.5), // W1, W4 on time; W2 late; W3 pending
    plansComplete: share(1, 4, 0.25), // W4
    openOverdueSteps: 19, // W1 6 + W2 6 + W3 7 + W4 0
  },
  trim: { offered: 1, accepted: 1, completed: 1 }, // W1
  // B1: W1 charge + result on time; W2 charge late, result never told (overdue). 2 / 4
  victimsCode: { updatesOnTime: share(2, 4, 0.5) },
  deterrent: deterrent({}, { community_resolution: 1 }), // B2 outcome 8
};

// ---------------------------------------------------------------------------------------------------------------
// Force C (Cumbria), the whole of 2026: C1 (Y1), C2 (Y2). No headcount: rates have no value.
const C_FY = (forceId: string): Summary => ({
  forceId,
  forceName: 'Cumbria Constabulary',
  headcount: null,
  counts: { incidents: 2, assaultedPeople: 2, withInjury: 1, withoutInjury: 1, attendedHospital: 0, hospitalised: 0, daysLost: 1, repeatVictims: 0 },
  rates: {
    perThousandOfficers: share(2, 0, null), // Y1 constable, Y2 sergeant; no headcount -> denominator 0, value null
    perThousandConstables: share(1, 0, null),
  },
  breakdowns: {
    circumstances: list(['arrest', 1], ['public_order', 1]),
    offence: list(['emergency_worker_common_assault', 2], ['threats_or_abuse', 1]),
    crewing: list(['single', 1], ['team', 1]),
    hourOfDay: list(['10', 1], ['16', 1]), // C1 10:00 GMT, C2 16:00 BST
    dayOfWeek: list(['6', 1], ['7', 1]), // C2 Sat, C1 Sun
    victimRole: list(['constable', 1], ['sergeant', 1]),
    serviceBand: list(['1_to_2_years', 1], ['5_to_10_years', 1]),
    safetyTrainingInDate: list(['false', 1], ['true', 1]),
  },
  equipment: {
    bodyWornVideoWorn: share(1, 2, 0.5),
    bodyWornVideoActivated: share(0, 2, 0),
    spitAndBiteGuardUsed: share(0, 2, 0),
    taserDrawn: share(1, 2, 0.5),
    taserDischarged: share(1, 2, 0.5),
  },
  justice: {
    chargeRate: share(0, 2, 0),
    convictionRate: share(0, 0, null),
    outOfCourtRate: share(0, 2, 0),
    medianDaysToCharge: null,
    medianDaysToCourtResult: null,
  },
  care: { firstStepOnTime: share(0, 2, 0), plansComplete: share(0, 2, 0), openOverdueSteps: 14 }, // 7 + 7
  trim: { offered: 0, accepted: 0, completed: 0 },
  victimsCode: { updatesOnTime: share(0, 0, null) },
  deterrent: deterrent(),
});

// ---------------------------------------------------------------------------------------------------------------
// Every force, the whole of 2026: the total is the sum of A, B and C (the 41 other forces have nothing).
const TOTAL_FY: Summary = {
  forceId: null,
  forceName: 'All forces',
  // Forces with a headcount by 2026-12-31: A (2100/1700, 2026-07-01) and B (1200/900, 2026-03-31).
  headcount: { officers: 3300, constables: 2600, asOf: '2026-07-01', forces: 2 },
  counts: {
    incidents: 13, // 8 + 3 + 2
    assaultedPeople: 16, // 10 + 4 + 2
    withInjury: 10, // 7 + 2 + 1
    withoutInjury: 6, // 3 + 2 + 1
    attendedHospital: 4, // 3 + 1 + 0
    hospitalised: 1, // 1 + 0 + 0
    daysLost: 23, // 19 + 3 + 1
    repeatVictims: 3, // 2 + 1 + 0 (X-1 in B and in C is two people of two forces)
  },
  rates: {
    // Only victims of forces with a headcount (A, B): C's 2 officers and 1 constable are left out of the numerator.
    perThousandOfficers: share(10, 3300, 3.03), // (7 + 3) / (2100 + 1200) * 1000 = 3.030
    perThousandConstables: share(8, 2600, 3.08), // (6 + 2) / (1700 + 900) * 1000 = 3.077
  },
  breakdowns: {
    circumstances: list(
      ['arrest', 5],
      ['custody', 1],
      ['domestic_incident', 1],
      ['mental_health', 1],
      ['other', 1],
      ['public_order', 2],
      ['road_traffic', 1],
      ['stop_and_search', 1],
    ),
    offence: list(['abh_s47', 2], ['emergency_worker_common_assault', 9], ['gbh_s20', 1], ['other', 1], ['threats_or_abuse', 2]), // ewca 5 + 2 + 2
    crewing: list(['double', 4], ['not_recorded', 1], ['single', 6], ['team', 2]),
    hourOfDay: list(['00', 2], ['03', 1], ['09', 2], ['10', 2], ['12', 1], ['14', 2], ['16', 1], ['18', 1], ['23', 1]),
    dayOfWeek: list(['1', 2], ['2', 2], ['3', 1], ['5', 2], ['6', 4], ['7', 2]),
    victimRole: list(['constable', 9], ['inspector_and_above', 1], ['pcso', 2], ['police_staff', 1], ['sergeant', 2], ['special_constable', 1]),
    serviceBand: list(
      ['10_to_20_years', 2],
      ['1_to_2_years', 3],
      ['20_years_or_more', 1],
      ['2_to_5_years', 3],
      ['5_to_10_years', 3],
      ['not_recorded', 2],
      ['under_1_year', 2],
    ),
    safetyTrainingInDate: list(['false', 4], ['not_recorded', 2], ['true', 10]),
  },
  equipment: {
    bodyWornVideoWorn: share(9, 13, 0.6923), // 6 + 2 + 1 = 9; 9 / 13 = 0.69231
    bodyWornVideoActivated: share(7, 13, 0.5385), // 5 + 2 + 0 = 7; 0.53846
    spitAndBiteGuardUsed: share(2, 13, 0.1538), // 1 + 1 + 0 = 2; 0.15385
    taserDrawn: share(4, 13, 0.3077), // 2 + 1 + 1 = 4; 0.30769
    taserDischarged: share(2, 13, 0.1538), // 1 + 0 + 1 = 2
  },
  justice: {
    chargeRate: share(6, 13, 0.4615), // 5 + 1 + 0 = 6; 0.46154
    convictionRate: share(3, 4, 0.75), // (2 + 1) / (3 + 1)
    outOfCourtRate: share(2, 13, 0.1538), // A3, B2
    medianDaysToCharge: 3, // 0.25, 1.5, 2, 4 (B1), 5, 10 -> (2 + 4) / 2 = 3.0 (a median over all cases, not of medians)
    medianDaysToCourtResult: 50, // 30 (B1), 40, 60, 90 -> (40 + 60) / 2 = 50.0
  },
  care: {
    firstStepOnTime: share(6, 16, 0.375), // 4 + 2 + 0
    plansComplete: share(3, 16, 0.1875), // 2 + 1 + 0
    openOverdueSteps: 82, // 49 + 19 + 14
  },
  trim: { offered: 5, accepted: 3, completed: 2 },
  victimsCode: { updatesOnTime: share(8, 15, 0.5333) }, // (6 + 2) / (11 + 4) = 0.53333
  deterrent: deterrent({}, { community_resolution: 2 }), // A3 (decision), B2 (outcome 8)
};

t.test('force A, first half of 2026: every figure', async (t) => {
  const res = await summary(h, analyst, { forceId: FORCE_A, ...H1 });
  t.equal(res.from, H1.from);
  t.equal(res.to, H1.to);
  t.equal(res.days, 181);
  t.match(res.notice, /recorded assaults only/i, 'the notice says these are recorded assaults only');
  t.equal(res.forces.length, 1, 'one force in scope');
  t.same(res.forces[0], A_H1);
  t.same(res.total, A_H1, 'the total of one force is that force');
});

t.test('force A, the whole of 2026: every figure, with the mid-year headcount', async (t) => {
  const res = await summary(h, analyst, { forceId: FORCE_A, ...FY });
  t.equal(res.days, 365);
  t.same(res.forces, [A_FY]);
  t.same(res.total, A_FY);
});

t.test('force B and force C, the whole of 2026: every figure', async (t) => {
  const b = await summary(h, analyst, { forceId: FORCE_B, ...FY });
  t.same(b.forces, [B_FY]);
  t.same(b.total, B_FY);
  const c = await summary(h, analyst, { forceId: FORCE_C, ...FY });
  t.same(c.forces, [C_FY(FORCE_C)]);
  // The total's rates count only victims of forces that have a headcount: C has none, so its total has numerator 0 too.
  t.same(c.total, C_FY(FORCE_C), 'for one force, the total is that force');
});

t.test('headcount used: the latest on or before the last day of the period', async (t) => {
  // To 2026-06-30: 2026-01-01 applies. To 2026-07-01: the new one (recorded that day) applies to the whole period.
  const cases: [string, string, Summary['headcount']][] = [
    ['2026-01-01', '2026-06-30', { officers: 2000, constables: 1600, asOf: '2026-01-01', forces: 1 }],
    ['2026-01-01', '2026-07-01', { officers: 2100, constables: 1700, asOf: '2026-07-01', forces: 1 }],
    ['2026-06-01', '2026-07-31', { officers: 2100, constables: 1700, asOf: '2026-07-01', forces: 1 }],
    ['2025-01-01', '2025-12-31', null], // every headcount is dated after the period: none applies
  ];
  for (const [from, to, head] of cases) {
    const res = await summary(h, analyst, { forceId: FORCE_A, from, to });
    t.same(res.forces[0]!.headcount, head, `${from}..${to}`);
  }
  // 2026-01-01..2026-07-01 (182 days): A1..A6 count (A6 is 00:30 BST on 1 July), so V8 joins V1 V2 V5 V6: 5 constables,
  // over the 2026-07-01 headcount. Officers 5 / 2100 * 1000 * 365 / 182 = 4.77499 -> 4.77; constables 5 / 1700 * 1000 *
  // 365 / 182 = 5.8985 -> 5.9
  const res = await summary(h, analyst, { forceId: FORCE_A, from: '2026-01-01', to: '2026-07-01' });
  t.equal(res.days, 182);
  t.same(res.forces[0]!.rates, { perThousandOfficers: share(5, 2100, 4.77), perThousandConstables: share(5, 1700, 5.9) });
  const b = await summary(h, analyst, { forceId: FORCE_B, from: '2026-01-01', to: '2026-03-30' });
  t.same(b.forces[0]!.headcount, null, 'force B: its only headcount (2026-03-31) is after 2026-03-30');
  // B1's W1 and W2 are constables: numerator 2, no headcount -> denominator 0, value null
  t.same(b.forces[0]!.rates, { perThousandOfficers: share(2, 0, null), perThousandConstables: share(2, 0, null) });
});

t.test('national view: every force side by side, and the total', async (t) => {
  const res = await summary(h, analyst, FY);
  const forces = (await h.call(analyst, { method: 'GET', url: '/v1/forces' })).json().items as { id: string; name: string }[];
  t.equal(res.forces.length, 44, '44 forces');
  t.same(
    res.forces.map((f) => f.forceId),
    forces.map((f) => f.id),
    'every force, in the same alphabetical order as GET /v1/forces',
  );
  t.same(
    res.forces.map((f) => f.forceName),
    [...res.forces.map((f) => f.forceName)].sort(),
    'sorted by name',
  );
  for (const f of res.forces) {
    if (f.forceId === FORCE_A) t.same(f, A_FY, 'force A as in its own summary');
    else if (f.forceId === FORCE_B) t.same(f, B_FY, 'force B as in its own summary');
    else if (f.forceId === FORCE_C) t.same(f, C_FY(FORCE_C), 'force C as in its own summary');
    else t.same(f, emptySummary(f.forceId, forces.find((x) => x.id === f.forceId)!.name), `${f.forceName}: nothing recorded`);
  }
  t.same(res.total, TOTAL_FY, 'the total');

  // The total of every count is the sum over the forces.
  for (const k of Object.keys(TOTAL_FY.counts) as (keyof Summary['counts'])[]) {
    t.equal(
      res.total.counts[k],
      res.forces.reduce((a, f) => a + (f.counts[k] as number), 0),
      `total ${k} = sum of forces`,
    );
  }
  for (const k of ['offered', 'accepted', 'completed'] as const) {
    t.equal(
      res.total.trim[k],
      res.forces.reduce((a, f) => a + (f.trim[k] as number), 0),
      `total trim.${k} = sum of forces`,
    );
  }
  t.equal(
    res.total.care.openOverdueSteps,
    res.forces.reduce((a, f) => a + (f.care.openOverdueSteps as number), 0),
  );
  // Total rates: numerator = victims of the forces that have a headcount, denominator = their headcounts.
  const covered = res.forces.filter((f) => f.headcount !== null);
  t.same(
    covered.map((f) => f.forceId),
    [FORCE_A, FORCE_B],
    'forces with a headcount',
  );
  for (const r of ['perThousandOfficers', 'perThousandConstables'] as const) {
    t.equal(
      res.total.rates[r].numerator,
      covered.reduce((a, f) => a + (f.rates[r].numerator as number), 0),
      `${r} numerator covers the same forces`,
    );
    t.equal(
      res.total.rates[r].denominator,
      covered.reduce((a, f) => a + (f.rates[r].denominator as number), 0),
      `${r} denominator`,
    );
  }
});

t.test('national view, first half: total rates and headcount', async (t) => {
  const res = await summary(h, analyst, H1);
  // A 2000/1600 (2026-01-01) + B 1200/900 (2026-03-31); C has none.
  t.same(res.total.headcount, { officers: 3200, constables: 2500, asOf: '2026-03-31', forces: 2 });
  // Officers: A 4 + B 2 (W1, W2) = 6; C1's constable Y1 is left out. 6 / 3200 * 1000 * 365 / 181 = 3.78
  // Constables: A 4 + B 2 = 6; 6 / 2500 * 1000 * 365 / 181 = 4.84
  t.same(res.total.rates, { perThousandOfficers: share(6, 3200, 3.78), perThousandConstables: share(6, 2500, 4.84) });
  t.same(res.forces[0], A_H1, 'force A as in its own first-half summary');
  t.equal(res.total.counts.incidents, 8, 'A 5 + B 2 (B1, B2) + C 1 (C1)');
});

t.test('a period with nothing in it', async (t) => {
  const res = await summary(h, analyst, { forceId: FORCE_A, from: '2025-06-01', to: '2025-06-30' });
  t.equal(res.days, 30);
  t.same(res.forces, [emptySummary(FORCE_A, 'Avon and Somerset Constabulary')]);
});

t.test('UK days: the period runs from 00:00 UK time on from to 24:00 UK time on to', async (t) => {
  // A5 is 2026-06-30 23:30 BST (22:30Z); A6 is 2026-07-01 00:30 BST (23:30Z on 30 June).
  const june30 = await summary(h, analyst, { forceId: FORCE_A, from: '2026-06-30', to: '2026-06-30' });
  t.equal(june30.forces[0]!.counts.incidents, 1, '30 June UK: A5 only');
  t.same(june30.forces[0]!.breakdowns.hourOfDay, list(['23', 1]));
  const july1 = await summary(h, analyst, { forceId: FORCE_A, from: '2026-07-01', to: '2026-07-01' });
  t.equal(july1.forces[0]!.counts.incidents, 1, '1 July UK: A6 only');
  t.same(july1.forces[0]!.breakdowns.dayOfWeek, list(['3', 1]), 'Wednesday');
  // A4: 2026-06-05T23:30Z is Saturday 6 June 00:30 BST.
  const june6 = await summary(h, analyst, { forceId: FORCE_A, from: '2026-06-06', to: '2026-06-06' });
  t.equal(june6.forces[0]!.counts.incidents, 1);
  t.same(june6.forces[0]!.breakdowns.hourOfDay, list(['00', 1]));
  t.same(june6.forces[0]!.breakdowns.dayOfWeek, list(['6', 1]));
  const june5 = await summary(h, analyst, { forceId: FORCE_A, from: '2026-06-05', to: '2026-06-05' });
  t.equal(june5.forces[0]!.counts.incidents, 0, 'nothing on 5 June UK');
});

t.test('the withdrawn incident and the withdrawn victim never count', async (t) => {
  // A7 alone: 10 March 2026.
  const march10 = await summary(h, analyst, { forceId: FORCE_A, from: '2026-03-10', to: '2026-03-10' });
  t.same(march10.forces[0], emptySummary(FORCE_A, 'Avon and Somerset Constabulary', { officers: 2000, constables: 1600, asOf: '2026-01-01', forces: 1 }));
  // A8 alone: V9 counts, V10 (withdrawn) does not.
  const sep15 = await summary(h, analyst, { forceId: FORCE_A, from: '2026-09-15', to: '2026-09-15' });
  const s = sep15.forces[0]!;
  t.equal(s.counts.assaultedPeople, 1);
  t.equal(s.counts.hospitalised, 0);
  t.equal(s.counts.daysLost, 1);
  t.same(s.trim, { offered: 1, accepted: 1, completed: 0 }, "V9's referral only");
  t.same(s.care.firstStepOnTime, share(1, 1, 1), "V9's plan only");
  t.same(s.victimsCode.updatesOnTime, share(0, 1, 0), "V9's late update only (V10's notification is left out)");
});

t.test('who may ask', async (t) => {
  const url = summaryUrl({ forceId: FORCE_A, ...FY });
  const seriesUrl = `/v1/stats/series?forceId=${FORCE_A}&metric=incidents&interval=month&from=2026-01-01&to=2026-12-31`;
  for (const [roles, force] of [
    [['force_system'], FORCE_A],
    [['welfare_officer'], FORCE_A],
    [['force_system'], null],
    [['welfare_officer'], null],
  ] as const) {
    const key = await h.key([...roles], force);
    for (const u of [url, seriesUrl]) {
      const res = await h.call(key, { method: 'GET', url: u });
      t.equal(res.statusCode, 403, `${roles[0]} (${force ? 'force' : 'national'}): 403 on ${u.split('?')[0]}`);
      t.match(String(res.headers['content-type']), /^application\/problem\+json/);
    }
  }
  t.equal((await h.call(null, { method: 'GET', url })).statusCode, 401, 'no key: 401');
  t.equal((await h.call(h.adminKey, { method: 'GET', url })).statusCode, 200, 'admin: 200');
  t.same((await summary(h, h.adminKey, { forceId: FORCE_A, ...FY })).forces, [A_FY], 'admin sees exact figures');
  // A force-scoped analyst: own force by default, another force is 404 (existence does not leak).
  const analystA = await h.key(['analyst'], FORCE_A);
  const own = await summary(h, analystA, FY);
  t.same(own.forces, [A_FY], 'own force without forceId');
  t.same(own.total, A_FY);
  t.equal((await h.call(analystA, { method: 'GET', url: summaryUrl({ forceId: FORCE_B, ...FY }) })).statusCode, 404, 'other force: 404');
  const unknown = '019b76da-afff-7fff-bfff-ffffffffffff';
  t.equal((await h.call(analyst, { method: 'GET', url: summaryUrl({ forceId: unknown, ...FY }) })).statusCode, 404, 'unknown force: 404');
});

t.test('bad periods', async (t) => {
  const bad = [
    'from=2026-13-01&to=2026-12-31',
    'from=2026-02-29&to=2026-12-31', // 2026 is not a leap year
    'from=2026-01-01&to=2026-04-31',
    'from=2026-01-01&to=31/12/2026',
    'from=yesterday&to=2026-12-31',
    'from=2026-01-01',
    'to=2026-12-31',
    `forceId=not-a-uuid&from=2026-01-01&to=2026-12-31`,
  ];
  for (const q of bad) {
    const res = await h.call(analyst, { method: 'GET', url: `/v1/stats/summary?${q}` });
    t.equal(res.statusCode, 400, `${q}: 400`);
    t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  }
  for (const path of ['/v1/stats/summary?', '/v1/stats/series?metric=incidents&interval=month&']) {
    const res = await h.call(analyst, { method: 'GET', url: `${path}from=2026-07-01&to=2026-06-30` });
    t.equal(res.statusCode, 422, `${path.split('?')[0]}: to before from is 422`);
    t.equal(res.json().status, 422);
  }
  const one = await summary(h, analyst, { forceId: FORCE_A, from: '2026-06-30', to: '2026-06-30' });
  t.equal(one.days, 1, 'from = to is one day');
});
