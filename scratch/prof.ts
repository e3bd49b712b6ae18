// Scratch: run one bench scenario against the production build on oar_bench_1m, optionally under --cpu-prof.
// npx tsx scratch/prof.ts "<scenario substring>" <seconds> [--prof] [--conn N] [--root DIR]
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freePort, runLoadProcess, sampleRss, serviceArgs, startServer, stopServer } from '../bench/processes.ts';
import { scenarios } from '../bench/scenarios.ts';
import { createBenchKeys, databaseUrl, onServer } from '../bench/seed.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { prof: { type: 'boolean' }, conn: { type: 'string', default: '10' }, root: { type: 'string' }, db: { type: 'string', default: 'oar_bench_1m' } } });
const [name, secs] = positionals;
const url = databaseUrl('postgres://postgres@127.0.0.1:5432/postgres', values.db!);
const now = new Date();
const year = now.getUTCFullYear() - 1;
const { force, getIds, patchIds } = await onServer(url, async (c) => {
  const met = (await c.query<{ id: string }>("select id from forces where code = 'metropolitan'")).rows[0]!.id;
  const ids = (await c.query<{ id: string }>('select id from incidents where force_id = $1 order by random() limit 5000', [met])).rows.map((r) => r.id);
  const patchable = (await c.query<{ id: string }>("select id from incidents where version = 1 and status = 'open' limit 20000")).rows.map((r) => r.id);
  return { force: met, getIds: ids, patchIds: patchable };
});
const keys = await createBenchKeys(url, force, now);
const s = scenarios({ force, keys, year, now, getIds, patchIds }).find((x) => x.name.includes(name!))!;
const args = serviceArgs().map((a) => (values.root && a.endsWith('server.js') ? `${values.root}/dist/src/server.js` : a));
if (values.prof) {
  mkdirSync('/tmp/prof/out', { recursive: true });
  args.unshift('--cpu-prof', '--cpu-prof-dir=/tmp/prof/out');
}
const env = { DATABASE_URL: url, DB_POOL_SIZE: '10', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0', NODE_ENV: 'production' };
const service = await startServer(args, env, await freePort());
await runLoadProcess({ url: service.url, connections: 10, durationSeconds: 2, ...s.spec }, '/tmp');
const stop = sampleRss(service.child.pid);
const res = await runLoadProcess({ url: service.url, connections: Number(values.conn), durationSeconds: Number(secs ?? 10), ...s.spec }, '/tmp');
const rss = stop();
await stopServer(service);
console.log(`${s.name}: ${res.requestsPerSecond.toFixed(1)} req/s p50 ${res.latencyMs.p50} p99 ${res.latencyMs.p99} errors ${res.non2xx + res.errors + res.timeouts} rss ${rss.toFixed(0)} MB ${JSON.stringify(res.statusCodes)}`);
