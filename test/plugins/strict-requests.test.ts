// Strict edges: an unknown query parameter is a 400 naming it on every operation of the contract (walked from the
// OpenAPI document, so a new operation is covered as it lands); a trailing slash or an empty path segment is a 404
// problem, as any unknown path is. Routes outside the contract (/docs, /app, /openapi.json) take any query.
import t from 'tap';
import { ROLES } from '../../src/shared/principal.ts';
import { buildTestApp } from '../helper.ts';
import { FORCE_A } from '../factories.ts';
import { problem } from '../problems.ts';

const SOME_ID = '01890000-0000-7000-8000-000000000000';
type Operation = { parameters?: { in: string; name: string }[] };

t.test('an unknown query parameter is a 400 naming it, on every operation of the contract', async (t) => {
  const h = await buildTestApp(t);
  // Every role, so that no operation stops at 403 before its query is read.
  const key = await h.key([...ROLES], FORCE_A, 'every role');
  const doc = h.app.swagger() as { paths: Record<string, Record<string, Operation>> };
  let walked = 0;
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const declared = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      t.notOk(declared.includes('occuredFrom'), `${method} ${path} does not declare the misspelling`);
      const url = `${path.replace(/\{\w+\}/g, SOME_ID)}?occuredFrom=2026-01-01`;
      const res = await h.call(key, {
        method: method.toUpperCase() as 'GET',
        url,
        headers: { 'x-access-reason': 'strict query test', 'if-match': '"1"' },
      });
      const body = problem(t, res, 400, 'validation-failed');
      t.same(body.errors, [{ path: 'query.occuredFrom', message: 'is not a parameter of this operation' }], `${method.toUpperCase()} ${path}`);
      t.match(body.detail, /occuredFrom/, 'the detail names it');
      walked++;
    }
  }
  t.ok(walked >= 50, `${walked} operations walked`);
});

t.test('the misspelt filter of the issue, with its neighbours, and the parameters that are declared', async (t) => {
  const h = await buildTestApp(t);
  const fs = await h.key(['force_system'], FORCE_A);
  const typo = problem(t, await h.call(fs, { method: 'GET', url: '/v1/incidents?occuredFrom=2026-01-01T00:00:00Z&limit=5&colour=red' }), 400);
  t.same(
    typo.errors?.map((e) => e.path),
    ['query.occuredFrom', 'query.colour'],
    'every unknown one, none of the known',
  );
  const ok = await h.call(fs, { method: 'GET', url: '/v1/incidents?occurredFrom=2026-01-01T00:00:00Z&limit=5' });
  t.equal(ok.statusCode, 200, 'declared parameters still work');
  const head = await h.call(fs, { method: 'HEAD', url: '/v1/incidents?occuredFrom=2026-01-01' });
  t.equal(head.statusCode, 400, 'HEAD too');
  // Checked before the body: the unknown parameter is reported even when the body is wrong as well.
  const post = problem(t, await h.call(fs, { method: 'POST', url: '/v1/incidents?dryRun=true', payload: { nothing: true } }), 400);
  t.same(
    post.errors?.map((e) => e.path),
    ['query.dryRun'],
  );
  const unauthenticated = await h.call(null, { method: 'GET', url: '/v1/incidents?occuredFrom=x' });
  t.equal(unauthenticated.statusCode, 401, 'authentication still comes first');
});

t.test('routes outside the contract take any query parameter', async (t) => {
  const h = await buildTestApp(t);
  for (const url of ['/openapi.json?v=2', '/docs/json?cache=1', '/docs/static/swagger-initializer.js?v=1', '/app/?v=1', '/app/assets/app.js?v=3']) {
    const res = await h.app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, url);
  }
  const preflight = await h.app.inject({
    method: 'OPTIONS',
    url: '/v1/incidents?limit=10',
    headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
  });
  t.not(preflight.statusCode, 400, 'a CORS preflight carries the query of the request it asks about');
});

t.test('a trailing slash or an empty path segment is a 404 problem, before authentication', async (t) => {
  const h = await buildTestApp(t);
  const fs = await h.key(['force_system'], FORCE_A);
  const slash = problem(t, await h.call(fs, { method: 'GET', url: '/v1/incidents/' }), 404, 'route-not-found');
  t.equal(slash.detail, 'There is no route GET /v1/incidents/. Paths take no trailing slash: GET /v1/incidents.');
  t.notOk(slash.errors, 'not a validation failure of an empty id');
  problem(t, await h.call(null, { method: 'GET', url: '/v1/incidents/' }), 404, 'route-not-found');
  problem(t, await h.call(fs, { method: 'POST', url: '/v1/incidents/', payload: {} }), 404, 'route-not-found');
  const segment = problem(t, await h.call(fs, { method: 'GET', url: `/v1/victims//care-plan` }), 404, 'route-not-found');
  t.notMatch(segment.detail, /trailing/);
  problem(t, await h.call(fs, { method: 'GET', url: '/v1/forces/' }), 404, 'route-not-found');
  problem(t, await h.app.inject({ method: 'GET', url: '/health/live/' }), 404, 'route-not-found');
  t.equal((await h.call(fs, { method: 'GET', url: '/v1/incidents' })).statusCode, 200, 'the path without it works');
  // The pages whose canonical address ends in a slash keep it.
  t.equal((await h.app.inject({ method: 'GET', url: '/app/' })).statusCode, 200, '/app/');
  t.equal((await h.app.inject({ method: 'GET', url: '/docs/' })).statusCode, 200, '/docs/');
});

t.test('a method the path does not take is a 405 problem with Allow', async (t) => {
  const h = await buildTestApp(t);
  const fs = await h.key(['force_system'], FORCE_A);
  const res = await h.call(fs, { method: 'DELETE', url: '/v1/incidents' });
  const body = problem(t, res, 405, 'method-not-allowed');
  t.equal(res.headers.allow, 'GET, HEAD, POST');
  t.equal(body.detail, '/v1/incidents does not take DELETE: it takes GET, HEAD, POST.');
  const byId = await h.call(fs, { method: 'DELETE', url: `/v1/incidents/${SOME_ID}` });
  problem(t, byId, 405, 'method-not-allowed');
  t.equal(byId.headers.allow, 'GET, HEAD, PATCH', 'records are not deleted: PATCH them');
  problem(t, await h.call(fs, { method: 'DELETE', url: '/v1/nothing-here' }), 404, 'route-not-found');
});
