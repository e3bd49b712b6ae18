// Cache-Control: no-store on every /v1 answer (#20 item 6): successes, CSV and NDJSON, and the problems raised
// after authentication (403, 404, 400, 412, 428) as much as the 401 before it.
import t from 'tap';
import { FORCE_A, incidentBody } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

t.test('every authenticated answer says Cache-Control: no-store', async (t) => {
  const h = await buildTestApp(t);
  const system = await h.key(['force_system'], FORCE_A);
  const created = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody() });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const answers = {
    'a create': created,
    'a read': await h.call(system, { method: 'GET', url: `/v1/incidents/${id}` }),
    'a list': await h.call(system, { method: 'GET', url: '/v1/incidents' }),
    'a CSV list': await h.call(system, { method: 'GET', url: '/v1/incidents', headers: { accept: 'text/csv' } }),
    'an NDJSON export': await h.call(system, { method: 'GET', url: '/v1/incidents', headers: { accept: 'application/x-ndjson' } }),
    'a PATCH without If-Match (428)': await h.call(system, { method: 'PATCH', url: `/v1/incidents/${id}`, payload: {} }),
    'a PATCH with a stale If-Match (412)': await h.call(system, {
      method: 'PATCH',
      url: `/v1/incidents/${id}`,
      headers: { 'if-match': '"99"' },
      payload: { narrative: 'x' },
    }),
    'an unknown record (404)': await h.call(system, { method: 'GET', url: '/v1/incidents/01890a5d-ac96-774b-bcce-b302099a8057' }),
    'a wrong role (403)': await h.call(system, { method: 'GET', url: '/v1/principals' }),
    'an invalid query (400)': await h.call(system, { method: 'GET', url: '/v1/incidents?limit=0' }),
    'no key (401)': await h.call(null, { method: 'GET', url: '/v1/incidents' }),
    'a wrong key (401)': await h.call('oar_not-a-key', { method: 'GET', url: '/v1/me' }),
  };
  for (const [what, res] of Object.entries(answers)) {
    t.equal(res.headers['cache-control'], 'no-store', `${what}: ${res.statusCode}`);
  }
  t.equal(answers['a read'].statusCode, 200);
  t.equal(answers['a wrong role (403)'].statusCode, 403);
});
