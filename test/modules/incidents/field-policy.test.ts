// The field policy (src/policy.ts FIELD_POLICY) wherever a field appears: health fields only to the roles that may
// see them and only with X-Access-Reason (audited); an embedded victim or suspect shows only what its own endpoint
// would show the caller (#20 items 4 and 5).
import t from 'tap';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '../../../src/db/schema/index.ts';
import { FORCE_A, incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';

const h = await buildTestApp(t);
const system = await h.key(['force_system'], FORCE_A, 'force A system');
const welfare = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const db = h.database.db;

const INJURY = unique('SYNTHETIC-INJURY-DETAIL');
const SUSPECT_REF = unique('NOMINAL-SECRET');
const REASON = 'Synthetic: welfare review of the injury';

const created = await h.call(system, {
  method: 'POST',
  url: '/v1/incidents',
  payload: incidentBody({ victims: [victimBody({ injury: 'serious', injuryDetail: INJURY })], suspects: [suspectBody({ reference: SUSPECT_REF })] }),
});
if (created.statusCode !== 201) throw new Error(`setup failed: ${created.statusCode} ${created.body}`);
const incident = created.json() as { id: string; victims: { id: string }[]; suspects: { id: string }[] };
const victimId = incident.victims[0]!.id;

const get = (key: string, url: string, reason?: string) => h.call(key, { method: 'GET', url, headers: reason ? { 'x-access-reason': reason } : {} });
const readEvent = async (requestId: string) =>
  (
    await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, 'read')))
  )[0];

t.test('item 4: injuryDetail is omitted without a reason, for welfare officers on the incident and the victim', async (t) => {
  for (const url of [`/v1/incidents/${incident.id}`, `/v1/victims/${victimId}`]) {
    const res = await get(welfare, url);
    t.equal(res.statusCode, 200, url);
    t.notMatch(res.body, INJURY, `${url}: no health text without a reason`);
    t.notMatch(res.body, /injuryDetail/, `${url}: the field is omitted, not nulled`);
    t.match(res.body, /"injury":"serious"/, `${url}: the injury category stays (personal, not health)`);
  }
});

t.test('item 4: with a reason the welfare officer sees injuryDetail, and the read is audited with the reason', async (t) => {
  for (const url of [`/v1/incidents/${incident.id}`, `/v1/victims/${victimId}`]) {
    const res = await get(welfare, url, REASON);
    t.equal(res.statusCode, 200, url);
    t.match(res.body, INJURY, `${url}: health text with a reason`);
    const event = await readEvent(res.headers['x-request-id'] as string);
    t.equal(event?.reason, REASON, `${url}: the read's audit event carries the reason`);
  }
});

t.test('item 4: a force system never reads injuryDetail, with or without a reason, nor in its own create or patch answers', async (t) => {
  for (const reason of [undefined, REASON]) {
    for (const url of [`/v1/incidents/${incident.id}`, `/v1/victims/${victimId}`]) {
      const res = await get(system, url, reason);
      t.equal(res.statusCode, 200, url);
      t.notMatch(res.body, INJURY, `${url} (reason: ${reason ?? 'none'}): no health text`);
    }
  }
  t.notMatch(created.body, INJURY, 'the create answer (and so its idempotent replay) holds no health text');
  const patched = await h.call(system, { method: 'PATCH', url: `/v1/victims/${victimId}`, headers: { 'if-match': '*' }, payload: { daysLost: 2 } });
  t.equal(patched.statusCode, 200);
  t.notMatch(patched.body, INJURY);
  // The writer may still correct the field it does not read back.
  const corrected = unique('SYNTHETIC-CORRECTED');
  const fix = await h.call(system, { method: 'PATCH', url: `/v1/victims/${victimId}`, headers: { 'if-match': '*' }, payload: { injuryDetail: corrected } });
  t.equal(fix.statusCode, 200);
  t.match((await get(welfare, `/v1/victims/${victimId}`, REASON)).body, corrected);
});

t.test('item 5: a welfare officer, who may not read suspects, gets no embedded suspects; a force system does', async (t) => {
  t.equal((await get(welfare, `/v1/suspects/${incident.suspects[0]!.id}`)).statusCode, 403, 'own endpoint refuses them');
  for (const reason of [undefined, REASON]) {
    const res = await get(welfare, `/v1/incidents/${incident.id}`, reason);
    t.equal(res.statusCode, 200);
    t.notMatch(res.body, SUSPECT_REF, 'no suspect reference');
    t.notOk('suspects' in res.json(), 'no suspects embedded');
    t.equal(res.json().victims.length, 1, 'victims, which they may read, stay');
  }
  const asSystem = await get(system, `/v1/incidents/${incident.id}`);
  t.equal(asSystem.json().suspects[0].reference, SUSPECT_REF);
});
