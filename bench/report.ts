// The benchmark's results: one JSON document and a markdown table, written to bench/results/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedReport } from './seed.ts';

export interface Row {
  scenario: string;
  /** two instances: the service twice on one database, the load split between them. rollup on/off: the POST with the
   * statistics rollup kept (its triggers on, the worker draining the queue) and without it, back to back. */
  target: 'service' | 'two instances' | 'pgbench' | 'framework' | 'rollup on' | 'rollup off';
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  errors: number;
  /** Largest RSS of the server process under this load (service or framework server), MB. */
  rssMaxMb: number | null;
  /** Answers by HTTP status (service and framework runs). */
  statusCodes?: Record<string, number>;
  /**
   * Reads only: the scenario's first answer alone, before its unrecorded warm-up, in ms (what the first reader after
   * a change pays: a statistics period's medians and sums computed and kept, the first named statement planned).
   */
  firstAnswerMs?: number;
  note?: string;
}

export interface Results {
  date: string;
  incidents: number;
  /** The stem of the run's files in bench/results (resultStem). */
  stem: string;
  quick: boolean;
  machine: { cpus: number; node: string; postgres: string };
  config: {
    poolSize: number;
    logLevel: string;
    durationSeconds: number;
    connections: number[];
    rateLimit: 'off';
    webhookWorker: boolean;
    idempotencyKey: boolean;
  };
  seed: SeedReport;
  timings: { migrateSeconds: number; statsRebuildSeconds?: number; buildSeconds: number; totalSeconds: number };
  startup: {
    postgresFirstMs: number;
    postgresMs: number;
    pgliteNewDataDirMs: number | null;
    pgliteExistingDataDirMs: number | null;
    /** RSS of the PGlite service 2 s after its start on a new data folder, MB (absent in results from before 2026-12-05). */
    pgliteIdleRssMb?: number | null;
  };
  rows: Row[];
  ratios: Record<string, Record<string, number | null>>;
  getByIdRatio: number | null;
  postIncidentRatio: number | null;
  frameworkRatio: number | null;
  serviceMaxRssMb: number;
}

const rps = (rows: Row[], scenario: string, target: Row['target'], c: number) =>
  rows.find((r) => r.scenario === scenario && r.target === target && r.connections === c)?.requestsPerSecond;

export function ratios(rows: Row[], connections: number[]): Results['ratios'] {
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? Math.round((a / b) * 1000) / 1000 : null);
  const out: Results['ratios'] = {
    getByIdServiceOverPgbench: {},
    postIncidentServiceOverPgbench: {},
    getByIdServiceOverFramework: {},
    postIncidentRollupOnOverOff: {},
  };
  for (const c of connections) {
    out.getByIdServiceOverPgbench![c] = ratio(rps(rows, 'GET incident by id', 'service', c), rps(rows, 'GET incident by id', 'pgbench', c));
    out.postIncidentServiceOverPgbench![c] = ratio(
      rps(rows, 'POST incident (2 victims, 1 suspect)', 'service', c),
      rps(rows, 'POST incident (2 victims, 1 suspect)', 'pgbench', c),
    );
    out.getByIdServiceOverFramework![c] = ratio(rps(rows, 'GET incident by id', 'service', c), rps(rows, 'GET incident by id', 'framework', c));
    out.postIncidentRollupOnOverOff![c] = ratio(
      rps(rows, 'POST incident (2 victims, 1 suspect)', 'rollup on', c),
      rps(rows, 'POST incident (2 victims, 1 suspect)', 'rollup off', c),
    );
  }
  return out;
}

const f1 = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

export function markdown(r: Results): string {
  const lines = [
    `# Benchmark ${r.date}, ${r.incidents.toLocaleString('en-GB')} incidents${r.quick ? ' (quick mode)' : ''}`,
    '',
    `Machine: ${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.postgres}. Service: production build, DB_POOL_SIZE=${r.config.poolSize}, ` +
      `LOG_LEVEL=${r.config.logLevel}, RATE_LIMIT_MAX=0, webhook worker ${r.config.webhookWorker ? 'on (default)' : 'off'}, ${r.config.durationSeconds} s per run.`,
    '',
    `Seeding: ${r.seed.totalRows.toLocaleString('en-GB')} rows in ${r.seed.loadSeconds.toFixed(1)} s, then ${r.seed.analyzeSeconds.toFixed(1)} s VACUUM ANALYZE + CHECKPOINT ` +
      `(${Object.entries(r.seed.rows)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
        .join(', ')}).` +
      (r.timings.statsRebuildSeconds === undefined
        ? ''
        : ` Statistics rollup rebuilt in ${r.timings.statsRebuildSeconds.toFixed(1)} s (npm run stats:rebuild).`),
    '',
    `Start-up to ready: Postgres ${r.startup.postgresMs.toFixed(0)} ms (first start, which installs the job queue's schema: ${r.startup.postgresFirstMs.toFixed(0)} ms); ` +
      `PGlite ${r.startup.pgliteNewDataDirMs === null ? 'not measured' : `${r.startup.pgliteNewDataDirMs.toFixed(0)} ms with a new data folder, ${r.startup.pgliteExistingDataDirMs?.toFixed(0)} ms with an existing one${r.startup.pgliteIdleRssMb ? `, idle RSS ${r.startup.pgliteIdleRssMb.toFixed(0)} MB` : ''}`}.`,
    '',
    '| scenario | target | connections | requests/s | p50 ms | p99 ms | max ms | errors | max RSS MB | first answer ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (x) =>
        `| ${x.scenario}${x.note ? ` (${x.note})` : ''} | ${x.target} | ${x.connections} | ${f1(x.requestsPerSecond)} | ${f1(x.latencyMs.p50)} | ${f1(x.latencyMs.p99)} | ${f1(x.latencyMs.max)} | ${x.errors} | ${x.rssMaxMb === null ? '' : x.rssMaxMb.toFixed(0)} | ${x.firstAnswerMs === undefined ? '' : f1(x.firstAnswerMs)} |`,
    ),
    '',
    '| ratio | ' + r.config.connections.map((c) => `${c} connections`).join(' | ') + ' |',
    '|---|' + r.config.connections.map(() => '---:').join('|') + '|',
    ...Object.entries(r.ratios).map(
      ([k, v]) => `| ${k} | ${r.config.connections.map((c) => (v[c] === null || v[c] === undefined ? 'n/a' : String(v[c]))).join(' | ')} |`,
    ),
    '',
    `Service max RSS under load: ${r.serviceMaxRssMb.toFixed(0)} MB.`,
    '',
  ];
  return lines.join('\n');
}

/**
 * The stem of a run's files: `<date>-<incidents>`, or `-2`, `-3`, ... after it when a run of that day and size has
 * written its files already (a second run the same day used to overwrite the first's).
 */
export function resultStem(dir: string, date: string, incidents: number): string {
  for (let n = 1; ; n++) {
    const stem = `${date}-${incidents}${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(join(dir, `${stem}.json`)) && !existsSync(join(dir, `${stem}-pgbench-get-by-id.sql`))) return stem;
  }
}

export function writeResults(dir: string, r: Results): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, r.stem);
  writeFileSync(`${base}.json`, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(`${base}.md`, markdown(r));
  return { json: `${base}.json`, md: `${base}.md` };
}
