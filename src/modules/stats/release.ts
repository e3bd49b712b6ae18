// The quarterly national table (GET /v1/stats/quarterly): every force side by side and their total for one calendar
// quarter, built from summarise() (the same figures and audience rules as the summary), as JSON and as a tidy CSV
// ready for a statistical release. Where its period, definitions version and notice go: docs/statistics.md,
// "Quarterly table".
import { z } from 'zod';
import type { Scope } from '../../db/scope.ts';
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';
import { IdSchema } from '../../shared/http.ts';
import { toCsv } from '../../shared/csv.ts';
import { checkGridPeriod } from './disclosure.ts';
import { PendingSinceSchema, OUT_OF_COURT_DISPOSALS, ShareSchema, SUPPRESSED, type Share, type Summary } from './schemas.ts';
import { audienceOf, NOTICE, PROTECTED_NOTICE, summarise } from './summary.ts';

/** The version of docs/statistics.md's definitions the figures follow (stated at the top of that page). */
export const STATS_DEFINITIONS_VERSION = '2026.12';

const Count = z.union([z.number().int(), z.literal(SUPPRESSED)]);

export const QuarterlyQuerySchema = z.object({
  quarter: z
    .string()
    .regex(/^(19|20|21)\d{2}-Q[1-4]$/, 'must be a calendar quarter such as 2026-Q2 (years 1900-2199)')
    .describe('A calendar quarter, YYYY-Qn: Q1 January-March, Q2 April-June, Q3 July-September, Q4 October-December (UK dates).'),
  forceId: IdSchema.optional().describe("A force; omitted: the caller's force, or every force side by side for a national key."),
});

const RowSchema = z.object({
  forceId: IdSchema.nullable().describe('null on the total row.'),
  forceName: z.string(),
  headcountAsOf: z.string().nullable().describe('The date of the headcount the rates use (the latest on or before the quarter end).'),
  incidents: Count,
  assaultedPeople: Count,
  perThousandOfficers: ShareSchema.describe('Assaulted police officers / officers headcount, per 1,000 a year.'),
  perThousandConstables: ShareSchema.describe('Assaulted constables / constables headcount, per 1,000 a year.'),
  chargeRate: ShareSchema,
  convictionRate: ShareSchema,
  outOfCourtRate: ShareSchema,
  firstStepOnTime: ShareSchema.describe('Care plans whose first step was done on time / care plans.'),
  plansComplete: ShareSchema,
  victimsCodeOnTime: ShareSchema.describe("Victims' Code updates on time / updates due."),
  trimOffered: Count,
  custodyRate: ShareSchema,
  medianCustodyMonths: z.union([z.number(), z.literal(SUPPRESSED)]).nullable(),
  aggravationStated: ShareSchema,
  outOfCourtDisposals: z.array(z.object({ key: z.enum(OUT_OF_COURT_DISPOSALS), count: Count })),
});

const EXAMPLE_ROW = {
  forceId: EXAMPLE_FORCE_ID,
  forceName: 'Avon and Somerset Constabulary',
  headcountAsOf: '2026-03-31',
  incidents: 212,
  assaultedPeople: 231,
  perThousandOfficers: { numerator: 201, denominator: 3000, value: 268.77 },
  perThousandConstables: { numerator: 176, denominator: 2300, value: 306.97 },
  chargeRate: { numerator: 121, denominator: 212, value: 0.5708 },
  convictionRate: { numerator: 68, denominator: 81, value: 0.8395 },
  outOfCourtRate: { numerator: 14, denominator: 212, value: 0.066 },
  firstStepOnTime: { numerator: 209, denominator: 231, value: 0.9048 },
  plansComplete: { numerator: 163, denominator: 231, value: 0.7056 },
  victimsCodeOnTime: { numerator: 97, denominator: 110, value: 0.8818 },
  trimOffered: 74,
  custodyRate: { numerator: 17, denominator: 52, value: 0.3269 },
  medianCustodyMonths: 8,
  aggravationStated: { numerator: 21, denominator: 30, value: 0.7 },
  outOfCourtDisposals: [
    { key: 'caution' as const, count: 5 },
    { key: 'community_resolution' as const, count: 7 },
    { key: 'penalty_notice_for_disorder' as const, count: 0 },
    { key: 'cannabis_khat_warning' as const, count: 0 },
    { key: 'diversionary' as const, count: 2 },
  ],
};

export const QuarterlyTableSchema = z
  .object({
    quarter: z.string(),
    from: z.string(),
    to: z.string(),
    definitionsVersion: z.string().describe('The version of the definitions (docs/statistics.md) the figures follow.'),
    figures: z.enum(['exact', 'protected']).describe('protected: disclosure control applied (docs/statistics.md, Disclosure control).'),
    pendingSince: PendingSinceSchema,
    notice: z.string(),
    forces: z.array(RowSchema),
    total: RowSchema,
  })
  .meta({
    id: 'StatsQuarterlyTable',
    examples: [
      {
        quarter: '2026-Q1',
        from: '2026-01-01',
        to: '2026-03-31',
        definitionsVersion: STATS_DEFINITIONS_VERSION,
        figures: 'exact' as const,
        pendingSince: null,
        notice: NOTICE,
        forces: [EXAMPLE_ROW],
        total: { ...EXAMPLE_ROW, forceId: null, forceName: 'Avon and Somerset Constabulary' },
      },
    ],
  });

export type QuarterlyTable = z.output<typeof QuarterlyTableSchema>;
type Row = QuarterlyTable['total'];

/** The first and last UK date of a quarter YYYY-Qn. */
export function quarterDates(quarter: string): { from: string; to: string } {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const last = new Date(Date.UTC(year, q * 3, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(q * 3 - 2)}-01`, to: `${year}-${pad(q * 3)}-${pad(last)}` };
}

/** One row of the table: the summary's figures, picked. */
function rowOf(s: Summary, name: string): Row {
  return {
    forceId: s.forceId,
    forceName: name,
    headcountAsOf: s.headcount?.asOf ?? null,
    incidents: s.counts.incidents,
    assaultedPeople: s.counts.assaultedPeople,
    perThousandOfficers: s.rates.perThousandOfficers,
    perThousandConstables: s.rates.perThousandConstables,
    chargeRate: s.justice.chargeRate,
    convictionRate: s.justice.convictionRate,
    outOfCourtRate: s.justice.outOfCourtRate,
    firstStepOnTime: s.care.firstStepOnTime,
    plansComplete: s.care.plansComplete,
    victimsCodeOnTime: s.victimsCode.updatesOnTime,
    trimOffered: s.trim.offered,
    custodyRate: s.deterrent.custodyRate,
    medianCustodyMonths: s.deterrent.medianCustodyMonths,
    aggravationStated: s.deterrent.aggravationStated,
    outOfCourtDisposals: s.deterrent.outOfCourtDisposals,
  };
}

/** The table of one quarter for the caller: the summary's audience rules (federation reps: own force, protected). */
export async function statsQuarterly(scope: Scope, query: z.infer<typeof QuarterlyQuerySchema>): Promise<QuarterlyTable> {
  const { from, to } = quarterDates(query.quarter);
  const audience = audienceOf(scope.actor, query.forceId);
  if (audience.suppressed) checkGridPeriod(from, to);
  const result = await summarise(scope.tx, audience, from, to, scope.now);
  scope.audit({ action: 'read', resourceType: 'statistics', forceId: audience.forceId });
  const totalName = audience.forceId === null ? 'England and Wales' : result.total.forceName;
  return {
    quarter: query.quarter,
    from,
    to,
    definitionsVersion: STATS_DEFINITIONS_VERSION,
    figures: audience.suppressed ? 'protected' : 'exact',
    pendingSince: result.pending,
    notice: audience.suppressed ? PROTECTED_NOTICE : NOTICE,
    forces: result.forces.map((f) => rowOf(f, f.forceName)),
    total: rowOf(result.total, totalName),
  };
}

const SHARES = [
  'perThousandOfficers',
  'perThousandConstables',
  'chargeRate',
  'convictionRate',
  'outOfCourtRate',
  'firstStepOnTime',
  'plansComplete',
  'victimsCodeOnTime',
  'custodyRate',
  'aggravationStated',
] as const;

/** A figure as a release cell: "[c]" withheld, "[z]" not applicable (no denominator, no cases), as GSS symbols. */
const cellOf = (v: number | typeof SUPPRESSED | null) => (v === null ? '[z]' : v);

type Line = Row & { table: QuarterlyTable; level: 'force' | 'total' };
type Column = { header: string; value: (r: Line) => unknown };

/** The columns of the release CSV, in order: period and version, the row's force, then the figures. */
function columns(): Column[] {
  const share = (k: (typeof SHARES)[number]): Column[] => [
    { header: `${k}.numerator`, value: (r) => cellOf((r[k] as Share).numerator) },
    { header: `${k}.denominator`, value: (r) => cellOf((r[k] as Share).denominator) },
    { header: `${k}.value`, value: (r) => cellOf((r[k] as Share).value) },
  ];
  return [
    { header: 'quarter', value: (r) => r.table.quarter },
    { header: 'from', value: (r) => r.table.from },
    { header: 'to', value: (r) => r.table.to },
    { header: 'definitionsVersion', value: (r) => r.table.definitionsVersion },
    { header: 'figures', value: (r) => r.table.figures },
    { header: 'level', value: (r) => r.level },
    { header: 'forceId', value: (r) => r.forceId },
    { header: 'forceName', value: (r) => r.forceName },
    { header: 'headcountAsOf', value: (r) => r.headcountAsOf },
    { header: 'incidents', value: (r) => r.incidents },
    { header: 'assaultedPeople', value: (r) => r.assaultedPeople },
    ...SHARES.slice(0, 8).flatMap(share),
    { header: 'trimOffered', value: (r) => r.trimOffered },
    ...share('custodyRate'),
    { header: 'medianCustodyMonths', value: (r) => cellOf(r.medianCustodyMonths) },
    ...share('aggravationStated'),
    ...OUT_OF_COURT_DISPOSALS.map((key, i) => ({ header: `outOfCourtDisposals.${key}`, value: (r: Line) => r.outOfCourtDisposals[i]?.count })),
  ];
}

/** The table as one tidy CSV: one header row, one row per force, then the total; no notes or titles in the file. */
export function quarterlyCsv(table: QuarterlyTable): string {
  const lines: Line[] = [...table.forces.map((f) => ({ ...f, table, level: 'force' as const })), { ...table.total, table, level: 'total' as const }];
  return toCsv(lines, columns());
}
