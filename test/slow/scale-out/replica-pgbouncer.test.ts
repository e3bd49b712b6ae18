// Scale-out on real parts (docs/scaling.md): a temporary primary, a streaming replica of it (pg_basebackup -R)
// and PgBouncer in transaction mode in front of the primary, all from Debian's packages. The read-replica
// cases run with DATABASE_READ_URL on the real replica (lag made visible by pausing its replay); a smoke walk
// and the bench's POST incident and GET by id load run through PgBouncer. Prints one line "SCALE-OUT {...}".
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import t, { type Test } from 'tap';
import { runLoad } from '../../../bench/load.ts';
import { buildApp } from '../../../src/app.ts';
import { openDatabase, type Database } from '../../../src/db/client.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { insertPrincipal } from '../../../src/modules/principals/service.ts';
import { FORCE_A, incidentBody, victimBody } from '../../factories.ts';
import { TestClock } from '../../helper.ts';
import { missing, query, startCluster, type Cluster } from './cluster.ts';

const why = missing();
const figures: Record<string, unknown> = {};
const clock = new TestClock();

async function service(t: Test, opts: { databaseUrl: string; readUrl?: string; preparedStatements: boolean; poolSize?: number }) {
  const database = await openDatabase({ ...opts, dataDir: 'unused', poolSize: opts.poolSize ?? 4 });
  const app = await buildApp({ database, clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  return { app, database };
}

const keyOn = async (database: Database, roles: ('force_system' | 'analyst' | 'welfare_officer' | 'federation_rep')[], forceId: string | null) =>
  (await insertPrincipal(database.db, clock.now(), { name: `scale-out ${roles.join('+')}`, roles, forceId }, null)).key;

const caller = (app: FastifyInstance, key: string) => (method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });

t.test('a streaming replica and PgBouncer, from Debian packages', { skip: why ?? false }, async (t) => {
  const cluster: Cluster = await startCluster(t);
  const { url } = cluster;
  const primaryUrl = url(cluster.primary, 'oar');
  const replicaUrl = url(cluster.replica, 'oar');
  figures.postgres = cluster.pgVersion.split(' on ')[0];
  figures.pgbouncer = cluster.bouncerVersion;
  // Migrations run on the primary directly (their start-up lock is session-level: not through transaction mode).
  const migrator = await openDatabase({ databaseUrl: primaryUrl, dataDir: 'unused', poolSize: 2 });
  await migrate(migrator);
  await migrator.close();
  const caughtUp = async () => {
    const [{ lsn }] = (await query<{ lsn: string }>(primaryUrl, 'select pg_current_wal_lsn()::text as lsn')) as [{ lsn: string }];
    for (;;) {
      const [{ done }] = (await query<{ done: boolean }>(replicaUrl, 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [lsn])) as [{ done: boolean }];
      if (done) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  await t.test('DATABASE_READ_URL on the real replica: reads there, writes and GET by id on the primary', async (t) => {
    const { app, database } = await service(t, { databaseUrl: primaryUrl, readUrl: replicaUrl, preparedStatements: true });
    const systemKey = await keyOn(database, ['force_system'], FORCE_A);
    const systemAuth = `Bearer ${systemKey}`;
    const system = caller(app, systemKey);
    const analyst = caller(app, await keyOn(database, ['analyst'], null));
    const welfare = caller(app, await keyOn(database, ['welfare_officer'], FORCE_A));
    const rep = caller(app, await keyOn(database, ['federation_rep'], FORCE_A));

    // Lag as it happens: 20 creates, each read back by id at once (the primary), and the time until the
    // replica holds the row (polled every 2 ms on the replica itself).
    const lagMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const created = await system('POST', '/v1/incidents', incidentBody({ victims: [victimBody({ federationConsent: true })] }));
      t.equal(created.statusCode, 201, created.body);
      const committed = performance.now();
      const id = created.json().id as string;
      t.equal((await system('GET', `/v1/incidents/${id}`)).statusCode, 200, 'read back by id at once: the primary');
      const replica = new pg.Client({ connectionString: replicaUrl });
      await replica.connect();
      while ((await replica.query('select 1 from incidents where id = $1', [id])).rowCount === 0) await new Promise((r) => setTimeout(r, 2));
      lagMs.push(performance.now() - committed);
      await replica.end();
    }
    lagMs.sort((a, b) => a - b);
    figures.replicaVisibleAfterMs = { median: Math.round(lagMs[10]! * 10) / 10, max: Math.round(lagMs[19]! * 10) / 10, samples: 20 };
    figures.pgStatReplication = (
      await query(primaryUrl, 'select state, sync_state, write_lag::text, flush_lag::text, replay_lag::text from pg_stat_replication')
    )[0];

    // Lag held open: replay paused on the replica, so a new incident is on the primary only. First the statistics
    // queue applied on the primary (the service's worker does it moments after each commit) and replicated.
    await query(primaryUrl, 'select stats_drain(10000)');
    await caughtUp();
    const before = await system('GET', '/v1/incidents?limit=100');
    t.equal(before.statusCode, 200, before.body);
    const seen = before.json().items.length as number;
    t.equal(seen, 20, 'the list (replica) holds the 20 incidents once caught up');
    await query(replicaUrl, 'select pg_wal_replay_pause()');
    const created = await system(
      'POST',
      '/v1/incidents',
      incidentBody({ forceReference: 'SCALE-OUT-LAGGING', victims: [victimBody({ federationConsent: true })] }),
    );
    t.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    t.equal((await system('GET', `/v1/incidents/${id}`)).statusCode, 200, 'read-your-write by id while the replica lags: the primary');
    const lagging = await system('GET', '/v1/incidents?limit=100');
    t.equal(lagging.json().items.length, 20, 'the list (replica) does not have it yet, as docs/scaling.md says');
    const csv = await app.inject({ method: 'GET', url: '/v1/incidents', headers: { authorization: systemAuth, accept: 'text/csv' } });
    t.notMatch(csv.body, 'SCALE-OUT-LAGGING', 'nor its CSV');
    const stats = await analyst('GET', `/v1/stats/summary?forceId=${FORCE_A}&from=2026-01-01&to=2026-12-31`);
    t.equal(stats.statusCode, 200, stats.body);
    t.equal(stats.json().total.counts.incidents, 20, 'statistics read the replica');
    await query(replicaUrl, 'select pg_wal_replay_resume()');
    await caughtUp();
    const after = await system('GET', '/v1/incidents?limit=100');
    t.equal(after.json().items.length, 21, 'once replayed, the list has it');
    const csvAfter = await app.inject({ method: 'GET', url: '/v1/incidents', headers: { authorization: systemAuth, accept: 'text/csv' } });
    t.match(csvAfter.body, 'SCALE-OUT-LAGGING', 'and its CSV');
    const queue = await welfare('GET', '/v1/care-steps?status=open');
    t.equal(queue.statusCode, 200, queue.body);
    const cases = await rep('GET', '/v1/cases');
    t.equal(cases.statusCode, 200, cases.body);
    t.equal(cases.json().items.length > 0, true, 'the federation list reads the replica');

    // The replica is read-only: these reads worked there only because their audit events went to the primary.
    const [{ reads }] = (await query<{ reads: number }>(
      primaryUrl,
      "select count(*)::int as reads from audit_events where action = 'list' and resource_type in ('incident', 'care_queue', 'case')",
    )) as [{ reads: number }];
    t.ok(reads >= 6, `the replica reads' audit events are on the primary (${reads})`);
    const [{ standby }] = (await query<{ standby: boolean }>(replicaUrl, 'select pg_is_in_recovery() as standby')) as [{ standby: boolean }];
    t.equal(standby, true, 'the replica is a hot standby');
  });

  await t.test('PgBouncer in transaction mode (1.18: no protocol-level prepared statements)', async (t) => {
    // What fails: two connections through one server connection, each preparing the same name.
    const [a, b] = [new pg.Client({ connectionString: url(cluster.bouncer, 'oar_one') }), new pg.Client({ connectionString: url(cluster.bouncer, 'oar_one') })];
    await a.connect();
    await b.connect();
    await a.query({ name: 'probe', text: 'select 1' });
    const clash = await b.query({ name: 'probe', text: 'select 1' }).then(
      () => null,
      (err: { code?: string }) => err.code,
    );
    await a.end();
    await b.end();
    t.equal(clash, '42P05', 'a named statement clashes on a shared server connection (prepared statement already exists)');

    const named = await service(t, { databaseUrl: url(cluster.bouncer, 'oar_one'), preparedStatements: true, poolSize: 2 });
    const namedSystem = caller(named.app, await keyOn(named.database, ['force_system'], FORCE_A));
    // A first POST works: the statements it names (its incident's and its people's inserts) are new to the server
    // connection its transaction holds. Concurrent POSTs send the same names from both client connections of the
    // service's pool through the one server connection: they clash. (GET by id names nothing: its read goes with BEGIN.)
    const created = await namedSystem('POST', '/v1/incidents', incidentBody());
    t.equal(created.statusCode, 201, 'a first POST, whose names are new to the server connection, works');
    const answers = await Promise.all(Array.from({ length: 10 }, () => namedSystem('POST', '/v1/incidents', incidentBody())));
    const failedNamed = answers.filter((r) => r.statusCode >= 500).length;
    t.ok(failedNamed > 0, `the service with DB_PREPARED_STATEMENTS=on fails behind it (${failedNamed} of 10 concurrent POSTs answered 5xx)`);
    figures.transactionModeNamedStatements = { requests: 10, failed: failedNamed };

    // What works: DB_PREPARED_STATEMENTS=off.
    const { app, database } = await service(t, { databaseUrl: url(cluster.bouncer, 'oar'), preparedStatements: false });
    const key = await keyOn(database, ['force_system'], FORCE_A);
    const analystKey = await keyOn(database, ['analyst'], null);
    const figures1 = await walkAndLoad(t, app, key, analystKey);
    figures.transactionModeUnnamed = figures1;
  });

  await t.test('PgBouncer in session mode keeps the named prepared statements', async (t) => {
    const { app, database } = await service(t, { databaseUrl: url(cluster.bouncer, 'oar_session'), preparedStatements: true });
    const key = await keyOn(database, ['force_system'], FORCE_A);
    const analystKey = await keyOn(database, ['analyst'], null);
    figures.sessionModeNamed = await walkAndLoad(t, app, key, analystKey);
  });

  t.teardown(() => console.log(`SCALE-OUT ${JSON.stringify(figures)}`));
});

/** The smoke walk (create, read back, list, statistics), then 3 s each of the bench's POST and GET by id load. */
async function walkAndLoad(t: Test, app: FastifyInstance, key: string, analystKey: string) {
  const system = caller(app, key);
  const created = await system('POST', '/v1/incidents', incidentBody({ victims: [victimBody()] }));
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  t.equal((await system('GET', `/v1/incidents/${id}`)).statusCode, 200, 'read back');
  const list = await system('GET', '/v1/incidents?limit=5');
  t.equal(list.statusCode, 200, list.body);
  const stats = await caller(app, analystKey)('GET', `/v1/stats/summary?forceId=${FORCE_A}&from=2026-01-01&to=2026-12-31`);
  t.equal(stats.statusCode, 200, stats.body);

  const { port } = app.server.address() as { port: number };
  const common = { url: `http://127.0.0.1:${port}`, connections: 4, durationSeconds: 3, headers: { authorization: `Bearer ${key}` } };
  const post = await runLoad({ ...common, kind: 'postIncident', path: '/v1/incidents', body: incidentBody() });
  const get = await runLoad({ ...common, kind: 'getById', path: '/v1/incidents/', ids: [id, ...list.json().items.map((i: { id: string }) => i.id)] });
  for (const [name, r] of [
    ['POST incident', post],
    ['GET by id', get],
  ] as const) {
    t.ok(r.requests > 0, `${name}: ${r.requests} requests`);
    t.equal(r.errors + r.timeouts + r.non2xx, 0, `${name}: no errors, timeouts or non-2xx (${JSON.stringify(r.statusCodes)})`);
  }
  return { postRequests: post.requests, postErrors: post.errors + post.non2xx, getRequests: get.requests, getErrors: get.errors + get.non2xx };
}
