// The request scope's transaction (src/db/scope.ts, src/db/begin.ts): on PostgreSQL, BEGIN and the scope's settings
// go in one round trip; on both databases the transaction runs as oar_app with the caller's force, reads commit
// asynchronously, a failure rolls everything back and leaves the connection clean, and a force id that is not a
// uuid never reaches the statement that holds it as a literal.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import t from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { auditInsertSql, inScope, insertAuditRows, insertOutbox, outboxInsertSql } from '../../src/db/scope.ts';
import { newId } from '../../src/shared/ids.ts';
import { insertPrincipal } from '../../src/modules/principals/service.ts';
import type { Actor } from '../../src/shared/principal.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, victimBody } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

const h = await buildTestApp(t);
const db = h.database.db;
const onPostgres = h.database.kind === 'postgres';
const deps = { db, clock: h.clock };
const created = await insertPrincipal(db, h.clock.now(), { name: 'scope test', roles: ['force_system'], forceId: FORCE_A }, null);
const actor = (forceId: string | null = FORCE_A): Actor => ({
  principal: { id: created.id, name: 'scope test', roles: ['force_system'], forceId },
  requestId: 'scope-test',
  reason: null,
});

const settings = sql`select current_user as role, current_setting('app.force_id') as force, current_setting('synchronous_commit') as sync`;

t.test('a scope runs as oar_app with the force, reads committing asynchronously', async (t) => {
  const read = await inScope('read', deps, actor(), (s) => queryRows<{ role: string; force: string; sync: string }>(s.tx, settings));
  t.same(read, [{ role: 'oar_app', force: FORCE_A, sync: 'off' }]);
  const write = await inScope('write', deps, actor(null), (s) => queryRows<{ role: string; force: string; sync: string }>(s.tx, settings));
  // The tests' databases commit asynchronously by their own setting (test/helper.ts): a write keeps the database's.
  const [own] = await queryRows<{ sync: string }>(db, sql`select current_setting('synchronous_commit') as sync`);
  t.same(write, [{ role: 'oar_app', force: '*', sync: own!.sync }], "national: every force; a write keeps the database's commit setting");
});

t.test('a failure rolls the scope back, audit and all, and the next scope starts clean', async (t) => {
  const before = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events where request_id = 'scope-fail'`))[0]!.n;
  const failed = await inScope('write', deps, { ...actor(), requestId: 'scope-fail' }, async (s) => {
    s.audit({ action: 'read', resourceType: 'incident', resourceId: null, forceId: FORCE_A });
    await s.tx.execute(sql`select 1 / 0`);
  }).catch((err: Error) => `${err.message} ${(err.cause as Error | undefined)?.message}`);
  t.match(failed, /division by zero/, 'the failure reaches the caller');
  const after = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events where request_id = 'scope-fail'`))[0]!.n;
  t.equal(after, before, 'nothing of the failed scope was kept');
  for (let i = 0; i < 12; i++) {
    const [row] = await inScope('read', deps, actor(), (s) => queryRows<{ force: string }>(s.tx, sql`select current_setting('app.force_id') as force`));
    t.equal(row?.force, FORCE_A, `scope ${i + 1} after the failure`);
  }
});

t.test('genericPlans: that scope runs its named statements on their generic plans, and only that scope', async (t) => {
  const mode = (m: 'read' | 'replica' | 'write', options?: { genericPlans: boolean }) =>
    inScope(m, deps, actor(), (s) => queryRows<{ mode: string }>(s.tx, sql`select current_setting('plan_cache_mode') as mode`), options).then(([r]) => r?.mode);
  for (const m of ['read', 'replica', 'write'] as const) {
    t.equal(await mode(m, { genericPlans: true }), 'force_generic_plan', `${m}: generic plans`);
    t.equal(await mode(m), 'auto', `${m}: the next scope, on the same pool, is back to PostgreSQL's choice`);
  }
});

t.test('a force id that is not a uuid is refused before any statement', async (t) => {
  await t.rejects(
    inScope('read', deps, actor("x', true), set_config('role', 'postgres"), async () => t.fail('ran')),
    /a force id is a uuid/,
  );
});

/** The text of every query a pg client sends while fn runs (a named statement's as `[name] text`). */
async function queriesSent(fn: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; name?: string };
    sent.push(typeof first === 'string' ? first : `${first.name ? `[${first.name}] ` : ''}${first.text ?? ''}`);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = query;
  }
  return sent;
}

t.test('on PostgreSQL, BEGIN and the settings are one round trip', { skip: !onPostgres && 'PGlite runs in this process: no round trip to save' }, async (t) => {
  const sent = await queriesSent(() =>
    inScope('read', deps, actor(), async (s) => {
      s.audit({ action: 'read', resourceType: 'incident', resourceId: null, forceId: FORCE_A });
      return queryRows(s.tx, sql`select 1 as one`);
    }),
  );
  t.equal(sent.length, 3, `begin with the settings, the read, its audit with commit: ${JSON.stringify(sent.map((s) => s.slice(0, 40)))}`);
  t.match(sent[0], /^begin; select set_config\('role', 'oar_app', true\), set_config\('app\.force_id', '[0-9a-f-]{36}', true\)/);
  t.match(sent[2], /^insert into audit_events \(.*\) values \(.*\); commit$/s);
});

t.test('a prelude commits on its own before the scope, even when the scope fails; one that fails leaves the scope to run', async (t) => {
  const mark = `prelude-${newId()}`;
  const table = `prelude_${newId().replaceAll('-', '')}`;
  await db.execute(sql.raw(`create table ${table} (mark text)`));
  t.teardown(() => db.execute(sql.raw(`drop table ${table}`)));
  // As the service's own user, before the scope's role: oar_app could not write to a table made here.
  const written = { sql: `insert into ${table} values (${pg.escapeLiteral(mark)})`, failed: (err: unknown) => t.fail(String(err)) };
  const failed = await inScope('write', deps, actor(), () => Promise.reject(new Error('the scope failed')), { prelude: written }).catch(
    (e: Error) => e.message,
  );
  t.equal(failed, 'the scope failed');
  const [kept] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`));
  t.equal(kept!.n, 1, "the prelude's row is committed though the scope rolled back");

  const errors: unknown[] = [];
  const broken = { sql: 'select 1 / 0', failed: (err: unknown) => errors.push(err) };
  const [row] = await inScope('read', deps, actor(), (s) => queryRows<{ force: string }>(s.tx, sql`select current_setting('app.force_id') as force`), {
    prelude: broken,
  });
  t.equal(row?.force, FORCE_A, 'the scope ran, as itself');
  t.equal(errors.length, 1, 'the failure was handed to the caller');
  const err = errors[0] as Error;
  t.match(`${err.message} ${(err.cause as Error | undefined)?.message}`, /division by zero/);
});

t.test('on PostgreSQL a prelude goes in the round trip of BEGIN', { skip: !onPostgres && 'PGlite runs in this process: no round trip to save' }, async (t) => {
  const sent = await queriesSent(() =>
    inScope('replica', deps, actor(), (s) => queryRows(s.tx, sql`select 1 as one`), {
      prelude: { sql: 'select stats_drain(10)', failed: (err) => t.fail(String(err)) },
    }),
  );
  t.equal(sent.length, 3, `the prelude with begin and the settings, the read, commit: ${JSON.stringify(sent.map((s) => s.slice(0, 60)))}`);
  t.match(sent[0], /^begin; select stats_drain\(10\); commit; begin; select set_config\('role', 'oar_app', true\)/);
});

t.test('the audit insert sent with COMMIT writes what the prepared one writes, whatever the text', async (t) => {
  const hostile = "O'Brien \\ '); drop table audit_events; -- \n\tŴelsh ☃ $1 :name E'x' \\x00";
  const base = {
    occurredAt: new Date('2026-03-01T10:00:00.123Z'),
    actorId: created.id,
    actorName: hostile,
    actorRoles: ['force_system', "o'dd"],
    actorForceId: FORCE_A,
    action: 'read',
    resourceType: 'incident',
    resourceId: null,
    forceId: FORCE_A,
    requestId: 'req:1-a_b.c',
    reason: `${hostile}\r\nsecond line`,
    changedFields: ['a,b', '"quoted"', '{brace}', "it's", 'back\\slash', '', 'NULL'],
  };
  const viaPrepared = { ...base, id: newId() };
  const viaLiteral = { ...base, id: newId() };
  const nulls = { ...base, id: newId(), actorId: null, actorForceId: null, forceId: null, reason: null, changedFields: null, actorRoles: [] };
  await insertAuditRows(db, [viaPrepared]);
  await db.execute(sql.raw(auditInsertSql([viaLiteral, nulls], pg.escapeLiteral)));
  const read = async (id: string) =>
    (
      await queryRows<Record<string, unknown>>(
        db,
        sql`select occurred_at, actor_id, actor_name, actor_roles, actor_force_id, action, resource_type, resource_id, force_id, request_id, reason, changed_fields
            from audit_events where id = ${id}`,
      )
    )[0];
  const a = await read(viaPrepared.id);
  t.ok(a, 'the prepared row');
  t.same(await read(viaLiteral.id), a, 'the same columns, byte for byte');
  t.equal(a!.actor_name, hostile, 'the text as sent');
  t.same(a!.changed_fields, base.changedFields, 'the array as sent');
  t.match(
    await read(nulls.id),
    { actor_id: null, actor_force_id: null, force_id: null, reason: null, changed_fields: null, actor_roles: [] },
    'nulls and an empty array',
  );
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`);
  t.ok(count!.n >= 3, 'the table is still there');
});

t.test('an audit row the database refuses fails the request and leaves the connection clean', async (t) => {
  const failed = await inScope('read', deps, actor(), async (s) => {
    s.audit({ action: 'read', resourceType: 'incident', resourceId: 'not-a-uuid', forceId: FORCE_A });
    return 'answer';
  }).catch((err: Error) => `${err.message} ${(err.cause as Error | undefined)?.message}`);
  t.match(failed, /invalid input syntax for type uuid/, 'the read does not answer without its audit event');
  for (let i = 0; i < 12; i++) {
    const [row] = await inScope('read', deps, actor(), (s) => queryRows<{ force: string }>(s.tx, sql`select current_setting('app.force_id') as force`));
    t.equal(row?.force, FORCE_A, `scope ${i + 1} after the failure (every pooled connection in turn)`);
  }
});

t.test("the outbox insert sent with COMMIT writes what the driver's insert writes, and skips a dedupe key already there", async (t) => {
  const hostile = 'O\'Brien \\ \'); drop table outbox_events; -- \n☃ $1 :name "quoted" {brace}';
  const at = new Date('2026-03-01T10:00:00.123Z');
  const event = (key: string) => ({ type: 'care_step.overdue' as const, forceId: FORCE_A, data: { incidentId: newId(), note: hostile }, dedupeKey: key });
  const [a, b] = [event(`outbox-a-${newId()}`), event(`outbox-b-${newId()}`)];
  await insertOutbox(db, at, [a]);
  await db.execute(sql.raw(outboxInsertSql(at, [b, { ...b, data: { other: 'x' } }], pg.escapeLiteral)));
  const read = async (key: string) =>
    queryRows<Record<string, unknown>>(db, sql`select force_id, type, data, occurred_at, relayed_at from outbox_events where dedupe_key = ${key}`);
  const [viaDriver] = await read(a.dedupeKey);
  const viaLiteral = await read(b.dedupeKey);
  t.equal(viaLiteral.length, 1, 'the second row with the same dedupe key was skipped');
  t.same({ ...viaLiteral[0], data: { ...(viaLiteral[0]!.data as object), incidentId: a.data.incidentId } }, viaDriver, 'the same columns');
  t.equal((viaLiteral[0]!.data as { note: string }).note, hostile, 'the text as sent');
});

t.test(
  'on PostgreSQL a write sends its audit and outbox rows with COMMIT',
  { skip: !onPostgres && 'PGlite runs in this process: no round trip to save' },
  async (t) => {
    const incidentId = newId();
    const sent = await queriesSent(() =>
      inScope('write', deps, actor(), async (s) => {
        s.audit({ action: 'update', resourceType: 'incident', resourceId: incidentId, forceId: FORCE_A });
        s.emit({ type: 'incident.updated', forceId: FORCE_A, data: { incidentId, version: '2' } });
      }),
    );
    t.equal(sent.length, 2, `begin with the settings, then audit, outbox and commit: ${JSON.stringify(sent.map((s) => s.slice(0, 40)))}`);
    t.match(sent[1], /^insert into audit_events \(.*\); insert into outbox_events \(.*\) on conflict \(dedupe_key\) do nothing; commit$/s);
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events where data->>'incidentId' = ${incidentId}`);
    t.equal(row!.n, 1, 'the event is in the outbox');
  },
);

t.test('a new incident with victims and suspects: its people and their plans in one statement, and what GET reads', async (t) => {
  const key = await h.key(['force_system'], FORCE_A, 'people in one statement');
  const payload = incidentBody({ victims: [victimBody(), victimBody()], suspects: [suspectBody()] });
  const sent = await queriesSent(() => h.call(key, { method: 'POST', url: '/v1/incidents', payload }));
  const created = (await h.call(key, { method: 'GET', url: '/v1/incidents' })).json<{ items: { id: string; forceReference: string }[] }>();
  const id = created.items.find((i) => i.forceReference === payload.forceReference)!.id;
  const read = await h.call(key, { method: 'GET', url: `/v1/incidents/${id}` });
  const view = read.json<{ victims: { id: string }[]; suspects: { id: string }[] }>();
  t.equal(view.victims.length, 2);
  t.equal(view.suspects.length, 1);
  const [steps] = await queryRows<{ n: number; victims: number }>(
    db,
    sql`select count(*)::int as n, count(distinct victim_id)::int as victims from care_steps where incident_id = ${id}`,
  );
  t.same(steps, { n: 14, victims: 2 }, "each victim's seven steps");
  if (!onPostgres) return;
  const begin = sent.findIndex((s) => /^begin\b/.test(s));
  const end = sent.findIndex((s, i) => i > begin && /commit$/.test(s));
  const transaction = sent.slice(begin, end + 1);
  t.equal(transaction.length, 4, `begin, the incident, its people, commit: ${JSON.stringify(transaction.map((s) => s.slice(0, 40)))}`);
  t.match(
    transaction[1],
    /^\[q_[\w-]+\] with i as \(insert into "incidents" .* returning \*\)\s+select .*care_plan_templates.*bank_holidays/s,
    "the incident's insert, a named statement, returns its plans' template and holidays",
  );
  t.match(
    transaction[2],
    /^\[q_[\w-]+\] with v as \(insert into "victims" .*\),\s+c as \(insert into "care_steps" .*\),\s+s as \(insert into "suspects" /s,
    'victims, care steps and suspects in one named statement',
  );
});

t.test('on PostgreSQL a GET by id is two round trips: its read goes with BEGIN, its audit with COMMIT', async (t) => {
  const key = await h.key(['force_system'], FORCE_A, 'read with begin');
  const otherForce = await h.key(['force_system'], FORCE_B, 'read with begin, other force');
  const created = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ victims: [victimBody()], suspects: [suspectBody()] }) });
  const id = created.json<{ id: string }>().id;
  const sent = await queriesSent(async () => {
    const read = await h.call(key, { method: 'GET', url: `/v1/incidents/${id}` });
    t.equal(read.statusCode, 200);
    t.same(read.json(), created.json(), 'what the POST answered');
  });
  t.equal((await h.call(otherForce, { method: 'GET', url: `/v1/incidents/${id}` })).statusCode, 404, "another force's key: row-level security hides it");
  if (!onPostgres) return;
  const begin = sent.findIndex((s) => /^begin\b/.test(s));
  const transaction = sent.slice(begin, sent.findIndex((s, i) => i > begin && /commit$/.test(s)) + 1);
  t.equal(transaction.length, 2, JSON.stringify(transaction.map((s) => s.slice(0, 60))));
  t.match(
    transaction[0],
    /^begin; select set_config\('role', 'oar_app', true\).*; select row_to_json\(i\) as incident,.* from "incidents" i where i\.id = '[0-9a-f-]{36}'$/s,
  );
  t.match(transaction[1], /^insert into audit_events .*; commit$/s);
});

t.test("a PATCH answers with the incident's people read in one statement, as GET by id reads them", async (t) => {
  const key = await h.key(['force_system'], FORCE_A, 'patch people');
  const created = await h.call(key, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ victims: [victimBody(), victimBody()], suspects: [suspectBody()] }),
  });
  const id = created.json<{ id: string }>().id;
  let patched: { victims: unknown[]; suspects: unknown[]; narrative: string } | undefined;
  const sent = await queriesSent(async () => {
    const res = await h.call(key, {
      method: 'PATCH',
      url: `/v1/incidents/${id}`,
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      payload: { narrative: 'Amended by the reporting officer.' },
    });
    t.equal(res.statusCode, 200, res.body);
    patched = res.json();
  });
  const read = (await h.call(key, { method: 'GET', url: `/v1/incidents/${id}` })).json<{ victims: unknown[]; suspects: unknown[] }>();
  t.equal(patched?.narrative, 'Amended by the reporting officer.');
  t.equal(patched?.victims.length, 2);
  t.same(patched?.victims, read.victims, 'the same victims as GET by id');
  t.same(patched?.suspects, read.suspects, 'the same suspects as GET by id');
  if (!onPostgres) return;
  const people = sent.filter((s) => /\bfrom "?(victims|suspects)"?\b/.test(s));
  t.equal(people.length, 1, `one statement reads victims and suspects: ${JSON.stringify(people.map((s) => s.slice(0, 80)))}`);
  t.match(people[0], /from victims v .* from suspects s /s);
});
