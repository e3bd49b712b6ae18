// Smoke: a force system records an incident with two victims and a suspect and reads it back.
import t from 'tap';
import { buildTestApp } from '../../helper.ts';
import { FORCE_A, incidentBody, suspectBody, victimBody } from '../../factories.ts';

t.test('record and read back an incident', async (t) => {
  const h = await buildTestApp(t);
  const key = await h.key(['force_system'], FORCE_A);
  const created = await h.call(key, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ victims: [victimBody(), victimBody({ role: 'pcso' })], suspects: [suspectBody()] }),
  });
  t.equal(created.statusCode, 201, created.body);
  const body = created.json();
  t.equal(body.victims.length, 2);
  t.equal(created.headers.location, `/v1/incidents/${body.id}`);
  const read = await h.call(key, { method: 'GET', url: `/v1/incidents/${body.id}` });
  t.equal(read.statusCode, 200);
  t.same(read.json(), body);
});
