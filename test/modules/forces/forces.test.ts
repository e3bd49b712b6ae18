// /v1/forces: the seeded forces, readable by every role; headcounts recorded by admins with If-Match.
import t, { type Test } from 'tap';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { FORCE_A, FORCE_B } from '../../factories.ts';
import { ROLES } from '../../../src/shared/principal.ts';

const UNKNOWN_ID = '019b76da-ffff-7fff-bfff-ffffffffffff';

interface Force {
  id: string;
  code: string;
  name: string;
  country: string;
  kind: string;
  version: number;
  headcount: { officers: number; constables: number; asOf: string } | null;
  headcountHistory: { officers: number; constables: number; asOf: string }[];
}

function patch(h: TestApp, key: string, forceId: string, body: unknown, ifMatch?: string) {
  return h.call(key, {
    method: 'PATCH',
    url: `/v1/forces/${forceId}`,
    payload: body as object,
    headers: { 'content-type': 'application/merge-patch+json', ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}) },
  });
}

t.test('listing and reading', async (t) => {
  const h = await buildTestApp(t);

  t.test('44 forces: 43 territorial in England and Wales and British Transport Police', async (t) => {
    const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces' });
    t.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Force[];
    t.equal(items.length, 44);
    const territorial = items.filter((f) => f.kind === 'territorial');
    t.equal(territorial.length, 43);
    t.ok(territorial.every((f) => f.country === 'england' || f.country === 'wales'));
    t.equal(items.filter((f) => f.country === 'wales').length, 4);
    t.equal(items.filter((f) => f.country === 'england').length, 39);
    const btp = items.find((f) => f.code === 'british-transport-police');
    t.match(btp, { kind: 'special', name: 'British Transport Police' });
    t.equal(new Set(items.map((f) => f.id)).size, 44, 'ids are unique');
    t.equal(new Set(items.map((f) => f.code)).size, 44, 'codes are unique');
    t.same(
      items.map((f) => f.name),
      [...items.map((f) => f.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'ordered by name',
    );
    t.match(
      items.find((f) => f.id === FORCE_A),
      { code: 'avon-and-somerset' },
    );
    t.match(
      items.find((f) => f.id === FORCE_B),
      { code: 'bedfordshire' },
    );
  });

  t.test('every role can list and read', async (t) => {
    for (const role of ROLES) {
      const key = await h.key([role], role === 'analyst' ? null : FORCE_A);
      const list = await h.call(key, { method: 'GET', url: '/v1/forces' });
      t.equal(list.statusCode, 200, `${role} lists`);
      t.equal(list.json().items.length, 44, `${role} sees every force`);
      t.equal((await h.call(key, { method: 'GET', url: `/v1/forces/${FORCE_B}` })).statusCode, 200, `${role} reads another force`);
    }
  });

  t.test('one force, with an ETag', async (t) => {
    const res = await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` });
    t.equal(res.statusCode, 200);
    const force = res.json() as Force;
    t.match(force, { id: FORCE_A, code: 'avon-and-somerset', country: 'england', kind: 'territorial', headcount: null, headcountHistory: [] });
    t.equal(res.headers.etag, `"${force.version}"`);
  });

  t.test('an unknown id is 404; a malformed one 400', async (t) => {
    const res = await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${UNKNOWN_ID}` });
    t.equal(res.statusCode, 404);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.match(res.json(), { status: 404, instance: `/v1/forces/${UNKNOWN_ID}` });
    t.equal((await h.call(h.adminKey, { method: 'GET', url: '/v1/forces/avon-and-somerset' })).statusCode, 400);
  });
});

t.test('recording headcounts', async (t) => {
  const h = await buildTestApp(t);
  const start = (await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` })).json() as Force;
  const v = start.version;

  t.test('an admin with If-Match records a headcount', async (t) => {
    const first = { officers: 3000, constables: 2200, asOf: '2025-03-31' };
    const res = await patch(h, h.adminKey, FORCE_A, { headcount: first }, `"${v}"`);
    t.equal(res.statusCode, 200, res.body);
    const force = res.json() as Force;
    t.equal(force.version, v + 1);
    t.equal(res.headers.etag, `"${v + 1}"`);
    t.same(force.headcount, first);
    t.same(force.headcountHistory, [first]);

    const second = { officers: 3100, constables: 2250, asOf: '2025-09-30' };
    const res2 = await patch(h, h.adminKey, FORCE_A, { headcount: second }, `"${v + 1}"`);
    t.equal(res2.statusCode, 200, res2.body);
    const force2 = res2.json() as Force;
    t.equal(force2.version, v + 2);
    t.same(force2.headcount, second, 'the latest is the headcount');
    t.same(force2.headcountHistory, [second, first], 'history newest first, both kept');

    const read = await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` });
    t.same(read.json(), force2, 'reads back the same');
    t.equal(read.headers.etag, `"${v + 2}"`);
  });

  t.test('an earlier asOf recorded later still sorts by date', async (t) => {
    const current = (await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` })).json() as Force;
    const older = { officers: 2900, constables: 2100, asOf: '2024-03-31' };
    const res = await patch(h, h.adminKey, FORCE_A, { headcount: older }, `"${current.version}"`);
    t.equal(res.statusCode, 200, res.body);
    const force = res.json() as Force;
    t.same(force.headcount, current.headcount, 'the latest by date stays the headcount');
    t.same(
      force.headcountHistory.map((x) => x.asOf),
      ['2025-09-30', '2025-03-31', '2024-03-31'],
    );
  });

  t.test('the same asOf replaces that day', async (t) => {
    const current = (await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` })).json() as Force;
    const fixed = { officers: 3111, constables: 2251, asOf: '2025-09-30' };
    const res = await patch(h, h.adminKey, FORCE_A, { headcount: fixed }, `"${current.version}"`);
    t.equal(res.statusCode, 200, res.body);
    t.same(res.json().headcount, fixed);
    t.equal(res.json().headcountHistory.length, 3);
  });

  t.test('other forces are untouched', async (t) => {
    const other = (await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_B}` })).json() as Force;
    t.equal(other.headcount, null);
    t.same(other.headcountHistory, []);
  });

  t.test('the update is audited with the changed field', async (t) => {
    const events = await h.call(h.adminKey, { method: 'GET', url: `/v1/audit-events?resourceType=force&resourceId=${FORCE_A}&action=update` });
    t.equal(events.statusCode, 200);
    t.equal(events.json().items.length, 4);
    t.match(events.json().items[0], { forceId: FORCE_A, changedFields: ['headcount'] });
  });
});

t.test('headcount rules and preconditions', async (t) => {
  const h = await buildTestApp(t);
  const read = async (id = FORCE_B) => (await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${id}` })).json() as Force;
  const v = (await read()).version;
  const good = { officers: 1200, constables: 900, asOf: '2025-03-31' };

  const unchanged = async (t: Test) => {
    const now = await read();
    t.same({ version: now.version, history: now.headcountHistory }, { version: v, history: [] }, 'nothing was changed');
  };

  t.test('constables above officers is 400 naming the field', async (t) => {
    const res = await patch(h, h.adminKey, FORCE_B, { headcount: { officers: 10, constables: 11, asOf: '2025-03-31' } }, `"${v}"`);
    t.equal(res.statusCode, 400, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.ok(
      res.json().errors.some((e: { path: string }) => e.path === 'body.headcount.constables'),
      JSON.stringify(res.json().errors),
    );
    await unchanged(t);
  });

  for (const [what, body] of [
    ['a negative count', { headcount: { ...good, officers: -1 } }],
    ['a non-date asOf', { headcount: { ...good, asOf: '31/03/2025' } }],
    ['a missing field', { headcount: { officers: 5, asOf: '2025-03-31' } }],
    ['an unknown field', { headcount: good, name: 'Renamed Police' }],
    ['a fractional count', { headcount: { ...good, officers: 1200.5 } }],
  ] as const) {
    t.test(`${what} is 400`, async (t) => {
      const res = await patch(h, h.adminKey, FORCE_B, body, `"${v}"`);
      t.equal(res.statusCode, 400, res.body);
      await unchanged(t);
    });
  }

  t.test('missing If-Match is 428', async (t) => {
    const res = await patch(h, h.adminKey, FORCE_B, { headcount: good });
    t.equal(res.statusCode, 428, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    await unchanged(t);
  });

  t.test('a stale If-Match is 412 and nothing changes', async (t) => {
    for (const stale of [`"${v + 1}"`, `"${v - 1}"`, 'garbage']) {
      const res = await patch(h, h.adminKey, FORCE_B, { headcount: good }, stale);
      t.equal(res.statusCode, 412, `If-Match ${stale}: ${res.body}`);
      t.match(res.headers['content-type'], /^application\/problem\+json/);
    }
    await unchanged(t);
  });

  t.test('a non-admin is 403', async (t) => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const key = await h.key([role], role === 'analyst' ? null : FORCE_B);
      const res = await patch(h, key, FORCE_B, { headcount: good }, `"${v}"`);
      t.equal(res.statusCode, 403, `${role}: ${res.body}`);
    }
    await unchanged(t);
  });

  t.test('a force-scoped admin patching another force is 404; its own is 200', async (t) => {
    const scoped = await h.key(['admin'], FORCE_A);
    const res = await patch(h, scoped, FORCE_B, { headcount: good }, `"${v}"`);
    t.equal(res.statusCode, 404, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    await unchanged(t);
    const own = await read(FORCE_A);
    const ok = await patch(h, scoped, FORCE_A, { headcount: good }, `"${own.version}"`);
    t.equal(ok.statusCode, 200, ok.body);
  });

  t.test('an unknown force is 404', async (t) => {
    const res = await patch(h, h.adminKey, UNKNOWN_ID, { headcount: good }, '"1"');
    t.equal(res.statusCode, 404);
  });

  t.test('plain application/json is accepted too', async (t) => {
    const res = await h.call(h.adminKey, { method: 'PATCH', url: `/v1/forces/${FORCE_B}`, payload: { headcount: good }, headers: { 'if-match': `"${v}"` } });
    t.equal(res.statusCode, 200, res.body);
    t.equal(res.json().version, v + 1);
  });
});
