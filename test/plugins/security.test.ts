// Security headers, CORS closed unless configured, and the per-principal rate limit (429 + Retry-After).
import t from 'tap';
import { CSP } from '../../src/plugins/security.ts';
import { buildTestApp } from '../helper.ts';
import { FORCE_A } from '../factories.ts';

t.test('security headers on every answer, CORS closed by default', async (t) => {
  const h = await buildTestApp(t);
  const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces' });
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['content-security-policy'], CSP.api);
  t.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  const problem = await h.call(null, { method: 'GET', url: '/v1/forces' });
  t.equal(problem.headers['x-content-type-options'], 'nosniff', 'problems carry them too');
  const preflight = await h.app.inject({
    method: 'OPTIONS',
    url: '/v1/incidents',
    headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
  });
  t.notOk(preflight.headers['access-control-allow-origin'], 'no origin is allowed');
  const cross = await h.call(h.adminKey, { method: 'GET', url: '/v1/forces', headers: { origin: 'https://elsewhere.example' } });
  t.notOk(cross.headers['access-control-allow-origin']);
});

t.test('the Content-Security-Policy is chosen by path, and never upgrades requests to https', async (t) => {
  const h = await buildTestApp(t);
  const docs =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  const app =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  const api = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  const cases: [string, number, string][] = [
    ['/docs', 200, docs],
    ['/docs/', 200, docs],
    ['/docs/static/swagger-ui-bundle.js', 200, docs],
    ['/docs/static/swagger-initializer.js', 200, docs],
    ['/docs/json', 200, docs],
    ['/app', 301, app],
    ['/app/', 200, app],
    ['/app/assets/app.js', 200, app],
    ['/openapi.json', 200, api],
    ['/health/live', 200, api],
    ['/problems/validation-failed', 200, api],
    ['/v1/forces', 401, api],
    ['/nowhere', 404, api],
    ['/application', 404, api],
    ['/app/missing.js', 404, app],
  ];
  for (const [url, status, policy] of cases) {
    const res = await h.app.inject({ method: 'GET', url });
    t.equal(res.statusCode, status, url);
    t.equal(res.headers['content-security-policy'], policy, url);
    t.notMatch(String(res.headers['content-security-policy']), /upgrade-insecure-requests/, `${url}: no upgrade-insecure-requests`);
  }
  t.same(CSP, { api, docs, app }, 'the three policies, written out');
});

t.test('CORS opens for configured origins only', async (t) => {
  const h = await buildTestApp(t, { corsOrigins: ['https://welfare.force.example'] });
  const ok = await h.app.inject({
    method: 'OPTIONS',
    url: '/v1/care-steps',
    headers: { origin: 'https://welfare.force.example', 'access-control-request-method': 'GET' },
  });
  t.equal(ok.headers['access-control-allow-origin'], 'https://welfare.force.example');
  const other = await h.app.inject({
    method: 'OPTIONS',
    url: '/v1/care-steps',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
  });
  t.notOk(other.headers['access-control-allow-origin']);
});

t.test('rate limit per principal: 429 problem with Retry-After, counted in the database', async (t) => {
  const h = await buildTestApp(t, { rateLimit: { max: 3, windowMs: 60_000 } });
  const a = await h.key(['force_system'], FORCE_A);
  const b = await h.key(['force_system'], FORCE_A);
  for (let i = 0; i < 3; i++) t.equal((await h.call(a, { method: 'GET', url: '/v1/forces' })).statusCode, 200);
  const limited = await h.call(a, { method: 'GET', url: '/v1/forces' });
  t.equal(limited.statusCode, 429);
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(limited.json(), { status: 429, title: 'Too many requests', type: /rate-limited$/ });
  t.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60, 'Retry-After in seconds');
  t.equal((await h.call(b, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'another principal has its own window');
  const { sql } = await import('drizzle-orm');
  const { queryRows } = await import('../../src/db/client.ts');
  const rows = await queryRows<{ n: number }>(h.database.db, sql`select count(*)::int as n from rate_limits where key like 'principal:%'`);
  t.equal(Number(rows[0]!.n), 2, 'windows live in Postgres, shared by every instance');
});
