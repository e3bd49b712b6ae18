// npx tsx bench/embedded.ts [runs]: the embedded default (PGlite) of the production build (npm run build first).
// Each run starts dist/src/server.js on a new DATA_DIR, times it to ready, reads its idle RSS (3 s later),
// walks the API like the README (2 keys, 20 incidents recorded and read back, 5 list pages, 3 statistics
// summaries, an audit verification), times it, reads its RSS again, then starts it again on the same folder.
// Prints one JSON line per run and the medians (docs/performance.md, "The embedded default").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, rssMb, serviceArgs, startServer, stopServer } from './processes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '0',
  NODE_OPTIONS: process.env.NODE_OPTIONS ?? '',
});
const server = serviceArgs();

async function walk(url: string, admin: string): Promise<void> {
  const call = async (key: string, path: string, body?: object) => {
    const res = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const forces = (await call(admin, '/v1/forces')).items as { id: string; code: string }[];
  const force = forces.find((f) => f.code === 'west-midlands')!.id;
  const key = (await call(admin, '/v1/principals', { name: 'Crime system', roles: ['force_system'], forceId: force })).key as string;
  const analyst = (await call(admin, '/v1/principals', { name: 'Analyst', roles: ['analyst'], forceId: null })).key as string;
  const ids: string[] = [];
  for (let n = 0; n < 20; n++) {
    const incident = await call(key, '/v1/incidents', {
      forceReference: `WM/EMB-${Date.now()}-${n}`,
      occurredAt: new Date(Date.now() - 10 * 864e5).toISOString(),
      location: { description: 'Town centre', locationType: 'street' },
      circumstances: 'arrest',
      deployment: { crewing: 'double', dutyType: 'response' },
      methods: ['kick'],
      offences: ['emergency_worker_common_assault'],
      victims: [{ role: 'constable', serviceBand: '1_to_2_years', staffNumber: `S-${n}`, injury: 'minor' }],
      suspects: [{ reference: `NOMINAL-${n}`, ageBand: '25_to_34', arrested: true }],
    });
    ids.push(incident.id as string);
  }
  for (const id of ids) await call(key, `/v1/incidents/${id}`);
  for (let n = 0; n < 5; n++) await call(key, '/v1/incidents?limit=20');
  const from = new Date(Date.now() - 365 * 864e5).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 864e5).toISOString().slice(0, 10);
  for (let n = 0; n < 3; n++) await call(analyst, `/v1/stats/summary?forceId=${force}&from=${from}&to=${to}`);
  await call(admin, '/v1/audit-events/verify');
}

interface Run {
  readyMs: number;
  idleMb: number;
  walkedMb: number;
  /** How long the walk took (PGlite's speed, with the service's WebAssembly settings). */
  walkMs: number;
  existingReadyMs: number;
  existingIdleMb: number;
}

async function run(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'oar-embedded-'));
  try {
    const dataDir = join(dir, 'data');
    const first = await startServer(server, env(dataDir), await freePort());
    await sleep(3000);
    const idleMb = rssMb(first.child.pid!);
    const admin = /\n\n {2}(\S+)\n\n/.exec(first.output())?.[1];
    if (!admin) throw new Error(`no admin key printed:\n${first.output()}`);
    const walkStarted = performance.now();
    await walk(first.url, admin);
    const walkMs = performance.now() - walkStarted;
    await sleep(2000);
    const walkedMb = rssMb(first.child.pid!);
    await stopServer(first);
    const again = await startServer(server, env(dataDir), await freePort());
    await sleep(3000);
    const existingIdleMb = rssMb(again.child.pid!);
    await stopServer(again);
    return {
      readyMs: Math.round(first.readyMs),
      idleMb: Math.round(idleMb),
      walkedMb: Math.round(walkedMb),
      walkMs: Math.round(walkMs),
      existingReadyMs: Math.round(again.readyMs),
      existingIdleMb: Math.round(existingIdleMb),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs = Number(process.argv[2] ?? 3);
const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const r = await run();
  results.push(r);
  console.log(JSON.stringify(r));
}
const keys = Object.keys(results[0]!) as (keyof Run)[];
console.log(`medians of ${runs}: ${JSON.stringify(Object.fromEntries(keys.map((k) => [k, Math.round(median(results.map((r) => r[k])))])))}`);
