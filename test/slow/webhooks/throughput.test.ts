// Delivery throughput: jobs fetched in batches on the relay's notification and sent side by side, within a
// limit overall and per subscription, each incident's events in order, each exactly once. The long version
// (a 15 s burst of POSTs, ≥200 deliveries/s, all delivered within 60 s) is test/slow/webhooks/burst.test.ts.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { sql } from 'drizzle-orm';
import { insertOutbox } from '../../../src/db/scope.ts';
import { startWebhookWorker } from '../../../src/modules/webhooks/worker.ts';
import { parseAllowList } from '../../../src/shared/address-policy.ts';
import type { DomainEvent } from '../../../src/shared/events.ts';
import { newId } from '../../../src/shared/ids.ts';
import { FORCE_A } from '../../factories.ts';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { waitFor } from '../../modules/webhooks/receiver.ts';

interface Seen {
  id: string;
  incidentId: string;
  at: number;
}

/** A receiver that answers after delayMs and records the most requests it had in flight at once. */
async function countingReceiver(t: Test, delayMs = 0, all = { inFlight: 0, max: 0 }) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req: IncomingMessage, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    all.inFlight++;
    all.max = Math.max(all.max, all.inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { incidentId: string } };
      setTimeout(() => {
        seen.push({ id: String(req.headers['webhook-id']), incidentId: body.data.incidentId, at: performance.now() });
        inFlight--;
        all.inFlight--;
        res.writeHead(204).end();
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, seen, maxInFlight: () => maxInFlight };
}

/** Each incident's events arrive in the order they were recorded (outbox ids are time-ordered UUIDv7). */
function inOrderPerIncident(seen: Seen[]): boolean {
  const last = new Map<string, string>();
  for (const s of seen) {
    const before = last.get(s.incidentId);
    if (before !== undefined && before > s.id) return false;
    last.set(s.incidentId, s.id);
  }
  return true;
}

async function subscribe(h: TestApp, key: string, url: string) {
  const res = await h.call(key, {
    method: 'POST',
    url: '/v1/webhooks',
    payload: { url, eventTypes: ['incident.created', 'incident.updated', 'victim.created'] },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
}

/** Commits `incidents` × (created, 3 victims, updated) straight into the outbox and wakes the relay. */
async function burst(h: TestApp, incidents: number): Promise<number> {
  const events: DomainEvent[] = [];
  for (let i = 0; i < incidents; i++) {
    const incidentId = newId();
    events.push({ type: 'incident.created', forceId: FORCE_A, data: { incidentId } });
    for (let v = 0; v < 3; v++) events.push({ type: 'victim.created', forceId: FORCE_A, data: { incidentId, victimId: newId() } });
    events.push({ type: 'incident.updated', forceId: FORCE_A, data: { incidentId, version: '2' } });
  }
  await h.database.db.transaction(async (tx) => {
    await insertOutbox(tx, h.clock.now(), events);
    await tx.execute(sql`select pg_notify('oar_outbox', '')`);
  });
  return events.length;
}

const targets = parseAllowList('127.0.0.1');

t.test('a burst is delivered in parallel, fast, in order per incident, each event once', async (t) => {
  const h = await buildTestApp(t, { webhookTargets: targets });
  // A long poll: only the notifications can make this fast.
  const worker = await startWebhookWorker({
    database: h.database,
    clock: h.clock,
    onError: (err) => t.fail(String(err)),
    retryDelaySeconds: 1,
    pollingIntervalSeconds: 30,
    schedule: false,
    targets,
  });
  t.teardown(() => worker.stop());
  const receiver = await countingReceiver(t, 5);
  await subscribe(h, await h.key(['force_system'], FORCE_A), receiver.url);

  const started = performance.now();
  const expected = await burst(h, 300);
  await waitFor(() => receiver.seen.length >= expected, 30_000, `${expected} deliveries`);
  const seconds = (performance.now() - started) / 1000;
  const rate = expected / seconds;
  t.comment(`${expected} deliveries in ${seconds.toFixed(1)} s: ${rate.toFixed(0)}/s (at most ${receiver.maxInFlight()} in flight)`);
  // Before: 4 workers taking one job each per poll, a few a second. PGlite runs every query in this thread.
  t.ok(rate >= 50, `at least 50 deliveries/s even on PGlite (got ${rate.toFixed(0)})`);
  t.ok(receiver.maxInFlight() > 1, 'sent side by side');
  await new Promise((r) => setTimeout(r, 500));
  // Delivery is at least once: an attempt the worker gave up on (a 10 s time-out, seen on PGlite while CI's other pass
  // loaded both CPUs: 1,500 deliveries took 30 s instead of 3) is sent again, and the receiver may have had both. So a
  // repeat must be one the worker recorded as a further attempt; without one, nothing arrives twice.
  const [attempts] = await h.database.db
    .execute<{ retries: number; failed: number }>(
      sql`select (select coalesce(sum(attempts - 1), 0)::int from webhook_deliveries) as retries,
                 (select count(*)::int from webhook_attempts where not succeeded) as failed`,
    )
    .then((r) => (r as unknown as { rows: { retries: number; failed: number }[] }).rows);
  t.equal(attempts!.failed, attempts!.retries, 'every repeated attempt followed one recorded as failed');
  t.equal(receiver.seen.length, expected + attempts!.retries, `nothing sent twice but a retry (${attempts!.retries} retries)`);
  t.equal(new Set(receiver.seen.map((s) => s.id)).size, expected, 'every event once');
  t.ok(inOrderPerIncident(receiver.seen), "each incident's events in the order they happened");
  const [pending] = await h.database.db
    .execute<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`)
    .then((r) => (r as unknown as { rows: { n: number }[] }).rows);
  t.equal(pending!.n, 0, 'every delivery recorded as delivered');
});

t.test('concurrency is bounded overall and per subscription', async (t) => {
  const h = await buildTestApp(t, { webhookTargets: targets });
  const worker = await startWebhookWorker({
    database: h.database,
    clock: h.clock,
    onError: (err) => t.fail(String(err)),
    retryDelaySeconds: 1,
    pollingIntervalSeconds: 30,
    schedule: false,
    targets,
    concurrency: 6,
    concurrencyPerSubscription: 4,
  });
  t.teardown(() => worker.stop());
  const key = await h.key(['force_system'], FORCE_A);
  const all = { inFlight: 0, max: 0 };
  const one = await countingReceiver(t, 40, all);
  const two = await countingReceiver(t, 40, all);
  await subscribe(h, key, one.url);
  await subscribe(h, key, two.url);
  const expected = await burst(h, 30);
  await waitFor(() => one.seen.length >= expected && two.seen.length >= expected, 20_000, 'both subscriptions served');
  t.ok(one.maxInFlight() > 1 && one.maxInFlight() <= 4, `at most four at once to one subscription (saw ${one.maxInFlight()})`);
  t.ok(two.maxInFlight() <= 4, 'the same for the other');
  t.ok(all.max > 4 && all.max <= 6, `at most six at once overall (saw ${all.max})`);
  t.ok(inOrderPerIncident(one.seen) && inOrderPerIncident(two.seen), 'in order per incident');
});
