// Routes of /v1/stats: the summary and time series, as JSON or CSV. Analysts, admins, and federation
// reps (own force, protected figures: disclosure.ts; who gets which view: STATS_VIEWS in src/policy.ts).
import type { FastifyRequest } from 'fastify';
import type { Prelude } from '../../db/begin.ts';
import { operation, scopedRoutes } from '../../http/route.ts';
import { sendCsv, toCsv, wantsCsv } from '../../shared/csv.ts';
import { Errors } from '../../errors.ts';
import { concurrencyLimit } from '../../shared/limit.ts';
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';
import { jsonOrCsv, preferredType, problems, SVG } from '../../shared/http.ts';
import { seriesChart } from './chart.ts';
import { READ_DRAIN } from './rollup.ts';
import { QuarterlyQuerySchema, quarterlyCsv, QuarterlyTableSchema, statsQuarterly } from './release.ts';
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

/**
 * Statistics answers computed at once per instance by default (STATS_CONCURRENCY). One national answer keeps a CPU
 * busy for tens of milliseconds and holds megabytes while it is built (each force's ten-year series: about 18 MB), and
 * a connection of the pool: unbounded, ten analysts' answers took every connection from the people working cases and
 * the heap with them. Measured at 1,000,000 incidents, 10 connections (docs/performance.md): all forces' summary
 * 48-49 requests/s unbounded, 52-58 at 4, 38-44 at 2; each force's series peaked at 339-356 MB RSS unbounded, 331 at
 * 4, 289 at 2. The others wait before their transaction begins (and before the statistics queue is drained, which goes with it).
 */
export const STATS_CONCURRENCY = 4;

export const statsRoutes = scopedRoutes<{ concurrency?: number | undefined }>(async (app, r, opts) => {
  const limit = concurrencyLimit(opts.concurrency ?? STATS_CONCURRENCY);
  // The queued changes applied before a read, in a transaction of their own on the primary (on PostgreSQL in the same
  // round trip as the read's BEGIN: src/db/begin.ts), so the figures reach the request unless another drain holds some
  // at that moment or more than READ_DRAIN are queued (a bulk import: the service's queue worker applies the rest
  // within moments); pendingSince in the answer says when. A failure here only leaves the answer a moment behind.
  const drainFirst = (request: FastifyRequest): Prelude => ({
    sql: `select stats_drain(${READ_DRAIN})`,
    failed: (err) => request.log.warn({ err }, 'statistics queue not drained before a read'),
  });

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
      const result = await limit(() => r.replica(request, (s) => statsSummary(s, request.query), { prelude: drainFirst(request) }));
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
        'Any summary count or rate by month, quarter or year, with the same definitions as the summary. Accept: text/csv for CSV; ' +
          'Accept: image/svg+xml for an accessible SVG line chart (withheld points marked "[c]"; with more than four forces, only their total is drawn). ' +
          "Federation reps (protected view): from and to on the interval's boundaries (otherwise a 400 naming the grid), a quarter or year the sum of its months.",
      ),
      querystring: SeriesQuerySchema,
      response: {
        200: jsonOrCsv(SeriesResponseSchema, 'The series of each force in scope, and of their total.', seriesCsv, { svg: seriesChart }),
        ...problems(noSuchForce, 422),
      },
    },
    handler: async (request, reply) => {
      const result = await limit(() => r.replica(request, (s) => statsSeries(s, request.query), { prelude: drainFirst(request) }));
      const type = preferredType(request, ['application/json', 'text/csv', SVG]);
      if (type === 'text/csv') return sendCsv(reply, seriesCsv(result), null);
      if (type === SVG) return reply.type(`${SVG}; charset=utf-8`).send(seriesChart(result));
      return result;
    },
  });

  app.get('/quarterly', {
    schema: {
      ...operation(
        'getStatsQuarterlyTable',
        tags,
        'The quarterly table of every force',
        'One calendar quarter (quarter=2026-Q2), every force in scope side by side and their total (England and Wales for a national key): incidents, ' +
          "assaulted people, rates per 1,000 officers and constables, charge, conviction and out-of-court rates, care, Victims' Code and TRiM figures, and the deterrent, " +
          'each share with its numerator and denominator. The same figures and audience rules as the summary (federation reps: own force, protected view). ' +
          'Accept: text/csv for a tidy CSV ready for a statistical release (one header row; quarter, dates, definitions version and view as columns; the notice in X-Statistics-Notice).',
      ),
      querystring: QuarterlyQuerySchema,
      response: {
        200: jsonOrCsv(QuarterlyTableSchema, 'The figures of each force in scope for the quarter, and their total.', quarterlyCsv, {
          headers: ['StatsNotice'],
        }),
        ...problems(noSuchForce),
      },
    },
    handler: async (request, reply) => {
      const result = await limit(() => r.replica(request, (s) => statsQuarterly(s, request.query), { prelude: drainFirst(request) }));
      reply.header('x-statistics-notice', result.notice);
      if (wantsCsv(request)) return sendCsv(reply, quarterlyCsv(result), null);
      return result;
    },
  });
});
