// /health/live and /health/ready: public; ready answers 503 (a problem) when the database is gone.
import t from 'tap';
import { buildTestApp } from '../../helper.ts';

t.test('live and ready without a key', async (t) => {
  const h = await buildTestApp(t);
  const live = await h.app.inject({ method: 'GET', url: '/health/live' });
  t.equal(live.statusCode, 200);
  t.same(live.json(), { status: 'ok' });
  t.match(live.headers['content-type'], /^application\/json/);

  const ready = await h.app.inject({ method: 'GET', url: '/health/ready' });
  t.equal(ready.statusCode, 200, ready.body);
  t.same(ready.json(), { status: 'ok' });

  t.test('a bad key does not matter: health is outside authentication', async (t) => {
    const res = await h.call('oar_not-a-key', { method: 'GET', url: '/health/ready' });
    t.equal(res.statusCode, 200);
  });
});

t.test('ready is 503 when migrations are missing', async (t) => {
  const h = await buildTestApp(t);
  const { sql } = await import('drizzle-orm');
  // Forget the last applied migration: the service must not claim to be ready on an old schema.
  await h.database.db.execute(sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`);
  const res = await h.app.inject({ method: 'GET', url: '/health/ready' });
  t.equal(res.statusCode, 503, res.body);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.equal((await h.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'live is still 200');
});

t.test('ready is 503 after the database is closed', async (t) => {
  const h = await buildTestApp(t);
  t.equal((await h.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
  await h.database.close();
  // buildTestApp's teardown closes the database too; a second close throws on both drivers.
  h.database.close = async () => undefined;
  const res = await h.app.inject({ method: 'GET', url: '/health/ready' });
  t.equal(res.statusCode, 503, res.body);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.match(res.json(), { status: 503, instance: '/health/ready', type: /service-unavailable$/ });
  t.equal(res.headers['retry-after'], '5');
  t.notMatch(res.body, /select|closed|pool|pglite/i, 'no driver detail');

  const live = await h.app.inject({ method: 'GET', url: '/health/live' });
  t.equal(live.statusCode, 200, 'live does not depend on the database');
});
