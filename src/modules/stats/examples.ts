// Examples of the statistics contract: one force's figures for a quarter, and a series by month, as an analyst sees them
// (the protected view of federation reps rounds and withholds). Figures are made up.
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';

const NOTICE = 'Recorded assaults only: assaults that are not reported are not counted. Definitions: docs/statistics.md.';

/** A breakdown's buckets: key and count. */
const breakdown = (...buckets: [string, number][]) => buckets.map(([key, count]) => ({ key, count }));

const share = (numerator: number, denominator: number) => ({ numerator, denominator, value: Math.round((numerator / denominator) * 1000) / 1000 });

const SUMMARY = {
  forceId: EXAMPLE_FORCE_ID,
  forceName: 'Avon and Somerset Constabulary',
  headcount: { officers: 3000, constables: 2300, asOf: '2025-09-30', forces: 1 },
  counts: {
    incidents: 212,
    assaultedPeople: 231,
    withInjury: 88,
    withoutInjury: 143,
    attendedHospital: 19,
    hospitalised: 3,
    daysLost: 164,
    repeatVictims: 12,
  },
  rates: {
    perThousandOfficers: { numerator: 201, denominator: 3000, value: 271.79 },
    perThousandConstables: { numerator: 176, denominator: 2300, value: 310.41 },
  },
  breakdowns: {
    circumstances: breakdown(['arrest', 97], ['custody', 41], ['other', 74]),
    offence: breakdown(['emergency_worker_common_assault', 176], ['abh_s47', 36]),
    crewing: breakdown(['single', 118], ['double', 94]),
    hourOfDay: breakdown(['23', 31], ['00', 27]),
    dayOfWeek: breakdown(['6', 52], ['7', 44]),
    victimRole: breakdown(['constable', 176], ['police_staff', 25], ['special_constable', 3]),
    serviceBand: breakdown(['2_to_5_years', 83], ['under_1_year', 51]),
    safetyTrainingInDate: breakdown(['true', 201], ['false', 30]),
  },
  equipment: {
    bodyWornVideoWorn: share(198, 212),
    bodyWornVideoActivated: share(171, 212),
    spitAndBiteGuardUsed: share(23, 212),
    taserDrawn: share(17, 212),
    taserDischarged: share(1, 212),
  },
  justice: {
    chargeRate: share(121, 212),
    convictionRate: share(68, 81),
    outOfCourtRate: share(14, 212),
    medianDaysToCharge: 2.5,
    medianDaysToCourtResult: 61,
  },
  care: { firstStepOnTime: share(209, 231), plansComplete: share(163, 231), openOverdueSteps: 9 },
  trim: { offered: 74, accepted: 51, completed: 38 },
  victimsCode: { updatesOnTime: share(97, 110) },
  deterrent: {
    custodyRate: share(17, 52),
    medianCustodyMonths: 8,
    aggravationStated: share(21, 30),
    outOfCourtDisposals: breakdown(
      ['caution', 5],
      ['community_resolution', 7],
      ['penalty_notice_for_disorder', 0],
      ['cannabis_khat_warning', 0],
      ['diversionary', 2],
    ),
  },
};

export const SUMMARY_RESPONSE_EXAMPLE = {
  from: '2026-01-01',
  to: '2026-03-31',
  days: 90,
  pendingSince: null,
  notice: NOTICE,
  forces: [SUMMARY],
  total: SUMMARY,
};

export const SERIES_RESPONSE_EXAMPLE = {
  metric: 'incidents',
  interval: 'month',
  pendingSince: null,
  notice: NOTICE,
  forces: [
    {
      forceId: EXAMPLE_FORCE_ID,
      forceName: 'Avon and Somerset Constabulary',
      points: [
        { period: '2026-01', from: '2026-01-01', to: '2026-01-31', value: 74 },
        { period: '2026-02', from: '2026-02-01', to: '2026-02-28', value: 69 },
      ],
    },
  ],
  total: [
    { period: '2026-01', from: '2026-01-01', to: '2026-01-31', value: 74 },
    { period: '2026-02', from: '2026-02-01', to: '2026-02-28', value: 69 },
  ],
};
