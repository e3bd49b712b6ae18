// GET /v1/victims (issue #16 item 3): find any assaulted officer of the force by part of a staff number or incident
// reference, whether or not anything is due for them; newest incident first, cursor-paged; forces kept apart; roles
// as reading a victim; health fields never listed; the read audited with its access reason; unknown parameters refused.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { queryRows } from '../../../src/db/client.ts';
import { FORCE_A, FORCE_B, incidentBody, unique, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';

interface Listed {
  id: string;
  forceId: string;
  staffNumber: string | null;
  incidentReference: string;
  incidentOccurredAt: string;
  injuryDetail?: unknown;
}

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'system A');
const systemB = await h.key(['force_system'], FORCE_B, 'system B');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'welfare A');
const repA = await h.key(['federation_rep'], FORCE_A, 'rep A');
const analystA = await h.key(['analyst'], FORCE_A, 'analyst A');

const tag = unique('VS')
  .replace(/[^A-Z0-9]/gi, '')
  .toUpperCase();
async function record(key: string, reference: string, staffNumber: string, occurredAt: string) {
  const res = await h.call(key, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ forceReference: reference, occurredAt, victims: [victimBody({ staffNumber, injuryDetail: 'SYNTHETIC-HEALTH' })] }),
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { victims: { id: string }[] }).victims[0]!.id;
}

const older = await record(systemA, `AS/${tag}/001`, `${tag}-4101`, '2026-01-05T10:00:00Z');
const newer = await record(systemA, `AS/${tag}/002`, `${tag}-7702`, '2026-02-05T10:00:00Z');
const third = await record(systemA, `AS/${tag}/003`, `${tag}-9903`, '2026-02-20T10:00:00Z');
await record(systemB, `BD/${tag}/001`, `${tag}-0001`, '2026-02-06T10:00:00Z');

const search = (key: string, query: string, headers: Record<string, string> = {}) => h.call(key, { method: 'GET', url: `/v1/victims?${query}`, headers });

t.test('found by part of a staff number or of the incident reference, case ignored; nothing of another force', async (t) => {
  const byStaff = await search(welfareA, `q=${encodeURIComponent(`${tag.toLowerCase()}-7702`)}`);
  t.equal(byStaff.statusCode, 200, byStaff.body);
  const items = (byStaff.json() as { items: Listed[] }).items;
  t.same(
    items.map((v) => v.id),
    [newer],
  );
  t.equal(items[0]!.incidentReference, `AS/${tag}/002`);
  t.equal(items[0]!.incidentOccurredAt, '2026-02-05T10:00:00.000Z');
  t.notOk('injuryDetail' in items[0]!, 'no health field in a list, even for a welfare officer');

  const byRef = (await search(welfareA, `q=${encodeURIComponent(`AS/${tag}/00`)}`)).json() as { items: Listed[] };
  t.same(
    byRef.items.map((v) => v.id),
    [third, newer, older],
    'newest incident first',
  );
  const everyone = (await search(welfareA, `q=${tag}`)).json() as { items: Listed[] };
  t.ok(
    everyone.items.every((v) => v.forceId === FORCE_A),
    "another force's victim is never listed",
  );
  t.equal(everyone.items.length, 3);
  const theirs = (await search(systemB, `q=${tag}`)).json() as { items: Listed[] };
  t.same(
    theirs.items.map((v) => v.staffNumber),
    [`${tag}-0001`],
    'and the other force sees only its own',
  );
  const wildcard = (await search(welfareA, `q=${encodeURIComponent('%_')}`)).json() as { items: Listed[] };
  t.same(wildcard.items, [], '% and _ are taken literally');
});

t.test('cursor-paged without gaps or repeats', async (t) => {
  const first = (await search(welfareA, `q=${tag}&limit=2`)).json() as { items: Listed[]; nextCursor: string | null };
  t.same(
    first.items.map((v) => v.id),
    [third, newer],
  );
  t.ok(first.nextCursor);
  const second = (await search(welfareA, `q=${tag}&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)).json() as {
    items: Listed[];
    nextCursor: string | null;
  };
  t.same(
    second.items.map((v) => v.id),
    [older],
  );
  t.equal(second.nextCursor, null);
});

t.test('roles as reading a victim; the read is audited with its access reason', async (t) => {
  for (const key of [repA, analystA]) t.equal((await search(key, `q=${tag}`)).statusCode, 403);
  t.equal((await search(systemA, `q=${tag}`)).statusCode, 200);
  const reason = `Finding an officer (synthetic ${tag})`;
  t.equal((await search(welfareA, `q=${tag}`, { 'x-access-reason': reason })).statusCode, 200);
  const audit = await queryRows<{ action: string; force_id: string }>(
    h.database.db,
    sql`select action, force_id from audit_events where resource_type = 'victim' and reason = ${reason}`,
  );
  t.same(audit, [{ action: 'list', force_id: FORCE_A }], 'one audit event, with the reason and the force');
});

t.test('unknown parameters and a bad query are refused', async (t) => {
  const unknown = await search(welfareA, `q=${tag}&name=x`);
  t.equal(unknown.statusCode, 400);
  t.match(unknown.body, /name/);
  t.equal((await search(welfareA, 'q=a')).statusCode, 400, 'q of one character');
  t.equal((await search(welfareA, 'limit=501')).statusCode, 400);
  t.equal((await search(welfareA, 'cursor=nonsense')).statusCode, 400);
});
