// queryRowsNamed (src/db/prepared.ts): a statement sent under a name taken from its text, so a connection parses it
// once and PostgreSQL can keep a generic plan of it (the statistics' sums); the same rows as an unnamed query.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { queryRowsNamed } from '../../src/db/prepared.ts';
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
