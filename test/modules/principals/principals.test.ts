// /v1/principals: keys shown once and stored only as a hash, force scope, revocation, paging; bootstrapAdmin.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../../src/db/client.ts';
import { bootstrapAdmin } from '../../../src/modules/principals/bootstrap.ts';
import { buildTestApp, openTestDatabase, TestClock, type TestApp } from '../../helper.ts';
import { FORCE_A, FORCE_B, unique } from '../../factories.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const UNKNOWN_ID = '019b76da-ffff-7fff-bfff-ffffffffffff';

async function create(h: TestApp, key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return h.call(key, { method: 'POST', url: '/v1/principals', payload: body, headers });
}

t.test('create, list and use a key', async (t) => {
  const h = await buildTestApp(t);
  const name = unique('Crime system (test)');
  const res = await create(h, h.adminKey, { name, roles: ['force_system'], forceId: FORCE_A });
  t.equal(res.statusCode, 201, res.body);
  const body = res.json();
  t.equal(res.headers.location, `/v1/principals/${body.id}`);
  t.match(body, { name, roles: ['force_system'], forceId: FORCE_A, revokedAt: null, revokedReason: null });
  t.match(body.key, /^oar_[A-Za-z0-9_-]{43,}$/, 'oar_ and at least 43 random characters');
  t.equal(body.keyPrefix, body.key.slice(0, body.keyPrefix.length));
  t.ok(body.keyPrefix.length < body.key.length - 32, 'the prefix shows only a small part of the key');

  t.test('the key works', async (t) => {
    t.equal((await h.call(body.key, { method: 'GET', url: '/v1/forces' })).statusCode, 200);
  });

  t.test('the list never shows the key or its hash', async (t) => {
    const list = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' });
    t.equal(list.statusCode, 200, list.body);
    const items = list.json().items as Record<string, unknown>[];
    const mine = items.find((p) => p.id === body.id);
    t.ok(mine, 'the new principal is listed');
    t.match(mine, { name, roles: ['force_system'], forceId: FORCE_A, keyPrefix: body.keyPrefix });
    for (const item of items) {
      t.notOk('key' in item, `${item.name as string}: no key field`);
      t.notOk(
        Object.keys(item).some((k) => /hash/i.test(k)),
        'no hash field',
      );
    }
    for (const secret of [body.key, sha256(body.key), h.adminKey, sha256(h.adminKey)]) t.notMatch(list.body, secret);
  });

  t.test('the database stores only the SHA-256 hash', async (t) => {
    const rows = await queryRows<{ key_hash: string }>(h.database.db, sql`select key_hash from principal_keys where principal_id = ${body.id}`);
    t.equal(rows.length, 1);
    t.not(rows[0]!.key_hash, body.key);
    t.equal(rows[0]!.key_hash, sha256(body.key));
  });

  t.test('the creation is audited', async (t) => {
    const events = await h.call(h.adminKey, { method: 'GET', url: `/v1/audit-events?resourceType=principal&resourceId=${body.id}` });
    t.equal(events.statusCode, 200, events.body);
    t.match(events.json().items, [{ action: 'create', resourceType: 'principal', resourceId: body.id, forceId: FORCE_A }]);
    t.notMatch(events.body, body.key);
  });
});

t.test('the plain key is nowhere in the database, even with Idempotency-Key', async (t) => {
  const h = await buildTestApp(t);
  const res = await create(h, h.adminKey, { name: unique('idem'), roles: ['analyst'], forceId: null }, { 'idempotency-key': unique('idem') });
  t.equal(res.statusCode, 201, res.body);
  const { key } = res.json();
  // Every text and json column of every table the service writes: the key must not be in any of them.
  const tables = await queryRows<{ table_name: string }>(
    h.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  for (const { table_name } of tables) {
    const hits = await queryRows<{ n: number }>(
      h.database.db,
      sql`select count(*)::int as n from ${sql.identifier(table_name)} as r where position(${key} in r::text) > 0`,
    );
    t.equal(Number(hits[0]!.n), 0, `table ${table_name} does not hold the plain key`);
  }
});

t.test('validation', async (t) => {
  const h = await buildTestApp(t);
  const cases: [string, Record<string, unknown>, number, string?][] = [
    ['unknown role', { name: 'x', roles: ['superuser'], forceId: null }, 400, 'body.roles.0'],
    ['empty roles', { name: 'x', roles: [], forceId: null }, 400, 'body.roles'],
    ['missing roles', { name: 'x', forceId: null }, 400, 'body.roles'],
    ['empty name', { name: '   ', roles: ['analyst'], forceId: null }, 400, 'body.name'],
    ['forceId not a uuid', { name: 'x', roles: ['analyst'], forceId: 'avon' }, 400, 'body.forceId'],
    ['unexpected field', { name: 'x', roles: ['analyst'], forceId: null, key: 'oar_mine' }, 400],
    ['unknown forceId', { name: 'x', roles: ['force_system'], forceId: UNKNOWN_ID }, 422, 'forceId'],
  ];
  for (const [what, payload, status, path] of cases) {
    t.test(`${what} is ${status}`, async (t) => {
      const res = await create(h, h.adminKey, payload);
      t.equal(res.statusCode, status, res.body);
      t.match(res.headers['content-type'], /^application\/problem\+json/);
      const problem = res.json();
      t.equal(problem.status, status);
      if (path)
        t.ok(
          problem.errors?.some((e: { path: string }) => e.path === path),
          `errors name ${path}: ${JSON.stringify(problem.errors)}`,
        );
    });
  }
  t.test('several failing fields are all listed', async (t) => {
    const res = await create(h, h.adminKey, { name: '', roles: ['nope'], forceId: 'x' });
    t.equal(res.statusCode, 400);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
    for (const p of ['body.name', 'body.roles.0', 'body.forceId']) t.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  });
  t.test('nothing was created by the failed requests', async (t) => {
    const list = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' });
    t.same(
      list.json().items.map((p: { name: string }) => p.name),
      ['test admin'],
    );
  });
});

t.test('a force-scoped admin', async (t) => {
  const h = await buildTestApp(t);
  const scoped = await h.key(['admin'], FORCE_A, 'avon admin');
  const otherForce = (await create(h, h.adminKey, { name: 'beds system', roles: ['force_system'], forceId: FORCE_B })).json();
  const national = (await create(h, h.adminKey, { name: 'national analyst', roles: ['analyst'], forceId: null })).json();

  t.test('creates keys for its own force', async (t) => {
    const res = await create(h, scoped, { name: 'avon system', roles: ['force_system'], forceId: FORCE_A });
    t.equal(res.statusCode, 201, res.body);
    t.equal(res.json().forceId, FORCE_A);
  });

  t.test('cannot create keys for another force or national keys (403)', async (t) => {
    for (const forceId of [FORCE_B, null]) {
      const res = await create(h, scoped, { name: 'escalation', roles: ['admin'], forceId });
      t.equal(res.statusCode, 403, `forceId ${forceId}: ${res.body}`);
      t.match(res.headers['content-type'], /^application\/problem\+json/);
    }
    const all = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' });
    t.notOk(all.json().items.some((p: { name: string }) => p.name === 'escalation'));
  });

  t.test('lists only its own force', async (t) => {
    const list = await h.call(scoped, { method: 'GET', url: '/v1/principals' });
    t.equal(list.statusCode, 200, list.body);
    const items = list.json().items as { forceId: string | null; name: string }[];
    t.ok(items.length >= 2, 'sees itself and the key it made');
    t.ok(
      items.every((p) => p.forceId === FORCE_A),
      'every item is of its force',
    );
    const other = await h.call(scoped, { method: 'GET', url: `/v1/principals?forceId=${FORCE_B}` });
    t.same(other.json().items, [], 'asking for another force gives nothing');
  });

  t.test('a national admin sees all and can filter by force', async (t) => {
    const all = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' })).json().items as { id: string }[];
    for (const id of [otherForce.id, national.id]) t.ok(all.some((p) => p.id === id));
    const beds = (await h.call(h.adminKey, { method: 'GET', url: `/v1/principals?forceId=${FORCE_B}` })).json().items;
    t.same(
      beds.map((p: { id: string }) => p.id),
      [otherForce.id],
    );
  });

  t.test("revoking another force's or a national principal is 404 and changes nothing", async (t) => {
    for (const target of [otherForce, national]) {
      const res = await h.call(scoped, { method: 'DELETE', url: `/v1/principals/${target.id}` });
      t.equal(res.statusCode, 404, res.body);
      t.match(res.headers['content-type'], /^application\/problem\+json/);
      t.equal((await h.call(target.key, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'the key still works');
    }
  });
});

t.test('revocation', async (t) => {
  const h = await buildTestApp(t);
  const made = (await create(h, h.adminKey, { name: 'to revoke', roles: ['analyst'], forceId: null })).json();

  const first = await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${made.id}?reason=${encodeURIComponent('laptop lost')}` });
  t.equal(first.statusCode, 200, first.body);
  t.match(first.json(), { id: made.id, revokedReason: 'laptop lost' });
  t.type(first.json().revokedAt, 'string');
  t.notOk('key' in first.json());
  t.equal((await h.call(made.key, { method: 'GET', url: '/v1/forces' })).statusCode, 401, 'the key is dead at once');

  h.clock.advance(60_000);
  const second = await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${made.id}` });
  t.equal(second.statusCode, 200, 'revoking twice is harmless');
  t.equal(second.json().revokedAt, first.json().revokedAt, 'the first revocation time is kept');
  t.equal(second.json().revokedReason, 'laptop lost');

  const unknown = await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${UNKNOWN_ID}` });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.headers['content-type'], /^application\/problem\+json/);

  const notUuid = await h.call(h.adminKey, { method: 'DELETE', url: '/v1/principals/not-a-uuid' });
  t.equal(notUuid.statusCode, 400);

  t.test('revoked principals are hidden unless includeRevoked=true', async (t) => {
    const active = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' })).json().items as { id: string }[];
    t.notOk(active.some((p) => p.id === made.id));
    const all = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals?includeRevoked=true' })).json().items as {
      id: string;
      revokedAt: string | null;
    }[];
    const revoked = all.find((p) => p.id === made.id);
    t.ok(revoked);
    t.equal(revoked?.revokedAt, first.json().revokedAt);
  });

  t.test('the revocation is audited once', async (t) => {
    const events = (await h.call(h.adminKey, { method: 'GET', url: `/v1/audit-events?resourceId=${made.id}&action=revoke` })).json().items;
    t.equal(events.length, 1);
    t.match(events[0], { changedFields: ['revokedAt', 'revokedReason'] });
  });
});

t.test('paging with a cursor, newest first', async (t) => {
  const h = await buildTestApp(t);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    h.clock.advance(1000);
    const res = await create(h, h.adminKey, { name: `paged ${i}`, roles: ['analyst'], forceId: null });
    ids.push(res.json().id);
  }
  // The test admin was made before all of these.
  const expected = [...ids].reverse();
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/principals?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await h.call(h.adminKey, { method: 'GET', url });
    t.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: { id: string; name: string }[]; nextCursor: string | null };
    t.ok(page.items.length <= 2);
    seen.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 10);
  t.equal(pages, 3, '6 principals in pages of 2');
  t.same(seen.slice(0, 5), expected, 'newest first, none skipped or repeated');
  t.equal(new Set(seen).size, 6);

  const bad = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals?cursor=garbage' });
  t.equal(bad.statusCode, 400);
  const tooMany = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals?limit=501' });
  t.equal(tooMany.statusCode, 400);
});

t.test('bootstrapAdmin', async (t) => {
  t.test('with no admin at all it creates one, once', async (t) => {
    const database = await openTestDatabase(t);
    const clock = new TestClock();
    const key = await bootstrapAdmin(database.db, clock, undefined);
    t.type(key, 'string');
    t.match(key, /^oar_[A-Za-z0-9_-]{43,}$/);
    t.equal(await bootstrapAdmin(database.db, clock, undefined), null, 'a second call makes no second admin');
    const rows = await queryRows<{ roles: string[]; key_hash: string; force_id: string | null }>(
      database.db,
      sql`select p.roles, k.key_hash, p.force_id from principals p join principal_keys k on k.principal_id = p.id`,
    );
    t.equal(rows.length, 1);
    t.same(rows[0]!.roles, ['admin']);
    t.equal(rows[0]!.force_id, null, 'national scope');
    t.equal(rows[0]!.key_hash, sha256(key!));
  });

  t.test('when every admin is revoked, a new one is created', async (t) => {
    const h = await buildTestApp(t);
    t.equal(await bootstrapAdmin(h.database.db, h.clock, undefined), null, 'the test admin exists');
    await h.database.db.execute(sql`update principals set revoked_at = now()`);
    const key = await bootstrapAdmin(h.database.db, h.clock, undefined);
    t.type(key, 'string');
    const res = await h.call(key, { method: 'GET', url: '/v1/principals' });
    t.equal(res.statusCode, 200, 'the new key is an admin');
  });

  t.test('BOOTSTRAP_ADMIN_KEY makes that exact key an admin, once', async (t) => {
    const h = await buildTestApp(t);
    const chosen = 'operator-chosen-bootstrap-key-0123456789';
    t.equal((await h.call(chosen, { method: 'GET', url: '/v1/principals' })).statusCode, 401, 'not yet');
    t.equal(await bootstrapAdmin(h.database.db, h.clock, chosen), null, 'the key is not printed: the operator has it');
    const res = await h.call(chosen, { method: 'GET', url: '/v1/principals' });
    t.equal(res.statusCode, 200, 'the chosen key works as admin');
    const made = await create(h, chosen, { name: 'made by bootstrap admin', roles: ['analyst'], forceId: null });
    t.equal(made.statusCode, 201);

    await bootstrapAdmin(h.database.db, h.clock, chosen);
    const rows = await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from principal_keys where key_hash = ${sha256(chosen)}`);
    t.equal(Number(rows[0]!.n), 1, 'calling again does not duplicate');

    t.test('a revoked bootstrap key is restored at the next start', async (t) => {
      const me = (await h.call(chosen, { method: 'GET', url: '/v1/principals' })).json().items.find((p: { name: string }) => p.name === 'bootstrap admin');
      t.equal((await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${me.id}` })).statusCode, 200);
      t.equal((await h.call(chosen, { method: 'GET', url: '/v1/principals' })).statusCode, 401);
      await bootstrapAdmin(h.database.db, h.clock, chosen);
      t.equal((await h.call(chosen, { method: 'GET', url: '/v1/principals' })).statusCode, 200);
    });
  });
});
