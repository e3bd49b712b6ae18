// The audit trail: every write and every read of personal data appends events in the request's own
// transaction (actor, force, request id, reason, changed fields); a failed request leaves nothing;
// GET /v1/audit-events is for admins, newest first, cursor-paged, filtered and force-scoped.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { asc, eq, sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';
import { queryRows } from '../../../src/db/client.ts';
import type { Role } from '../../../src/shared/principal.ts';
import { auditEvents, incidents } from '../../../src/db/schema/index.ts';

type AuditRow = typeof auditEvents.$inferSelect;

interface ApiEvent {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string;
  actorRoles: string[];
  actorForceId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  forceId: string | null;
  requestId: string;
  reason: string | null;
  changedFields: string[] | null;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
}

interface Page {
  items: ApiEvent[];
  nextCursor: string | null;
}

/** The events one request appended, read straight from the table (reading them through the API would add more). */
function eventsOf(h: TestApp, requestId: string): Promise<AuditRow[]> {
  return h.database.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id));
}

/** Every event id in the table, for before/after comparisons. */
async function allEventIds(h: TestApp): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(h.database.db, sql`select id::text as id from audit_events order by id`);
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

function requestIdOf(res: LightMyRequestResponse): string {
  const id = res.headers['x-request-id'];
  if (typeof id !== 'string' || id === '') throw new Error('response has no x-request-id');
  return id;
}

function isProblem(t: Test, res: LightMyRequestResponse, status: number, slug?: string) {
  t.equal(res.statusCode, status, res.body);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  const body = res.json();
  t.equal(body.status, status);
  if (slug) t.match(body.type, new RegExp(`/${slug}$`));
  return body;
}

async function createIncident(h: TestApp, key: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody(overrides), headers });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return { res, body: res.json(), requestId: requestIdOf(res) };
}

async function listAudit(h: TestApp, key: string, query: string): Promise<Page> {
  const res = await h.call(key, { method: 'GET', url: `/v1/audit-events${query}` });
  if (res.statusCode !== 200) throw new Error(`audit list failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Follows nextCursor to the end; returns every page. */
async function allPages(h: TestApp, key: string, query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const sep = query.includes('?') ? '&' : '?';
    const page: Page = await listAudit(h, key, cursor ? `${query}${sep}cursor=${encodeURIComponent(cursor)}` : query);
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 100) throw new Error('paging does not end');
  } while (cursor);
  return pages;
}

/** Newest first: occurredAt descending, then id descending. */
function isNewestFirst(items: { occurredAt: string; id: string }[]): boolean {
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1]!;
    const b = items[i]!;
    const ta = Date.parse(a.occurredAt);
    const tb = Date.parse(b.occurredAt);
    if (ta < tb || (ta === tb && a.id <= b.id)) return false;
  }
  return true;
}

t.test('writes', async (t) => {
  const h = await buildTestApp(t);

  t.test('POST /v1/incidents appends a create event for the incident and for each victim and suspect', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A, 'Avon crime system');
    const actorId = await principalId(h, key);
    const before = await allEventIds(h);
    const { res, body, requestId } = await createIncident(h, key, { victims: [victimBody(), victimBody({ role: 'pcso' })], suspects: [suspectBody()] });

    const all = await eventsOf(h, requestId);
    t.equal((await allEventIds(h)).length, before.length + all.length, 'every new event carries the request id');
    t.ok(
      all.every((e) => e.action === 'create' && e.forceId === FORCE_A && e.actorId === actorId),
      'every event of the request is a create by the caller in its force',
    );
    // Records created alongside (the victims' care plans) are audited too; these are the three kinds asked for.
    const events = all.filter((e) => ['incident', 'victim', 'suspect'].includes(e.resourceType));
    t.equal(events.length, 4, 'one event per incident, victim and suspect created');
    const expected: [string, string][] = [
      ['incident', body.id],
      ['victim', body.victims[0].id],
      ['victim', body.victims[1].id],
      ['suspect', body.suspects[0].id],
    ];
    for (const [type, id] of expected) {
      const e = events.find((x) => x.resourceId === id);
      if (!t.ok(e, `${type} ${id} has an event`) || !e) continue;
      t.hasStrict(e, {
        action: 'create',
        resourceType: type,
        resourceId: id,
        actorId,
        actorName: 'Avon crime system',
        actorForceId: FORCE_A,
        forceId: FORCE_A,
        requestId,
        reason: null,
        seq: null,
        prevHash: null,
        hash: null,
      });
      t.same(e.actorRoles, ['force_system']);
      t.equal(e.occurredAt.toISOString(), h.clock.now().toISOString(), 'stamped with the service clock');
      t.ok(Array.isArray(e.changedFields) && e.changedFields.length > 0, `${type} event lists changed fields`);
    }
    const incidentEvent = events.find((e) => e.resourceType === 'incident')!;
    for (const f of ['forceReference', 'occurredAt', 'circumstances', 'narrative', 'location'])
      t.ok(incidentEvent.changedFields?.includes(f), `incident changedFields has ${f}`);
    t.notOk(incidentEvent.changedFields?.includes('victims'), 'people are audited as their own records');
    for (const e of events.filter((x) => x.resourceType === 'victim')) {
      for (const f of ['role', 'staffNumber', 'injury']) t.ok(e.changedFields?.includes(f), `victim changedFields has ${f}`);
    }
    t.ok(events.find((e) => e.resourceType === 'suspect')!.changedFields?.includes('reference'));

    // The same events, through the API: requestId is the response's x-request-id.
    const page = await listAudit(h, h.adminKey, `?requestId=${encodeURIComponent(requestId)}`);
    t.same(page.items.map((i) => i.id).sort(), all.map((e) => e.id).sort(), 'the API lists the same events');
    t.same(
      page.items
        .filter((i) => ['incident', 'victim', 'suspect'].includes(i.resourceType))
        .map((i) => i.resourceId)
        .sort(),
      expected.map(([, id]) => id).sort(),
    );
    for (const item of page.items) {
      t.hasStrict(item, { action: 'create', actorId, actorForceId: FORCE_A, forceId: FORCE_A, requestId, reason: null, seq: null });
      t.ok(Array.isArray(item.changedFields) && item.changedFields.length > 0);
    }
    t.equal(res.headers['x-request-id'], requestId);
  });

  t.test("a caller's X-Request-Id is kept as the audit request id", async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const { res, body } = await createIncident(h, key, {}, { 'x-request-id': 'crime-system.req-0001' });
    t.equal(res.headers['x-request-id'], 'crime-system.req-0001');
    const events = await eventsOf(h, 'crime-system.req-0001');
    t.same(
      events.filter((e) => e.resourceType === 'incident').map((e) => e.resourceId),
      [body.id],
    );
  });

  t.test('PATCH appends one update event naming the changed top-level fields', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const actorId = await principalId(h, key);
    const { body } = await createIncident(h, key, { victims: [victimBody()] });
    h.clock.advance(60_000);

    const res = await h.call(key, {
      method: 'PATCH',
      url: `/v1/incidents/${body.id}`,
      headers: { 'if-match': '"1"' },
      payload: {
        narrative: 'Amended synthetic narrative.',
        location: { description: 'Another Synthetic Street' },
        equipment: { taser: { drawn: true } },
        circumstances: body.circumstances, // unchanged: not listed
        methods: body.methods, // unchanged: not listed
      },
    });
    t.equal(res.statusCode, 200, res.body);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1, 'exactly one event');
    const e = events[0]!;
    t.hasStrict(e, { action: 'update', resourceType: 'incident', resourceId: body.id, actorId, forceId: FORCE_A, actorForceId: FORCE_A });
    t.same([...(e.changedFields ?? [])].sort(), ['equipment', 'location', 'narrative'], 'top-level names, not paths');
    t.equal(e.occurredAt.toISOString(), h.clock.now().toISOString());

    const victimId = body.victims[0].id;
    const v = await h.call(key, {
      method: 'PATCH',
      url: `/v1/victims/${victimId}`,
      headers: { 'if-match': '"1"' },
      payload: { injury: 'serious', daysLost: 3 },
    });
    t.equal(v.statusCode, 200, v.body);
    const victimEvents = await eventsOf(h, requestIdOf(v));
    t.equal(victimEvents.length, 1);
    t.hasStrict(victimEvents[0], { action: 'update', resourceType: 'victim', resourceId: victimId, forceId: FORCE_A, actorId });
    t.same([...(victimEvents[0]!.changedFields ?? [])].sort(), ['daysLost', 'injury']);
  });

  t.test('the update event lists only what the patch changed; fields left out are untouched', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const { body } = await createIncident(h, key);
    const closed = await h.call(key, {
      method: 'PATCH',
      url: `/v1/incidents/${body.id}`,
      headers: { 'if-match': '"1"' },
      payload: { status: 'closed', statusReason: 'No further action' },
    });
    t.equal(closed.statusCode, 200, closed.body);
    const events = await eventsOf(h, requestIdOf(closed));
    t.equal(events.length, 1);
    t.same([...(events[0]!.changedFields ?? [])].sort(), ['status', 'statusReason'], 'narrative was not in the patch');
    const [row] = await h.database.db.select().from(incidents).where(eq(incidents.id, body.id));
    t.equal(row?.narrative, body.narrative, 'narrative kept');

    const moved = await h.call(key, {
      method: 'PATCH',
      url: `/v1/incidents/${body.id}`,
      headers: { 'if-match': '"2"' },
      payload: { location: { description: 'Another Synthetic Street' }, narrative: body.narrative },
    });
    t.equal(moved.statusCode, 200, moved.body);
    t.same(moved.json().location, { ...body.location, description: 'Another Synthetic Street' }, 'merge patch: the other location fields are kept');
    const movedEvents = await eventsOf(h, requestIdOf(moved));
    t.same(
      movedEvents.map((e) => e.changedFields),
      [['location']],
    );
  });
});

t.test('reads of personal data', async (t) => {
  const h = await buildTestApp(t);
  const key = await newKey(h, ['force_system'], FORCE_A);
  const welfare = await newKey(h, ['welfare_officer'], FORCE_A, 'Avon welfare');
  const actorId = await principalId(h, key);
  const { body } = await createIncident(h, key, { victims: [victimBody()], suspects: [suspectBody()] });

  t.test('GET /v1/incidents/{id} appends a read event with the X-Access-Reason', async (t) => {
    const res = await h.call(key, { method: 'GET', url: `/v1/incidents/${body.id}`, headers: { 'x-access-reason': '  Case file review  ' } });
    t.equal(res.statusCode, 200, res.body);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1);
    t.hasStrict(events[0], {
      action: 'read',
      resourceType: 'incident',
      resourceId: body.id,
      forceId: FORCE_A,
      actorId,
      reason: 'Case file review',
      changedFields: null,
    });
  });

  t.test('GET /v1/victims/{id} appends a read event', async (t) => {
    const victimId = body.victims[0].id;
    const res = await h.call(welfare, { method: 'GET', url: `/v1/victims/${victimId}`, headers: { 'x-access-reason': 'Welfare contact' } });
    t.equal(res.statusCode, 200, res.body);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1);
    t.hasStrict(events[0], {
      action: 'read',
      resourceType: 'victim',
      resourceId: victimId,
      forceId: FORCE_A,
      actorId: await principalId(h, welfare),
      actorName: 'Avon welfare',
      reason: 'Welfare contact',
    });
    t.same(events[0]!.actorRoles, ['welfare_officer']);
  });

  t.test('GET /v1/suspects/{id} appends a read event; no header means no reason', async (t) => {
    const suspectId = body.suspects[0].id;
    const res = await h.call(key, { method: 'GET', url: `/v1/suspects/${suspectId}` });
    t.equal(res.statusCode, 200, res.body);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1);
    t.hasStrict(events[0], { action: 'read', resourceType: 'suspect', resourceId: suspectId, forceId: FORCE_A, reason: null });
  });

  t.test('a blank X-Access-Reason is no reason', async (t) => {
    const res = await h.call(key, { method: 'GET', url: `/v1/incidents/${body.id}`, headers: { 'x-access-reason': '   ' } });
    t.equal(res.statusCode, 200);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1);
    t.equal(events[0]!.reason, null);
  });

  t.test('a long reason is kept to 500 characters', async (t) => {
    const res = await h.call(key, { method: 'GET', url: `/v1/incidents/${body.id}`, headers: { 'x-access-reason': 'r'.repeat(600) } });
    t.equal(res.statusCode, 200);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events[0]?.reason, 'r'.repeat(500));
  });

  t.test('GET /v1/incidents appends one list event', async (t) => {
    const res = await h.call(key, { method: 'GET', url: '/v1/incidents', headers: { 'x-access-reason': 'Daily briefing' } });
    t.equal(res.statusCode, 200, res.body);
    t.ok(res.json().items.length >= 1);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1, 'one event for the whole list, not one per row');
    t.hasStrict(events[0], { action: 'list', resourceType: 'incident', resourceId: null, forceId: FORCE_A, actorId, reason: 'Daily briefing' });
  });

  t.test('the CSV list is audited too', async (t) => {
    const res = await h.call(key, { method: 'GET', url: '/v1/incidents', headers: { accept: 'text/csv' } });
    t.equal(res.statusCode, 200, res.body);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1);
    t.hasStrict(events[0], { action: 'list', resourceType: 'incident' });
  });
});

t.test('a failed request leaves no event and no data', async (t) => {
  const h = await buildTestApp(t);
  const key = await newKey(h, ['force_system'], FORCE_A);
  const { body: first } = await createIncident(h, key, { victims: [victimBody()] });
  const { body: second } = await createIncident(h, key);
  const countRows = async (table: 'incidents' | 'victims' | 'suspects') =>
    (await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
  const snapshot = async () => ({
    events: await allEventIds(h),
    incidents: await countRows('incidents'),
    victims: await countRows('victims'),
    suspects: await countRows('suspects'),
    rows: await h.database.db.select().from(incidents).orderBy(asc(incidents.id)),
  });
  const before = await snapshot();

  t.test('POST with a duplicate forceReference: 409, nothing written', async (t) => {
    const res = await h.call(key, {
      method: 'POST',
      url: '/v1/incidents',
      payload: incidentBody({ forceReference: first.forceReference, victims: [victimBody()], suspects: [suspectBody()] }),
    });
    isProblem(t, res, 409, 'duplicate-force-reference');
    t.same(await eventsOf(h, requestIdOf(res)), []);
    t.same(await snapshot(), before);
  });

  t.test('PATCH with a stale If-Match: 412, nothing written', async (t) => {
    const res = await h.call(key, {
      method: 'PATCH',
      url: `/v1/incidents/${first.id}`,
      headers: { 'if-match': '"7"' },
      payload: { narrative: 'Should not be stored.' },
    });
    isProblem(t, res, 412, 'precondition-failed');
    t.same(await eventsOf(h, requestIdOf(res)), []);
    t.same(await snapshot(), before);
  });

  t.test('PATCH without If-Match: 428, nothing written', async (t) => {
    const res = await h.call(key, { method: 'PATCH', url: `/v1/incidents/${first.id}`, payload: { narrative: 'Should not be stored.' } });
    isProblem(t, res, 428);
    t.same(await snapshot(), before);
  });

  t.test("PATCH to another incident's forceReference: 409, nothing written", async (t) => {
    const res = await h.call(key, {
      method: 'PATCH',
      url: `/v1/incidents/${second.id}`,
      headers: { 'if-match': '"1"' },
      payload: { forceReference: first.forceReference, narrative: 'Should not be stored.' },
    });
    isProblem(t, res, 409);
    t.same(await snapshot(), before);
  });

  t.test('a create for another force: 403, nothing written', async (t) => {
    const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: FORCE_B }) });
    isProblem(t, res, 403);
    t.same(await snapshot(), before);
  });

  t.test('reading a record that is not there, or is in another force: 404, no event', async (t) => {
    const other = await newKey(h, ['force_system'], FORCE_B);
    const missing = await h.call(key, { method: 'GET', url: '/v1/incidents/019b76da-ffff-7fff-bfff-ffffffffffff' });
    isProblem(t, missing, 404);
    const hidden = await h.call(other, { method: 'GET', url: `/v1/incidents/${first.id}` });
    isProblem(t, hidden, 404);
    const hiddenVictim = await h.call(other, { method: 'GET', url: `/v1/victims/${first.victims[0].id}` });
    isProblem(t, hiddenVictim, 404);
    t.same(await snapshot(), before);
  });

  t.test('a database failure after events were appended rolls the events back with the work', async (t) => {
    // A test-only trigger makes the suspect insert fail: by then the incident and its victims, and their
    // audit events, have been written in the same transaction.
    await h.database.db.execute(
      sql.raw(`create function test_fail_suspect() returns trigger language plpgsql as $$
      begin if new.reference = 'FAIL-IN-TEST' then raise exception 'test-induced failure'; end if; return new; end $$`),
    );
    await h.database.db.execute(sql.raw('create trigger test_fail_suspect before insert on suspects for each row execute function test_fail_suspect()'));
    t.teardown(() => h.database.db.execute(sql.raw('drop trigger if exists test_fail_suspect on suspects')));
    const payload = incidentBody({ victims: [victimBody(), victimBody()], suspects: [suspectBody(), suspectBody({ reference: 'FAIL-IN-TEST' })] });
    const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload });
    isProblem(t, res, 500, 'internal-error');
    t.notMatch(res.body, /test-induced|suspects|insert/i, 'no SQL or driver text in the answer');
    t.same(await eventsOf(h, requestIdOf(res)), []);
    t.same(await snapshot(), before);
    const found = await h.database.db.select().from(incidents).where(eq(incidents.forceReference, payload.forceReference));
    t.same(found, []);
  });
});

t.test('GET /v1/audit-events', async (t) => {
  const h = await buildTestApp(t);

  t.test('is for admins only', async (t) => {
    for (const role of ['force_system', 'welfare_officer', 'federation_rep', 'analyst'] as const) {
      const key = await newKey(h, [role], role === 'analyst' ? null : FORCE_A);
      isProblem(t, await h.call(key, { method: 'GET', url: '/v1/audit-events' }), 403, 'forbidden');
      isProblem(t, await h.call(key, { method: 'GET', url: '/v1/audit-events/verify' }), 403, 'forbidden');
    }
    isProblem(t, await h.call(null, { method: 'GET', url: '/v1/audit-events' }), 401, 'unauthenticated');
    isProblem(t, await h.call('oar_notAKeyTheServiceIssued0123456789abcdef', { method: 'GET', url: '/v1/audit-events' }), 401);
    isProblem(t, await h.call(null, { method: 'GET', url: '/v1/audit-events/verify' }), 401);
    const ok = await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events' });
    t.equal(ok.statusCode, 200, ok.body);
    t.same(Object.keys(ok.json()).sort(), ['items', 'nextCursor']);
    const scopedAdmin = await newKey(h, ['admin'], FORCE_A);
    t.equal((await h.call(scopedAdmin, { method: 'GET', url: '/v1/audit-events' })).statusCode, 200);
  });

  t.test('listing the audit trail is itself audited', async (t) => {
    const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events', headers: { 'x-access-reason': 'Quarterly DPA audit' } });
    t.equal(res.statusCode, 200);
    const events = await eventsOf(h, requestIdOf(res));
    t.equal(events.length, 1);
    t.hasStrict(events[0], {
      action: 'list',
      resourceType: 'audit_event',
      actorId: await principalId(h, h.adminKey),
      forceId: null,
      reason: 'Quarterly DPA audit',
    });
  });

  t.test('newest first, cursor-paged', async (t) => {
    const key = await newKey(h, ['force_system'], FORCE_A);
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.clock.advance(60_000);
      created.push((await createIncident(h, key)).body.id);
    }
    // Five more created at the same instant: the id breaks the tie.
    for (let i = 0; i < 5; i++) created.push((await createIncident(h, key)).body.id);
    const query = '?resourceType=incident&action=create';

    const all = await listAudit(h, h.adminKey, query);
    t.equal(all.nextCursor, null);
    t.same(
      all.items.map((i) => i.resourceId),
      [...created].reverse(),
      'newest first',
    );
    t.ok(isNewestFirst(all.items), 'ordered by occurredAt then id, descending');

    for (const limit of [1, 2, 3, 10]) {
      const pages = await allPages(h, h.adminKey, `${query}&limit=${limit}`);
      const ids = pages.flatMap((p) => p.items.map((i) => i.id));
      t.same(
        ids,
        all.items.map((i) => i.id),
        `limit=${limit}: the pages together are the whole list, in order`,
      );
      t.ok(
        pages.slice(0, -1).every((p) => p.items.length === limit),
        `limit=${limit}: full pages before the last`,
      );
      t.equal(pages.length, Math.ceil(created.length / limit));
    }

    // Unfiltered paging is stable while new events (each list call's own) are being added at the top.
    const everything = await allPages(h, h.adminKey, '?limit=7');
    const ids = everything.flatMap((p) => p.items.map((i) => i.id));
    t.equal(new Set(ids).size, ids.length, 'no event twice');
    t.ok(isNewestFirst(everything.flatMap((p) => p.items)));
    t.ok(
      created.every((id) => everything.some((p) => p.items.some((i) => i.resourceId === id))),
      'every incident create appears',
    );

    isProblem(t, await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events?cursor=not-a-cursor' }), 400, 'validation-failed');
    isProblem(t, await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events?limit=501' }), 400);
    isProblem(t, await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events?limit=0' }), 400);
  });
});

t.test('filters and force scope', async (t) => {
  const h = await buildTestApp(t);
  const key = await newKey(h, ['force_system'], FORCE_A);
  const welfare = await newKey(h, ['welfare_officer'], FORCE_A);
  const welfareId = await principalId(h, welfare);
  const start = h.clock.now();
  const one = await createIncident(h, key, { victims: [victimBody(), victimBody()], suspects: [suspectBody()] }, { 'x-request-id': 'filter-req-1' });
  h.clock.advance(3600_000);
  const middle = h.clock.now();
  const two = await createIncident(h, key, { victims: [victimBody()] }, { 'x-request-id': 'filter-req-2' });
  h.clock.advance(3600_000);
  const patched = await h.call(key, {
    method: 'PATCH',
    url: `/v1/incidents/${one.body.id}`,
    headers: { 'if-match': '"1"' },
    payload: { narrative: 'Amended.' },
  });
  t.equal(patched.statusCode, 200);
  const read = await h.call(welfare, { method: 'GET', url: `/v1/incidents/${one.body.id}` });
  t.equal(read.statusCode, 200);
  const readVictim = await h.call(welfare, { method: 'GET', url: `/v1/victims/${two.body.victims[0].id}` });
  t.equal(readVictim.statusCode, 200);

  t.test('requestId', async (t) => {
    for (const requestId of ['filter-req-1', 'filter-req-2']) {
      const page = await listAudit(h, h.adminKey, `?requestId=${requestId}`);
      const stored = await eventsOf(h, requestId);
      t.ok(stored.length >= 2);
      t.same(page.items.map((i) => i.id).sort(), stored.map((e) => e.id).sort(), `${requestId}: every event of that request`);
      t.ok(page.items.every((i) => i.requestId === requestId));
    }
    const first = await listAudit(h, h.adminKey, '?requestId=filter-req-1&resourceType=victim');
    t.same(first.items.map((i) => i.resourceId).sort(), one.body.victims.map((v: { id: string }) => v.id).sort());
  });

  t.test('resourceId', async (t) => {
    const page = await listAudit(h, h.adminKey, `?resourceId=${one.body.id}`);
    t.same(
      page.items.map((i) => i.action),
      ['read', 'update', 'create'],
      'the history of one incident, newest first',
    );
    t.ok(page.items.every((i) => i.resourceId === one.body.id));
  });

  t.test('resourceType', async (t) => {
    const page = await listAudit(h, h.adminKey, '?resourceType=victim');
    t.equal(page.items.length, 4, 'three created and one read');
    t.ok(page.items.every((i) => i.resourceType === 'victim'));
  });

  t.test('action', async (t) => {
    const reads = await listAudit(h, h.adminKey, '?action=read');
    t.same(
      reads.items.map((i) => i.resourceId),
      [two.body.victims[0].id, one.body.id],
    );
    const updates = await listAudit(h, h.adminKey, '?action=update');
    t.same(
      updates.items.map((i) => [i.resourceType, i.resourceId, i.changedFields]),
      [['incident', one.body.id, ['narrative']]],
    );
  });

  t.test('combined filters, actorId and time window', async (t) => {
    const byWelfare = await listAudit(h, h.adminKey, `?actorId=${welfareId}`);
    t.equal(byWelfare.items.length, 2);
    t.ok(byWelfare.items.every((i) => i.actorId === welfareId));
    const both = await listAudit(h, h.adminKey, `?resourceId=${one.body.id}&action=update`);
    t.equal(both.items.length, 1);
    const window = await listAudit(
      h,
      h.adminKey,
      `?occurredFrom=${encodeURIComponent(start.toISOString())}&occurredTo=${encodeURIComponent(middle.toISOString())}&resourceType=incident`,
    );
    t.same(
      window.items.map((i) => i.resourceId),
      [one.body.id],
      'occurredFrom inclusive, occurredTo exclusive',
    );
    const none = await listAudit(h, h.adminKey, '?requestId=no-such-request');
    t.same(none, { items: [], nextCursor: null });
  });

  t.test('a malformed filter is 400', async (t) => {
    isProblem(t, await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events?resourceId=not-a-uuid' }), 400);
    isProblem(t, await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events?occurredFrom=yesterday' }), 400);
  });

  t.test('a force-scoped admin sees only the events about its own force', async (t) => {
    const systemA = await newKey(h, ['force_system'], FORCE_A);
    const systemB = await newKey(h, ['force_system'], FORCE_B);
    const adminA = await newKey(h, ['admin'], FORCE_A, 'Avon admin');
    const a = await createIncident(h, systemA, { victims: [victimBody()] });
    const b = await createIncident(h, systemB, { victims: [victimBody()], forceReference: unique('B') });
    t.equal((await h.call(systemB, { method: 'GET', url: `/v1/incidents/${b.body.id}` })).statusCode, 200);

    const pages = await allPages(h, adminA, '?limit=3');
    const items = pages.flatMap((p) => p.items);
    t.ok(items.length >= 2);
    t.ok(
      items.every((i) => i.forceId === FORCE_A),
      'every event shown is about force A',
    );
    t.ok(items.some((i) => i.resourceId === a.body.id));
    t.notOk(
      items.some((i) => i.resourceId === b.body.id || i.resourceId === b.body.victims[0].id),
      "force B's events are not shown",
    );
    t.same(await listAudit(h, adminA, `?resourceId=${b.body.id}`), { items: [], nextCursor: null }, 'not even when asked for by id');
    t.same(await listAudit(h, adminA, `?requestId=${encodeURIComponent(b.requestId)}`), { items: [], nextCursor: null });

    const national = await listAudit(h, h.adminKey, `?resourceId=${b.body.id}`);
    t.same(
      national.items.map((i) => i.action),
      ['read', 'create'],
      'a national admin sees them',
    );
    // The scoped admin's own list calls are recorded against its force.
    const own = await listAudit(h, h.adminKey, `?actorId=${await principalId(h, adminA)}`);
    t.ok(own.items.length >= 1);
    t.ok(own.items.every((i) => i.action === 'list' && i.resourceType === 'audit_event' && i.forceId === FORCE_A));
  });
});
