// Every 4xx/5xx is an RFC 9457 problem; never a stack trace or SQL. X-Request-Id is kept when sane.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../helper.ts';
import { FORCE_A } from '../factories.ts';

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance'];

function expectProblem(t: Test, res: LightMyRequestResponse, status: number, instance?: string) {
  t.equal(res.statusCode, status, res.body);
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'problem media type');
  const body = res.json() as Record<string, unknown>;
  for (const f of PROBLEM_FIELDS) t.ok(f in body, `has ${f}`);
  t.match(body.type, /^\/problems\/[a-z0-9-]+$/);
  t.equal(body.status, status);
  t.type(body.title, 'string');
  t.type(body.detail, 'string');
  if (instance) t.equal(body.instance, instance);
  leaksNothing(t, res);
  return body;
}

/** No stack frame, no SQL, no driver detail in a response body. */
function leaksNothing(t: Test, res: LightMyRequestResponse) {
  t.notMatch(res.body, /\n\s+at /, 'no stack lines');
  t.notMatch(res.body, /\bat [\w.<>]+ \(/, 'no stack frames');
  t.notMatch(res.body, /\.ts:\d+/, 'no source positions');
  t.notMatch(res.body, /select /i, 'no SQL');
  t.notMatch(res.body, /insert into|update \w+ set|\bfrom "?\w+"? where/i, 'no SQL');
  t.notMatch(res.body, /"stack"/, 'no stack field');
}

t.test('problem documents', async (t) => {
  const h = await buildTestApp(t);

  t.test('an unknown route is a 404 problem', async (t) => {
    const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/nothing-here?x=1' });
    const body = expectProblem(t, res, 404, '/v1/nothing-here');
    t.notMatch(body.detail, 'x=1', 'no query string in the detail');
    expectProblem(t, await h.app.inject({ method: 'GET', url: '/nowhere' }), 404, '/nowhere');
  });

  t.test('a malformed JSON body is a 400 problem', async (t) => {
    const res = await h.call(h.adminKey, {
      method: 'POST',
      url: '/v1/principals',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x", "roles": [',
    });
    const body = expectProblem(t, res, 400, '/v1/principals');
    t.equal(body.type, '/problems/malformed-json');
    t.equal(body.detail, 'The body is not valid JSON: it does not parse.');
    const empty = await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', headers: { 'content-type': 'application/json' }, payload: '' });
    t.match(expectProblem(t, empty, 400, '/v1/principals'), { type: '/problems/malformed-json', detail: /empty/ });
  });

  t.test('a malformed merge patch is a 400 problem', async (t) => {
    const res = await h.call(h.adminKey, {
      method: 'PATCH',
      url: `/v1/forces/${FORCE_A}`,
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      payload: '{nope',
    });
    expectProblem(t, res, 400);
  });

  t.test('text/plain on a POST is a 415 problem', async (t) => {
    const res = await h.call(h.adminKey, {
      method: 'POST',
      url: '/v1/principals',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    const body = expectProblem(t, res, 415, '/v1/principals');
    t.equal(body.type, '/problems/unsupported-media-type');
    t.equal(body.detail, 'This operation does not take a body of type "text/plain": send application/json.');
    const patch = await h.call(h.adminKey, {
      method: 'PATCH',
      url: `/v1/forces/${FORCE_A}`,
      headers: { 'content-type': 'text/plain', 'if-match': '"1"' },
      payload: 'x',
    });
    t.match(expectProblem(t, patch, 415), { detail: /send application\/merge-patch\+json or application\/json\.$/ });
    const fs = await h.key(['force_system'], FORCE_A);
    const ndjson = await h.call(fs, { method: 'POST', url: '/v1/imports', headers: { 'content-type': 'application/json' }, payload: '{}' });
    t.match(expectProblem(t, ndjson, 415), { detail: /send application\/x-ndjson\.$/ }, 'the import names its own media type');
  });

  t.test('another non-JSON media type on a POST is a 415 problem', async (t) => {
    const res = await h.call(h.adminKey, {
      method: 'POST',
      url: '/v1/principals',
      headers: { 'content-type': 'application/xml' },
      payload: '<principal/>',
    });
    expectProblem(t, res, 415, '/v1/principals');
  });

  t.test('a validation failure lists its fields', async (t) => {
    const res = await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', payload: { name: 'x', roles: ['nobody'] } });
    const body = expectProblem(t, res, 400, '/v1/principals');
    t.match(body.errors, [{ path: 'body.roles.0', message: String }]);
  });

  t.test('a bad query string is a 400 problem naming the parameter', async (t) => {
    const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals?limit=zero' });
    const body = expectProblem(t, res, 400, '/v1/principals');
    t.match(body.errors, [{ path: 'query.limit' }]);
  });

  t.test('401 and 403 are problems too', async (t) => {
    expectProblem(t, await h.call(null, { method: 'GET', url: '/v1/principals' }), 401, '/v1/principals');
    const analyst = await h.key(['analyst'], null);
    expectProblem(t, await h.call(analyst, { method: 'GET', url: '/v1/principals' }), 403, '/v1/principals');
  });

  t.test('a database error is a 500 problem with no SQL or stack', async (t) => {
    // Break the schema under the app: the query fails inside the driver.
    const { sql } = await import('drizzle-orm');
    const ok = await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` });
    t.equal(ok.statusCode, 200);
    await h.database.db.execute(sql`alter table force_headcounts rename to force_headcounts_gone`);
    t.teardown(() => h.database.db.execute(sql`alter table force_headcounts_gone rename to force_headcounts`));
    const res = await h.call(h.adminKey, { method: 'GET', url: `/v1/forces/${FORCE_A}` });
    const body = expectProblem(t, res, 500, `/v1/forces/${FORCE_A}`);
    t.notMatch(res.body, 'force_headcounts', 'no table names');
    t.notMatch(res.body, FORCE_A.replace(/-/g, ''), 'no parameters');
    t.same(Object.keys(body).sort(), [...PROBLEM_FIELDS].sort(), 'nothing beyond the problem fields');
  });
});

t.test('a body over the limit is a 413 problem', async (t) => {
  const h = await buildTestApp(t, { bodyLimit: 1000 });
  const payload = JSON.stringify({ name: 'x'.repeat(2000), roles: ['analyst'], forceId: null });
  t.ok(Buffer.byteLength(payload) > 2000);
  const res = await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', headers: { 'content-type': 'application/json' }, payload });
  t.match(expectProblem(t, res, 413, '/v1/principals'), {
    type: '/problems/body-too-large',
    detail: 'The request body is larger than this operation accepts (1000 bytes). Nothing was read or stored.',
  });
  const small = await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', payload: { name: 'small', roles: ['analyst'], forceId: null } });
  t.equal(small.statusCode, 201, 'a body under the limit is fine');
});

t.test('X-Request-Id', async (t) => {
  const h = await buildTestApp(t);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  t.test('a sane incoming id is echoed back, on success and on problems', async (t) => {
    for (const id of ['req-123.abc:def_9', 'a', 'x'.repeat(128)]) {
      const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces', headers: { 'x-request-id': id } });
      t.equal(res.statusCode, 200);
      t.equal(res.headers['x-request-id'], id);
    }
    const problem = await h.call(null, { method: 'GET', url: '/v1/forces', headers: { 'x-request-id': 'trace-401' } });
    t.equal(problem.statusCode, 401);
    t.equal(problem.headers['x-request-id'], 'trace-401');
    const missing = await h.app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'trace-404' } });
    t.equal(missing.headers['x-request-id'], 'trace-404');
  });

  t.test('an insane id is replaced by a generated one', async (t) => {
    for (const id of ['has spaces in it', 'x'.repeat(300), 'semi;colon', '<script>', 'x'.repeat(129)]) {
      const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces', headers: { 'x-request-id': id } });
      t.equal(res.statusCode, 200);
      t.not(res.headers['x-request-id'], id);
      t.match(res.headers['x-request-id'], uuid, `${id.slice(0, 20)} replaced by a UUID`);
    }
  });

  t.test('without one, each response gets its own generated id', async (t) => {
    const a = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces' });
    const b = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces' });
    t.match(a.headers['x-request-id'], uuid);
    t.match(b.headers['x-request-id'], uuid);
    t.not(a.headers['x-request-id'], b.headers['x-request-id']);
  });

  t.test('the request id reaches the audit trail', async (t) => {
    const id = `audit-trace-${Date.now()}`;
    const res = await h.call(h.adminKey, {
      method: 'POST',
      url: '/v1/principals',
      payload: { name: 'traced', roles: ['analyst'], forceId: null },
      headers: { 'x-request-id': id },
    });
    t.equal(res.statusCode, 201);
    const events = await h.call(h.adminKey, { method: 'GET', url: `/v1/audit-events?requestId=${id}` });
    t.match(events.json().items, [{ action: 'create', requestId: id, resourceId: res.json().id }]);
  });
});
