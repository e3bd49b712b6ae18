// Idempotency-Key on POST: the same key and body replay the first answer; a different body or path is
// 422; keys belong to one principal; a failed request does not use up its key; keys live in the
// database for 24 hours, so replays hold across instances and under concurrent retries.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../helper.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, unique, victimBody } from '../factories.ts';
import { buildApp } from '../../src/app.ts';
import { queryRows } from '../../src/db/client.ts';
import type { Role } from '../../src/shared/principal.ts';
import { auditEvents, idempotencyKeys, incidents, principals, suspects, victims } from '../../src/db/schema/index.ts';

type Payload = Record<string, unknown>;

function post(h: TestApp, key: string, idempotencyKey: string | undefined, payload: Payload | string, url = '/v1/incidents') {
  return h.call(key, {
    method: 'POST',
    url,
    payload,
    headers: {
      ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
      ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
    },
  });
}

async function incidentsWithReference(h: TestApp, forceReference: string): Promise<string[]> {
  const rows = await h.database.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.forceReference, forceReference));
  return rows.map((r) => r.id);
}

const principalNames = new Map<string, string>();

/** A new API key whose principal has a unique name, so its id can be found without the auth internals. */
async function newKey(h: TestApp, roles: Role[], forceId: string | null, name = unique(`test ${roles.join('+')}`)): Promise<string> {
  const key = await h.key(roles, forceId, name);
  principalNames.set(key, name);
  return key;
}

/** The principal id behind a key made by newKey (or the test admin's). */
async function principalId(h: TestApp, key: string): Promise<string> {
  const name = key === h.adminKey ? 'test admin' : principalNames.get(key);
  if (!name) throw new Error('key not made by newKey');
  const rows = await queryRows<{ id: string }>(h.database.db, sql`select id::text as id from principals where name = ${name}`);
  if (rows.length !== 1) throw new Error(`expected one principal named ${name}, found ${rows.length}`);
  return rows[0]!.id;
}

async function keyRows(h: TestApp, apiKey: string) {
  return h.database.db
    .select()
    .from(idempotencyKeys)
    .where(eq(idempotencyKeys.principalId, await principalId(h, apiKey)));
}

function isProblem(t: Test, res: LightMyRequestResponse, status: number, slug?: string) {
  t.equal(res.statusCode, status, res.body);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  const body = res.json();
  t.equal(body.status, status);
  if (slug) t.ok(String(body.type).endsWith(`/${slug}`), `problem type ends with ${slug}: ${body.type}`);
  return body;
}

/** The same JSON with every object's keys in reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reordered(v)]),
    );
  return value;
}

t.test('replays, refusals and storage', async (t) => {
  // One app: every case uses its own principal, key and references.
  const h = await buildTestApp(t);

  t.test('the same key and body replay the first answer', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const payload = incidentBody({ victims: [victimBody()], suspects: [suspectBody()] });

    const first = await post(h, key, 'create-incident-0001', payload);
    t.equal(first.statusCode, 201, first.body);
    t.equal(first.headers['idempotent-replayed'], undefined, 'the first answer is not a replay');
    const body = first.json();

    const second = await post(h, key, 'create-incident-0001', payload);
    t.equal(second.statusCode, 201, second.body);
    t.equal(second.headers['idempotent-replayed'], 'true');
    t.same(second.json(), body, 'the same body');
    t.equal(second.json().id, body.id, 'the same id');
    t.equal(second.headers.location, first.headers.location);
    t.equal(second.headers.location, `/v1/incidents/${body.id}`);
    t.equal(second.headers.etag, first.headers.etag);
    t.equal(second.headers.etag, '"1"');
    t.match(second.headers['content-type'], /^application\/json/);

    const third = await post(h, key, 'create-incident-0001', JSON.stringify(reordered(payload)));
    t.equal(third.statusCode, 201, third.body);
    t.equal(third.headers['idempotent-replayed'], 'true', 'key order in the JSON does not matter');
    t.equal(third.json().id, body.id);

    t.same(await incidentsWithReference(h, payload.forceReference), [body.id], 'only one incident exists');
    t.equal((await h.database.db.select().from(victims).where(eq(victims.incidentId, body.id))).length, 1, 'and one victim');
    t.equal((await h.database.db.select().from(suspects).where(eq(suspects.incidentId, body.id))).length, 1, 'and one suspect');
    const creates = await h.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.resourceId, body.id), eq(auditEvents.action, 'create')));
    t.equal(creates.length, 1, 'one create event: a replay writes nothing');

    // Still replayed just before the key's 24 hours are up.
    h.clock.advance(23 * 3600_000 + 59 * 60_000);
    const later = await post(h, key, 'create-incident-0001', payload);
    t.equal(later.statusCode, 201);
    t.equal(later.headers['idempotent-replayed'], 'true');
    t.equal(later.json().id, body.id);
  });

  t.test('a replayed key creation answers without the secret, which is never stored', async (t) => {
    const payload = { name: unique('replayed key'), roles: ['analyst'], forceId: null };
    const first = await post(h, h.adminKey, 'K-principal', payload, '/v1/principals');
    t.equal(first.statusCode, 201, first.body);
    const secret = first.json().key;
    t.type(secret, 'string');
    const replay = await post(h, h.adminKey, 'K-principal', payload, '/v1/principals');
    t.equal(replay.statusCode, 201, replay.body);
    t.equal(replay.headers['idempotent-replayed'], 'true');
    t.equal(replay.json().id, first.json().id);
    t.equal(replay.headers.location, first.headers.location);
    t.equal(replay.json().key, null, 'the key is shown once only');
    const stored = await queryRows<{ body: string }>(h.database.db, sql`select response_body::text as body from idempotency_keys where key = 'K-principal'`);
    t.equal(stored.length, 1);
    t.notOk(stored[0]!.body.includes(secret), 'the key is not kept for replays');
    t.equal((await h.database.db.select().from(principals).where(eq(principals.name, payload.name))).length, 1, 'one principal');
  });

  t.test('the same key with a different body is 422 and creates nothing', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const payload = incidentBody();
    const first = await post(h, key, 'K-1', payload);
    t.equal(first.statusCode, 201, first.body);

    const changed = { ...payload, forceReference: unique('OTHER'), narrative: 'A different report.' };
    const res = await post(h, key, 'K-1', changed);
    const problem = isProblem(t, res, 422, 'idempotency-key-reused');
    t.equal(problem.instance, '/v1/incidents');
    t.equal(res.headers['idempotent-replayed'], undefined);
    t.same(await incidentsWithReference(h, changed.forceReference), [], 'nothing created');

    const subtle = await post(h, key, 'K-1', { ...payload, methods: ['spit', 'kick'] });
    isProblem(t, subtle, 422, 'idempotency-key-reused');

    const again = await post(h, key, 'K-1', payload);
    t.equal(again.statusCode, 201, 'the original request still replays');
    t.equal(again.headers['idempotent-replayed'], 'true');
    t.equal(again.json().id, first.json().id);
    t.same(await incidentsWithReference(h, payload.forceReference), [first.json().id]);
  });

  t.test('keys belong to one principal: two principals using the same key are independent', async (t) => {
    const avon = await newKey(h, ['force_system'], FORCE_A);
    const avon2 = await newKey(h, ['force_system'], FORCE_A, 'second Avon system');
    const beds = await newKey(h, ['force_system'], FORCE_B);
    const payload = incidentBody();

    const a = await post(h, avon, 'shared-key', payload);
    const b = await post(h, beds, 'shared-key', payload);
    const c = await post(h, avon2, 'shared-key', { ...payload, forceReference: unique('CRIME') });
    for (const res of [a, b, c]) {
      t.equal(res.statusCode, 201, res.body);
      t.equal(res.headers['idempotent-replayed'], undefined, 'not a replay');
    }
    t.equal(a.json().forceId, FORCE_A);
    t.equal(b.json().forceId, FORCE_B);
    t.equal(new Set([a.json().id, b.json().id, c.json().id]).size, 3, 'three incidents');
    t.equal((await incidentsWithReference(h, payload.forceReference)).length, 2, 'one in each force');
  });

  t.test('the same key on another path is 422', async (t) => {
    const both = await newKey(h, ['admin', 'force_system'], FORCE_A, 'Avon admin and system');
    const payload = incidentBody();
    const created = await post(h, both, 'K-path', payload);
    t.equal(created.statusCode, 201, created.body);

    const name = unique('key for analyst');
    const res = await post(h, both, 'K-path', { name, roles: ['analyst'], forceId: FORCE_A }, '/v1/principals');
    isProblem(t, res, 422, 'idempotency-key-reused');
    t.same(await h.database.db.select().from(principals).where(eq(principals.name, name)), [], 'no key was created');

    // Same body, different path: a victim for one incident is not a suspect, nor a victim of another.
    const incidentId = created.json().id;
    const other = await post(h, both, undefined, incidentBody());
    const person = victimBody();
    const victim = await post(h, both, 'K-person', person, `/v1/incidents/${incidentId}/victims`);
    t.equal(victim.statusCode, 201, victim.body);
    isProblem(t, await post(h, both, 'K-person', suspectBody(), `/v1/incidents/${incidentId}/suspects`), 422, 'idempotency-key-reused');
    isProblem(t, await post(h, both, 'K-person', person, `/v1/incidents/${other.json().id}/victims`), 422, 'idempotency-key-reused');
    const replay = await post(h, both, 'K-person', person, `/v1/incidents/${incidentId}/victims`);
    t.equal(replay.headers['idempotent-replayed'], 'true', 'the original path and body still replay');
    t.equal(replay.json().id, victim.json().id);
    t.equal((await h.database.db.select().from(victims).where(eq(victims.incidentId, other.json().id))).length, 0);
    t.equal((await h.database.db.select().from(suspects).where(eq(suspects.incidentId, incidentId))).length, 0);
  });

  t.test('an invalid key is 400 and nothing is created', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    for (const [what, bad] of [
      ['256 characters', 'k'.repeat(256)],
      ['a space', 'has space'],
      ['a tab', 'has\ttab'],
      ['empty', ''],
    ] as const) {
      const payload = incidentBody();
      const res = await post(h, key, bad, payload);
      const problem = isProblem(t, res, 400, 'validation-failed');
      t.match(problem.errors, [{ path: 'headers.idempotency-key' }], `${what}: the header is named`);
      t.same(await incidentsWithReference(h, payload.forceReference), [], `${what}: nothing created`);
    }
    t.same(await keyRows(h, key), [], 'no key stored');

    const longest = await post(h, key, '~'.repeat(255), incidentBody());
    t.equal(longest.statusCode, 201, '255 visible characters are fine');
    const uuidKey = await post(h, key, '0f8fad5b-d9cb-469f-a165-70867728950e', incidentBody());
    t.equal(uuidKey.statusCode, 201);
  });

  t.test('keys are kept in the database for 24 hours', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const created = await post(h, key, 'K-stored', incidentBody());
    t.equal(created.statusCode, 201);
    const rows = await keyRows(h, key);
    t.equal(rows.length, 1);
    const row = rows[0]!;
    t.equal(row.key, 'K-stored');
    t.equal(row.statusCode, 201);
    t.match(row.requestHash, /^[0-9a-f]{64}$/);
    t.equal((row.responseBody as { id: string }).id, created.json().id);
    t.same(row.responseHeaders, { location: created.headers.location, etag: created.headers.etag });
    t.equal(row.createdAt.toISOString(), h.clock.now().toISOString());
    t.equal(row.expiresAt.getTime() - row.createdAt.getTime(), 24 * 3600_000, 'expires 24 hours after it was made');
    const [secs] = await queryRows<{ s: number }>(
      h.database.db,
      sql`select extract(epoch from expires_at - created_at)::int as s from idempotency_keys where key = 'K-stored'`,
    );
    t.equal(secs!.s, 86_400);
  });

  t.test('a second instance on the same database replays the first one\u2019s answer', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const payload = incidentBody();
    const created = await post(h, key, 'K-cluster', payload);
    t.equal(created.statusCode, 201);
    const other = await buildApp({ database: h.database, clock: h.clock });
    try {
      await other.ready();
      const res = await other.inject({
        method: 'POST',
        url: '/v1/incidents',
        payload,
        headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'K-cluster' },
      });
      t.equal(res.statusCode, 201, res.body);
      t.equal(res.headers['idempotent-replayed'], 'true');
      t.equal(res.json().id, created.json().id);
      t.equal(res.headers.location, created.headers.location);
    } finally {
      await other.close();
    }
    t.equal((await incidentsWithReference(h, payload.forceReference)).length, 1);
  });
});

t.test('failures and races', async (t) => {
  const h = await buildTestApp(t);

  t.test('a failed request does not use up its key', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);

    t.test('after a 409 the key is free for a corrected request', async (t) => {
      const existing = await post(h, key, undefined, incidentBody());
      t.equal(existing.statusCode, 201);
      const duplicate = incidentBody({ forceReference: existing.json().forceReference });
      isProblem(t, await post(h, key, 'K-409', duplicate), 409, 'duplicate-force-reference');
      t.same(
        (await keyRows(h, key)).filter((r) => r.key === 'K-409'),
        [],
        'no key row is left behind',
      );

      const corrected = incidentBody();
      const retry = await post(h, key, 'K-409', corrected);
      t.equal(retry.statusCode, 201, retry.body);
      t.equal(retry.headers['idempotent-replayed'], undefined, 'a fresh request, not a replay');
      t.same(await incidentsWithReference(h, corrected.forceReference), [retry.json().id]);

      const replay = await post(h, key, 'K-409', corrected);
      t.equal(replay.headers['idempotent-replayed'], 'true');
      t.equal(replay.json().id, retry.json().id);
      isProblem(t, await post(h, key, 'K-409', duplicate), 422, 'idempotency-key-reused');
    });

    t.test('after a 400 the key is free', async (t) => {
      const bad = incidentBody({ circumstances: 'not-a-circumstance' });
      isProblem(t, await post(h, key, 'K-400', bad), 400, 'validation-failed');
      const good = incidentBody();
      const retry = await post(h, key, 'K-400', good);
      t.equal(retry.statusCode, 201, retry.body);
      t.equal(retry.headers['idempotent-replayed'], undefined);
    });

    t.test('after a 422 rule violation the key is free', async (t) => {
      const national = await newKey(h, ['force_system'], null, 'national system');
      const payload = incidentBody();
      isProblem(t, await post(h, national, 'K-422', payload), 422, 'rule-violated');
      const retry = await post(h, national, 'K-422', { ...payload, forceId: FORCE_B });
      t.equal(retry.statusCode, 201, retry.body);
      t.equal(retry.headers['idempotent-replayed'], undefined);
      t.equal(retry.json().forceId, FORCE_B);
    });

    t.test('after a database failure mid-request the key is free, and nothing was written', async (t) => {
      await h.database.db.execute(
        sql.raw(`create function test_fail_suspect() returns trigger language plpgsql as $$
        begin if new.reference = 'FAIL-IN-TEST' then raise exception 'test-induced failure'; end if; return new; end $$`),
      );
      await h.database.db.execute(sql.raw('create trigger test_fail_suspect before insert on suspects for each row execute function test_fail_suspect()'));
      t.teardown(() => h.database.db.execute(sql.raw('drop trigger if exists test_fail_suspect on suspects')));
      const failing = incidentBody({ victims: [victimBody()], suspects: [suspectBody({ reference: 'FAIL-IN-TEST' })] });
      isProblem(t, await post(h, key, 'K-500', failing), 500);
      t.same(await incidentsWithReference(h, failing.forceReference), []);
      t.same(
        (await keyRows(h, key)).filter((r) => r.key === 'K-500'),
        [],
      );
      const retry = await post(h, key, 'K-500', incidentBody({ suspects: [suspectBody()] }));
      t.equal(retry.statusCode, 201, retry.body);
      t.equal(retry.headers['idempotent-replayed'], undefined);
    });
  });

  t.test('concurrent retries with one key create one incident', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);

    t.test('20 at once with the same body: all 201 with the same incident', async (t) => {
      const payload = incidentBody({ victims: [victimBody()] });
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(h, key, 'K-race', payload)));
      const statuses = responses.map((r) => r.statusCode);
      t.same(statuses, Array(20).fill(201), 'every answer is 201');
      const ids = new Set(responses.map((r) => r.json().id));
      t.equal(ids.size, 1, 'every answer names the same incident');
      t.equal(responses.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 19, 'one original and 19 replays');
      const original = responses.find((r) => r.headers['idempotent-replayed'] === undefined)!;
      t.ok(
        responses.every((r) => r.headers.location === original.headers.location && r.headers.etag === original.headers.etag),
        'same Location and ETag everywhere',
      );
      t.ok(responses.every((r) => JSON.stringify(r.json()) === JSON.stringify(original.json())));
      t.same(await incidentsWithReference(h, payload.forceReference), [...ids], 'exactly one incident row');
      const [victimCount] = await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from victims where incident_id = ${[...ids][0]}`);
      t.equal(victimCount!.n, 1);
    });

    t.test('20 at once, two bodies: one wins, the others replay it or are refused', async (t) => {
      const a = incidentBody();
      const b = incidentBody();
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(h, key, 'K-race-2', i % 2 === 0 ? a : b)));
      const created = responses.filter((r) => r.statusCode === 201);
      const refused = responses.filter((r) => r.statusCode === 422);
      t.equal(created.length + refused.length, 20, 'only 201 and 422');
      t.equal(new Set(created.map((r) => r.json().id)).size, 1, 'one incident');
      t.equal(created.length, 10, 'every request with the winning body gets it');
      const winner = created[0]!.json().forceReference;
      t.ok(refused.every((r) => r.json().type.endsWith('/idempotency-key-reused')));
      const rows = [...(await incidentsWithReference(h, a.forceReference)), ...(await incidentsWithReference(h, b.forceReference))];
      t.equal(rows.length, 1, 'exactly one of the two was stored');
      t.same(await incidentsWithReference(h, winner), [created[0]!.json().id]);
    });
  });
});
