// Malformed UTF-8 in a JSON body (#20 item 9): raw bytes 0xFF 0xFE inside a JSON string are a 400 problem, not
// silently turned into U+FFFD and stored. Valid multi-byte text and merge-patch bodies keep working.
import t from 'tap';
import { FORCE_A, incidentBody } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

/** A JSON body with the bytes inserted into the narrative string, as a client would send them. */
function withBytes(body: Record<string, unknown>, bytes: number[]): Buffer {
  const [before, after] = JSON.stringify(body).split('@@') as [string, string];
  return Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bytes), Buffer.from(after, 'utf8')]);
}

t.test('malformed UTF-8 in a JSON body is a 400 problem and nothing is stored', async (t) => {
  const h = await buildTestApp(t);
  const system = await h.key(['force_system'], FORCE_A);
  const sequences = {
    '0xFF 0xFE': [0xff, 0xfe],
    'a lone continuation byte': [0x80],
    'a truncated sequence': [0xe2, 0x82],
    'an overlong encoding': [0xc0, 0xaf],
  };
  for (const [why, bytes] of Object.entries(sequences)) {
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      const res = await h.call(system, {
        method: 'POST',
        url: '/v1/incidents',
        headers: { 'content-type': type },
        payload: withBytes(incidentBody({ narrative: 'before @@ after' }), bytes),
      });
      t.equal(res.statusCode, 400, `${why} (${type}): ${res.body}`);
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      t.match(res.json(), { type: /invalid-utf8$/, errors: [{ path: 'body' }] });
    }
  }
  const list = await h.call(system, { method: 'GET', url: '/v1/incidents' });
  t.same(list.json().items, [], 'nothing was stored');

  const good = await h.call(system, {
    method: 'POST',
    url: '/v1/incidents',
    headers: { 'content-type': 'application/json' },
    payload: withBytes(incidentBody({ narrative: 'Zo@@ (synthetic)' }), [0xc3, 0xab]),
  });
  t.equal(good.statusCode, 201, good.body);
  t.equal(good.json().narrative, 'Zoë (synthetic)', 'valid multi-byte UTF-8 is kept');
  const id = good.json().id as string;

  const badPatch = await h.call(system, {
    method: 'PATCH',
    url: `/v1/incidents/${id}`,
    headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: withBytes({ narrative: 'x@@y' }, [0xff, 0xfe]),
  });
  t.equal(badPatch.statusCode, 400, badPatch.body);
  t.match(badPatch.json(), { type: /invalid-utf8$/ });
  const patched = await h.call(system, {
    method: 'PATCH',
    url: `/v1/incidents/${id}`,
    headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: JSON.stringify({ narrative: 'Amended narrative (synthetic).' }),
  });
  t.equal(patched.statusCode, 200, `merge-patch+json still works: ${patched.body}`);
  t.equal(patched.json().narrative, 'Amended narrative (synthetic).');

  const poisoned = await h.call(system, {
    method: 'POST',
    url: '/v1/incidents',
    headers: { 'content-type': 'application/json' },
    payload: '{"__proto__": {"x": 1}}',
  });
  t.equal(poisoned.statusCode, 400, 'prototype poisoning is still refused');
  const broken = await h.call(system, { method: 'POST', url: '/v1/incidents', headers: { 'content-type': 'application/json' }, payload: '{"narrative": ' });
  t.equal(broken.statusCode, 400, 'malformed JSON is still a 400');
});
