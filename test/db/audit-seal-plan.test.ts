// The sealer's read of the oldest unsealed audit events (audit_seal, migrations/0001) must be read in order and stop
// after a batch: the unique index on seq once answered it too (it holds every null), and at scale the planner took it
// and sorted every unsealed event for each batch (migrations/0020_audit_seq_partial.sql; at 1,000,000 incidents it
// then takes audit_events_unsealed_idx, made for it). On both databases.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { sealPending } from '../../src/modules/audit/service.ts';
import { buildTestApp } from '../helper.ts';

const h = await buildTestApp(t);
const db = h.database.db;

t.test('the index on seq is unique where seq is set only, so it cannot answer the unsealed read', async (t) => {
  const [row] = await queryRows<{ unique: boolean; predicate: string | null }>(
    db,
    sql`select i.indisunique as unique, pg_get_expr(i.indpred, i.indrelid) as predicate
          from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'audit_events_seq_unique'`,
  );
  t.same(row, { unique: true, predicate: '(seq IS NOT NULL)' });
});

t.test("the sealer's read: in order from an index and stopped after a batch, never sorted, with statistics taken while nothing was to seal", async (t) => {
  // As on the bench's database: statistics taken while every event was sealed, then events to seal.
  await h.call(await h.key(['admin'], null), { method: 'GET', url: '/v1/audit-events' });
  await sealPending(db);
  await db.execute(sql`analyze audit_events`);
  for (let i = 0; i < 3; i++) await h.call(await h.key(['analyst'], null), { method: 'GET', url: '/v1/stats/summary?from=2026-01-01&to=2026-01-31' });
  // A table this small is best read whole; with that ruled out, the planner's choice among the indexes shows.
  const plan = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return queryRows<{ 'QUERY PLAN': string }>(tx, sql`explain select * from audit_events where seq is null order by occurred_at, id limit 1000`);
  });
  const text = plan.map((r) => r['QUERY PLAN']).join('\n');
  t.match(text, /Index Scan/, 'read from an index in order', { plan: text });
  t.notMatch(text, /audit_events_seq_unique|Sort/, 'not from the index on seq, and nothing sorted', { plan: text });
  const sealed = await sealPending(db);
  t.ok(sealed > 0, `and the sealer seals them (${sealed})`);
});
