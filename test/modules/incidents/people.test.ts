// Victims (assaulted officers and staff) and suspects: add to an incident, read, amend; force scope and roles.
// One app and database for the file; every test makes its own incidents.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { suspects, victims } from '../../../src/db/schema/index.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { paths, problem } from '../../problems.ts';

const h = await buildTestApp(t);
const keyA = await h.key(['force_system'], FORCE_A, 'force A system');
const keyB = await h.key(['force_system'], FORCE_B, 'force B system');
const national = await h.key(['force_system'], null, 'national system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const welfareB = await h.key(['welfare_officer'], FORCE_B, 'force B welfare');
const federationA = await h.key(['federation_rep'], FORCE_A, 'force A federation');
const analyst = await h.key(['analyst'], null, 'analyst');

const db = h.database.db;
const victimRow = async (id: string) => (await db.select().from(victims).where(eq(victims.id, id)))[0];
const suspectRow = async (id: string) => (await db.select().from(suspects).where(eq(suspects.id, id)))[0];

async function incident(key = keyA, overrides: Record<string, unknown> = {}) {
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody(overrides) });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function withdrawIncident(id: string) {
  const res = await h.call(keyA, {
    method: 'PATCH',
    url: `/v1/incidents/${id}`,
    headers: { 'if-match': '*' },
    payload: { status: 'withdrawn', statusReason: 'Recorded in error (synthetic).' },
  });
  if (res.statusCode !== 200) throw new Error(`withdraw failed: ${res.statusCode} ${res.body}`);
}

const addVictim = (key: string | null, incidentId: string, payload: Record<string, unknown> = victimBody(), headers: Record<string, string> = {}) =>
  h.call(key, { method: 'POST', url: `/v1/incidents/${incidentId}/victims`, payload, headers });
const addSuspect = (key: string | null, incidentId: string, payload: Record<string, unknown> = suspectBody(), headers: Record<string, string> = {}) =>
  h.call(key, { method: 'POST', url: `/v1/incidents/${incidentId}/suspects`, payload, headers });

async function newVictim(overrides: Record<string, unknown> = {}) {
  const inc = await incident();
  const res = await addVictim(keyA, inc.id, victimBody(overrides));
  if (res.statusCode !== 201) throw new Error(`add victim failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function newSuspect(overrides: Record<string, unknown> = {}) {
  const inc = await incident();
  const res = await addSuspect(keyA, inc.id, suspectBody(overrides));
  if (res.statusCode !== 201) throw new Error(`add suspect failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

const patchPerson = (kind: 'victims' | 'suspects', key: string | null, id: string, payload: unknown, ifMatch?: string, extra: Record<string, string> = {}) =>
  h.call(key, {
    method: 'PATCH',
    url: `/v1/${kind}/${id}`,
    payload: payload as Record<string, unknown>,
    headers: { ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}), ...extra },
  });

// ---------------------------------------------------------------------------------------------
// Victims
// ---------------------------------------------------------------------------------------------

t.test('POST /v1/incidents/{id}/victims: 201 with Location /v1/victims/{id} and ETag "1"', async (t) => {
  const inc = await incident();
  const payload = victimBody({
    role: 'special_constable',
    injury: 'serious',
    injuryDetail: 'Synthetic injury detail.',
    hospitalTreatment: 'attended',
    daysLost: 4,
    enhancedRights: true,
  });
  const res = await addVictim(keyA, inc.id, payload);
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  const body = res.json();
  t.equal(res.headers.location, `/v1/victims/${body.id}`);
  t.equal(res.headers.etag, '"1"');
  t.match(body, {
    incidentId: inc.id,
    forceId: FORCE_A,
    version: 1,
    status: 'active',
    statusReason: null,
    role: 'special_constable',
    serviceBand: payload.serviceBand,
    staffNumber: payload.staffNumber,
    injury: 'serious',
    hospitalTreatment: 'attended',
    daysLost: 4,
    safetyTrainingInDate: true,
    protectiveEquipment: payload.protectiveEquipment,
    federationConsent: false,
    enhancedRights: true,
  });
  t.notOk('injuryDetail' in body, 'health data is not shown to a force system, even its own (field policy)');
  const row = await victimRow(body.id);
  t.equal(row?.incidentId, inc.id);
  t.equal(row?.forceId, FORCE_A);
  t.equal(row?.injuryDetail, 'Synthetic injury detail.', 'but it is stored');

  // The victim is now part of the incident.
  const read = await h.call(keyA, { method: 'GET', url: `/v1/incidents/${inc.id}` });
  t.same(read.json().victims, [body]);
  // The incident itself is not versioned by adding a person.
  t.equal(read.json().version, 1);

  const direct = await h.call(keyA, { method: 'GET', url: res.headers.location as string });
  t.equal(direct.statusCode, 200);
  t.same(direct.json(), body);
});

t.test('POST victims: defaults for a minimal body', async (t) => {
  const inc = await incident();
  const res = await addVictim(keyA, inc.id, { role: 'volunteer' });
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  t.match(res.json(), {
    role: 'volunteer',
    serviceBand: null,
    staffNumber: null,
    injury: 'none',
    hospitalTreatment: 'none',
    daysLost: null,
    safetyTrainingInDate: null,
    protectiveEquipment: { carried: [], used: [] },
    federationConsent: false,
    enhancedRights: false,
  });
});

t.test('POST victims: unknown or hidden incident 404, wrong role 403, no key 401', async (t) => {
  const inc = await incident();
  problem(t, await addVictim(keyA, uuidv7()), 404, 'incident-not-found');
  problem(t, await addVictim(keyB, inc.id), 404, 'incident-not-found');
  problem(t, await addVictim(welfareA, inc.id), 403, 'forbidden');
  problem(t, await addVictim(federationA, inc.id), 403, 'forbidden');
  problem(t, await addVictim(null, inc.id), 401, 'unauthenticated');
  problem(t, await addVictim(keyA, 'not-an-id'), 400, 'validation-failed');
  t.equal((await db.select().from(victims).where(eq(victims.incidentId, inc.id))).length, 0, 'no victim written');

  // A national key adds to any force's incident.
  const nat = await addVictim(national, inc.id);
  t.equal(nat.statusCode, 201, 'HTTP 201', { body: nat.body });
  t.equal(nat.json().forceId, FORCE_A, 'the victim belongs to the force of the incident');
});

t.test('POST victims: every failing field in one 400, nothing written', async (t) => {
  const inc = await incident();
  const res = await addVictim(keyA, inc.id, {
    ...victimBody({
      role: 'detective',
      daysLost: -3,
      injury: 'fatal',
      staffNumber: 'X'.repeat(33),
      protectiveEquipment: { carried: ['taser', 'taser'], used: ['lightsaber'] },
    }),
    officerName: 'Synthetic Name',
  });
  const body = problem(t, res, 400, 'validation-failed');
  t.same(
    paths(body).sort(),
    ['body', 'body.daysLost', 'body.injury', 'body.protectiveEquipment.carried', 'body.protectiveEquipment.used.0', 'body.role', 'body.staffNumber'].sort(),
  );
  t.match(body.errors?.find((e) => e.path === 'body')?.message, /officerName/);
  t.equal((await db.select().from(victims).where(eq(victims.incidentId, inc.id))).length, 0);
});

t.test('POST victims: a withdrawn incident takes no one new (422); a closed one still does', async (t) => {
  const inc = await incident();
  await withdrawIncident(inc.id);
  const body = problem(t, await addVictim(keyA, inc.id), 422, 'rule-violated');
  t.match(body.detail, /withdrawn/);
  problem(t, await addSuspect(keyA, inc.id), 422, 'rule-violated');
  t.equal((await db.select().from(victims).where(eq(victims.incidentId, inc.id))).length, 0);
  t.equal((await db.select().from(suspects).where(eq(suspects.incidentId, inc.id))).length, 0);

  const closed = await incident();
  const close = await h.call(keyA, {
    method: 'PATCH',
    url: `/v1/incidents/${closed.id}`,
    headers: { 'if-match': '"1"' },
    payload: { status: 'closed', statusReason: 'Synthetic: court result recorded.' },
  });
  t.equal(close.statusCode, 200);
  const late = await addVictim(keyA, closed.id);
  t.equal(late.statusCode, 201, 'HTTP 201', { body: late.body });
});

t.test('POST victims with Idempotency-Key replays the first answer', async (t) => {
  const inc = await incident();
  const payload = victimBody();
  const idem = unique('idem');
  const first = await addVictim(keyA, inc.id, payload, { 'idempotency-key': idem });
  t.equal(first.statusCode, 201, 'HTTP 201', { body: first.body });
  const again = await addVictim(keyA, inc.id, payload, { 'idempotency-key': idem });
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.headers.location, first.headers.location);
  t.same(again.json(), first.json());
  t.equal((await db.select().from(victims).where(eq(victims.incidentId, inc.id))).length, 1, 'one victim, not two');
});

t.test('GET /v1/victims/{id}: who may read', async (t) => {
  const v = await newVictim();
  const url = `/v1/victims/${v.id}`;
  const own = await h.call(keyA, { method: 'GET', url });
  t.equal(own.statusCode, 200);
  t.equal(own.headers.etag, '"1"');
  t.same(own.json(), v);
  const welfare = await h.call(welfareA, { method: 'GET', url });
  t.equal(welfare.statusCode, 200, 'welfare officer of the force reads the victim');
  t.same(welfare.json(), v);
  t.equal((await h.call(national, { method: 'GET', url })).statusCode, 200, 'a national force system reads');

  const hidden = problem(t, await h.call(keyB, { method: 'GET', url }), 404, 'victim-not-found');
  problem(t, await h.call(welfareB, { method: 'GET', url }), 404, 'victim-not-found');
  const missing = problem(t, await h.call(keyB, { method: 'GET', url: `/v1/victims/${uuidv7()}` }), 404, 'victim-not-found');
  t.equal(hidden.title, missing.title, 'a hidden victim looks like a missing one');
  t.notMatch(JSON.stringify(hidden), v.staffNumber, 'nothing of the victim leaks');

  problem(t, await h.call(federationA, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(analyst, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(null, { method: 'GET', url }), 401, 'unauthenticated');
  const bad = problem(t, await h.call(keyA, { method: 'GET', url: '/v1/victims/123' }), 400, 'validation-failed');
  t.same(paths(bad), ['params.id']);
});

t.test('PATCH /v1/victims/{id}: If-Match rules', async (t) => {
  const v = await newVictim();
  problem(t, await patchPerson('victims', keyA, v.id, { injury: 'serious' }), 428, 'precondition-required');
  t.equal((await victimRow(v.id))?.injury, 'minor', 'unchanged after 428');

  const ok = await patchPerson('victims', keyA, v.id, { injury: 'serious', daysLost: 10 }, '"1"');
  t.equal(ok.statusCode, 200, 'HTTP 200', { body: ok.body });
  t.equal(ok.headers.etag, '"2"');
  t.equal(ok.json().version, 2);
  t.equal(ok.json().injury, 'serious');
  t.equal(ok.json().daysLost, 10);
  t.equal(ok.json().role, v.role, 'other fields kept');
  t.equal(ok.json().staffNumber, v.staffNumber);

  const stale = problem(t, await patchPerson('victims', keyA, v.id, { injury: 'none' }, '"1"'), 412, 'precondition-failed');
  t.match(stale.detail, /current version is 2/);
  const read = await h.call(keyA, { method: 'GET', url: `/v1/victims/${v.id}` });
  t.equal(read.json().injury, 'serious', 'unchanged after 412');
  t.equal(read.json().version, 2);
  t.equal(read.headers.etag, '"2"');
  t.equal((await victimRow(v.id))?.version, 2);
});

t.test('PATCH victims: protectiveEquipment merges, keeping the sibling list', async (t) => {
  const v = await newVictim({ protectiveEquipment: { carried: ['taser', 'body_armour'], used: ['taser'] } });
  const res = await patchPerson('victims', keyA, v.id, JSON.stringify({ protectiveEquipment: { used: [] } }), '"1"', {
    'content-type': 'application/merge-patch+json',
  });
  t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
  t.same(res.json().protectiveEquipment, { carried: ['taser', 'body_armour'], used: [] });
  t.same((await victimRow(v.id))?.protectiveEquipment, { carried: ['taser', 'body_armour'], used: [] });
});

t.test('PATCH victims: a patch with no real change keeps the version', async (t) => {
  const v = await newVictim();
  for (const payload of [{}, { role: v.role, injury: v.injury }, { protectiveEquipment: { carried: v.protectiveEquipment.carried } }]) {
    const res = await patchPerson('victims', keyA, v.id, payload, '"1"');
    t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
    t.equal(res.json().version, 1, JSON.stringify(payload));
    t.equal(res.headers.etag, '"1"');
    t.same(res.json(), v);
  }
  t.equal((await victimRow(v.id))?.version, 1);
});

t.test('PATCH victims: withdrawing needs a statusReason; reactivating clears it', async (t) => {
  const v = await newVictim();
  for (const payload of [{ status: 'withdrawn' }, { status: 'withdrawn', statusReason: '' }, { status: 'withdrawn', statusReason: null }]) {
    const body = problem(t, await patchPerson('victims', keyA, v.id, payload, '"1"'), 422, 'rule-violated');
    t.same(paths(body), ['statusReason'], JSON.stringify(payload));
  }
  t.equal((await victimRow(v.id))?.status, 'active');
  t.equal((await victimRow(v.id))?.version, 1);

  const withdrawn = await patchPerson('victims', keyA, v.id, { status: 'withdrawn', statusReason: 'Duplicate record (synthetic).' }, '"1"');
  t.equal(withdrawn.statusCode, 200, 'HTTP 200', { body: withdrawn.body });
  t.equal(withdrawn.json().status, 'withdrawn');
  t.equal(withdrawn.json().statusReason, 'Duplicate record (synthetic).');
  t.equal(withdrawn.json().version, 2);
  // Nothing is deleted: the row is still there and still readable.
  t.ok(await victimRow(v.id));
  t.equal((await h.call(keyA, { method: 'GET', url: `/v1/victims/${v.id}` })).json().status, 'withdrawn');

  const back = await patchPerson('victims', keyA, v.id, { status: 'active' }, '"2"');
  t.equal(back.statusCode, 200, 'HTTP 200', { body: back.body });
  t.equal(back.json().status, 'active');
  t.equal(back.json().statusReason, null);
  t.equal(back.json().version, 3);
});

t.test('PATCH victims: a statusReason alone on an active victim is not a change', async (t) => {
  const v = await newVictim();
  const res = await patchPerson('victims', keyA, v.id, { statusReason: 'Synthetic reason with no status change.' }, '"1"');
  // Either refused as against the rules, or accepted as a no-op: never a new version with nothing changed.
  if (res.statusCode === 422) {
    problem(t, res, 422);
  } else {
    t.equal(res.statusCode, 200, 'HTTP 200', { body: res.body });
    t.equal(res.json().statusReason, null);
    t.equal(res.json().version, 1, 'version unchanged when nothing changed');
  }
  t.equal((await victimRow(v.id))?.version, 1);
});

t.test('PATCH victims: other force 404, other roles 403, validation 400; nothing changes', async (t) => {
  const v = await newVictim();
  problem(t, await patchPerson('victims', keyB, v.id, { injury: 'serious' }, '"1"'), 404, 'victim-not-found');
  problem(t, await patchPerson('victims', keyB, v.id, { injury: 'serious' }, '*'), 404, 'victim-not-found');
  problem(t, await patchPerson('victims', keyA, uuidv7(), { injury: 'serious' }, '"1"'), 404, 'victim-not-found');
  problem(t, await patchPerson('victims', welfareA, v.id, { injury: 'serious' }, '"1"'), 403, 'forbidden');
  problem(t, await patchPerson('victims', federationA, v.id, { injury: 'serious' }, '"1"'), 403, 'forbidden');
  problem(t, await patchPerson('victims', null, v.id, { injury: 'serious' }, '"1"'), 401, 'unauthenticated');
  const invalid = problem(
    t,
    await patchPerson('victims', keyA, v.id, { incidentId: uuidv7(), injury: 'grave', daysLost: 1.5 }, '"1"'),
    400,
    'validation-failed',
  );
  t.same(paths(invalid).sort(), ['body', 'body.daysLost', 'body.injury']);
  const row = await victimRow(v.id);
  t.equal(row?.injury, 'minor');
  t.equal(row?.version, 1);
});

// ---------------------------------------------------------------------------------------------
// Suspects
// ---------------------------------------------------------------------------------------------

t.test('POST /v1/incidents/{id}/suspects: 201 with Location /v1/suspects/{id} and ETag "1"', async (t) => {
  const inc = await incident();
  const payload = suspectBody({ ageBand: 'under_18', arrested: false });
  const res = await addSuspect(keyA, inc.id, payload);
  t.equal(res.statusCode, 201, 'HTTP 201', { body: res.body });
  const body = res.json();
  t.equal(res.headers.location, `/v1/suspects/${body.id}`);
  t.equal(res.headers.etag, '"1"');
  t.match(body, {
    incidentId: inc.id,
    forceId: FORCE_A,
    version: 1,
    status: 'active',
    statusReason: null,
    reference: payload.reference,
    ageBand: 'under_18',
    arrested: false,
  });
  t.equal((await suspectRow(body.id))?.incidentId, inc.id);
  const read = await h.call(keyA, { method: 'GET', url: `/v1/incidents/${inc.id}` });
  t.same(read.json().suspects, [body]);

  const minimal = await addSuspect(keyA, inc.id, {});
  t.equal(minimal.statusCode, 201, 'HTTP 201', { body: minimal.body });
  t.match(minimal.json(), { reference: null, ageBand: 'unknown', arrested: null });
});

t.test('POST suspects: unknown or hidden incident 404, wrong role 403, bad body 400', async (t) => {
  const inc = await incident();
  problem(t, await addSuspect(keyA, uuidv7()), 404, 'incident-not-found');
  problem(t, await addSuspect(keyB, inc.id), 404, 'incident-not-found');
  problem(t, await addSuspect(welfareA, inc.id), 403, 'forbidden');
  problem(t, await addSuspect(null, inc.id), 401, 'unauthenticated');
  const bad = problem(t, await addSuspect(keyA, inc.id, { ageBand: '30', arrested: 'yes', name: 'Synthetic Suspect' }), 400, 'validation-failed');
  t.same(paths(bad).sort(), ['body', 'body.ageBand', 'body.arrested']);
  t.equal((await db.select().from(suspects).where(eq(suspects.incidentId, inc.id))).length, 0);
});

t.test('GET /v1/suspects/{id}: force systems of the force only; welfare officers may not', async (t) => {
  const s = await newSuspect();
  const url = `/v1/suspects/${s.id}`;
  const own = await h.call(keyA, { method: 'GET', url });
  t.equal(own.statusCode, 200);
  t.equal(own.headers.etag, '"1"');
  t.same(own.json(), s);
  t.equal((await h.call(national, { method: 'GET', url })).statusCode, 200);
  problem(t, await h.call(keyB, { method: 'GET', url }), 404, 'suspect-not-found');
  problem(t, await h.call(keyA, { method: 'GET', url: `/v1/suspects/${uuidv7()}` }), 404, 'suspect-not-found');
  problem(t, await h.call(welfareA, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(federationA, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(analyst, { method: 'GET', url }), 403, 'forbidden');
  problem(t, await h.call(null, { method: 'GET', url }), 401, 'unauthenticated');
  problem(t, await h.call(keyA, { method: 'GET', url: '/v1/suspects/xyz' }), 400, 'validation-failed');
});

t.test('PATCH /v1/suspects/{id}: If-Match rules', async (t) => {
  const s = await newSuspect();
  problem(t, await patchPerson('suspects', keyA, s.id, { arrested: false }), 428, 'precondition-required');
  t.equal((await suspectRow(s.id))?.arrested, true);

  const ok = await patchPerson('suspects', keyA, s.id, { arrested: false, ageBand: '35_to_44' }, '"1"');
  t.equal(ok.statusCode, 200, 'HTTP 200', { body: ok.body });
  t.equal(ok.headers.etag, '"2"');
  t.match(ok.json(), { version: 2, arrested: false, ageBand: '35_to_44', reference: s.reference });

  problem(t, await patchPerson('suspects', keyA, s.id, { arrested: null }, '"1"'), 412, 'precondition-failed');
  const read = await h.call(keyA, { method: 'GET', url: `/v1/suspects/${s.id}` });
  t.equal(read.json().arrested, false, 'unchanged after 412');
  t.equal(read.json().version, 2);
  t.equal((await suspectRow(s.id))?.version, 2);

  const same = await patchPerson('suspects', keyA, s.id, { arrested: false }, '"2"');
  t.equal(same.statusCode, 200);
  t.equal(same.json().version, 2, 'no real change, same version');
});

t.test('PATCH suspects: withdrawing needs a statusReason; reactivating clears it', async (t) => {
  const s = await newSuspect();
  const body = problem(t, await patchPerson('suspects', keyA, s.id, { status: 'withdrawn' }, '"1"'), 422, 'rule-violated');
  t.same(paths(body), ['statusReason']);
  t.equal((await suspectRow(s.id))?.status, 'active');

  const withdrawn = await patchPerson('suspects', keyA, s.id, { status: 'withdrawn', statusReason: 'Eliminated from enquiries (synthetic).' }, '"1"');
  t.equal(withdrawn.statusCode, 200, 'HTTP 200', { body: withdrawn.body });
  t.match(withdrawn.json(), { status: 'withdrawn', statusReason: 'Eliminated from enquiries (synthetic).', version: 2 });

  const back = await patchPerson('suspects', keyA, s.id, { status: 'active' }, '"2"');
  t.equal(back.statusCode, 200, 'HTTP 200', { body: back.body });
  t.match(back.json(), { status: 'active', statusReason: null, version: 3 });
});

t.test('PATCH suspects: other force 404, welfare officer 403; nothing changes', async (t) => {
  const s = await newSuspect();
  problem(t, await patchPerson('suspects', keyB, s.id, { arrested: false }, '"1"'), 404, 'suspect-not-found');
  problem(t, await patchPerson('suspects', welfareA, s.id, { arrested: false }, '"1"'), 403, 'forbidden');
  problem(t, await patchPerson('suspects', keyA, s.id, { arrested: false, incidentId: uuidv7() }, '"1"'), 400, 'validation-failed');
  const row = await suspectRow(s.id);
  t.equal(row?.arrested, true);
  t.equal(row?.version, 1);
});
