// Failed authentication is rate-limited before any key lookup (#20 item 1): per client address and per presented
// key, counted in Postgres so every instance shares the counts; 429 problem with Retry-After; a valid key is never
// locked out by another client's failures.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/app.ts';
import { queryRows } from '../../src/db/client.ts';
import { FORCE_A } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

const LIMIT = { max: 3, windowMs: 60_000 };

t.test('an address with too many failures gets 429 before any lookup; other addresses and valid keys do not', async (t) => {
  const h = await buildTestApp(t, { authFailureLimit: LIMIT });
  const valid = await h.key(['force_system'], FORCE_A);
  const from = (remoteAddress: string, key: string) =>
    h.app.inject({ method: 'GET', url: '/v1/me', remoteAddress, headers: { authorization: `Bearer ${key}` } });
  const random = (i: number) => `oar_not-a-real-key-${i}-${Math.random().toString(36).slice(2)}`;

  for (let i = 0; i < LIMIT.max; i++) t.equal((await from('198.51.100.7', random(i))).statusCode, 401, `failure ${i + 1} is a 401`);
  const limited = await from('198.51.100.7', random(99));
  t.equal(limited.statusCode, 429, 'the next attempt from that address');
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(limited.json(), { status: 429, type: /authentication-rate-limited$/ });
  const retryAfter = Number(limited.headers['retry-after']);
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${limited.headers['retry-after']}`);
  t.equal(limited.headers['cache-control'], 'no-store');
  t.equal((await from('198.51.100.7', valid)).statusCode, 429, 'a key not yet looked up is refused too: no lookup happens from that address');

  // Another client is not affected by that address's failures.
  t.equal((await from('203.0.113.9', valid)).statusCode, 200, 'the valid key from another address');
  t.equal((await from('203.0.113.10', random(100))).statusCode, 401, 'a wrong key from another address is a plain 401');
  // Once this instance has looked the valid key up, it needs no lookup, so the limited address may use it.
  t.equal((await from('198.51.100.7', valid)).statusCode, 200, 'a key already known valid, from the limited address');

  // The same wrong key from many addresses is limited by the key, and the valid key (same oar_ prefix) is not.
  const guessed = random(200);
  for (let i = 0; i < LIMIT.max; i++) t.equal((await from(`192.0.2.${10 + i}`, guessed)).statusCode, 401);
  t.equal((await from('192.0.2.99', guessed)).statusCode, 429, 'one wrong key retried from a fresh address');
  t.equal((await from('192.0.2.99', random(201))).statusCode, 401, 'that address may still try another key');
  const other = await h.key(['analyst'], null);
  t.equal((await from('192.0.2.98', other)).statusCode, 200, 'a valid key never used before, from a fresh address');

  // The counts are in the database: another instance on the same database refuses the limited address at once.
  const rows = await queryRows<{ key: string; hits: number }>(h.database.db, sql`select key, hits from rate_limits where key like 'authfail:%' order by key`);
  t.ok(
    rows.some((r) => r.key === 'authfail:ip:198.51.100.7' && Number(r.hits) >= LIMIT.max),
    'the address count is stored',
  );
  t.notOk(
    rows.some((r) => r.key.includes(valid) || r.key.includes(guessed)),
    'keys themselves are never stored',
  );
  const second = await buildApp({ database: h.database, clock: h.clock, authFailureLimit: LIMIT });
  t.teardown(() => second.close());
  const elsewhere = await second.inject({ method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.7', headers: { authorization: `Bearer ${random(300)}` } });
  t.equal(elsewhere.statusCode, 429, "the second instance sees the first one's count");
});

t.test('the window passes and the address may try again', async (t) => {
  const h = await buildTestApp(t, { authFailureLimit: { max: 1, windowMs: 1000 } });
  const from = (key: string) => h.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '198.51.100.20', headers: { authorization: `Bearer ${key}` } });
  t.equal((await from('oar_wrong-1')).statusCode, 401);
  t.equal((await from('oar_wrong-2')).statusCode, 429);
  // Age the stored window rather than sleep.
  await queryRows(h.database.db, sql`update rate_limits set window_start = now() - interval '2 seconds' where key like 'authfail:%'`);
  t.equal((await from('oar_wrong-3')).statusCode, 401, 'a new window');
});
