// npm run bench:soak -- --database NAME [--minutes 10] [--connections 10] [--pool 10]
// The soak (issue #19 item 3): the production build against a seeded bench database (npm run bench -- --incidents N
// --database NAME --seed-only) under the bench's scenarios interleaved at random by weight, one minute at a time, with
// the service's RSS sampled every 100 ms and its p99 per minute. Writes bench/results/<date>-soak.{json,md} and prints
// the per-minute table and, as its last stdout line, the trend: the least-squares slope of RSS and of p99 per minute
// over the minutes after the first (the warm-up), and whether either grows. docs/performance.md, "The soak".
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, ROOT, rssMb, runLoadProcess, sampleRss, serviceArgs, startServer, stopServer } from './processes.ts';
import { scenarios, type ScenarioSpec } from './scenarios.ts';
import { createBenchKeys, databaseExists, databaseUrl, DEFAULT_SERVER, onServer } from './seed.ts';

const { values: flags } = parseArgs({
  options: {
    database: { type: 'string' },
    minutes: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    pool: { type: 'string', default: '10' },
  },
});
const log = (m: string) => process.stderr.write(`[soak] ${m}\n`);
const server = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER;
const minutes = Number(flags.minutes);
const connections = Number(flags.connections);
if (!flags.database || !(await databaseExists(server, flags.database))) {
  log('--database NAME must name a seeded bench database (npm run bench -- --incidents 1000000 --database NAME --seed-only)');
  process.exit(2);
}
const dbUrl = databaseUrl(server, flags.database);

/**
 * The mix, by weight: a working day's traffic, mostly force systems reading and writing incidents and people working
 * their lists, with the statistics read now and then (each force's ten-year series and the quarterly table rarely).
 */
const WEIGHTS: Record<string, number> = {
  'GET incident by id': 30,
  'List incidents: one force, one year': 12,
  'POST incident (2 victims, 1 suspect)': 10,
  'PATCH incident (If-Match "1", each once)': 8,
  'Welfare overdue queue: one force': 10,
  'Federation cases list: one force': 10,
  'Stats summary: one force, one year': 6,
  'Stats summary: all forces, one year': 4,
  'Stats series: incidents nationally, ten years by month': 4,
  'Stats series: incidents of each force, ten years by month': 3,
  'Stats quarterly table: all forces': 3,
};

interface Minute {
  minute: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rssMaxMb: number;
  rssEndMb: number;
}

/** Least-squares slope of ys against 1..n. */
function slope(ys: number[]): number {
  const n = ys.length;
  const mx = (n + 1) / 2;
  const my = ys.reduce((a, y) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, i) => {
    num += (i + 1 - mx) * (y - my);
    den += (i + 1 - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

const now = new Date();
const year = now.getUTCFullYear() - 1;
const work = mkdtempSync(join(tmpdir(), 'oar-soak-'));
const { force, getIds, patchIds } = await onServer(dbUrl, async (c) => {
  const met = (await c.query<{ id: string }>("select id from forces where code = 'metropolitan'")).rows[0]!.id;
  const ids = (await c.query<{ id: string }>('select id from incidents where force_id = $1 order by random() limit 5000', [met])).rows.map((r) => r.id);
  const patchable = (await c.query<{ id: string }>("select id from incidents where version = 1 and status = 'open' order by random() limit 200000")).rows;
  return { force: met, getIds: ids, patchIds: patchable.map((r) => r.id) };
});
const keys = await createBenchKeys(dbUrl, force, now);
log('building (npm run build)');
const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);

const env = { DATABASE_URL: dbUrl, DB_POOL_SIZE: flags.pool!, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0', NODE_ENV: 'production' };
const service = await startServer(serviceArgs(), env, await freePort());
const pid = service.child.pid!;
log(`service ready in ${service.readyMs.toFixed(0)} ms, RSS ${rssMb(pid).toFixed(0)} MB; ${minutes} minutes at ${connections} connections`);
const all = scenarios({ force, keys, year, now, getIds, patchIds });
const rows: Minute[] = [];
let patchOffset = 0;
try {
  for (let m = 1; m <= minutes; m++) {
    // Each minute's PATCHes start after the ids earlier minutes may have used (each request patches a fresh incident).
    const mix = all.map((s) => ({
      weight: WEIGHTS[s.name] ?? 1,
      spec: (s.spec.kind === 'patchIncident' ? { ...s.spec, ids: patchIds.slice(patchOffset) } : s.spec) satisfies ScenarioSpec,
    }));
    const stop = sampleRss(pid);
    const res = await runLoadProcess({ url: service.url, connections, durationSeconds: 60, kind: 'mixed', path: '/', headers: {}, mix }, work);
    const rssMax = stop();
    patchOffset += res.requests;
    const row: Minute = {
      minute: m,
      requests: res.requests,
      requestsPerSecond: Math.round(res.requestsPerSecond),
      p50Ms: res.latencyMs.p50,
      p99Ms: res.latencyMs.p99,
      errors: res.non2xx + res.errors + res.timeouts,
      rssMaxMb: Math.round(rssMax),
      rssEndMb: Math.round(rssMb(pid)),
    };
    rows.push(row);
    log(
      `minute ${m}: ${row.requestsPerSecond} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.errors} errors, RSS max ${row.rssMaxMb} MB, end ${row.rssEndMb} MB, ${JSON.stringify(res.statusCodes)}`,
    );
  }
} finally {
  await stopServer(service);
  rmSync(work, { recursive: true, force: true });
}

const settled = rows.slice(1);
const trend = {
  minutes,
  connections,
  database: flags.database,
  rssSlopeMbPerMinute: Math.round(slope(settled.map((r) => r.rssEndMb)) * 100) / 100,
  p99SlopeMsPerMinute: Math.round(slope(settled.map((r) => r.p99Ms)) * 100) / 100,
  rssMaxMb: Math.max(...rows.map((r) => r.rssMaxMb)),
  errors: rows.reduce((a, r) => a + r.errors, 0),
};
const md = [
  `Soak: ${minutes} min at ${connections} connections on ${flags.database}, ${now.toISOString()}. Mix (weights): ${Object.entries(WEIGHTS)
    .map(([k, w]) => `${k} ${w}`)
    .join(', ')}.`,
  '',
  '| minute | requests/s | p50 ms | p99 ms | errors | RSS max MB | RSS at end MB |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.minute} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.rssMaxMb} | ${r.rssEndMb} |`),
  '',
  `Trend after minute 1: RSS ${trend.rssSlopeMbPerMinute} MB/min, p99 ${trend.p99SlopeMsPerMinute} ms/min; largest RSS ${trend.rssMaxMb} MB; ${trend.errors} errors.`,
].join('\n');
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const base = join(ROOT, 'bench', 'results', `${now.toISOString().slice(0, 10)}-soak`);
writeFileSync(`${base}.json`, JSON.stringify({ date: now.toISOString(), weights: WEIGHTS, rows, trend }, null, 2) + '\n');
writeFileSync(`${base}.md`, md + '\n');
process.stdout.write(md + '\n' + JSON.stringify(trend) + '\n');
