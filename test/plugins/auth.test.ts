// Authentication and roles on /v1: 401 for missing, malformed, unknown or revoked keys; 403 for the wrong role.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../helper.ts';
import { FORCE_A } from '../factories.ts';

function isProblem(t: Test, res: LightMyRequestResponse, status: number) {
  t.equal(res.statusCode, status, res.body);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  const body = res.json();
  t.equal(body.status, status);
  t.type(body.type, 'string');
  t.type(body.title, 'string');
  t.type(body.detail, 'string');
  t.type(body.instance, 'string');
  return body;
}

t.test('authentication', async (t) => {
  const h = await buildTestApp(t);

  t.test('no Authorization header is 401 with WWW-Authenticate: Bearer', async (t) => {
    const res = await h.call(null, { method: 'GET', url: '/v1/forces' });
    const body = isProblem(t, res, 401);
    t.equal(res.headers['www-authenticate'], 'Bearer');
    t.equal(body.instance, '/v1/forces');
  });

  t.test('a wrong scheme is 401', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/forces', headers: { authorization: `Basic ${h.adminKey}` } });
    isProblem(t, res, 401);
    t.equal(res.headers['www-authenticate'], 'Bearer');
    t.notMatch(res.body, h.adminKey);
  });

  t.test('"Basic x" is 401', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/forces', headers: { authorization: 'Basic x' } });
    isProblem(t, res, 401);
  });

  t.test('Bearer with no key is 401', async (t) => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/forces', headers: { authorization: 'Bearer ' } });
    isProblem(t, res, 401);
  });

  t.test('an unknown key is 401 and is not echoed', async (t) => {
    const unknown = 'oar_thisKeyWasNeverIssuedByTheService0123456789';
    const res = await h.call(unknown, { method: 'GET', url: '/v1/forces' });
    isProblem(t, res, 401);
    t.equal(res.headers['www-authenticate'], 'Bearer');
    t.notMatch(res.body, unknown);
  });

  t.test('an over-long key is 401, not an error', async (t) => {
    const res = await h.call('oar_' + 'x'.repeat(5000), { method: 'GET', url: '/v1/forces' });
    isProblem(t, res, 401);
  });

  t.test('a valid key is accepted, scheme case-insensitive', async (t) => {
    t.equal((await h.call(h.adminKey, { method: 'GET', url: '/v1/forces' })).statusCode, 200);
    const lower = await h.app.inject({ method: 'GET', url: '/v1/forces', headers: { authorization: `bearer ${h.adminKey}` } });
    t.equal(lower.statusCode, 200);
  });

  t.test('a revoked key is 401 on the very next request', async (t) => {
    const created = await h.call(h.adminKey, {
      method: 'POST',
      url: '/v1/principals',
      payload: { name: 'to revoke', roles: ['force_system'], forceId: FORCE_A },
    });
    t.equal(created.statusCode, 201, created.body);
    const { id, key } = created.json();
    t.equal((await h.call(key, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'works before revocation');
    const revoked = await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${id}` });
    t.equal(revoked.statusCode, 200, revoked.body);
    const after = await h.call(key, { method: 'GET', url: '/v1/forces' });
    isProblem(t, after, 401);
    t.notMatch(after.body, key);
  });

  t.test('an unknown /v1 route without a key is still a problem document', async (t) => {
    const anon = await h.call(null, { method: 'GET', url: '/v1/no-such-thing' });
    t.ok([401, 404].includes(anon.statusCode));
    t.match(anon.headers['content-type'], /^application\/problem\+json/);
  });
});

t.test('roles', async (t) => {
  const h = await buildTestApp(t);
  const analyst = await h.key(['analyst'], null);
  const system = await h.key(['force_system'], FORCE_A);
  const welfare = await h.key(['welfare_officer'], FORCE_A);

  t.test('analyst on GET /v1/incidents is 403', async (t) => {
    const res = await h.call(analyst, { method: 'GET', url: '/v1/incidents' });
    const body = isProblem(t, res, 403);
    t.equal(body.instance, '/v1/incidents');
    t.notOk(res.headers['www-authenticate'], 'not an authentication problem');
  });

  t.test('force_system on GET /v1/principals is 403', async (t) => {
    isProblem(t, await h.call(system, { method: 'GET', url: '/v1/principals' }), 403);
  });

  t.test('force_system on POST /v1/principals is 403 and creates nothing', async (t) => {
    const res = await h.call(system, { method: 'POST', url: '/v1/principals', payload: { name: 'escalation', roles: ['admin'], forceId: null } });
    isProblem(t, res, 403);
    const list = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' });
    t.notOk(list.json().items.some((p: { name: string }) => p.name === 'escalation'));
  });

  t.test('welfare_officer on PATCH /v1/forces is 403', async (t) => {
    const res = await h.call(welfare, {
      method: 'PATCH',
      url: `/v1/forces/${FORCE_A}`,
      headers: { 'if-match': '"1"' },
      payload: { headcount: { officers: 10, constables: 5, asOf: '2026-01-01' } },
    });
    isProblem(t, res, 403);
  });

  t.test('a key with several roles gets the union', async (t) => {
    const both = await h.key(['analyst', 'force_system'], FORCE_A);
    t.equal((await h.call(both, { method: 'GET', url: '/v1/incidents' })).statusCode, 200);
  });

  t.test('the right role is 200', async (t) => {
    t.equal((await h.call(system, { method: 'GET', url: '/v1/incidents' })).statusCode, 200);
    t.equal((await h.call(analyst, { method: 'GET', url: '/v1/forces' })).statusCode, 200);
  });
});

t.test('the Authorization value is never echoed in any response body', async (t) => {
  const h = await buildTestApp(t);
  const analyst = await h.key(['analyst'], null);
  const system = await h.key(['force_system'], FORCE_A);
  const bogus = 'oar_bogusKeyThatShouldNeverAppearInAnyBody_0123456789';
  const cases: { key: string; method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: unknown }[] = [
    { key: bogus, method: 'GET', url: '/v1/forces' },
    { key: analyst, method: 'GET', url: '/v1/incidents' },
    { key: system, method: 'GET', url: '/v1/principals' },
    { key: h.adminKey, method: 'GET', url: '/v1/principals' },
    { key: h.adminKey, method: 'GET', url: '/v1/forces' },
    { key: h.adminKey, method: 'GET', url: '/v1/no-such-route' },
    { key: h.adminKey, method: 'POST', url: '/v1/principals', payload: { name: 'x', roles: ['nope'] } },
    { key: h.adminKey, method: 'DELETE', url: '/v1/principals/019b76da-0000-7000-8000-000000000000' },
  ];
  for (const c of cases) {
    const res = await h.call(c.key, { method: c.method, url: c.url, ...(c.payload ? { payload: c.payload as object } : {}) });
    t.notMatch(res.body, c.key, `${c.method} ${c.url} (${res.statusCode}) does not contain the key`);
    t.notMatch(res.body, c.key.slice(4), `${c.method} ${c.url} does not contain the key's random part`);
  }
});
