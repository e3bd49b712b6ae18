// npm run bench [-- --quick] [--incidents N] [--duration S] [--connections 10,50] [--pool N] [--keep] [--no-pglite]
// Seeds a fresh database, measures the production build against it under autocannon, measures the ceilings
// (pgbench running the service's own captured SQL; the bare framework), and writes bench/results/. docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CapturedStatement } from '../src/db/capture.ts';
import { ensureTemplate } from '../src/db/pglite-template.ts';
import type { LoadResult, LoadSpec } from './load.ts';
import { pgbenchScript, runPgbench, transactionOf } from './pgbench.ts';
import { freePort, ROOT, rssMb, runLoadProcess, sampleRss, serviceArgs, startServer, stopServer, type Running } from './processes.ts';
import { markdown, ratios, resultStem, writeResults, type Results, type Row } from './report.ts';
import { GET, incidentBody, POST, scenarios as scenarioList, type ScenarioSpec } from './scenarios.ts';
import {
  catchUpDueEvents,
  createBenchKeys,
  createDatabase,
  databaseExists,
  databaseUrl,
  DEFAULT_SERVER,
  dropDatabase,
  migrateDatabase,
  onServer,
  seedDatabase,
  type SeedReport,
} from './seed.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    incidents: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '10,50' },
    pool: { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'warn' },
    keep: { type: 'boolean', default: false },
    'no-pglite': { type: 'boolean', default: false },
    pgbench: { type: 'string', default: '/usr/bin/pgbench' },
    database: { type: 'string' },
    'seed-only': { type: 'boolean', default: false },
    'rebuild-stats': { type: 'boolean', default: false },
  },
});

const quick = flags.quick!;
const incidents = Number(flags.incidents ?? (quick ? 10_000 : 100_000));
const duration = Number(flags.duration ?? (quick ? 2 : 10));
const warmup = Number(flags.warmup ?? (quick ? 1 : 3));
/** Each read scenario's own unrecorded warm-up, seconds (warmRead); none in the quick mode, a smoke run under 2 minutes. */
const scenarioWarmup = quick ? 0 : Math.min(warmup, 1);
const connections = flags.connections!.split(',').map(Number);
const poolSize = Number(flags.pool);
const logLevel = flags['log-level']!;
const server = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const started = performance.now();
const now = new Date();
const year = now.getUTCFullYear() - 1;
// --database NAME: seed that database once and keep it; later runs with the same name reuse it (only newer
// migrations run, and the statistics rebuild only if its rollup is empty), so a 1,000,000 run need not seed for 15 minutes each time.
const dbName = flags.database ?? `oar_bench_${process.pid}`;
const keep = flags.keep || flags.database !== undefined;
const work = mkdtempSync(join(tmpdir(), 'oar-bench-'));
let dbUrl = '';

function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: dbUrl, DB_POOL_SIZE: String(poolSize), LOG_LEVEL: logLevel, RATE_LIMIT_MAX: '0', NODE_ENV: 'production', ...extra };
}

async function startService(extra: Record<string, string> = {}): Promise<Running> {
  return startServer(serviceArgs(), serviceEnv(extra), await freePort());
}

class SeedOnly extends Error {}

async function seedNew() {
  let lastShown = 0;
  const seed = await seedDatabase(dbUrl, {
    incidents,
    now,
    onProgress: (done, total) => {
      if (done === total || performance.now() - lastShown > 10_000) {
        lastShown = performance.now();
        log(`seeded ${done}/${total} incidents`);
      }
    },
  });
  log(`seeded ${seed.totalRows} rows in ${seed.loadSeconds.toFixed(1)} s (+${seed.analyzeSeconds.toFixed(1)} s vacuum analyze)`);
  return seed;
}

/**
 * A reused database's report: its row counts, no load time. Earlier runs' writes are tidied first, as after a seed
 * (VACUUM ANALYZE and CHECKPOINT; stats_monthly rewritten compactly, as stats:rebuild leaves it), so each run starts
 * from the same state rather than from the dead rows of the runs before it (a minute at 1,000,000 incidents).
 */
async function seedOf(url: string): Promise<SeedReport> {
  const t0 = performance.now();
  await onServer(url, async (c) => {
    await c.query('vacuum (full, analyze) stats_monthly');
    await c.query('vacuum analyze');
    await c.query('checkpoint');
  });
  log(`tidied earlier runs' writes (vacuum analyze, checkpoint) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rows = await onServer(url, async (c) => {
    const r = await c.query<{ relname: string; n: string }>(
      "select relname, n_live_tup::text as n from pg_stat_user_tables where schemaname = 'public' and n_live_tup > 0 order by relname",
    );
    return Object.fromEntries(r.rows.map((x) => [x.relname, Number(x.n)]));
  });
  log(`reusing database ${dbName} (${(rows.incidents ?? 0).toLocaleString('en-GB')} incidents)`);
  return {
    incidents: rows.incidents ?? 0,
    rows: rows as SeedReport['rows'],
    totalRows: Object.values(rows).reduce((a, n) => a + n, 0),
    loadSeconds: 0,
    analyzeSeconds: 0,
  };
}

/**
 * The seed loads with triggers off, so the statistics rollup is built after it with the operator's command
 * (npm run stats:rebuild), timed; a reused database only when its rollup is empty or --rebuild-stats asks.
 */
async function rollupEmpty(): Promise<boolean> {
  return onServer(dbUrl, async (c) => (await c.query('select 1 from stats_facts limit 1')).rowCount === 0);
}

async function rebuildStats(): Promise<number> {
  log('rebuilding the statistics rollup (npm run stats:rebuild)');
  const t0 = performance.now();
  const run = spawnSync('npm', ['run', '-s', 'stats:rebuild'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`npm run stats:rebuild failed:\n${run.stdout}${run.stderr}`);
  const seconds = (performance.now() - t0) / 1000;
  log(`${run.stdout.trim()} (${seconds.toFixed(1)} s with start-up)`);
  // As autovacuum would in time: the visibility map lets the medians read their covering indexes alone.
  await onServer(dbUrl, (c) => c.query('vacuum analyze stats_facts, stats_monthly'));
  return seconds;
}

/**
 * A read scenario's first answer, timed alone (what the first reader after a change pays), then an unrecorded warm-up
 * of `scenarioWarmup` seconds at 10 connections, so the recorded runs measure the steady state: without it a
 * statistics scenario's first requests computed the period's medians and sums while the other callers waited for them
 * (0.7 s for all forces' year at 1,000,000 incidents), one wait in a hundred requests, which was the p99 of a
 * 10 s run. Writes are not warmed (a PATCH uses each incident once). Returns the first answer's ms, or undefined.
 */
async function warmRead(url: string, spec: ScenarioSpec): Promise<number | undefined> {
  if (spec.kind !== 'static' && spec.kind !== 'getById') return undefined;
  const path = spec.kind === 'getById' ? `${spec.path}${spec.ids![0]}` : spec.path;
  const t0 = performance.now();
  const res = await fetch(`${url}${path}`, { headers: spec.headers });
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${path}: first answer ${res.status}`);
  if (scenarioWarmup > 0) await runLoadProcess({ url, connections: 10, durationSeconds: scenarioWarmup, ...spec }, work);
  return ms;
}

/** One result row of a load run against the service (or two, or with the rollup on or off). */
const loadRow = (scenario: string, target: Row['target'], connections: number, res: LoadResult, rssMaxMb: number): Row => ({
  scenario,
  target,
  connections,
  requestsPerSecond: res.requestsPerSecond,
  latencyMs: res.latencyMs,
  errors: res.non2xx + res.errors + res.timeouts,
  rssMaxMb,
  statusCodes: res.statusCodes,
});

/** Turns the statistics rollup's statement triggers (stats_dirty_*) on or off on every table that has them. */
async function statsTriggers(on: boolean): Promise<void> {
  await onServer(dbUrl, async (c) => {
    const triggers = (
      await c.query<{ tbl: string; name: string }>(
        "select c.relname as tbl, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname like 'stats_dirty_%'",
      )
    ).rows;
    for (const t of triggers) await c.query(`alter table "${t.tbl}" ${on ? 'enable' : 'disable'} trigger "${t.name}"`);
  });
}

/** One row of several runs of the same scenario and target: their mean rate and latencies, the worst maximum and RSS. */
function merged(scenario: string, target: Row['target'], connections: number, runs: { res: LoadResult; rss: number }[]): Row {
  const mean = (f: (r: LoadResult) => number) => runs.reduce((s, r) => s + f(r.res), 0) / runs.length;
  const res: LoadResult = {
    requests: runs.reduce((s, r) => s + r.res.requests, 0),
    requestsPerSecond: mean((r) => r.requestsPerSecond),
    latencyMs: {
      p50: mean((r) => r.latencyMs.p50),
      p99: mean((r) => r.latencyMs.p99),
      max: Math.max(...runs.map((r) => r.res.latencyMs.max)),
      mean: mean((r) => r.latencyMs.mean),
    },
    non2xx: runs.reduce((s, r) => s + r.res.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.res.errors, 0),
    timeouts: runs.reduce((s, r) => s + r.res.timeouts, 0),
    statusCodes: {},
  };
  for (const r of runs) for (const [code, n] of Object.entries(r.res.statusCodes)) res.statusCodes[code] = (res.statusCodes[code] ?? 0) + n;
  return loadRow(scenario, target, connections, res, Math.max(...runs.map((r) => r.rss)));
}

/**
 * The rollup's write cost (issue #18): the POST with the rollup kept (triggers note each incident, the service's
 * worker drains the queue beside the load) and without it (triggers off), at each connection count in the order
 * on, off, off, on, so that what drifts over the minutes (the machine, the database's caches, the tables' growth)
 * weighs on both alike; each side's row is the mean of its two runs (the quick mode, a smoke run, runs on, off). Afterwards the incidents written without it
 * are queued and drained, so the rollup is exact again.
 */
async function rollupWriteCost(spec: Omit<LoadSpec, 'url' | 'connections' | 'durationSeconds'>): Promise<Row[]> {
  const out: Row[] = [];
  const since = await onServer(dbUrl, async (c) => (await c.query<{ t: Date }>('select now() as t')).rows[0]!.t);
  for (const c of connections) {
    const runs = new Map<boolean, { res: LoadResult; rss: number }[]>([
      [true, []],
      [false, []],
    ]);
    for (const on of quick ? [true, false] : [true, false, false, true]) {
      await statsTriggers(on);
      const service = await startService();
      const stop = sampleRss(service.child.pid);
      const res = await runLoadProcess({ url: service.url, connections: c, durationSeconds: duration, ...spec }, work);
      runs.get(on)!.push({ res, rss: stop() });
      await stopServer(service);
      log(`${POST}, rollup ${on ? 'on' : 'off'} @${c}: ${res.requestsPerSecond.toFixed(0)} req/s, p99 ${res.latencyMs.p99} ms`);
    }
    out.push(merged(POST, 'rollup on', c, runs.get(true)!), merged(POST, 'rollup off', c, runs.get(false)!));
  }
  await statsTriggers(true);
  await onServer(dbUrl, async (c) => {
    await c.query('insert into stats_dirty (incident_id) select id from incidents where created_at >= $1 on conflict do nothing', [since]);
    while ((await c.query<{ n: number }>('select stats_drain(5000) as n')).rows[0]!.n > 0);
  });
  return out;
}

async function main(): Promise<Results> {
  const machinePg = await onServer(server, async (c) => (await c.query<{ v: string }>('select version() as v')).rows[0]!.v.split(' on ')[0]!);
  log(
    `database ${dbName} on ${new URL(server).host}; ${incidents} incidents; ${duration} s per run at ${connections.join(' and ')} connections; pool ${poolSize}`,
  );
  const reused = flags.database !== undefined && (await databaseExists(server, dbName));
  dbUrl = reused ? databaseUrl(server, dbName) : await createDatabase(server, dbName);
  let t = performance.now();
  await migrateDatabase(dbUrl);
  const migrateSeconds = (performance.now() - t) / 1000;
  const seed = reused ? await seedOf(dbUrl) : await seedNew();
  const statsRebuildSeconds = !reused || flags['rebuild-stats'] || (await rollupEmpty()) ? await rebuildStats() : undefined;
  log(`the every-minute check caught up: ${await catchUpDueEvents(dbUrl, now)} due event(s) reported before the runs`);
  if (flags['seed-only']) throw new SeedOnly();

  const { force, getIds, patchIds, columns } = await onServer(dbUrl, async (c) => {
    const met = (await c.query<{ id: string }>("select id from forces where code = 'metropolitan'")).rows[0]!.id;
    const ids = (await c.query<{ id: string }>('select id from incidents where force_id = $1 order by random() limit 5000', [met])).rows.map((r) => r.id);
    const patchable = (await c.query<{ id: string }>("select id from incidents where version = 1 and status = 'open' order by random() limit 400000")).rows.map(
      (r) => r.id,
    );
    const cols = (
      await c.query<{ table_name: string; column_name: string; udt_name: string }>(
        "select table_name, column_name, udt_name from information_schema.columns where table_schema = 'public'",
      )
    ).rows;
    return {
      force: met,
      getIds: ids,
      patchIds: patchable,
      columns: new Map(cols.map((r) => [`${r.table_name}.${r.column_name}`, r.udt_name.startsWith('_') ? `${r.udt_name.slice(1)}[]` : r.udt_name])),
    };
  });
  const keys = await createBenchKeys(dbUrl, force, now);

  log('building (npm run build)');
  t = performance.now();
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const buildSeconds = (performance.now() - t) / 1000;

  // 1. Capture: one GET by id and one POST, with SQL_CAPTURE_FILE on (the first start also times the first-ever start).
  const captureFile = join(work, 'capture.jsonl');
  const first = await startService({ SQL_CAPTURE_FILE: captureFile });
  const since = Date.now();
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const getId = getIds[0]!;
  const uniqueRef = `BENCH-CAPTURE-${process.pid}`;
  let r = await fetch(`${first.url}/v1/incidents/${getId}`, { headers: auth(keys.forceSystem) });
  if (r.status !== 200) throw new Error(`capture GET answered ${r.status}: ${await r.text()}`);
  const afterGet = Date.now();
  await new Promise((res) => setTimeout(res, 50));
  r = await fetch(`${first.url}/v1/incidents`, {
    method: 'POST',
    headers: { ...auth(keys.forceSystem), 'content-type': 'application/json' },
    body: JSON.stringify({ ...incidentBody(force, now), forceReference: uniqueRef }),
  });
  if (r.status !== 201) throw new Error(`capture POST answered ${r.status}: ${await r.text()}`);
  await stopServer(first);
  const captured = readFileSync(captureFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CapturedStatement);
  const getTx = transactionOf(
    captured.filter((s) => s.at >= since && s.at <= afterGet),
    /from "incidents"/,
  );
  const postTx = transactionOf(
    captured.filter((s) => s.at > afterGet),
    /insert into "incidents"/,
  );
  const columnType = (table: string, column: string) => columns.get(`${table}.${column}`);
  const getTemplate = pgbenchScript(GET, getTx.transaction, getTx.outside, { since, columnType });
  const getScripts = getIds.slice(0, 32).map((id) => getTemplate.split(getId).join(id));
  const postScript = pgbenchScript(POST, postTx.transaction, postTx.outside, { since, unique: [uniqueRef], columnType });
  // Kept beside the results: the exact scripts the ceilings ran (the GET one with its first id).
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stem = resultStem(resultsDir, now.toISOString().slice(0, 10), incidents);
  writeFileSync(join(resultsDir, `${stem}-pgbench-get-by-id.sql`), getScripts[0]!);
  writeFileSync(join(resultsDir, `${stem}-pgbench-post-incident.sql`), postScript);

  // 2. The service under load.
  const service = await startService();
  log(`service ready in ${service.readyMs.toFixed(0)} ms (first start ${first.readyMs.toFixed(0)} ms)`);
  const rows: Row[] = [];
  const scenarios = scenarioList({ force, keys, year, now, getIds, patchIds });
  const pid = service.child.pid;
  if (warmup > 0) await runLoadProcess({ url: service.url, connections: 10, durationSeconds: warmup, ...scenarios[0]!.spec }, work);
  let patchOffset = 0;
  for (const s of scenarios) {
    const firstAnswerMs = await warmRead(service.url, s.spec);
    for (const c of connections) {
      const spec: LoadSpec = { url: service.url, connections: c, durationSeconds: duration, ...s.spec };
      // PATCH: the next run starts after the ids the previous one used, so every request patches a fresh incident.
      if (s.spec.kind === 'patchIncident') spec.ids = patchIds.slice(patchOffset);
      const stop = sampleRss(pid);
      const res = await runLoadProcess(spec, work);
      const rss = stop();
      if (s.spec.kind === 'patchIncident') patchOffset += res.idsUsed ?? res.requests;
      rows.push({
        ...loadRow(s.name, 'service', c, res, rss),
        ...(firstAnswerMs === undefined || c !== connections[0] ? {} : { firstAnswerMs }),
        ...(res.poolExhausted ? { note: 'pool of unpatched incidents ran out' } : {}),
      });
      log(
        `${s.name} @${c}: ${res.requestsPerSecond.toFixed(0)} req/s, p99 ${res.latencyMs.p99} ms, ${res.non2xx + res.errors + res.timeouts} errors, RSS ${rss.toFixed(0)} MB, statuses ${JSON.stringify(res.statusCodes)}`,
      );
    }
  }
  await stopServer(service);

  // 2b. Past one machine: the POST against two instances on two ports (one database), the connections split.
  const pair = [await startService(), await startService()];
  for (const c of connections) {
    const spec = scenarios.find((s) => s.name === POST)!.spec;
    const stops = pair.map((p) => sampleRss(p.child.pid));
    const halves = await Promise.all(
      pair.map((p, i) => runLoadProcess({ url: p.url, connections: i === 0 ? Math.ceil(c / 2) : Math.floor(c / 2), durationSeconds: duration, ...spec }, work)),
    );
    const rss = Math.max(...stops.map((stop) => stop()));
    const requests = halves.reduce((a, h) => a + h.requests, 0);
    const statusCodes: Record<string, number> = {};
    for (const h of halves) for (const [code, n] of Object.entries(h.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    rows.push({
      scenario: POST,
      target: 'two instances',
      connections: c,
      requestsPerSecond: halves.reduce((a, h) => a + h.requestsPerSecond, 0),
      // Percentiles cannot be merged exactly: p50 weighted by requests, p99 and max the worse of the two.
      latencyMs: {
        p50: halves.reduce((a, h) => a + h.latencyMs.p50 * h.requests, 0) / Math.max(1, requests),
        p99: Math.max(...halves.map((h) => h.latencyMs.p99)),
        max: Math.max(...halves.map((h) => h.latencyMs.max)),
        mean: halves.reduce((a, h) => a + h.latencyMs.mean * h.requests, 0) / Math.max(1, requests),
      },
      errors: halves.reduce((a, h) => a + h.non2xx + h.errors + h.timeouts, 0),
      rssMaxMb: rss,
      statusCodes,
    });
    log(`${POST} on two instances @${c}: ${rows.at(-1)!.requestsPerSecond.toFixed(0)} req/s, ${rows.at(-1)!.errors} errors`);
  }
  for (const p of pair) await stopServer(p);

  // 2c. The rollup's write cost: the POST with the statistics rollup kept and without it.
  rows.push(...(await rollupWriteCost(scenarios.find((s) => s.name === POST)!.spec)));

  // 3. Ceilings, with the service stopped: pgbench on the captured transactions, then the bare framework.
  for (const [name, scripts] of [
    [GET, getScripts],
    [POST, [postScript]],
  ] as const) {
    for (const c of connections) {
      // The ceiling is the better of the two ways to send the statements: the service sends some named (parsed once
      // per connection) and some unnamed, so neither protocol alone is the database's best for the same work.
      const modes = [];
      for (const protocol of ['extended', 'prepared'] as const) {
        const res = await runPgbench(dbUrl, [...scripts], c, duration, flags.pgbench, protocol);
        log(`pgbench ${name} @${c}, -M ${protocol}: ${res.tps.toFixed(0)} tps, p99 ${res.latencyMs.p99.toFixed(1)} ms`);
        modes.push({ protocol, res });
      }
      const best = modes.reduce((a, b) => (b.res.tps > a.res.tps ? b : a));
      rows.push({
        scenario: name,
        target: 'pgbench',
        connections: c,
        requestsPerSecond: best.res.tps,
        latencyMs: best.res.latencyMs,
        errors: best.res.failed,
        rssMaxMb: null,
        note: `-M ${best.protocol} (${modes.map((m) => `${m.protocol} ${m.res.tps.toFixed(0)} tps`).join(', ')})`,
      });
    }
  }
  const framework = await startServer(['--import', 'tsx', join(ROOT, 'bench', 'framework-server.ts')], {}, await freePort());
  if (warmup > 0) await runLoadProcess({ url: framework.url, connections: 10, durationSeconds: warmup, ...scenarios[0]!.spec }, work);
  for (const c of connections) {
    const stop = sampleRss(framework.child.pid);
    const res = await runLoadProcess({ url: framework.url, connections: c, durationSeconds: duration, ...scenarios[0]!.spec }, work);
    rows.push({
      scenario: GET,
      target: 'framework',
      connections: c,
      requestsPerSecond: res.requestsPerSecond,
      latencyMs: res.latencyMs,
      errors: res.non2xx + res.errors + res.timeouts,
      rssMaxMb: stop(),
    });
    log(`framework ${GET} @${c}: ${res.requestsPerSecond.toFixed(0)} req/s`);
  }
  await stopServer(framework);

  // 4. Start-up on PGlite: a new data folder (a copy of the migrated template, src/db/pglite-template.ts), then the same folder again.
  let pgliteNew: number | null = null;
  let pgliteExisting: number | null = null;
  let pgliteIdleRss: number | null = null;
  if (!flags['no-pglite']) {
    // The template as `npm install` leaves it (its prepare script builds it): a checkout with a migration newer than
    // its last install would otherwise time the template's build (initdb and every migration) as the start-up.
    await ensureTemplate();
    const dataDir = mkdtempSync(join(tmpdir(), 'oar-bench-pglite-'));
    try {
      const env = { DATA_DIR: join(dataDir, 'data'), LOG_LEVEL: logLevel, RATE_LIMIT_MAX: '0', NODE_ENV: 'production' };
      for (const round of [0, 1]) {
        const p = await startServer(serviceArgs(), env, await freePort());
        if (round === 0) {
          pgliteNew = p.readyMs;
          // Idle resident memory once start-up has settled (the production build, nothing recorded yet).
          await new Promise((r) => setTimeout(r, 2000));
          pgliteIdleRss = rssMb(p.child.pid!);
        } else pgliteExisting = p.readyMs;
        await stopServer(p);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  const ratioTable = ratios(rows, connections);
  const c0 = connections[0]!;
  return {
    date: now.toISOString().slice(0, 10),
    incidents,
    stem,
    quick,
    machine: { cpus: cpus().length, node: process.version, postgres: machinePg },
    config: { poolSize, logLevel, durationSeconds: duration, connections, rateLimit: 'off', webhookWorker: true, idempotencyKey: false },
    seed,
    timings: { migrateSeconds, statsRebuildSeconds, buildSeconds, totalSeconds: (performance.now() - started) / 1000 },
    startup: {
      postgresFirstMs: first.readyMs,
      postgresMs: service.readyMs,
      pgliteNewDataDirMs: pgliteNew,
      pgliteExistingDataDirMs: pgliteExisting,
      pgliteIdleRssMb: pgliteIdleRss,
    },
    rows,
    ratios: ratioTable,
    getByIdRatio: ratioTable.getByIdServiceOverPgbench![c0] ?? null,
    postIncidentRatio: ratioTable.postIncidentServiceOverPgbench![c0] ?? null,
    frameworkRatio: ratioTable.getByIdServiceOverFramework![c0] ?? null,
    serviceMaxRssMb: Math.max(0, ...rows.filter((x) => x.target === 'service').map((x) => x.rssMaxMb ?? 0)),
  };
}

let exitCode = 0;
try {
  const results = await main();
  const files = writeResults(join(ROOT, 'bench', 'results'), results);
  process.stdout.write(markdown(results) + '\n');
  log(`wrote ${files.json} and ${files.md} in ${results.timings.totalSeconds.toFixed(0)} s`);
  const s = (scenario: string, target: Row['target']) =>
    results.rows.find((x) => x.scenario === scenario && x.target === target && x.connections === connections[0]);
  const summary = {
    incidents,
    quick,
    getByIdRatio: results.getByIdRatio,
    postIncidentRatio: results.postIncidentRatio,
    frameworkRatio: results.frameworkRatio,
    getByIdRps: s(GET, 'service')?.requestsPerSecond ?? null,
    getByIdP99Ms: s(GET, 'service')?.latencyMs.p99 ?? null,
    postIncidentRps: s(POST, 'service')?.requestsPerSecond ?? null,
    errors: results.rows.filter((x) => x.target === 'service' || x.target === 'two instances').reduce((a, x) => a + x.errors, 0),
    twoInstancePostRps: s(POST, 'two instances')?.requestsPerSecond ?? null,
    serviceMaxRssMb: Math.round(results.serviceMaxRssMb),
    startupPostgresMs: Math.round(results.startup.postgresMs),
    startupPgliteMs: results.startup.pgliteNewDataDirMs === null ? null : Math.round(results.startup.pgliteNewDataDirMs),
    seedSeconds: Math.round(results.seed.loadSeconds),
    totalSeconds: Math.round(results.timings.totalSeconds),
    results: files.json,
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
} catch (err) {
  if (err instanceof SeedOnly) log(`seeded ${dbName} (--seed-only)`);
  else {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  if (dbUrl && !keep) await dropDatabase(server, dbName).catch((e: unknown) => log(`could not drop ${dbName}: ${String(e)}`));
  else if (dbUrl) log(`kept database ${dbName}: ${dbUrl}`);
}
process.exit(exitCode);
