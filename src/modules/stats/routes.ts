// Routes of /v1/stats: the summary and time series, as JSON or CSV. Analysts, admins, and federation
// reps (own force, protected figures: disclosure.ts; who gets which view: STATS_VIEWS in src/policy.ts).
import { operation, scopedRoutes } from '../../http/route.ts';
import { sendCsv, toCsv, wantsCsv } from '../../shared/csv.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';
import { jsonOrCsv, problems } from '../../shared/http.ts';
import { SeriesQuerySchema, SeriesResponseSchema, StatsQuerySchema, SummaryResponseSchema, type Summary } from './schemas.ts';
import type { z } from 'zod';
import { statsSeries, statsSummary } from './summary.ts';

const tags = ['stats'];

/** One CSV row per summary: every leaf as a column (breakdowns as breakdowns.<dimension>.<key>). */
function flatten(value: unknown, prefix: string, out: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(value)) {
    for (const b of value as { key: string; count: unknown }[]) out[`${prefix}.${b.key}`] = b.count;
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

function summaryCsv(rows: Summary[]): string {
  const flat = rows.map((r) => flatten(r, '', {}));
  const headers = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  return toCsv(
    flat,
    headers.map((h) => ({ header: h, value: (r: Record<string, unknown>) => r[h] })),
  );
}

/** The summary as CSV: one row per force, then the total. */
const summaryResponseCsv = (result: z.output<typeof SummaryResponseSchema>) =>
  summaryCsv([...result.forces, { ...result.total, forceName: `${result.total.forceName} (total)` }]);

/** The series as CSV: one row per force and period, then the total's; the metric names the value column. */
function seriesCsv(result: z.output<typeof SeriesResponseSchema>): string {
  const rows = [
    ...result.forces.flatMap((f) => f.points.map((p) => ({ forceId: f.forceId, forceName: f.forceName, ...p }))),
    ...result.total.map((p) => ({ forceId: '', forceName: 'total', ...p })),
  ];
  const columns = ['period', 'from', 'to', 'forceId', 'forceName', 'value'] as const;
  return toCsv(
    rows,
    columns.map((c) => ({ header: c === 'value' ? result.metric : c, value: (r: (typeof rows)[number]) => r[c] })),
  );
}

const noSuchForce = Errors.notFound('force', EXAMPLE_FORCE_ID);

export const statsRoutes = scopedRoutes(async (app, r) => {
  app.get('/summary', {
    schema: {
      ...operation(
        'getStatsSummary',
        tags,
        'Summary statistics for a period',
        "Counts, rates per 1,000 officers and constables (annualised), breakdowns, equipment, justice, care, TRiM and Victims' Code figures. " +
          'A national key without forceId gets every force side by side and the total. Definitions: docs/statistics.md. Accept: text/csv for CSV (one row per force, then the total). ' +
          'Federation reps get the protected view (docs/statistics.md, Disclosure control): counts rounded to base 5, derived figures "[c]" on a small base, every breakdown key, ' +
          'and only a calendar month, quarter, financial year (April-March) or calendar year as the period (any other is a 400 naming the grid).',
      ),
      querystring: StatsQuerySchema,
      response: {
        200: jsonOrCsv(SummaryResponseSchema, 'The figures of each force in scope, and their total.', summaryResponseCsv),
        ...problems(noSuchForce, 422),
      },
    },
    handler: async (request, reply) => {
      const result = await r.replica(request, (s) => statsSummary(s, request.query));
      if (wantsCsv(request)) return sendCsv(reply, summaryResponseCsv(result), null);
      return result;
    },
  });

  app.get('/series', {
    schema: {
      ...operation(
        'getStatsSeries',
        tags,
        'One metric as a time series',
        'Any summary count or rate by month, quarter or year, with the same definitions as the summary. Accept: text/csv for CSV. ' +
          "Federation reps (protected view): from and to on the interval's boundaries (otherwise a 400 naming the grid), a quarter or year the sum of its months.",
      ),
      querystring: SeriesQuerySchema,
      response: { 200: jsonOrCsv(SeriesResponseSchema, 'The series of each force in scope, and of their total.', seriesCsv), ...problems(noSuchForce, 422) },
    },
    handler: async (request, reply) => {
      const result = await r.replica(request, (s) => statsSeries(s, request.query));
      if (wantsCsv(request)) return sendCsv(reply, seriesCsv(result), null);
      return result;
    },
  });
});
