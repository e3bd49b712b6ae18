// queryRowsNamed and selectNamed (src/db/prepared.ts): a statement sent under a name taken from its text, so a
// connection parses it once and PostgreSQL can keep a generic plan of it (the statistics' sums, the lists); the same
// rows as an unnamed query.
import { asc, eq, sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { queryRowsNamed, selectNamed, withLiteralLimit } from '../../src/db/prepared.ts';
import { forces } from '../../src/db/schema/index.ts';
import { buildTestApp } from '../helper.ts';

const h = await buildTestApp(t);
const db = h.database.db;
const onPostgres = h.database.kind === 'postgres';

const query = (n: number) => sql`select g as n, g * ${n}::int as twice from generate_series(1, 3) g order by g`;

t.test('the rows of an unnamed query, for any parameters', async (t) => {
  for (const n of [2, 5]) t.same(await queryRowsNamed(db, query(n)), await queryRows(db, query(n)));
});

t.test('on PostgreSQL, one named statement per text, reused with new parameters', { skip: !onPostgres && 'PGlite runs every statement unnamed' }, async (t) => {
  await db.transaction(async (tx) => {
    t.same(
      (await queryRowsNamed<{ twice: number }>(tx, query(2))).map((r) => r.twice),
      [2, 4, 6],
    );
    t.same(
      (await queryRowsNamed<{ twice: number }>(tx, query(7))).map((r) => r.twice),
      [7, 14, 21],
      'the second run binds its own parameters',
    );
    const named = await queryRows<{ name: string }>(tx, sql`select name from pg_prepared_statements where statement like '%generate_series(1, 3)%'`);
    t.equal(named.length, 1, 'one statement on this connection');
    t.match(named[0]?.name, /^q_[\w-]{24}$/, 'named after its text');
    await queryRowsNamed(tx, sql`select g from generate_series(1, 4) g`);
    const after = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from pg_prepared_statements where name like 'q\\_%'`);
    t.ok(after[0]!.n >= 2, 'another text is another statement');
  });
});

t.test('a drizzle select by name: the rows drizzle maps, named after its text on PostgreSQL', async (t) => {
  const select = (country: 'england' | 'wales') =>
    db.select({ id: forces.id, code: forces.code, createdAt: forces.createdAt }).from(forces).where(eq(forces.country, country)).orderBy(asc(forces.code));
  for (const country of ['england', 'wales'] as const) {
    const rows = await selectNamed(select(country));
    t.same(rows, await select(country), `${country}: the same rows`);
    t.ok(rows.length > 0 && rows.every((r) => r.createdAt instanceof Date), `${country}: mapped as drizzle maps them (dates as Date)`);
  }
  if (!onPostgres) return;
  await db.transaction(async (tx) => {
    const inTx = () => tx.select({ id: forces.id }).from(forces).where(eq(forces.country, 'wales'));
    t.same(await selectNamed(inTx()), await inTx(), 'inside a transaction, on its connection');
    const named = await queryRows<{ name: string }>(tx, sql`select name from pg_prepared_statements where statement = ${inTx().toSQL().sql}`);
    t.equal(named.length, 1, 'one statement on this connection');
    t.match(named[0]?.name, /^q_[\w-]{24}$/, 'named after its text');
  });
});

t.test('a drizzle select by name is built once (drizzle would build it again to prepare it)', async (t) => {
  const select = db.select({ id: forces.id }).from(forces).where(eq(forces.country, 'wales'));
  const { dialect } = select as unknown as { dialect: { buildSelectQuery: (...a: unknown[]) => unknown; sqlToQuery: (...a: unknown[]) => unknown } };
  const calls = { build: 0, text: 0 };
  const own = Object.create(dialect) as typeof dialect;
  own.buildSelectQuery = (...a) => (calls.build++, dialect.buildSelectQuery(...a));
  own.sqlToQuery = (...a) => (calls.text++, dialect.sqlToQuery(...a));
  Object.defineProperty(select, 'dialect', { value: own });
  t.same(await selectNamed(select), await db.select({ id: forces.id }).from(forces).where(eq(forces.country, 'wales')), 'the same rows');
  t.same(calls, { build: 1, text: 1 }, 'one select built, one text made from it');
});

t.test('literalLimit: the page size in the text (so a generic plan can be kept), the same rows', async (t) => {
  const select = (limit: number) => db.select({ id: forces.id }).from(forces).orderBy(asc(forces.code)).limit(limit);
  for (const limit of [3, 5]) t.same(await selectNamed(select(limit), { literalLimit: true }), await select(limit), `limit ${limit}: the same rows`);
  t.same(withLiteralLimit({ sql: 'select 1 from t where a = $1 limit $2', params: ['x', 51] }), {
    sql: 'select 1 from t where a = $1 limit 51',
    params: ['x'],
  });
  const unchanged = [
    { sql: 'select 1 from t where a = $1 limit $2 offset $3', params: ['x', 5, 10] },
    { sql: 'select 1 from t where a = $1', params: ['x'] },
    { sql: 'select 1 from t limit $1', params: ['51; drop table t'] },
    { sql: 'select 1 from t where a = $2 limit $1', params: [5, 'x'] },
  ];
  for (const q of unchanged) t.same(withLiteralLimit(q), q, `left as it is: ${q.sql} ${JSON.stringify(q.params)}`);
  if (!onPostgres) return;
  await db.transaction(async (tx) => {
    await selectNamed(tx.select({ id: forces.id }).from(forces).where(eq(forces.country, 'wales')).orderBy(asc(forces.code)).limit(2), { literalLimit: true });
    const named = await queryRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements where statement like '%"forces"%limit 2'`);
    t.equal(named.length, 1, 'prepared with the limit written in');
  });
});
