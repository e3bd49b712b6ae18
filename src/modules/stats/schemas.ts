// The API contract of statistics: one Summary shape for a force or the total, and time series.
import { z } from 'zod';
import { DateInput, IdSchema, Timestamp } from '../../shared/http.ts';
import { SERIES_RESPONSE_EXAMPLE, SUMMARY_RESPONSE_EXAMPLE } from './examples.ts';

/** A figure withheld by disclosure control (GSS symbol for confidential): docs/statistics.md, Disclosure control. */
export const SUPPRESSED = '[c]' as const;
const Count = z
  .union([z.number().int(), z.literal(SUPPRESSED)])
  .describe('A count. In the protected view (federation reps): a multiple of 5 (controlled rounding), or "[c]" where withheld on a small base.');
const Value = z.union([z.number(), z.literal(SUPPRESSED)]).nullable();

export const ShareSchema = z
  .object({ numerator: Count, denominator: Count, value: Value.describe('numerator / denominator (or the rate); null when the denominator is 0.') })
  .meta({ id: 'StatShare' });

const Breakdown = z.array(z.object({ key: z.string(), count: Count }));

/** Out-of-court disposals by type (docs/statistics.md, The deterrent), in the order published. */
export const OUT_OF_COURT_DISPOSALS = ['caution', 'community_resolution', 'penalty_notice_for_disorder', 'cannabis_khat_warning', 'diversionary'] as const;

const DeterrentSchema = z
  .object({
    custodyRate: ShareSchema.describe('Sentenced defendants given immediate custody / sentenced defendants (incidents of the period).'),
    medianCustodyMonths: Value.describe('Median of the longest immediate custody term of each defendant in immediate custody, in months.'),
    aggravationStated: ShareSchema.describe(
      'Sentenced defendants whose court stated the emergency-worker aggravation in open court (Sentencing Act 2020, s.67) / sentenced defendants for whom it was recorded (yes or no).',
    ),
    outOfCourtDisposals: z
      .array(z.object({ key: z.enum(OUT_OF_COURT_DISPOSALS), count: Count }))
      .describe('Out-of-court incidents (justice.outOfCourtRate.numerator) by disposal; every type listed, in a fixed order.'),
  })
  .describe('Whether the criminal justice response deters: definitions in docs/statistics.md, The deterrent.');

export const SummarySchema = z
  .object({
    forceId: IdSchema.nullable().describe('null for the total of every force in scope.'),
    forceName: z.string(),
    headcount: z
      .object({
        officers: z.number().int(),
        constables: z.number().int(),
        asOf: z.string(),
        forces: z.number().int().describe('How many forces the headcount covers.'),
      })
      .nullable()
      .describe('The headcount used for rates: the latest with asOf on or before the period end.'),
    counts: z.object({
      incidents: Count,
      assaultedPeople: Count,
      withInjury: Count,
      withoutInjury: Count,
      attendedHospital: Count,
      hospitalised: Count,
      daysLost: Count,
      repeatVictims: Count,
    }),
    rates: z.object({ perThousandOfficers: ShareSchema, perThousandConstables: ShareSchema }),
    breakdowns: z.object({
      circumstances: Breakdown,
      offence: Breakdown,
      crewing: Breakdown,
      hourOfDay: Breakdown,
      dayOfWeek: Breakdown,
      victimRole: Breakdown,
      serviceBand: Breakdown,
      safetyTrainingInDate: Breakdown,
    }),
    equipment: z.object({
      bodyWornVideoWorn: ShareSchema,
      bodyWornVideoActivated: ShareSchema,
      spitAndBiteGuardUsed: ShareSchema,
      taserDrawn: ShareSchema,
      taserDischarged: ShareSchema,
    }),
    justice: z.object({
      chargeRate: ShareSchema,
      convictionRate: ShareSchema,
      outOfCourtRate: ShareSchema,
      medianDaysToCharge: Value,
      medianDaysToCourtResult: Value,
    }),
    care: z.object({ firstStepOnTime: ShareSchema, plansComplete: ShareSchema, openOverdueSteps: Count }),
    trim: z.object({ offered: Count, accepted: Count, completed: Count }),
    victimsCode: z.object({ updatesOnTime: ShareSchema }),
    deterrent: DeterrentSchema,
  })
  .meta({ id: 'StatsSummary' });

export const StatsQuerySchema = z.object({
  forceId: IdSchema.optional().describe("A force; omitted: the caller's force, or every force side by side for a national key."),
  from: DateInput.describe('First UK date of the period (inclusive).'),
  to: DateInput.describe('Last UK date of the period (inclusive).'),
});

/** The figures' lag: the rollup applies changes moments after they are committed (docs/statistics.md). */
export const PendingSinceSchema = Timestamp.nullable().describe(
  'null: every committed change is counted. Otherwise the moment the oldest change not yet counted was made: changes from then on may be missing, and are applied within seconds (docs/statistics.md, How the figures are kept).',
);

export const SummaryResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.number().int(),
    pendingSince: PendingSinceSchema,
    notice: z.string(),
    forces: z.array(SummarySchema),
    total: SummarySchema,
  })
  .meta({ id: 'StatsSummaryResponse', examples: [SUMMARY_RESPONSE_EXAMPLE] });

export const METRICS = [
  'incidents',
  'assaultedPeople',
  'withInjury',
  'withoutInjury',
  'attendedHospital',
  'hospitalised',
  'daysLost',
  'repeatVictims',
  'perThousandOfficers',
  'perThousandConstables',
  'bodyWornVideoWorn',
  'bodyWornVideoActivated',
  'spitAndBiteGuardUsed',
  'taserDrawn',
  'taserDischarged',
  'chargeRate',
  'convictionRate',
  'outOfCourtRate',
  'medianDaysToCharge',
  'medianDaysToCourtResult',
  'firstStepOnTime',
  'plansComplete',
  'openOverdueSteps',
  'trimOffered',
  'trimAccepted',
  'trimCompleted',
  'victimsCodeOnTime',
  'custodyRate',
  'medianCustodyMonths',
  'aggravationStated',
] as const;

export const SeriesQuerySchema = StatsQuerySchema.extend({
  metric: z.enum(METRICS),
  interval: z.enum(['month', 'quarter', 'year']).default('month'),
  forces: z
    .enum(['each', 'none'])
    .default('each')
    .describe("each: every force's series in `forces`, and their total; none: the total only (`forces` empty), for a national chart."),
});

const Point = z.object({ period: z.string().describe('2026-01, 2026-Q1 or 2026.'), from: z.string(), to: z.string(), value: Value });

export const SeriesResponseSchema = z
  .object({
    metric: z.enum(METRICS),
    interval: z.enum(['month', 'quarter', 'year']),
    pendingSince: PendingSinceSchema,
    notice: z.string(),
    forces: z.array(z.object({ forceId: IdSchema, forceName: z.string(), points: z.array(Point) })),
    total: z.array(Point),
  })
  .meta({ id: 'StatsSeries', examples: [SERIES_RESPONSE_EXAMPLE] });

export type Summary = z.infer<typeof SummarySchema>;
export type Share = z.infer<typeof ShareSchema>;
export type Metric = (typeof METRICS)[number];
export type StatsQuery = z.infer<typeof StatsQuerySchema>;
