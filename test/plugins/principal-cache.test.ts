// The per-instance principal cache: a key is read once, a revocation is heard at once where it is made and
// within seconds on another instance on the same database (NOTIFY), on PGlite and on Postgres.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { openDatabase, queryRows } from '../../src/db/client.ts';
import { PrincipalCache } from '../../src/plugins/principal-cache.ts';
import type { TestApp } from '../helper.ts';
import { buildTestApp } from '../helper.ts';
import { FORCE_A } from '../factories.ts';

const forces = { method: 'GET' as const, url: '/v1/forces' };

async function eventually(what: string, check: () => Promise<boolean>, ms = 5000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

async function newKey(h: TestApp) {
  const created = await h.call(h.adminKey, {
    method: 'POST',
    url: '/v1/principals',
    payload: { name: 'cached (synthetic)', roles: ['force_system'], forceId: FORCE_A },
  });
  return created.json() as { id: string; key: string; keys: { id: string }[] };
}

t.test('a key is read once, then answered from the cache until a revocation is heard', async (t) => {
  const h = await buildTestApp(t);
  const { id, key } = await newKey(h);
  t.equal((await h.call(key, forces)).statusCode, 200);
  // Revoked behind the service's back, with no notice: the cached answer still stands (so it is cached)...
  await h.database.db.execute(sql`update principals set revoked_at = now() where id = ${id}`);
  t.equal((await h.call(key, forces)).statusCode, 200, 'answered from the cache');
  // ...until the notice comes, as it does from every revocation in any instance.
  await h.database.db.execute(sql`select pg_notify('principal_revoked', ${id})`);
  const took = await eventually('the key is refused', async () => (await h.call(key, forces)).statusCode === 401);
  t.ok(took < 5000, `refused after the notice (${took} ms)`);
});

t.test('revoking through the API refuses the key on the very next request', async (t) => {
  const h = await buildTestApp(t);
  const { id, key, keys } = await newKey(h);
  t.equal((await h.call(key, forces)).statusCode, 200);
  t.equal((await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${id}/keys/${keys[0]!.id}` })).statusCode, 200);
  t.equal((await h.call(key, forces)).statusCode, 401, 'a revoked key is refused at once');
});

t.test('the cache is bounded and drops expired entries', async (t) => {
  let now = 0;
  const cache = new PrincipalCache({ ttlMs: 1000, maxEntries: 2, now: () => now });
  const value = (id: string) => ({ principal: { id, name: id, roles: [], forceId: null }, keyId: id, lastUsedAt: null });
  cache.set('a', value('a'), cache.ticket());
  t.equal(cache.size, 0, 'nothing is cached while revocations are not heard');
  cache.setListening(true);
  cache.set('a', value('a'), cache.ticket());
  cache.set('b', value('b'), cache.ticket());
  cache.get('a');
  cache.set('c', value('c'), cache.ticket());
  t.equal(cache.size, 2);
  t.ok(cache.get('a'), 'the recently used entry stays');
  t.notOk(cache.get('b'), 'the least recently used entry goes');
  const stale = cache.ticket();
  cache.evictPrincipal('a');
  t.notOk(cache.get('a'));
  cache.set('a', value('a'), stale);
  t.notOk(cache.get('a'), 'a lookup begun before an eviction does not put the old answer back');
  now = 1001;
  t.notOk(cache.get('c'), 'expired');
});

t.test(
  'two instances on one Postgres database',
  { skip: !process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL ? 'needs TEST_DATABASE_URL' : false },
  async (t) => {
    const h = await buildTestApp(t);
    const url = (h.database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    const other = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 2 });
    const b = await buildApp({ database: other, clock: h.clock });
    await b.ready();
    t.teardown(async () => {
      await b.close();
      await other.close();
    });
    const callB = (key: string) => b.inject({ ...forces, headers: { authorization: `Bearer ${key}` } });

    t.test('revoked on A: A refuses at once, B within seconds', async (t) => {
      const { id, key } = await newKey(h);
      t.equal((await callB(key)).statusCode, 200, 'B knows the key (and caches it)');
      t.equal((await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${id}` })).statusCode, 200);
      t.equal((await h.call(key, forces)).statusCode, 401, 'A refuses at once');
      const took = await eventually('B refuses', async () => (await callB(key)).statusCode === 401);
      t.ok(took < 3000, `B refused after ${took} ms`);
    });

    t.test('a dropped listener connection is re-established and heard again', async (t) => {
      const { id, key } = await newKey(h);
      t.equal((await callB(key)).statusCode, 200);
      const listeners = () =>
        queryRows<{ pid: number }>(
          h.database.db,
          sql`select pid from pg_stat_activity where datname = current_database() and application_name = 'officer-assault-register listen'`,
        );
      t.equal((await listeners()).length, 2, 'one listener per instance');
      await h.database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'officer-assault-register listen'`,
      );
      await eventually('both listeners back', async () => (await listeners()).length === 2);
      t.equal((await callB(key)).statusCode, 200);
      t.equal((await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${id}` })).statusCode, 200);
      await eventually('B refuses after the reconnect', async () => (await callB(key)).statusCode === 401);
      t.pass('heard after the reconnect');
    });
  },
);
