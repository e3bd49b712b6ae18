// Force isolation held by the database itself: through one force's request scope, a deliberately unfiltered
// `select *` of every force-owned table finds none of another force's rows (migrations/0015_row_level_security.sql).
import t from 'tap';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.ts';
import { inScope } from '../../src/db/scope.ts';
import { drainRollup } from '../../src/modules/stats/rollup.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Actor, Role } from '../../src/shared/principal.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, victimBody } from '../factories.ts';
import { buildTestApp, type TestApp } from '../helper.ts';

const h: TestApp = await buildTestApp(t);
const deps = { db: h.database.db, clock: h.clock };

const actor = (forceId: string | null, roles: Role[] = ['admin']): Actor => ({
  principal: { id: newId(), name: `rls test ${forceId ?? 'national'}`, roles, forceId },
  requestId: 'rls-test',
  reason: 'testing force isolation',
});

/** Setup runs before the subtests: a failure throws (a top-level assertion could land after tap ends the file). */
function must(ok: boolean, what: string, detail = ''): void {
  if (!ok) throw new Error(`setup failed: ${what} ${detail}`);
}

/** Records, through the API, one of everything a force owns: incident, people, plan, follow-up, TRiM, justice, webhook. */
async function seedForce(forceId: string) {
  const system = await h.key(['force_system'], forceId);
  const welfare = await h.key(['welfare_officer'], forceId);
  const post = async (key: string, url: string, payload: object) => {
    const res = await h.call(key, { method: 'POST', url, payload });
    must(res.statusCode === 201, `POST ${url}`, res.body);
    return res.json() as { id: string; victims?: { id: string }[]; suspects?: { id: string }[] };
  };
  const incident = await post(system, '/v1/incidents', incidentBody({ victims: [victimBody()], suspects: [suspectBody()] }));
  const victimId = incident.victims![0]!.id;
  await post(welfare, `/v1/victims/${victimId}/follow-ups`, {
    occurredAt: '2026-03-01T10:00:00Z',
    kind: 'call',
    contactBy: 'Welfare officer (synthetic)',
    note: 'Synthetic note.',
  });
  const referral = await post(welfare, `/v1/victims/${victimId}/trim-referrals`, {
    referredBy: 'Supervisor (synthetic)',
    consent: 'given',
    note: 'Synthetic referral.',
  });
  await post(welfare, `/v1/trim-referrals/${referral.id}/assessments`, { kind: 'initial', assessedAt: '2026-03-02T08:00:00Z', score: 5, outcome: 'monitor' });
  await post(system, `/v1/incidents/${incident.id}/justice-events`, {
    type: 'charging_decision',
    occurredAt: '2026-03-01T12:00:00Z',
    suspectId: incident.suspects![0]!.id,
    decision: 'charged',
    charges: [{ offence: 'emergency_worker_common_assault' }],
  });
  const webhook = await post(system, '/v1/webhooks', { url: 'https://receiver.example.org/hook', eventTypes: ['incident.created'] });
  const template = await h.call(h.adminKey, {
    method: 'PUT',
    url: `/v1/care-plan-templates/${forceId}`,
    payload: { steps: ((await h.call(h.adminKey, { method: 'GET', url: `/v1/care-plan-templates/${forceId}` })).json() as { steps: unknown[] }).steps },
  });
  must(template.statusCode === 200, 'force template published', template.body);
  // A delivery and its attempt, as the relay and the worker write them (they run outside any request scope).
  const [event] = await queryRows<{ id: string }>(h.database.db, sql`select id from outbox_events where force_id = ${forceId} limit 1`);
  const deliveryId = newId();
  await h.database.db.execute(sql`insert into webhook_deliveries (id, subscription_id, event_id, force_id, status, created_at)
    values (${deliveryId}, ${webhook.id}, ${event!.id}, ${forceId}, 'delivered', now())`);
  await h.database.db.execute(sql`insert into webhook_attempts (id, delivery_id, attempt, attempted_at, duration_ms, status_code, succeeded)
    values (${newId()}, ${deliveryId}, 1, now(), 5, 200, true)`);
  // A page session of someone of the force, as sign-in writes it (migrations/0018_web_sessions.sql).
  await h.database.db.execute(sql`insert into web_sessions (id, token_hash, subject, principal_id, name, roles, force_id, csrf_token, created_at,
      last_seen_at, idle_expires_at, expires_at)
    values (${newId()}, ${newId()}, ${`https://idp.example|${forceId}`}, ${newId()}, 'Session (synthetic)', '{welfare_officer}', ${forceId}, 'csrf', now(),
      now(), now() + interval '15 minutes', now() + interval '10 hours')`);
}

await seedForce(FORCE_A);
await seedForce(FORCE_B);

/** Every table of the public schema with a force_id column, and whether row-level security is on. */
const forceTables = await queryRows<{ table: string; rls: boolean }>(
  h.database.db,
  sql`select c.relname as table, c.relrowsecurity as rls
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
         and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'force_id' and not a.attisdropped)
       order by 1`,
);
/** Reference data every principal reads (the forces and their published headcounts); not one force's records. */
const SHARED = new Set(['force_headcounts']);
/** Tables with no force column of their own: their rows follow a parent's force. */
const CHILDREN: Record<string, string> = {
  webhook_attempts: 'select a.id, d.force_id from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id',
  principal_keys: 'select k.id, p.force_id from principal_keys k join principals p on p.id = k.principal_id',
};

t.test('every table with a force column has row-level security on', async (t) => {
  t.ok(forceTables.length >= 15, `found ${forceTables.length} force-owned tables`);
  for (const { table, rls } of forceTables) if (!SHARED.has(table)) t.ok(rls, `${table} has row-level security`);
});

const selectAll = (forceId: string | null, table: string) =>
  inScope('read', deps, actor(forceId), (scope) => queryRows<{ force_id: string | null; id: string }>(scope.tx, sql`select * from ${sql.identifier(table)}`));

t.test("an unfiltered select * through force A's scope finds none of force B's rows", async (t) => {
  // The statistics rollup of both forces' records, applied from its queue.
  await drainRollup(h.database.db);
  for (const { table } of forceTables) {
    if (SHARED.has(table)) continue;
    const all = await queryRows<{ force_id: string | null }>(h.database.db, sql`select force_id from ${sql.identifier(table)}`);
    t.ok(
      all.some((r) => r.force_id === FORCE_B),
      `${table}: force B has rows (as owner, outside any scope)`,
    );
    const seen = await selectAll(FORCE_A, table);
    t.ok(
      seen.some((r) => r.force_id === FORCE_A),
      `${table}: force A sees its own rows`,
    );
    const foreign = seen.filter((r) => r.force_id !== FORCE_A && !(table === 'care_plan_templates' && r.force_id === null));
    t.same(foreign, [], `${table}: force A sees no other force's row`);
  }
  for (const [table, parentQuery] of Object.entries(CHILDREN)) {
    const owners = new Map((await queryRows<{ id: string; force_id: string | null }>(h.database.db, sql.raw(parentQuery))).map((r) => [r.id, r.force_id]));
    t.ok([...owners.values()].includes(FORCE_B), `${table}: force B has rows`);
    const seen = await selectAll(FORCE_A, table);
    t.ok(seen.length > 0, `${table}: force A sees its own rows`);
    t.same(
      seen.filter((r) => owners.get(r.id) !== FORCE_A),
      [],
      `${table}: force A sees no row of another force's parent`,
    );
  }
});

t.test('a national scope sees every force; no scope at all sees nothing', async (t) => {
  const national = await selectAll(null, 'incidents');
  t.ok(national.some((r) => r.force_id === FORCE_A) && national.some((r) => r.force_id === FORCE_B), 'national sees both forces');
  // The request role without a force set (a scope forgotten): fails closed.
  const unscoped = await h.database.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'oar_app', true)`);
    return queryRows<{ n: number }>(tx, sql`select count(*)::int as n from incidents`);
  });
  t.equal(Number(unscoped[0]!.n), 0, 'the app role with no force set sees no incident');
});

t.test("force A's scope can neither write nor change force B's rows", async (t) => {
  const write = inScope('write', deps, actor(FORCE_A, ['force_system']), (scope) =>
    scope.tx.execute(sql`insert into follow_ups (id, victim_id, incident_id, force_id, occurred_at, kind, contact_by, created_by, created_at)
      select ${newId()}, v.id, v.incident_id, ${FORCE_B}, now(), 'call', 'synthetic', ${newId()}, now() from victims v limit 1`),
  );
  await t.rejects(write, 'inserting a row for another force is refused');
  const changed = await inScope('write', deps, actor(FORCE_A, ['force_system']), (scope) =>
    queryRows<{ id: string }>(scope.tx, sql`update incidents set narrative = 'changed' where force_id = ${FORCE_B} returning id`),
  );
  t.same(changed, [], "an update aimed at force B's incidents touches none");
  const audit = inScope('write', deps, actor(FORCE_A), (scope) => scope.tx.execute(sql`delete from audit_events`));
  await t.rejects(audit, 'the request role cannot delete audit events');
});
