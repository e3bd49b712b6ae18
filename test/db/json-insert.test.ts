// jsonInsert (src/db/json-rows.ts): rows inserted from one JSON parameter are the rows drizzle's own insert writes,
// whatever the text, with the same defaults for what a row leaves out (a value default, an SQL one) and nulls kept.
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { jsonInsert, rowFromJson } from '../../src/db/json-rows.ts';
import { incidents } from '../../src/db/schema/index.ts';
import { newId } from '../../src/shared/ids.ts';
import { FORCE_A } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

const h = await buildTestApp(t);
const db = h.database.db;
const hostile = "O'Brien \\ '); drop table incidents; -- \n\tŴelsh ☃ $1 :name E'x' \" } ] \\u0000";

const values = (id: string, forceReference: string): typeof incidents.$inferInsert => ({
  id,
  forceId: FORCE_A,
  forceReference,
  occurredAt: new Date('2026-03-29T00:59:59.123Z'),
  location: { description: hostile, locationType: 'street' as const, latitude: 51.5, longitude: -0.1 },
  circumstances: 'arrest' as const,
  deployment: { crewing: 'single' as const, dutyType: 'response' as const },
  equipment: {
    bodyWornVideo: { worn: true, activated: false, footageRetained: null },
    taser: { drawn: false, discharged: null },
    spitAndBiteGuardUsed: null,
    bodyArmourWorn: true,
  },
  methods: ['punch' as const, 'spit' as const],
  offences: ['emergency_worker_common_assault' as const],
  narrative: null,
  status: 'open' as const,
  createdAt: new Date('2026-03-29T01:00:00.000Z'),
  updatedAt: new Date('2026-03-29T01:00:00.000Z'),
  // Left out: version (a value default, 1) and hateAggravation (an SQL default, '{}').
});

t.test('a row from JSON is the row drizzle inserts, defaults and text included', async (t) => {
  const [viaDrizzle, viaJson] = [newId(), newId()];
  await db.insert(incidents).values(values(viaDrizzle, `JSON-A-${viaDrizzle}`));
  const insert = jsonInsert(incidents);
  const [returned] = await queryRows<{ row: Record<string, unknown> }>(
    db,
    sql`with i as (${insert.statement(insert.json([values(viaJson, `JSON-A-${viaDrizzle}-2`)]))} returning *) select row_to_json(i) as row from i`,
  );
  const read = async (id: string) => (await db.select().from(incidents).where(eq(incidents.id, id)))[0]!;
  const [a, b] = [await read(viaDrizzle), await read(viaJson)];
  t.same({ ...b, id: a.id, forceReference: a.forceReference }, a, 'the same columns');
  t.equal(b.version, 1, 'a value default');
  t.same(b.hateAggravation, [], 'an SQL default');
  t.equal(b.narrative, null, 'a null kept');
  t.equal(b.location.description, hostile, 'the text as sent');
  t.same(rowFromJson(incidents)(returned!.row), b, 'RETURNING * as JSON maps to the row');
});

t.test('many rows in one parameter, and none', async (t) => {
  const insert = jsonInsert(incidents);
  const ids = [newId(), newId(), newId()];
  const rows = await queryRows<{ id: string }>(db, sql`${insert.statement(insert.json(ids.map((id) => values(id, `JSON-B-${id}`))))} returning id`);
  t.same(rows.map((r) => r.id).sort(), [...ids].sort());
  const none = await queryRows<{ id: string }>(db, sql`${insert.statement(insert.json([]))} returning id`);
  t.same(none, []);
});
