// The audit table is append-only in the database itself, and the sealer hash-chains committed events:
// seq 1..N with no gaps, each linked to the one before, so any change or deletion is found by verify.
import t, { type Test } from 'tap';
import { sql, type SQL } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, victimBody } from '../../factories.ts';
import { queryRows } from '../../../src/db/client.ts';
import { sealPending } from '../../../src/modules/audit/service.ts';

interface ChainRow {
  id: string;
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  recomputed: string | null;
  occurred_at: string;
}

interface Verification {
  intact: boolean;
  sealed: number;
  unsealed: number;
  firstBrokenSeq: number | null;
  headSeq: number | null;
  headHash: string | null;
}

/** The SQLSTATE of a driver error, however drizzle wraps it. */
function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Asserts that the statement is refused with 42501 (insufficient_privilege) by the append-only trigger. */
async function refused(t: Test, h: TestApp, statement: SQL, what: string) {
  try {
    await h.database.db.execute(statement);
    t.fail(`${what}: should have been refused`);
  } catch (err) {
    t.equal((err as { cause?: { code?: string } }).cause?.code, '42501', `${what}: SQLSTATE 42501 on err.cause.code`);
    t.equal(sqlState(err), '42501');
    const message = String((err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message);
    t.match(message, /append-only/, `${what}: refused by the append-only guard`);
  }
}

/** A Postgres array literal for restoring a text[] value (drizzle would expand a JS array into a row). */
function arrayLiteral(value: unknown): string | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw new Error('not an array');
  return `{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

const chainRows = (h: TestApp) =>
  queryRows<ChainRow>(
    h.database.db,
    sql`select a.id::text as id, a.seq::int as seq, a.prev_hash, a.hash, audit_event_digest(a.prev_hash, a) as recomputed, a.occurred_at::text as occurred_at
        from audit_events a order by a.seq nulls last, a.occurred_at, a.id`,
  );

const allRows = (h: TestApp) => queryRows<Record<string, unknown>>(h.database.db, sql`select * from audit_events order by id`);

const count = async (h: TestApp, where: SQL = sql`true`) =>
  (await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from audit_events where ${where}`))[0]!.n;

async function verify(t: Test, h: TestApp): Promise<Verification> {
  const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events/verify' });
  t.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Runs statements as the database owner with one trigger switched off, then switches it back on. */
async function withTriggerOff(h: TestApp, trigger: 'audit_events_no_update' | 'audit_events_no_delete', ...statements: SQL[]) {
  await h.database.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`alter table audit_events disable trigger ${trigger}`));
    for (const s of statements) await tx.execute(s);
    await tx.execute(sql.raw(`alter table audit_events enable trigger ${trigger}`));
  });
}

/** A few writes and reads: each create appends four events. */
async function someEvents(h: TestApp, incidents = 2): Promise<void> {
  const key = await h.key(['force_system'], FORCE_A);
  for (let i = 0; i < incidents; i++) {
    h.clock.advance(1000);
    const res = await h.call(key, {
      method: 'POST',
      url: '/v1/incidents',
      payload: incidentBody({ victims: [victimBody(), victimBody()], suspects: [suspectBody()] }),
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    const read = await h.call(key, { method: 'GET', url: `/v1/incidents/${res.json().id}`, headers: { 'x-access-reason': 'Review' } });
    if (read.statusCode !== 200) throw new Error(read.body);
  }
}

t.test('the database refuses to change or remove audit events, even from SQL', async (t) => {
  const h = await buildTestApp(t);
  await someEvents(h, 1);
  const [unsealed] = await queryRows<{ id: string }>(h.database.db, sql`select id::text as id from audit_events where seq is null limit 1`);
  const id = unsealed!.id;
  const before = await allRows(h);
  t.ok(before.length >= 5);

  await refused(t, h, sql`update audit_events set action = 'x'`, 'UPDATE of every row');
  await refused(t, h, sql`update audit_events set reason = 'rewritten' where id = ${id}`, 'UPDATE of one row');
  await refused(t, h, sql`delete from audit_events`, 'DELETE of every row');
  await refused(t, h, sql`delete from audit_events where id = ${id}`, 'DELETE of one row');
  await refused(t, h, sql`truncate audit_events`, 'TRUNCATE');
  await refused(
    t,
    h,
    sql`update audit_events set seq = 999, prev_hash = null, hash = 'forged', sealed_at = now(), actor_name = 'someone else' where id = ${id}`,
    'UPDATE setting the chain fields and changing another column',
  );
  await refused(t, h, sql`update audit_events set seq = 999 where id = ${id}`, 'UPDATE setting seq without hash');
  t.same(await allRows(h), before, 'nothing changed');

  const sealed = await h.seal();
  t.equal(sealed, before.length);
  const afterSeal = await allRows(h);
  await refused(t, h, sql`update audit_events set seq = seq + 1000, hash = 'forged' where seq = 1`, 'UPDATE of the chain fields of a sealed event');
  await refused(
    t,
    h,
    sql`update audit_events set hash = hash, seq = seq, prev_hash = prev_hash, sealed_at = now() where seq = 2`,
    'UPDATE re-setting the same chain values',
  );
  await refused(t, h, sql`update audit_events set seq = null, prev_hash = null, hash = null, sealed_at = null where seq = 3`, 'UPDATE unsealing an event');
  await refused(t, h, sql`update audit_events set reason = 'rewritten' where seq = 1`, 'UPDATE of a sealed event');
  await refused(t, h, sql`delete from audit_events where seq = 1`, 'DELETE of a sealed event');
  await refused(t, h, sql`truncate audit_events`, 'TRUNCATE after sealing');
  t.same(await allRows(h), afterSeal, 'nothing changed');
  t.match(await verify(t, h), { intact: true, sealed: before.length });

  // The trigger lets the chain fields be set once, from null, and nothing else.
  await someEvents(h, 1);
  const [row] = await queryRows<{ id: string }>(h.database.db, sql`select id::text as id from audit_events where seq is null limit 1`);
  await h.database.db.execute(sql`update audit_events set seq = 1000, prev_hash = null, hash = 'h', sealed_at = now() where id = ${row!.id}`);
  t.equal(await count(h, sql`seq = 1000`), 1, 'setting the chain fields of an unsealed event is allowed (that is how the sealer works)');
  await refused(t, h, sql`update audit_events set seq = 1001, hash = 'h2' where id = ${row!.id}`, 'setting them a second time');
});

t.test('verify and sealing', async (t) => {
  const h = await buildTestApp(t);
  await someEvents(h, 2);
  const n = await count(h);
  t.ok(n >= 10);

  const empty = await verify(t, h);
  t.same(empty, { intact: true, sealed: 0, unsealed: n, firstBrokenSeq: null, headSeq: null, headHash: null }, 'before any seal: nothing chained, all counted');

  const sealed = await h.seal();
  t.equal(sealed, n + 1, 'the seal chains every committed event (including the verify event)');
  const total = n + 1;
  const [head] = await queryRows<{ hash: string }>(h.database.db, sql`select hash from audit_events where seq = ${total}`);
  t.same(await verify(t, h), { intact: true, sealed: total, unsealed: 0, firstBrokenSeq: null, headSeq: total, headHash: head!.hash });

  // Events committed after the seal are counted as unsealed until the next seal.
  const beforeMore = await count(h);
  await someEvents(h, 1);
  const more = (await count(h)) - beforeMore;
  t.ok(more >= 5);
  const pending = await verify(t, h);
  t.same(
    pending,
    { intact: true, sealed: total, unsealed: more + 1, firstBrokenSeq: null, headSeq: total, headHash: head!.hash },
    'the new events and the previous verify event',
  );
  t.equal(await count(h, sql`seq is null`), more + 2, 'this verify added its own event too');

  t.equal(await h.seal(), more + 2);
  const last = total + more + 2;
  const [newHead] = await queryRows<{ hash: string }>(h.database.db, sql`select hash from audit_events where seq = ${last}`);
  t.same(await verify(t, h), { intact: true, sealed: last, unsealed: 0, firstBrokenSeq: null, headSeq: last, headHash: newHead!.hash });
  t.not(newHead!.hash, head!.hash);
  t.equal(await h.seal(), 1, 'only the last verify event was left');
  t.equal(await h.seal(), 0, 'nothing left to seal');

  const verifyEvents = await queryRows<{ action: string; resource_type: string; actor_name: string }>(
    h.database.db,
    sql`select action, resource_type, actor_name from audit_events where action = 'verify'`,
  );
  t.equal(verifyEvents.length, 4, 'each verify call is audited');
  t.ok(verifyEvents.every((e) => e.resource_type === 'audit_chain' && e.actor_name === 'test admin'));

  t.test('sealing numbers events 1..N without gaps, in the order they happened, each linked to the one before', async (t) => {
    const alreadySealed = await count(h);
    await someEvents(h, 2);
    // An event stamped earlier than those already written (a slow transaction) is chained in time order.
    h.clock.advance(-3600_000);
    await someEvents(h, 1);
    const firstRoundSize = (await count(h)) - alreadySealed;
    t.equal(await h.seal(), firstRoundSize);
    await someEvents(h, 1); // a second round continues the same chain
    const total = await count(h);
    t.equal(await h.seal(), total - alreadySealed - firstRoundSize);

    const rows = await chainRows(h);
    t.equal(rows.length, total);
    t.same(
      rows.map((r) => r.seq),
      Array.from({ length: total }, (_, i) => i + 1),
      'seq is 1..N',
    );
    t.equal(rows[0]!.prev_hash, null, 'the first event links to nothing');
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.prev_hash !== rows[i - 1]!.hash) t.fail(`seq ${rows[i]!.seq}: prev_hash is not the hash of seq ${rows[i - 1]!.seq}`);
    }
    t.ok(
      rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash ?? '') && r.hash === r.recomputed),
      'every hash is the SHA-256 digest of its event and the hash before it',
    );
    t.equal(new Set(rows.map((r) => r.hash)).size, rows.length, 'no two events share a hash');
    const firstRound = rows.slice(alreadySealed, alreadySealed + firstRoundSize);
    const sorted = [...firstRound].sort((a, b) => (a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.id < b.id ? -1 : 1));
    t.same(
      firstRound.map((r) => r.id),
      sorted.map((r) => r.id),
      'within one round, chained in (occurredAt, id) order',
    );
    const counts = (
      await queryRows<{ total: number; sealed: number; distinct_seq: number }>(
        h.database.db,
        sql`
      select count(*)::int as total, count(seq)::int as sealed, count(distinct seq)::int as distinct_seq from audit_events`,
      )
    )[0]!;
    t.same(counts, { total, sealed: total, distinct_seq: total });
    t.match(await verify(t, h), { intact: true, sealed: total, unsealed: 0, headSeq: total });
  });
});

t.test('tampering with a sealed event is detected', async (t) => {
  // One chain; each case tampers as the database owner, checks verify, then puts the event back as it was.
  const h = await buildTestApp(t);
  await someEvents(h, 2);
  await h.seal();
  const n = await count(h);
  const intact = await verify(t, h);
  t.match(intact, { intact: true, sealed: n, firstBrokenSeq: null, headSeq: n });
  const rowAt = async (seq: number) =>
    (await queryRows<{ j: string }>(h.database.db, sql`select to_jsonb(a)::text as j from audit_events a where seq = ${seq}`))[0]!.j;
  const reinsert = (json: string) => sql`insert into audit_events select * from jsonb_populate_record(null::audit_events, ${json}::jsonb)`;
  const isIntactAgain = async (t: Test) =>
    t.match(await verify(t, h), { intact: true, firstBrokenSeq: null, sealed: n, headSeq: n, headHash: intact.headHash }, 'restored: intact again');

  t.test('a changed reason', async (t) => {
    const [target] = await queryRows<{ seq: number }>(
      h.database.db,
      sql`select seq::int as seq from audit_events where reason = 'Review' order by seq limit 1`,
    );
    const k = target!.seq;
    t.ok(k > 1 && k < n, 'a middle event');
    await withTriggerOff(h, 'audit_events_no_update', sql`update audit_events set reason = 'Nothing to see' where seq = ${k}`);
    t.match(await verify(t, h), { intact: false, firstBrokenSeq: k, sealed: n });
    await withTriggerOff(h, 'audit_events_no_update', sql`update audit_events set reason = 'Review' where seq = ${k}`);
    await isIntactAgain(t);
  });

  t.test('a changed actor name', async (t) => {
    const original = await rowAt(6);
    await withTriggerOff(h, 'audit_events_no_update', sql`update audit_events set actor_name = 'someone else' where seq = 6`);
    t.match(await verify(t, h), { intact: false, firstBrokenSeq: 6 });
    await withTriggerOff(h, 'audit_events_no_update', sql`update audit_events set actor_name = (${original}::jsonb)->>'actor_name' where seq = 6`);
    await isIntactAgain(t);
  });

  t.test('every field of the event is covered by its hash', async (t) => {
    // A victim's create event: every field of it has a value.
    const [victimEvent] = await queryRows<{ seq: number }>(
      h.database.db,
      sql`select seq::int as seq from audit_events where resource_type = 'victim' order by seq limit 1 offset 1`,
    );
    const k = victimEvent!.seq;
    t.ok(k > 1);
    const original = (await queryRows<Record<string, unknown>>(h.database.db, sql`select * from audit_events where seq = ${k}`))[0]!;
    const changes: [string, SQL, SQL][] = [
      ['id', sql`id = '019b76da-0000-7000-8000-000000000001'`, sql`id = ${original.id}`],
      ['occurred_at', sql`occurred_at = occurred_at + interval '1 microsecond'`, sql`occurred_at = occurred_at - interval '1 microsecond'`],
      ['actor_id', sql`actor_id = null`, sql`actor_id = ${original.actor_id}`],
      ['actor_name', sql`actor_name = 'x'`, sql`actor_name = ${original.actor_name}`],
      ['actor_roles', sql`actor_roles = array['admin']`, sql`actor_roles = ${arrayLiteral(original.actor_roles)}::text[]`],
      ['actor_force_id', sql`actor_force_id = ${FORCE_B}`, sql`actor_force_id = ${original.actor_force_id}`],
      ['action', sql`action = 'list'`, sql`action = ${original.action}`],
      ['resource_type', sql`resource_type = 'principal'`, sql`resource_type = ${original.resource_type}`],
      ['resource_id', sql`resource_id = null`, sql`resource_id = ${original.resource_id}`],
      ['force_id', sql`force_id = ${FORCE_B}`, sql`force_id = ${original.force_id}`],
      ['request_id', sql`request_id = 'other'`, sql`request_id = ${original.request_id}`],
      ['reason', sql`reason = 'other'`, sql`reason = ${original.reason}`],
      ['changed_fields', sql`changed_fields = array['nothing']`, sql`changed_fields = ${arrayLiteral(original.changed_fields)}::text[]`],
      ['prev_hash', sql`prev_hash = repeat('0', 64)`, sql`prev_hash = ${original.prev_hash}`],
    ];
    for (const [field, tamper, restore] of changes) {
      await withTriggerOff(h, 'audit_events_no_update', sql`update audit_events set ${tamper} where seq = ${k}`);
      t.match(await verify(t, h), { intact: false, firstBrokenSeq: k }, `${field} changed: seq ${k} is broken`);
      await withTriggerOff(h, 'audit_events_no_update', sql`update audit_events set ${restore} where seq = ${k}`);
      t.match(await verify(t, h), { intact: true, firstBrokenSeq: null }, `${field} restored: intact again`);
    }
    await isIntactAgain(t);
  });

  t.test('a changed event whose hash was recomputed breaks the link of the next one', async (t) => {
    const original = await rowAt(4);
    const relink = (seq: number) => [
      sql`update audit_events a set prev_hash = (select hash from audit_events where seq = ${seq - 1}) where seq = ${seq}`,
      sql`update audit_events a set hash = audit_event_digest(a.prev_hash, a) where seq = ${seq}`,
    ];
    await withTriggerOff(
      h,
      'audit_events_no_update',
      sql`update audit_events set reason = 'Nothing to see' where seq = 4`,
      sql`update audit_events a set hash = audit_event_digest(a.prev_hash, a) where seq = 4`,
    );
    t.match(await verify(t, h), { intact: false, firstBrokenSeq: 5 });

    // Rewriting every later link as well leaves a chain that verifies, but its head hash has changed:
    // which is why headHash is to be recorded outside the database.
    for (let seq = 5; seq <= n; seq++) await withTriggerOff(h, 'audit_events_no_update', ...relink(seq));
    const rewritten = await verify(t, h);
    t.match(rewritten, { intact: true, headSeq: n });
    t.not(rewritten.headHash, intact.headHash, 'the head hash tells');

    // The digest is deterministic: putting the reason back and relinking gives the original chain.
    await withTriggerOff(
      h,
      'audit_events_no_update',
      sql`update audit_events set reason = (${original}::jsonb)->>'reason' where seq = 4`,
      ...relink(4).slice(1),
    );
    for (let seq = 5; seq <= n; seq++) await withTriggerOff(h, 'audit_events_no_update', ...relink(seq));
    await isIntactAgain(t);
  });

  t.test('a deleted event', async (t) => {
    const original = await rowAt(5);
    await withTriggerOff(h, 'audit_events_no_delete', sql`delete from audit_events where seq = 5`);
    t.match(await verify(t, h), { intact: false, firstBrokenSeq: 6, sealed: n - 1, headSeq: n });
    await h.database.db.execute(reinsert(original));
    await isIntactAgain(t);
  });

  t.test('a deleted first event', async (t) => {
    const original = await rowAt(1);
    await withTriggerOff(h, 'audit_events_no_delete', sql`delete from audit_events where seq = 1`);
    t.match(await verify(t, h), { intact: false, firstBrokenSeq: 2 });
    await h.database.db.execute(reinsert(original));
    await isIntactAgain(t);
  });

  t.test('a deleted event with the later ones renumbered', async (t) => {
    const original = await rowAt(3);
    await withTriggerOff(h, 'audit_events_no_delete', sql`delete from audit_events where seq = 3`);
    // (in two steps: seq is unique and checked row by row)
    await withTriggerOff(
      h,
      'audit_events_no_update',
      sql`update audit_events set seq = 1 - seq where seq > 3`,
      sql`update audit_events set seq = -seq where seq < 0`,
    );
    t.match(await verify(t, h), { intact: false, firstBrokenSeq: 3, sealed: n - 1, headSeq: n - 1 });
    await withTriggerOff(
      h,
      'audit_events_no_update',
      sql`update audit_events set seq = -1 - seq where seq >= 3`,
      sql`update audit_events set seq = -seq where seq < 0`,
    );
    await h.database.db.execute(reinsert(original));
    await isIntactAgain(t);
  });
});

t.test('concurrent sealers never give an event two positions or two events one position', async (t) => {
  const h = await buildTestApp(t);
  const key = await h.key(['force_system'], FORCE_A);
  const db = h.database.db;
  let sealedTotal = 0;
  for (let round = 0; round < 4; round++) {
    // Writes and several sealers (small batches, so each loops) all at once.
    const writes = Array.from({ length: 4 }, () =>
      h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ victims: [victimBody()], suspects: [suspectBody()] }) }),
    );
    const sealers = [sealPending(db, 3), sealPending(db, 3), sealPending(db, 5), h.seal()];
    const [responses, sealed] = await Promise.all([Promise.all(writes), Promise.all(sealers)]);
    t.ok(
      responses.every((r) => r.statusCode === 201),
      `round ${round}: every write succeeded`,
    );
    sealedTotal += sealed.reduce((a, b) => a + b, 0);
  }
  const [a, b] = await Promise.all([sealPending(db, 2), sealPending(db, 2)]);
  sealedTotal += a + b;
  t.equal(await count(h, sql`seq is null`), 0, 'everything committed was sealed');
  const total = await count(h);
  t.ok(total >= 4 * 4 * 3, 'at least three events per incident written');
  t.equal(sealedTotal, total, 'the sealers together sealed each event exactly once');
  const rows = await chainRows(h);
  t.same(
    rows.map((r) => r.seq),
    Array.from({ length: total }, (_, i) => i + 1),
    'seq is 1..N with no gap or repeat',
  );
  t.match(await verify(t, h), { intact: true, sealed: total, unsealed: 0, headSeq: total });
});
