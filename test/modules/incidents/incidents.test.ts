// Incidents: record (POST), read one (GET) and amend (PATCH), as a force system and the other roles see them.
// One app and database for the file; every test makes its own incidents with unique references.
import t from 'tap';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { incidents, suspects, victims } from '../../../src/db/schema/index.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { paths, problem } from '../../problems.ts';

/** Seeded forces no other test in this file records into (for "nothing exists" checks). */
const FORCE_C = '019b76da-a802-7262-a7a5-fddcc0ac7a65';

const h = await buildTestApp(t);
const keyA = await h.key(['force_system'], FORCE_A, 'force A system');
const keyB = await h.key(['force_system'], FORCE_B, 'force B system');
const national = await h.key(['force_system'], null, 'national system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const federationA = await h.key(['federation_rep'], FORCE_A, 'force A federation');
const analyst = await h.key(['analyst'], null, 'analyst');

const db = h.database.db;
const incidentRow = async (id: string) => (await db.select().from(incidents).where(eq(incidents.id, id)))[0];
const rowsByReference = (forceId: string, ref: string) =>
  db
    .select()
    .from(incidents)
    .where(and(eq(incidents.forceId, forceId), eq(incidents.forceReference, ref)));

async function create(key: string, overrides: Record<string, unknown> = {}) {
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody(overrides) });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

const patch = (key: string | null, id: string, payload: unknown, ifMatch?: string, extra: Record<string, string> = {}) =>
  h.call(key, {
    method: 'PATCH',
    url: `/v1/incidents/${id}`,
    payload: payload as Record<string, unknown>,
    headers: { ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}), ...extra },
  });

// ---------------------------------------------------------------------------------------------
// POST /v1/incidents
// ---------------------------------------------------------------------------------------------

t.test('POST records an incident with victims and suspects inline: 201, Location, ETag "1"', async (t) => {
  const suspect = suspectBody();
  const payload = incidentBody({ victims: [victimBody(), victimBody({ role: 'pcso', injury: 'serious' })], suspects: [suspect] });
  const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload });
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  t.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json();
  t.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'id is a UUIDv7');
  t.equal(res.headers.location, `/v1/incidents/${body.id}`);
  t.equal(res.headers.etag, '"1"');
  t.equal(body.version, 1);
  t.equal(body.forceId, FORCE_A);
  t.equal(body.forceReference, payload.forceReference);
  t.equal(body.occurredAt, '2026-02-27T23:40:00.000Z');
  t.equal(body.status, 'open');
  t.equal(body.statusReason, null);
  t.equal(body.dataRegime, 'dpa2018_part3');
  t.same(body.methods, ['kick', 'spit']);
  t.same(body.equipment, payload.equipment);
  t.equal(body.narrative, payload.narrative);
  t.equal(body.createdAt, '2026-03-02T09:00:00.000Z', 'timestamps come from the server clock');

  t.equal(body.victims.length, 2);
  t.same(
    body.victims.map((v: { role: string }) => v.role),
    ['constable', 'pcso'],
    'victims in the order sent',
  );
  for (const v of body.victims) {
    t.equal(v.incidentId, body.id);
    t.equal(v.forceId, FORCE_A);
    t.equal(v.version, 1);
    t.equal(v.status, 'active');
    t.equal(v.statusReason, null);
  }
  t.equal(body.victims[1].injury, 'serious');
  t.equal(body.suspects.length, 1);
  t.equal(body.suspects[0].incidentId, body.id);
  t.equal(body.suspects[0].reference, suspect.reference);

  // Stored: the incident and its people, in the force of the key.
  const row = await incidentRow(body.id);
  t.equal(row?.forceId, FORCE_A);
  t.equal(row?.version, 1);
  t.equal((await db.select().from(victims).where(eq(victims.incidentId, body.id))).length, 2);
  t.equal((await db.select().from(suspects).where(eq(suspects.incidentId, body.id))).length, 1);

  const read = await h.call(keyA, { method: 'GET', url: `/v1/incidents/${body.id}` });
  t.equal(read.statusCode, 200);
  t.same(read.json(), body, 'reads back exactly as created');
});

t.test('POST fills defaults for everything optional', async (t) => {
  const forceReference = unique('MIN');
  const res = await h.call(keyA, {
    method: 'POST',
    url: '/v1/incidents',
    payload: { forceReference, occurredAt: '2026-02-27T23:40:00+01:00', circumstances: 'custody', victims: [{ role: 'police_staff' }], suspects: [{}] },
  });
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  const body = res.json();
  t.equal(body.occurredAt, '2026-02-27T22:40:00.000Z', 'the offset is honoured; answered in UTC');
  t.same(body.location, { description: null, locationType: null, latitude: null, longitude: null });
  t.same(body.deployment, { crewing: null, dutyType: null });
  t.same(body.equipment, {
    bodyWornVideo: { worn: null, activated: null, footageRetained: null },
    taser: { drawn: null, discharged: null },
    spitAndBiteGuardUsed: null,
    bodyArmourWorn: null,
  });
  t.same(body.methods, []);
  t.same(body.hateAggravation, []);
  t.same(body.offences, []);
  t.equal(body.narrative, null);
  t.equal(body.status, 'open');
  t.equal(body.forceId, FORCE_A, 'forceId defaults to the force of the key');
  t.match(body.victims[0], {
    role: 'police_staff',
    serviceBand: null,
    staffNumber: null,
    injury: 'none',
    injuryDetail: null,
    hospitalTreatment: 'none',
    daysLost: null,
    safetyTrainingInDate: null,
    protectiveEquipment: { carried: [], used: [] },
    federationConsent: false,
    enhancedRights: false,
    status: 'active',
  });
  t.match(body.suspects[0], { reference: null, ageBand: 'unknown', arrested: null, status: 'active', statusReason: null });
});

t.test('POST: a force key may name its own force', async (t) => {
  const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: FORCE_A }) });
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  t.equal(res.json().forceId, FORCE_A);
});

t.test('POST: a force key naming another force is 403 and records nothing', async (t) => {
  const forceReference = unique('OTHER');
  const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: FORCE_B, forceReference }) });
  problem(t, res, 403, 'forbidden');
  t.equal((await db.select().from(incidents).where(eq(incidents.forceReference, forceReference))).length, 0);
});

t.test('POST with a national key', async (t) => {
  t.test('without forceId: 422 naming forceId', async (t) => {
    const forceReference = unique('NAT');
    const res = await h.call(national, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceReference }) });
    const body = problem(t, res, 422, 'rule-violated');
    t.same(paths(body), ['forceId']);
    t.equal((await db.select().from(incidents).where(eq(incidents.forceReference, forceReference))).length, 0);
  });
  t.test('with forceId: recorded in that force', async (t) => {
    const res = await h.call(national, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: FORCE_B }) });
    t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
    t.equal(res.json().forceId, FORCE_B);
    t.equal((await incidentRow(res.json().id))?.forceId, FORCE_B);
  });
  t.test('with an unknown forceId: 422 naming forceId, nothing recorded', async (t) => {
    const forceReference = unique('NAT');
    const res = await h.call(national, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceReference, forceId: uuidv7() }) });
    const body = problem(t, res, 422, 'rule-violated');
    t.same(paths(body), ['forceId']);
    t.equal((await db.select().from(incidents).where(eq(incidents.forceReference, forceReference))).length, 0);
  });
  t.test('with a forceId that is not a uuid: 400', async (t) => {
    const res = await h.call(national, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: 'avon-and-somerset' }) });
    const body = problem(t, res, 400, 'validation-failed');
    t.same(paths(body), ['body.forceId']);
  });
});

t.test('POST: a duplicate forceReference in the same force is 409 naming the existing incident', async (t) => {
  const first = await create(keyA);
  const res = await h.call(keyA, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ forceReference: first.forceReference, victims: [victimBody()] }),
  });
  const body = problem(t, res, 409, 'duplicate-force-reference');
  t.match(body.detail, first.id, 'detail names the existing incident');
  t.match(body.detail, first.forceReference);
  t.equal(body.errors?.length, 1);
  t.equal(body.errors?.[0]?.path, 'forceReference');
  t.match(body.errors?.[0]?.message, first.id, 'the field error names the existing incident');
  t.equal(res.headers.location, `/v1/incidents/${first.id}`, 'Location points at the existing incident');
  const rows = await rowsByReference(FORCE_A, first.forceReference);
  t.equal(rows.length, 1, 'still one incident with that reference');
  t.equal((await db.select().from(victims).where(eq(victims.incidentId, first.id))).length, 0, 'no victim attached to the existing one');

  // The reference is trimmed before the check, so padding does not get round it.
  const padded = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceReference: `  ${first.forceReference} ` }) });
  problem(t, padded, 409, 'duplicate-force-reference');
});

t.test('POST: the same forceReference in another force is fine', async (t) => {
  const inA = await create(keyA);
  const res = await h.call(keyB, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceReference: inA.forceReference }) });
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  t.equal(res.json().forceId, FORCE_B);
  t.not(res.json().id, inA.id);
});

t.test('POST: concurrent records of the same reference give one 201 and 409s, never a 500', async (t) => {
  const forceReference = unique('RACE');
  const results = await Promise.all(
    Array.from({ length: 5 }, () => h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceReference }) })),
  );
  const codes = results.map((r) => r.statusCode).sort();
  t.same(codes, [201, 409, 409, 409, 409], codes.join(','));
  t.equal((await rowsByReference(FORCE_A, forceReference)).length, 1);
});

t.test('POST validation: every failing field is listed in one 400', async (t) => {
  const forceReference = unique('BAD');
  const payload = {
    ...incidentBody({
      forceReference: '',
      occurredAt: '27/02/2026 23:40',
      circumstances: 'brawl',
      methods: ['kick', 'kick'],
      hateAggravation: ['race', 'race'],
      location: { description: 'Synthetic', locationType: 'street', latitude: 91 },
      equipment: { taser: { drawn: 'yes' } },
      victims: [victimBody({ role: 'chief_superintendent', daysLost: -1 })],
      suspects: [suspectBody({ ageBand: 'old' })],
    }),
    colour: 'blue',
  };
  const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload });
  const body = problem(t, res, 400, 'validation-failed');
  const got = paths(body);
  for (const p of [
    'body.forceReference',
    'body.occurredAt',
    'body.circumstances',
    'body.methods',
    'body.hateAggravation',
    'body.location.latitude',
    'body.equipment.taser.drawn',
    'body.victims.0.role',
    'body.victims.0.daysLost',
    'body.suspects.0.ageBand',
    'body',
  ]) {
    t.ok(got.includes(p), `errors include ${p}`);
  }
  t.equal(got.length, 11, `exactly the failing fields: ${got.join(', ')}`);
  for (const e of body.errors ?? []) t.ok(typeof e.message === 'string' && e.message.length > 0, `message for ${e.path}`);
  t.match(body.errors?.find((e) => e.path === 'body.methods')?.message, /repeat/);
  t.match(body.errors?.find((e) => e.path === 'body')?.message, /colour/, 'the unknown key is named');
  t.match(body.detail, /11 problem/);
  t.equal((await db.select().from(incidents).where(eq(incidents.forceReference, forceReference))).length, 0);
});

t.test('POST validation: unknown keys are rejected at every level', async (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['top level', { ...incidentBody(), officerName: 'Synthetic Person' }, 'body'],
    ['location', incidentBody({ location: { description: 'x', postcode: 'ZZ1 1ZZ' } }), 'body.location'],
    ['equipment.bodyWornVideo', incidentBody({ equipment: { bodyWornVideo: { worn: true, serial: 'X1' } } }), 'body.equipment.bodyWornVideo'],
    ['victim', incidentBody({ victims: [victimBody({ name: 'Synthetic Officer' })] }), 'body.victims.0'],
    ['suspect', incidentBody({ suspects: [suspectBody({ dateOfBirth: '2000-01-01' })] }), 'body.suspects.0'],
    ['status on create', incidentBody({ status: 'closed' }), 'body'],
  ];
  for (const [label, payload, path] of cases) {
    const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload });
    const body = problem(t, res, 400, 'validation-failed');
    t.same(paths(body), [path], label);
    t.match(body.errors?.[0]?.message, /Unrecognized key/i, label);
  }
});

t.test('POST validation: repeated values in methods, offences and protective equipment are rejected', async (t) => {
  const cases: [Record<string, unknown>, string][] = [
    [incidentBody({ methods: ['punch', 'spit', 'punch'] }), 'body.methods'],
    [incidentBody({ offences: ['abh_s47', 'abh_s47'] }), 'body.offences'],
    [incidentBody({ victims: [victimBody({ protectiveEquipment: { carried: ['taser', 'taser'], used: [] } })] }), 'body.victims.0.protectiveEquipment.carried'],
  ];
  for (const [payload, path] of cases) {
    const body = problem(t, await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload }), 400, 'validation-failed');
    t.same(paths(body), [path]);
    t.match(body.errors?.[0]?.message, /must not repeat a value/);
  }
  // The same values once each are fine.
  const ok = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ methods: ['punch', 'spit'] }) });
  t.equal(ok.statusCode, 201, 'HTTP 201', { body: ok.body });
});

t.test('POST: a body that is not JSON is a 400 problem', async (t) => {
  const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: '{"forceReference": ', headers: { 'content-type': 'application/json' } });
  problem(t, res, 400);
});

t.test('POST is all or nothing: an invalid victim means no incident and no people', async (t) => {
  const forceReference = unique('ATOMIC');
  const goodVictim = victimBody();
  const res = await h.call(national, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ forceId: FORCE_C, forceReference, victims: [goodVictim, victimBody({ injury: 'fatal' })], suspects: [suspectBody()] }),
  });
  const body = problem(t, res, 400, 'validation-failed');
  t.same(paths(body), ['body.victims.1.injury']);

  const list = await h.call(national, { method: 'GET', url: `/v1/incidents?forceId=${FORCE_C}` });
  t.equal(list.statusCode, 200);
  t.same(list.json(), { items: [], nextCursor: null }, 'the list of the force is empty');
  t.equal((await db.select().from(incidents).where(eq(incidents.forceReference, forceReference))).length, 0);
  t.equal((await db.select().from(victims).where(eq(victims.staffNumber, goodVictim.staffNumber))).length, 0, 'the valid victim was not written either');
  t.equal((await db.select().from(incidents).where(eq(incidents.forceId, FORCE_C))).length, 0);
});

t.test('POST that fails after claiming an Idempotency-Key leaves no key behind', async (t) => {
  const existing = await create(keyA);
  const idem = unique('idem');
  const failed = await h.call(keyA, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ forceReference: existing.forceReference, victims: [victimBody()] }),
    headers: { 'idempotency-key': idem },
  });
  problem(t, failed, 409, 'duplicate-force-reference');
  // The key was not kept, so it can be used for the corrected request.
  const fixed = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody(), headers: { 'idempotency-key': idem } });
  t.equal(fixed.statusCode, 201, 'HTTP 201', { body: fixed.body });
  t.notOk(fixed.headers['idempotent-replayed']);
});

t.test('POST with Idempotency-Key: the same body replays, a different body is 422', async (t) => {
  const idem = unique('idem');
  const payload = incidentBody({ victims: [victimBody()] });
  const first = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload, headers: { 'idempotency-key': idem } });
  t.equal(first.statusCode, 201, 'HTTP 201', { body: first.body });
  const again = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload, headers: { 'idempotency-key': idem } });
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.headers.location, first.headers.location);
  t.same(again.json(), first.json());
  t.equal((await rowsByReference(FORCE_A, payload.forceReference)).length, 1, 'one incident, not two');
  const other = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody(), headers: { 'idempotency-key': idem } });
  problem(t, other, 422, 'idempotency-key-reused');
});

t.test('POST: roles and authentication', async (t) => {
  const payload = incidentBody();
  problem(t, await h.call(null, { method: 'POST', url: '/v1/incidents', payload }), 401, 'unauthenticated');
  const badKey = await h.call('not-a-real-key', { method: 'POST', url: '/v1/incidents', payload });
  problem(t, badKey, 401, 'unauthenticated');
  t.equal(badKey.headers['www-authenticate'], 'Bearer');
  for (const key of [welfareA, federationA, analyst, h.adminKey]) {
    problem(t, await h.call(key, { method: 'POST', url: '/v1/incidents', payload }), 403, 'forbidden');
  }
  t.equal((await db.select().from(incidents).where(eq(incidents.forceReference, payload.forceReference))).length, 0);
});

t.test('POST: an occurredAt the database cannot store is a 4xx, not a 500', async (t) => {
  // Year 0000 passes the RFC 3339 check but PostgreSQL has no year 0.
  const res = await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ occurredAt: '0000-01-01T00:00:00Z' }) });
  t.ok(res.statusCode === 400 || res.statusCode === 422, `expected 400/422, got ${res.statusCode}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
});

// ---------------------------------------------------------------------------------------------
// GET /v1/incidents/{id}
// ---------------------------------------------------------------------------------------------

t.test('GET one: 200 with ETag, victims and suspects', async (t) => {
  const created = await create(keyA, { victims: [victimBody()], suspects: [suspectBody(), suspectBody()] });
  const res = await h.call(keyA, { method: 'GET', url: `/v1/incidents/${created.id}` });
  t.equal(res.statusCode, 200);
  t.equal(res.headers.etag, '"1"');
  t.same(res.json(), created);
  t.equal(res.json().suspects.length, 2);
});

t.test('GET one: a random UUIDv7 is a 404 problem', async (t) => {
  const id = uuidv7();
  const body = problem(t, await h.call(keyA, { method: 'GET', url: `/v1/incidents/${id}` }), 404, 'incident-not-found');
  t.match(body.detail, id);
});

t.test('GET one: another force gets 404, the same answer as for no such incident', async (t) => {
  const created = await create(keyA);
  const other = problem(t, await h.call(keyB, { method: 'GET', url: `/v1/incidents/${created.id}` }), 404, 'incident-not-found');
  const missing = problem(t, await h.call(keyB, { method: 'GET', url: `/v1/incidents/${uuidv7()}` }), 404, 'incident-not-found');
  t.equal(other.title, missing.title);
  t.equal(other.detail.replace(created.id, 'ID'), missing.detail.replace(/[0-9a-f-]{36}/, 'ID'), 'nothing distinguishes a hidden incident from a missing one');
  problem(t, await h.call(welfareB, { method: 'GET', url: `/v1/incidents/${created.id}` }), 404, 'incident-not-found');
});

t.test('GET one: who may read', async (t) => {
  const created = await create(keyA, { victims: [victimBody()] });
  const url = `/v1/incidents/${created.id}`;
  const welfare = await h.call(welfareA, { method: 'GET', url });
  t.equal(welfare.statusCode, 200, 'welfare officer of the same force reads');
  t.equal(welfare.json().id, created.id);
  const nat = await h.call(national, { method: 'GET', url });
  t.equal(nat.statusCode, 200, 'a national force system reads any force');
  problem(t, await h.call(federationA, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(analyst, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(h.adminKey, { method: 'GET', url }), 403, 'forbidden');
  const anon = problem(t, await h.call(null, { method: 'GET', url }), 401, 'unauthenticated');
  t.notMatch(JSON.stringify(anon), created.forceReference);
});

t.test('GET one: a malformed id is 400', async (t) => {
  for (const id of ['nope', '12345', `${uuidv7()}x`]) {
    const body = problem(t, await h.call(keyA, { method: 'GET', url: `/v1/incidents/${id}` }), 400, 'validation-failed');
    t.same(paths(body), ['params.id'], id);
  }
});

// ---------------------------------------------------------------------------------------------
// PATCH /v1/incidents/{id}
// ---------------------------------------------------------------------------------------------

t.test('PATCH without If-Match is 428 and changes nothing', async (t) => {
  const created = await create(keyA);
  problem(t, await patch(keyA, created.id, { circumstances: 'custody' }), 428, 'precondition-required');
  problem(t, await patch(keyA, created.id, { circumstances: 'custody' }, '  '), 428, 'precondition-required');
  const row = await incidentRow(created.id);
  t.equal(row?.circumstances, 'arrest');
  t.equal(row?.version, 1);
});

t.test('PATCH with a stale If-Match is 412 and changes nothing', async (t) => {
  const created = await create(keyA);
  const first = await patch(keyA, created.id, { circumstances: 'custody' }, '"1"');
  t.equal(first.statusCode, 200, 'HTTP 200', { body: first.body });
  for (const stale of ['"1"', '"7"', 'W/"1"', 'garbage']) {
    const body = problem(t, await patch(keyA, created.id, { circumstances: 'public_order', methods: ['bite'] }, stale), 412, 'precondition-failed');
    t.match(body.detail, /current version is 2/, stale);
  }
  const read = await h.call(keyA, { method: 'GET', url: `/v1/incidents/${created.id}` });
  t.equal(read.json().circumstances, 'custody');
  t.same(read.json().methods, ['kick', 'spit']);
  t.equal(read.json().version, 2);
  t.equal(read.headers.etag, '"2"');
  t.equal((await incidentRow(created.id))?.version, 2);
});

t.test('PATCH with the current If-Match: 200, version + 1, new ETag', async (t) => {
  const created = await create(keyA);
  h.clock.advance(60_000);
  const res = await patch(keyA, created.id, { circumstances: 'mental_health', methods: ['bite'], hateAggravation: ['disability'] }, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.equal(res.headers.etag, '"2"');
  const body = res.json();
  t.equal(body.version, 2);
  t.equal(body.circumstances, 'mental_health');
  t.same(body.methods, ['bite'], 'arrays are replaced');
  t.same(body.hateAggravation, ['disability']);
  t.equal(body.createdAt, created.createdAt);
  t.equal(body.updatedAt, '2026-03-02T09:01:00.000Z', 'updatedAt moves');
  const row = await incidentRow(created.id);
  t.equal(row?.version, 2);
  t.equal(row?.circumstances, 'mental_health');
  const read = await h.call(keyA, { method: 'GET', url: `/v1/incidents/${created.id}` });
  t.same(read.json(), body);

  // Weak and wildcard validators also match.
  const weak = await patch(keyA, created.id, { circumstances: 'custody' }, 'W/"2"');
  t.equal(weak.statusCode, 200, 'HTTP 200', { body: weak.body });
  t.equal(weak.headers.etag, '"3"');
  const star = await patch(keyA, created.id, { circumstances: 'arrest' }, '*');
  t.equal(star.statusCode, 200, 'HTTP 200', { body: star.body });
  t.equal(star.json().version, 4);
});

t.test('PATCH returns the people of the incident too', async (t) => {
  const created = await create(keyA, { victims: [victimBody()], suspects: [suspectBody()] });
  const res = await patch(keyA, created.id, { circumstances: 'custody' }, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.same(res.json().victims, created.victims);
  t.same(res.json().suspects, created.suspects);
});

t.test('PATCH merges nested equipment, keeping sibling fields (application/merge-patch+json)', async (t) => {
  const created = await create(keyA);
  const res = await patch(keyA, created.id, JSON.stringify({ equipment: { taser: { drawn: true }, bodyWornVideo: { footageRetained: null } } }), '"1"', {
    'content-type': 'application/merge-patch+json',
  });
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.same(res.json().equipment, {
    bodyWornVideo: { worn: true, activated: true, footageRetained: null },
    taser: { drawn: true, discharged: false },
    spitAndBiteGuardUsed: false,
    bodyArmourWorn: true,
  });
  t.same((await incidentRow(created.id))?.equipment, res.json().equipment, 'stored as answered');
});

t.test('PATCH leaves fields it does not name unchanged (narrative)', async (t) => {
  const created = await create(keyA, { narrative: 'Synthetic narrative that must survive.' });
  const res = await patch(keyA, created.id, { methods: ['bite'] }, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.equal(res.json().narrative, 'Synthetic narrative that must survive.', 'narrative kept in the answer');
  t.equal((await incidentRow(created.id))?.narrative, 'Synthetic narrative that must survive.', 'narrative kept in the database');
});

t.test('PATCH merges location and deployment, keeping sibling fields', async (t) => {
  const created = await create(keyA, { narrative: null });
  const res = await patch(keyA, created.id, { location: { latitude: 51.45 }, deployment: { dutyType: 'custody' } }, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.same(res.json().location, { description: 'Synthetic Street (test data)', locationType: 'street', latitude: 51.45, longitude: null });
  t.same(res.json().deployment, { crewing: 'single', dutyType: 'custody' });
});

t.test('PATCH: an empty merge patch changes nothing', async (t) => {
  const created = await create(keyA);
  const res = await patch(keyA, created.id, {}, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.equal(res.json().version, 1);
  t.same(res.json(), created);
});

t.test('PATCH with no real change keeps the version', async (t) => {
  // narrative null so only the fields named below are in play.
  const created = await create(keyA, { narrative: null });
  const res = await patch(keyA, created.id, { circumstances: created.circumstances, methods: created.methods, equipment: { taser: { drawn: false } } }, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.equal(res.json().version, 1);
  t.equal(res.headers.etag, '"1"');
  t.same(res.json(), created);
  t.equal((await incidentRow(created.id))?.version, 1);
});

t.test('PATCH: the same occurredAt written another way is not a change', async (t) => {
  const created = await create(keyA, { narrative: null, occurredAt: '2026-02-27T23:40:00+00:00' });
  const res = await patch(keyA, created.id, { occurredAt: '2026-02-28T00:40:00+01:00' }, '"1"');
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.equal(res.json().occurredAt, created.occurredAt);
  t.equal(res.json().version, 1, 'same instant: version unchanged');
});

t.test('PATCH: closing and withdrawing need a statusReason', async (t) => {
  const created = await create(keyA);
  for (const status of ['closed', 'withdrawn']) {
    for (const payload of [{ status }, { status, statusReason: null }, { status, statusReason: '   ' }]) {
      const body = problem(t, await patch(keyA, created.id, payload, '"1"'), 422, 'rule-violated');
      t.same(paths(body), ['statusReason'], JSON.stringify(payload));
    }
  }
  const row = await incidentRow(created.id);
  t.equal(row?.status, 'open', 'still open');
  t.equal(row?.version, 1);

  const closed = await patch(keyA, created.id, { status: 'closed', statusReason: 'No further action: synthetic.' }, '"1"');
  t.equal(closed.statusCode, 200, 'HTTP 200', { body: closed.body });
  t.equal(closed.json().status, 'closed');
  t.equal(closed.json().statusReason, 'No further action: synthetic.');
  t.equal(closed.json().version, 2);

  // Clearing the reason of a closed incident is refused too.
  problem(t, await patch(keyA, created.id, { statusReason: null }, '"2"'), 422, 'rule-violated');

  // Reopening clears the reason.
  const reopened = await patch(keyA, created.id, { status: 'open' }, '"2"');
  t.equal(reopened.statusCode, 200, 'HTTP 200', { body: reopened.body });
  t.equal(reopened.json().status, 'open');
  t.equal(reopened.json().statusReason, null);
  t.equal(reopened.json().version, 3);
  t.equal((await incidentRow(created.id))?.statusReason, null);

  const withdrawn = await patch(keyA, created.id, { status: 'withdrawn', statusReason: 'Recorded in error (synthetic).' }, '"3"');
  t.equal(withdrawn.statusCode, 200, 'HTTP 200', { body: withdrawn.body });
  t.equal(withdrawn.json().status, 'withdrawn');
});

t.test('PATCH: a statusReason alone on an open incident is not a change', async (t) => {
  const created = await create(keyA, { narrative: null });
  const res = await patch(keyA, created.id, { statusReason: 'Synthetic reason with no status change.' }, '"1"');
  // Either refused as against the rules, or accepted as a no-op: never a new version with nothing changed.
  if (res.statusCode === 422) {
    problem(t, res, 422);
  } else {
    t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
    t.equal(res.json().statusReason, null);
    t.equal(res.json().version, 1, 'version unchanged when nothing changed');
  }
  t.equal((await incidentRow(created.id))?.version, 1);
});

t.test("PATCH: changing forceReference to another incident's is 409 and changes nothing", async (t) => {
  const one = await create(keyA);
  const two = await create(keyA);
  const body = problem(t, await patch(keyA, two.id, { forceReference: one.forceReference, circumstances: 'custody' }, '"1"'), 409, 'duplicate-force-reference');
  t.match(body.detail, one.id);
  t.equal((await incidentRow(two.id))?.forceReference, two.forceReference);
  t.equal((await incidentRow(two.id))?.circumstances, 'arrest');

  // A reference used only in another force is free.
  const inB = await create(keyB);
  const moved = await patch(keyA, two.id, { forceReference: inB.forceReference }, '"1"');
  t.equal(moved.statusCode, 200, 'HTTP 200', { body: moved.body });
  t.equal(moved.json().forceReference, inB.forceReference);
});

t.test('PATCH: another force gets 404, welfare officers and others 403, nothing changes', async (t) => {
  const created = await create(keyA);
  problem(t, await patch(keyB, created.id, { circumstances: 'custody' }, '"1"'), 404, 'incident-not-found');
  problem(t, await patch(keyB, created.id, { circumstances: 'custody' }, '*'), 404, 'incident-not-found');
  problem(t, await patch(welfareA, created.id, { circumstances: 'custody' }, '"1"'), 403, 'forbidden');
  problem(t, await patch(federationA, created.id, { circumstances: 'custody' }, '"1"'), 403, 'forbidden');
  problem(t, await patch(analyst, created.id, { circumstances: 'custody' }, '"1"'), 403, 'forbidden');
  problem(t, await patch(null, created.id, { circumstances: 'custody' }, '"1"'), 401, 'unauthenticated');
  problem(t, await patch(keyA, uuidv7(), { circumstances: 'custody' }, '"1"'), 404, 'incident-not-found');
  const row = await incidentRow(created.id);
  t.equal(row?.circumstances, 'arrest');
  t.equal(row?.version, 1);
});

t.test('PATCH validation: only the fields that may change, well-formed', async (t) => {
  const created = await create(keyA);
  const cases: [Record<string, unknown>, string[]][] = [
    [{ forceId: FORCE_B }, ['body']],
    [{ version: 5 }, ['body']],
    [{ victims: [] }, ['body']],
    [{ status: 'deleted' }, ['body.status']],
    [{ occurredAt: 'last night', circumstances: 'fight' }, ['body.occurredAt', 'body.circumstances']],
    [{ methods: ['spit', 'spit'] }, ['body.methods']],
    [{ equipment: { taser: { fired: true } } }, ['body.equipment.taser']],
    [{ forceReference: '   ' }, ['body.forceReference']],
  ];
  for (const [payload, expected] of cases) {
    const body = problem(t, await patch(keyA, created.id, payload, '"1"'), 400, 'validation-failed');
    t.same(paths(body).sort(), expected.sort(), JSON.stringify(payload));
  }
  t.equal((await incidentRow(created.id))?.version, 1);
});

t.test('PATCH: concurrent writers with the same If-Match: one wins, the rest get 412', async (t) => {
  const created = await create(keyA);
  const results = await Promise.all(
    (['custody', 'public_order', 'road_traffic', 'other'] as const).map((c) => patch(keyA, created.id, { circumstances: c }, '"1"')),
  );
  const codes = results.map((r) => r.statusCode).sort();
  t.same(codes, [200, 412, 412, 412], codes.join(','));
  const winner = results.find((r) => r.statusCode === 200)!.json();
  const row = await incidentRow(created.id);
  t.equal(row?.version, 2);
  t.equal(row?.circumstances, winner.circumstances, "the stored value is the winner's");
});
