// Key rotation: a principal holds two keys during a rotation; each key's last use is kept.
import t from 'tap';
import { buildTestApp } from '../../helper.ts';
import { FORCE_A } from '../../factories.ts';

t.test('rotate a key: both work, then the old one is revoked; last use is recorded', async (t) => {
  const h = await buildTestApp(t);
  const created = await h.call(h.adminKey, {
    method: 'POST',
    url: '/v1/principals',
    payload: { name: 'Crime system (synthetic)', roles: ['force_system'], forceId: FORCE_A },
  });
  t.equal(created.statusCode, 201);
  const { id, key: oldKey } = created.json();
  const oldKeyId = created.json().keys[0].id;

  h.clock.set('2026-03-02T10:00:00Z');
  t.equal((await h.call(oldKey, { method: 'GET', url: '/v1/forces' })).statusCode, 200);

  const rotated = await h.call(h.adminKey, { method: 'POST', url: `/v1/principals/${id}/keys` });
  t.equal(rotated.statusCode, 201, rotated.body);
  const newKey = rotated.json().key;
  t.match(newKey, /^oar_[\w-]{43}$/);
  t.not(newKey, oldKey);

  const third = await h.call(h.adminKey, { method: 'POST', url: `/v1/principals/${id}/keys` });
  t.equal(third.statusCode, 422, 'at most two active keys');

  h.clock.set('2026-03-02T10:05:00Z');
  t.equal((await h.call(oldKey, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'old key still works during the rotation');
  t.equal((await h.call(newKey, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'new key works');

  const listed = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' })).json().items.find((p: { id: string }) => p.id === id);
  t.equal(listed.keys.length, 2);
  t.equal(listed.keys.find((k: { id: string }) => k.id === oldKeyId).lastUsedAt, '2026-03-02T10:05:00.000Z', 'last use of the old key');
  t.equal(listed.lastUsedAt, '2026-03-02T10:05:00.000Z');
  t.notOk(JSON.stringify(listed).includes(newKey), 'the key itself is never listed');

  const revoked = await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${id}/keys/${oldKeyId}` });
  t.equal(revoked.statusCode, 200, revoked.body);
  t.equal((await h.call(oldKey, { method: 'GET', url: '/v1/forces' })).statusCode, 401, 'the old key stops at once');
  t.equal((await h.call(newKey, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'the new key goes on');
  t.equal(
    (await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${id}/keys/${id.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'))}` })).statusCode,
    404,
  );
});

t.test('last use is written at most once a minute', async (t) => {
  const h = await buildTestApp(t);
  const created = (
    await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', payload: { name: 'Analyst (synthetic)', roles: ['analyst'], forceId: null } })
  ).json();
  h.clock.set('2026-03-02T10:00:00Z');
  await h.call(created.key, { method: 'GET', url: '/v1/forces' });
  h.clock.set('2026-03-02T10:00:30Z');
  await h.call(created.key, { method: 'GET', url: '/v1/forces' });
  const first = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' })).json().items.find((p: { id: string }) => p.id === created.id);
  t.equal(first.lastUsedAt, '2026-03-02T10:00:00.000Z', 'not rewritten within the minute');
  h.clock.set('2026-03-02T10:01:10Z');
  await h.call(created.key, { method: 'GET', url: '/v1/forces' });
  const second = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' })).json().items.find((p: { id: string }) => p.id === created.id);
  t.equal(second.lastUsedAt, '2026-03-02T10:01:10.000Z');
});
