// Faults against the real service process on the local PostgreSQL (always, whatever TEST_DATABASE_URL says):
// database connections killed mid-load, a database that refuses connections, 50-way races on one record and
// one Idempotency-Key, kill -9 during a write load, SIGTERM with requests in flight, and the audit chain after
// all of it. Prints one line "RELIABILITY {...}" with its figures (docs/reliability.md); every figure is asserted.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import t, { type Test } from 'tap';
import { FORCE_A, incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';

const root = new URL('../../..', import.meta.url).pathname;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DB = `oar_fault_${randomBytes(6).toString('hex')}`;
const DB_URL = `${PG_SERVER}/${DB}`;
const ADMIN_KEY = `fault-admin-${randomBytes(24).toString('hex')}`;
const REQUEST_TIMEOUT_MS = 10_000;

/** Every incident id any request of this file was answered 201 for: all must exist, with their audit events, at the end. */
const acknowledged = new Set<string>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// The service process

interface Service {
  child: ChildProcess;
  url: string;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// CI always runs this file against the machine's PostgreSQL (an unreachable one fails it). A plain `npm test`
// on a machine with nothing but Node says why it did not run instead of failing.
async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
const RUN = await postgresReachable();
if (!RUN) {
  if (process.env.CI) throw new Error(`No PostgreSQL at ${PG_SERVER}: the fault tests need it (CI runs them).`);
  t.plan(0, `no PostgreSQL at ${PG_SERVER}: the fault tests run in CI against the local server`);
}

if (RUN) {
  const running = new Set<Service>();

  async function startService(): Promise<Service> {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.TEST_DATABASE_URL;
    delete env.DATA_DIR;
    Object.assign(env, {
      DATABASE_URL: DB_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      AUDIT_SEAL_INTERVAL_MS: '200',
      // debug: the service logs each request's arrival ("incoming request"), which test b waits for.
      LOG_LEVEL: 'debug',
      // The per-principal limit stays on (its counters live in the database, so they meet the faults too), set
      // too high to refuse this file's load.
      RATE_LIMIT_MAX: '1000000',
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Generous: under CI's two passes at once, Node 24 and tsx starting the service has taken over 30 s.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        const service = { child, url: m[1]!, out: () => out, err: () => err, exited };
        running.add(service);
        void exited.then(() => running.delete(service));
        return service;
      }
      if (child.exitCode !== null) throw new Error(`the service exited at start-up: ${err.slice(0, 2000)}`);
      await sleep(50);
    }
    child.kill('SIGKILL');
    throw new Error(`the service did not start within 120 s: stderr ${err.slice(0, 1000)} stdout ${out.slice(-1500)}`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // HTTP: every request has a deadline; a network error or a timeout is an answer too (status 0 / -1).

  interface Answer {
    status: number;
    contentType: string;
    body: unknown;
    error?: string;
  }

  async function call(
    base: string,
    path: string,
    opts: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...(opts.headers ?? {}) };
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    try {
      const res = await fetch(base + path, {
        method: opts.method ?? 'GET',
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      if (res.status === 201 && opts.method === 'POST' && path === '/v1/incidents') acknowledged.add((body as { id: string }).id);
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string }; message?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return { status: -1, contentType: '', body: null, error: 'timeout' };
      return { status: 0, contentType: '', body: null, error: e.cause?.code ?? e.message ?? 'network error' };
    }
  }

  function isProblem(a: Answer, status: number): boolean {
    const b = a.body as Record<string, unknown> | null;
    return (
      a.status === status &&
      a.contentType.startsWith('application/problem+json') &&
      !!b &&
      typeof b.type === 'string' &&
      typeof b.title === 'string' &&
      b.status === status &&
      typeof b.detail === 'string' &&
      typeof b.instance === 'string'
    );
  }

  const describe = (a: Answer) => `${a.status}${a.error ? ` (${a.error})` : ''} ${a.contentType} ${JSON.stringify(a.body)?.slice(0, 300)}`;

  // ---------------------------------------------------------------------------------------------------------
  // SQL, straight to the server: the killer and the checker

  async function pgClient(database: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: `${PG_SERVER}/${database}` });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  async function terminateBackends(admin: pg.Client): Promise<number> {
    const r = await admin.query(`select pg_terminate_backend(pid) as killed from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [DB]);
    return r.rows.filter((row: { killed: boolean }) => row.killed).length;
  }

  function withVictimsAndSuspect(ref: string) {
    return incidentBody({ forceReference: ref, victims: [victimBody(), victimBody({ role: 'pcso' })], suspects: [suspectBody()] });
  }

  // ---------------------------------------------------------------------------------------------------------

  const figures = {
    killLoad: { crashes: 0, requests: 0, ok2xx: 0, problem503: 0, unexpected: 0, terminateRounds: 0, backendsKilled: 0, recoveredInMs: -1 },
    blockedDatabase: { readyWhileBlocked: 0, apiCallsWhileBlocked: 5, apiWhileBlocked: 0, readyAfterUnblock: 0, recoveredInMs: -1 },
    concurrency: { patches: 0, patch200: 0, patch412: 0, patchOther: 0, idempotentPosts: 0, idempotent201: 0, distinctIds: 0, incidentRows: 0 },
    kill9: { attempted: 0, acknowledged: 0, inFlightAtKill: 0, found: 0, complete: 0, withAuditEvents: 0, writtenByLoad: 0, halfWritten: 0 },
    sigterm: { inFlight: 0, inFlightCompleted2xx: 0, afterSignal: 0, afterSignalRefusedOr503: 0, exitCode: null as number | null, exitMs: -1 },
    audit: { intact: false, sealed: 0, unsealed: -1, acknowledgedIncidents: 0, foundAtEnd: 0, withSealedCreateEvent: 0 },
  };

  let admin: pg.Client;
  let forceKey = '';
  let service: Service;
  let crashes = 0;

  /** The service's error log lines (level 50+), compacted, to explain a failure. */
  function lastErrors(s: Service): string {
    const lines = s
      .out()
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l))
      .map((l) => {
        try {
          const e = JSON.parse(l) as { msg?: string; err?: { type?: string; code?: string; message?: string } };
          return `[${e.msg}${e.err ? ` ${e.err.type ?? ''} ${e.err.code ?? ''} ${(e.err.message ?? '').slice(0, 120)}` : ''}]`;
        } catch {
          return l.slice(0, 200);
        }
      });
    return [...new Set(lines)].slice(-8).join(' ');
  }

  /** A scenario that found the service dead (a failure already recorded) restarts it so the next one still runs. */
  async function ensureRunning(t: Test): Promise<void> {
    if (service.child.exitCode === null && service.child.signalCode === null) return;
    t.comment(`restarting the service, which had died: ${lastErrors(service)}`);
    service = await startService();
  }

  t.before(async () => {
    admin = await pgClient('postgres');
    await admin.query(`create database ${DB}`);
  });

  // Should the file be stopped before its teardown (tap's timeout sends SIGALRM), no service process and no
  // database is left behind.
  let tornDown = false;
  function cleanUpNow(): void {
    if (tornDown) return;
    tornDown = true;
    for (const s of running) s.child.kill('SIGKILL');
    const drop = `const pg=require('pg');const c=new pg.Client(${JSON.stringify(`${PG_SERVER}/postgres`)});c.connect().then(()=>c.query('drop database if exists ${DB} with (force)')).finally(()=>c.end())`;
    spawnSync(process.execPath, ['-e', drop], { cwd: root, stdio: 'ignore', timeout: 10_000 });
  }
  process.once('exit', cleanUpNow);
  process.once('SIGALRM', cleanUpNow);

  t.teardown(async () => {
    if (tornDown) return;
    tornDown = true;
    for (const s of running) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
    await admin.query(`alter database ${DB} allow_connections true`).catch(() => undefined);
    await admin.query(`drop database if exists ${DB} with (force)`);
    await admin.end();
    console.log('RELIABILITY ' + JSON.stringify({ test: 'test/slow/reliability/faults.test.ts', ...figures }));
  });

  t.test('the service starts on its own database and gives a force key', async (t) => {
    service = await startService();
    const created = await call(service.url, '/v1/principals', {
      method: 'POST',
      key: ADMIN_KEY,
      body: { name: 'fault force system', roles: ['force_system'], forceId: FORCE_A },
    });
    t.equal(created.status, 201, describe(created));
    forceKey = (created.body as { key: string }).key;
    t.ok(forceKey);
  });

  t.test('a. connections killed mid-load: only 2xx or 503 problems, then recovery on its own', async (t) => {
    const TOTAL = 200;
    const CONCURRENCY = 10;
    const KILL_AT = new Set([15, 45, 75, 105, 135, 165]);
    const f = figures.killLoad;
    const unexpected: string[] = [];
    const kills: Promise<void>[] = [];
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        if (KILL_AT.has(i)) {
          kills.push(
            terminateBackends(admin).then((n) => {
              f.terminateRounds++;
              f.backendsKilled += n;
            }),
          );
        }
        const kind = i % 4;
        const a =
          kind === 0
            ? await call(service.url, '/v1/incidents', { method: 'POST', key: forceKey, body: withVictimsAndSuspect(unique('KILLLOAD')) })
            : kind === 1
              ? await call(service.url, '/v1/incidents?limit=20', { key: forceKey })
              : kind === 2
                ? await call(service.url, '/v1/forces', { key: forceKey })
                : await call(service.url, `/v1/forces/${FORCE_A}`, { key: forceKey });
        f.requests++;
        if (a.status >= 200 && a.status < 300) f.ok2xx++;
        else if (isProblem(a, 503)) f.problem503++;
        else {
          f.unexpected++;
          unexpected.push(`request ${i}: ${describe(a)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await Promise.all(kills);
    // The process must survive connections dying under it: a crash shows here with its last error lines.
    await sleep(300);
    const alive = service.child.exitCode === null && service.child.signalCode === null;
    if (!alive) crashes++;
    f.crashes = crashes;
    t.ok(alive, `the service survived the killed connections${alive ? '' : `: it exited ${service.child.exitCode}: ${lastErrors(service)}`}`);
    await ensureRunning(t);
    t.equal(f.requests, TOTAL, 'every request was answered (none hung past its deadline)');
    t.same(
      unexpected.slice(0, 12),
      [],
      `every answer is a 2xx or a 503 problem+json: never a 500, a hang or a dropped connection (${unexpected.length} were not)`,
    );
    t.equal(f.terminateRounds, KILL_AT.size, 'every kill round ran');
    t.ok(f.backendsKilled > 0, `backends were terminated (${f.backendsKilled})`);

    // No intervention: the pool replaces its dead connections by itself.
    const started = Date.now();
    let ready = await call(service.url, '/health/ready');
    while (ready.status !== 200 && Date.now() - started < 10_000) {
      await sleep(100);
      ready = await call(service.url, '/health/ready');
    }
    t.equal(ready.status, 200, '/health/ready is 200 again');
    const after: string[] = [];
    for (let i = 0; i < 20; i++) {
      const a =
        i % 2 === 0
          ? await call(service.url, '/v1/incidents', { method: 'POST', key: forceKey, body: withVictimsAndSuspect(unique('AFTERKILL')) })
          : await call(service.url, '/v1/incidents?limit=5', { key: forceKey });
      if (a.status !== (i % 2 === 0 ? 201 : 200)) after.push(describe(a));
    }
    t.same(after, [], '20 requests after the kills all succeed');
    f.recoveredInMs = Date.now() - started;
  });

  t.test('a. a database that refuses connections: ready says 503, then recovers by itself', async (t) => {
    await ensureRunning(t);
    const f = figures.blockedDatabase;
    await admin.query(`alter database ${DB} allow_connections false`);
    let unblocked = false;
    try {
      await terminateBackends(admin);
      let ready = await call(service.url, '/health/ready');
      const deadline = Date.now() + 10_000;
      while (ready.status !== 503 && Date.now() < deadline) {
        await terminateBackends(admin);
        await sleep(100);
        ready = await call(service.url, '/health/ready');
      }
      t.ok(isProblem(ready, 503), `/health/ready answers a 503 problem while the database refuses connections: ${describe(ready)}`);
      if (isProblem(ready, 503)) f.readyWhileBlocked++;
      // API calls meanwhile are 503 problems too (the database is unavailable), never 500s. Several, so that
      // both a pooled connection found dead and a new connection refused by the server are met.
      const apiAnswers: Answer[] = [];
      for (let i = 0; i < 5; i++) {
        apiAnswers.push(await call(service.url, i % 2 ? `/v1/forces/${FORCE_A}` : '/v1/incidents?limit=5', { key: forceKey }));
        await terminateBackends(admin);
      }
      f.apiWhileBlocked = apiAnswers.filter((a) => isProblem(a, 503)).length;
      t.equal(
        f.apiWhileBlocked,
        apiAnswers.length,
        `API calls answer 503 problems while the database refuses connections: ${apiAnswers
          .filter((a) => !isProblem(a, 503))
          .map(describe)
          .join(' | ')} ${lastErrors(service)}`,
      );

      await admin.query(`alter database ${DB} allow_connections true`);
      unblocked = true;
      const started = Date.now();
      ready = await call(service.url, '/health/ready');
      while (ready.status !== 200 && Date.now() - started < 10_000) {
        await sleep(100);
        ready = await call(service.url, '/health/ready');
      }
      t.equal(ready.status, 200, '/health/ready is 200 again without a restart');
      if (ready.status === 200) f.readyAfterUnblock++;
      f.recoveredInMs = Date.now() - started;
      const list = await call(service.url, '/v1/incidents?limit=5', { key: forceKey });
      t.equal(list.status, 200, describe(list));
      const alive = service.child.exitCode === null && service.child.signalCode === null;
      if (!alive) crashes++;
      figures.killLoad.crashes = crashes;
      t.ok(alive, 'the service survived the blocked database');
    } finally {
      if (!unblocked) await admin.query(`alter database ${DB} allow_connections true`);
    }
  });

  t.test('d. 50 simultaneous PATCHes with one If-Match: one 200, 49 x 412', async (t) => {
    await ensureRunning(t);
    const f = figures.concurrency;
    const created = await call(service.url, '/v1/incidents', { method: 'POST', key: forceKey, body: withVictimsAndSuspect(unique('RACE')) });
    t.equal(created.status, 201, describe(created));
    const id = (created.body as { id: string }).id;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(service.url, `/v1/incidents/${id}`, {
          method: 'PATCH',
          key: forceKey,
          headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
          body: { narrative: `racer ${i}` },
        }),
      ),
    );
    f.patches = answers.length;
    f.patch200 = answers.filter((a) => a.status === 200).length;
    f.patch412 = answers.filter((a) => isProblem(a, 412)).length;
    f.patchOther = answers.length - f.patch200 - f.patch412;
    t.equal(f.patch200, 1, 'exactly one PATCH wins');
    t.equal(
      f.patch412,
      49,
      `49 x 412 problems; others: ${answers
        .filter((a) => a.status !== 200 && a.status !== 412)
        .map(describe)
        .join(' | ')}`,
    );
    const now = await call(service.url, `/v1/incidents/${id}`, { key: forceKey });
    const winner = answers.find((a) => a.status === 200)?.body as { narrative?: string } | undefined;
    t.equal((now.body as { version: number }).version, 2, 'the incident moved one version');
    t.equal((now.body as { narrative: string }).narrative, winner?.narrative, "the stored narrative is the winner's");
  });

  t.test('d. 50 simultaneous POSTs with one Idempotency-Key: all 201, one id, one row', async (t) => {
    const f = figures.concurrency;
    const ref = unique('IDEM');
    const body = withVictimsAndSuspect(ref);
    const key = `idem-${randomBytes(8).toString('hex')}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => call(service.url, '/v1/incidents', { method: 'POST', key: forceKey, headers: { 'idempotency-key': key }, body })),
    );
    f.idempotentPosts = answers.length;
    f.idempotent201 = answers.filter((a) => a.status === 201).length;
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => (a.body as { id: string }).id));
    f.distinctIds = ids.size;
    t.equal(
      f.idempotent201,
      50,
      `all 201; others: ${answers
        .filter((a) => a.status !== 201)
        .map(describe)
        .join(' | ')}`,
    );
    t.equal(f.distinctIds, 1, 'one id in every answer');
    const db = await pgClient(DB);
    try {
      const rows = await db.query('select count(*)::int as n from incidents where force_reference = $1', [ref]);
      f.incidentRows = rows.rows[0].n;
      t.equal(f.incidentRows, 1, 'exactly one incident row');
      const people = await db.query(
        'select (select count(*)::int from victims v join incidents i on i.id = v.incident_id where i.force_reference = $1) as v, (select count(*)::int from suspects s join incidents i on i.id = s.incident_id where i.force_reference = $1) as s',
        [ref],
      );
      t.same(people.rows[0], { v: 2, s: 1 }, 'and its people once');
    } finally {
      await db.end();
    }
  });

  t.test('c. kill -9 during a write load: every acknowledged write is there and complete, nothing half-written', async (t) => {
    await ensureRunning(t);
    const f = figures.kill9;
    const prefix = `KILL9-${randomBytes(4).toString('hex')}-`;
    const acked = new Map<string, string>(); // incident id -> force reference
    const beforeKill: string[] = [];
    let n = 0;
    let inFlight = 0;
    let killed = false;
    const target = service;
    const worker = async () => {
      while (!killed) {
        const ref = `${prefix}${n++}`;
        f.attempted++;
        inFlight++;
        const a = await call(target.url, '/v1/incidents', { method: 'POST', key: forceKey, body: withVictimsAndSuspect(ref) });
        inFlight--;
        if (a.status === 201) {
          acked.set((a.body as { id: string }).id, ref);
        } else if (!killed) {
          beforeKill.push(describe(a));
        }
      }
    };
    const workers = Array.from({ length: 5 }, worker);
    await sleep(3000);
    f.inFlightAtKill = inFlight;
    killed = true;
    target.child.kill('SIGKILL');
    await Promise.all(workers);
    const exit = await target.exited;
    t.equal(exit.signal, 'SIGKILL', 'the process was killed');
    t.same(beforeKill, [], 'before the kill every write answered 201');
    t.ok(f.inFlightAtKill > 0, `writes were in flight at the kill (${f.inFlightAtKill})`);
    f.acknowledged = acked.size;
    t.ok(f.acknowledged >= 5, `a real load was acknowledged (${f.acknowledged})`);

    service = await startService();
    const incomplete: string[] = [];
    for (const [id, ref] of acked) {
      const a = await call(service.url, `/v1/incidents/${id}`, { key: forceKey });
      const body = a.body as { forceReference?: string; victims?: unknown[]; suspects?: unknown[] };
      if (a.status === 200 && body.forceReference === ref) f.found++;
      if (a.status === 200 && body.forceReference === ref && body.victims?.length === 2 && body.suspects?.length === 1) f.complete++;
      else incomplete.push(`${id}: ${describe(a)}`);
    }
    t.same(incomplete, [], 'every acknowledged incident reads back with its 2 victims and 1 suspect');
    t.equal(f.found, f.acknowledged, 'acknowledged === found');

    const db = await pgClient(DB);
    try {
      // Every incident the load wrote (acknowledged or not): whole or absent.
      const rows = await db.query(
        `select i.id, i.force_reference,
                (select count(*)::int from victims v where v.incident_id = i.id) as victims,
                (select count(*)::int from suspects s where s.incident_id = i.id) as suspects,
                (select count(*)::int from audit_events a where a.resource_id = i.id and a.action = 'create' and a.resource_type = 'incident') as incident_events,
                (select count(*)::int from audit_events a join victims v on v.id = a.resource_id
                   where v.incident_id = i.id and a.action = 'create' and a.resource_type = 'victim') as victim_events,
                (select count(*)::int from audit_events a join suspects s on s.id = a.resource_id
                   where s.incident_id = i.id and a.action = 'create' and a.resource_type = 'suspect') as suspect_events,
                (select count(*)::int from audit_events a join victims v on v.id = a.resource_id
                   where v.incident_id = i.id and a.action = 'create' and a.resource_type = 'care_plan') as care_plan_events
           from incidents i where i.force_reference like $1`,
        [`${prefix}%`],
      );
      f.writtenByLoad = rows.rowCount ?? 0;
      const half = rows.rows.filter((r) => r.victims !== 2 || r.suspects !== 1);
      f.halfWritten = half.length;
      t.same(half, [], 'every incident written by the load has exactly 2 victims and 1 suspect');
      const missingEvents = rows.rows.filter((r) => r.incident_events !== 1 || r.victim_events !== 2 || r.suspect_events !== 1 || r.care_plan_events !== 2);
      t.same(missingEvents, [], 'every incident written by the load has its create events (incident, 2 victims, 1 suspect, 2 care plans)');
      const ackedIds = [...acked.keys()];
      const withEvents = await db.query(
        `select count(distinct resource_id)::int as n from audit_events where action = 'create' and resource_type = 'incident' and resource_id = any($1::uuid[])`,
        [ackedIds],
      );
      f.withAuditEvents = withEvents.rows[0].n;
      t.equal(f.withAuditEvents, f.acknowledged, 'every acknowledged write has its audit event');
      // Each victim's care plan has all the steps of the template it was made from.
      const plans = await db.query(
        `select v.id, count(c.id)::int as steps, max(jsonb_array_length(tp.steps))::int as expected
           from victims v join incidents i on i.id = v.incident_id
           left join care_steps c on c.victim_id = v.id
           left join care_plan_templates tp on tp.id = c.template_id
          where i.force_reference like $1 group by v.id`,
        [`${prefix}%`],
      );
      const badPlans = plans.rows.filter((r) => !(r.steps > 0 && r.steps === r.expected));
      t.same(badPlans, [], 'every victim has a care plan with every step of its template');
      t.equal(plans.rowCount, f.writtenByLoad * 2, 'a plan per victim');
    } finally {
      await db.end();
    }
  });

  /** A POST whose body is sent in two halves: in flight for as long as the test wants. */
  function slowPost(base: string, path: string, key: string, body: unknown, requestId: string) {
    const payload = Buffer.from(JSON.stringify(body));
    const half = Math.floor(payload.length / 2);
    const req = http.request(base + path, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(payload.length), 'x-request-id': requestId },
    });
    const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    });
    req.write(payload.subarray(0, half));
    return { done, finish: () => req.end(payload.subarray(half)) };
  }

  /** A new connection (no keep-alive reuse): its status, or 0 when refused. */
  function freshGet(base: string, path: string, key: string): Promise<{ status: number; error?: string; contentType?: string }> {
    return new Promise((resolve) => {
      const req = http.get(base + path, { agent: false, headers: { authorization: `Bearer ${key}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') }));
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, error: err.code ?? err.message }));
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    });
  }

  t.test('b. SIGTERM with requests in flight: they finish, new ones are refused, exit 0 within 10 s', async (t) => {
    await ensureRunning(t);
    const f = figures.sigterm;
    const target = service;
    const tag = randomBytes(4).toString('hex');
    const slow = [0, 1, 2].map((i) => slowPost(target.url, '/v1/incidents', forceKey, withVictimsAndSuspect(unique('SIGTERM')), `sigterm-${tag}-post-${i}`));
    const lists = [0, 1, 2, 3, 4, 5].map((i) =>
      call(target.url, '/v1/incidents?limit=500', { key: forceKey, headers: { 'x-request-id': `sigterm-${tag}-list-${i}` } }),
    );
    f.inFlight = slow.length + lists.length;
    // Every one of them has reached the service (it logged "incoming request" with its id) before the signal.
    const deadline = Date.now() + 5000;
    const ids = [...slow.map((_, i) => `sigterm-${tag}-post-${i}`), ...lists.map((_, i) => `sigterm-${tag}-list-${i}`)];
    while (!ids.every((id) => target.out().includes(`"reqId":"${id}"`)) && Date.now() < deadline) await sleep(10);
    t.ok(
      ids.every((id) => target.out().includes(`"reqId":"${id}"`)),
      'all requests reached the service before the signal',
    );
    const signalledAt = Date.now();
    target.child.kill('SIGTERM');
    while (!target.out().includes('closing: finishing requests in flight') && Date.now() - signalledAt < 5000) await sleep(10);
    await sleep(100);
    // New connections after the signal: refused, or answered 503.
    const late = await Promise.all([0, 1, 2].map(() => freshGet(target.url, '/v1/forces', forceKey)));
    f.afterSignal = late.length;
    f.afterSignalRefusedOr503 = late.filter((a) => a.status === 0 || a.status === 503).length;
    t.equal(f.afterSignalRefusedOr503, late.length, `new connections refused or 503: ${JSON.stringify(late)}`);
    // The slow POSTs send the rest of their bodies now, after the signal, and still get their 201.
    for (const s of slow) s.finish();
    const answers = await Promise.all([
      ...slow.map((s) =>
        s.done
          .then((a) => {
            if (a.status === 201) acknowledged.add((JSON.parse(a.body) as { id: string }).id);
            return a.status;
          })
          .catch((err: Error) => `error ${err.message}`),
      ),
      ...lists.map((l) => l.then((a) => (a.error ? `error ${a.error}` : a.status))),
    ]);
    f.inFlightCompleted2xx = answers.filter((s) => typeof s === 'number' && s >= 200 && s < 300).length;
    t.same(answers, [201, 201, 201, 200, 200, 200, 200, 200, 200], 'in-flight requests completed with 2xx');
    const exit = await Promise.race([target.exited, sleep(12_000).then(() => null)]);
    f.exitMs = Date.now() - signalledAt;
    f.exitCode = exit?.code ?? null;
    t.equal(exit?.code, 0, `exit code 0 ${lastErrors(target)}`);
    t.ok(f.exitMs < 10_000, `exited within 10 s (${f.exitMs} ms)`);
  });

  t.test('e. after all of it: the audit chain is sealed and intact', async (t) => {
    service = await startService();
    const f = figures.audit;
    let verify = await call(service.url, '/v1/audit-events/verify', { key: ADMIN_KEY });
    const deadline = Date.now() + 10_000;
    while ((verify.body as { unsealed?: number }).unsealed !== 0 && Date.now() < deadline) {
      await sleep(250);
      verify = await call(service.url, '/v1/audit-events/verify', { key: ADMIN_KEY });
    }
    t.equal(verify.status, 200, describe(verify));
    const v = verify.body as { intact: boolean; sealed: number; unsealed: number; firstBrokenSeq: number | null };
    f.intact = v.intact;
    f.sealed = v.sealed;
    f.unsealed = v.unsealed;
    t.equal(v.unsealed, 0, 'the sealer chained every event');
    t.equal(v.intact, true, `the chain is intact (first broken: ${v.firstBrokenSeq})`);
    // Every incident any request of this file was answered 201 for is there, with its create event, sealed.
    const ids = [...acknowledged];
    f.acknowledgedIncidents = ids.length;
    const db = await pgClient(DB);
    try {
      const found = await db.query('select count(*)::int as n from incidents where id = any($1::uuid[])', [ids]);
      f.foundAtEnd = found.rows[0].n;
      const events = await db.query(
        `select count(distinct resource_id)::int as n from audit_events
          where action = 'create' and resource_type = 'incident' and seq is not null and resource_id = any($1::uuid[])`,
        [ids],
      );
      f.withSealedCreateEvent = events.rows[0].n;
      const total = await db.query('select count(*)::int as n from audit_events');
      t.ok(v.sealed >= total.rows[0].n - 1, `every event was checked (${v.sealed} sealed of ${total.rows[0].n}, the verify event itself may follow)`);
    } finally {
      await db.end();
    }
    t.ok(ids.length >= 50, `many writes were acknowledged over the whole file (${ids.length})`);
    t.equal(f.foundAtEnd, ids.length, 'every acknowledged incident exists');
    t.equal(f.withSealedCreateEvent, ids.length, 'every acknowledged incident has its create event, sealed into the chain');
    service.child.kill('SIGTERM');
    t.equal((await service.exited).code, 0);
  });
}
