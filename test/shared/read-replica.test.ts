// DATABASE_READ_URL: statistics, the federation list, incident lists and the care queue read the replica;
// writes and GET by id stay on the primary, and the audit events of replica reads land on the primary.
// The "replica" here is a second database holding a marker incident the primary does not have.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { openDatabase, queryRows } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { drainRollup } from '../../src/modules/stats/rollup.ts';
import { insertPrincipal } from '../../src/modules/principals/service.ts';
import { buildTestApp, serverUrl } from '../helper.ts';
import { FORCE_A, incidentBody, victimBody } from '../factories.ts';

const url = serverUrl();
t.test(
  'reads go to the replica, writes and GET by id to the primary',
  { skip: url ? false : 'needs TEST_DATABASE_URL (a second Postgres database)' },
  async (t) => {
    const h = await buildTestApp(t);

    // The replica: its own migrated database, with one incident only it holds.
    const name = `oar_replica_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const replicaUrl = new URL(url!);
    replicaUrl.pathname = `/${name}`;
    const replica = await openDatabase({ databaseUrl: replicaUrl.toString(), dataDir: 'unused', poolSize: 2 });
    t.teardown(async () => {
      await replica.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    });
    await migrate(replica);
    const seeder = await buildApp({ database: replica, clock: h.clock });
    const seederKey = (await insertPrincipal(replica.db, h.clock.now(), { name: 'seeder', roles: ['force_system'], forceId: FORCE_A }, null)).key;
    const marker = await seeder.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: { authorization: `Bearer ${seederKey}` },
      payload: incidentBody({ forceReference: 'REPLICA-MARKER', victims: [victimBody({ federationConsent: true })] }),
    });
    t.equal(marker.statusCode, 201, marker.body);
    const markerId = marker.json().id as string;
    // Its statistics applied from the queue, as the primary's worker would have before the replica received them.
    await drainRollup(replica.db);
    await seeder.close();

    // The service under test: the primary of buildTestApp plus the replica for reads.
    const app = await buildApp({ database: { ...h.database, readDb: replica.db }, clock: h.clock });
    await app.ready();
    t.teardown(() => app.close());
    const system = await h.key(['force_system'], FORCE_A);
    const welfare = await h.key(['welfare_officer'], FORCE_A);
    const rep = await h.key(['federation_rep'], FORCE_A);
    const analyst = await h.key(['analyst'], null);
    const call = (key: string, requestId: string, u: string) =>
      app.inject({ method: 'GET', url: u, headers: { authorization: `Bearer ${key}`, 'x-request-id': requestId } });
    const auditRows = (db: typeof h.database.db, requestId: string) =>
      queryRows<{ action: string; resource_type: string }>(db, sql`select action, resource_type from audit_events where request_id = ${requestId}`);

    const created = await app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: { authorization: `Bearer ${system}` },
      payload: incidentBody({ victims: [victimBody()] }),
    });
    t.equal(created.statusCode, 201, 'a write goes to the primary');
    const createdId = created.json().id as string;
    t.equal((await call(system, 'get-created', `/v1/incidents/${createdId}`)).statusCode, 200, 'GET by id reads the primary (read-your-write)');
    t.equal((await call(system, 'get-marker', `/v1/incidents/${markerId}`)).statusCode, 404, 'the marker is not on the primary');

    const list = await call(system, 'list-incidents', '/v1/incidents');
    t.equal(list.statusCode, 200, list.body);
    t.same(
      list.json().items.map((i: { id: string }) => i.id),
      [markerId],
      'the list reads the replica',
    );
    const csv = await app.inject({ method: 'GET', url: '/v1/incidents', headers: { authorization: `Bearer ${system}`, accept: 'text/csv' } });
    t.match(csv.body, 'REPLICA-MARKER', 'so does its CSV');

    const queue = await call(welfare, 'queue', '/v1/care-steps?status=open');
    t.equal(queue.statusCode, 200, queue.body);
    const queued = new Set(queue.json().items.map((s: { incidentId: string }) => s.incidentId));
    t.same([...queued], [markerId], 'the care queue reads the replica');

    const cases = await call(rep, 'cases', '/v1/cases');
    t.equal(cases.statusCode, 200, cases.body);
    t.same(
      cases.json().items.map((c: { incidentId: string }) => c.incidentId),
      [markerId],
      'the federation list reads the replica',
    );

    const stats = await call(analyst, 'stats', `/v1/stats/summary?forceId=${FORCE_A}&from=2026-01-01&to=2026-12-31`);
    t.equal(stats.statusCode, 200, stats.body);
    t.equal(stats.json().total.counts.incidents, 1, 'statistics read the replica');

    for (const [requestId, action, resourceType] of [
      ['list-incidents', 'list', 'incident'],
      ['queue', 'list', 'care_queue'],
      ['cases', 'list', 'case'],
      ['stats', 'read', 'statistics'],
    ] as const) {
      t.same(await auditRows(h.database.db, requestId), [{ action, resource_type: resourceType }], `${requestId}: audited on the primary`);
      t.same(await auditRows(replica.db, requestId), [], `${requestId}: nothing written on the replica`);
    }
    t.equal((await auditRows(h.database.db, 'get-created')).length, 1, 'GET by id audited on the primary');
  },
);
