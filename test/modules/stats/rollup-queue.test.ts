// The statistics queue is applied by the service's worker (src/runtime.ts): after each commit notification and
// each poll, with no statistics read to trigger it.
import t from 'tap';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../../src/config.ts';
import { queryRows } from '../../../src/db/client.ts';
import { startConfiguredWorker } from '../../../src/runtime.ts';
import { FORCE_A, incidentBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { waitFor } from '../webhooks/receiver.ts';

const h = await buildTestApp(t);
const db = h.database.db;
const system = await h.key(['force_system'], FORCE_A, 'force A system');
const counted = async (id: string) => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stats_facts where incident_id = ${id}`))[0]!.n;
const queued = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stats_dirty`))[0]!.n;

t.test('without the worker an incident waits in the queue; with it, it is counted moments after its commit', async (t) => {
  const first = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody() });
  t.equal(first.statusCode, 201);
  t.equal(await counted(first.json().id), 0, 'no worker, no statistics read: not applied yet');
  t.ok((await queued()) > 0, 'but noted in the queue');

  const worker = await startConfiguredWorker(loadConfig({}), h.database, h.clock, pino({ level: 'silent' }));
  t.teardown(() => worker.stop());
  await waitFor(async () => (await counted(first.json().id)) === 1, 10_000, 'the queued incident applied by the worker');
  const second = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody() });
  await waitFor(async () => (await counted(second.json().id)) === 1, 10_000, 'a new incident applied after its commit');
  t.equal(await queued(), 0, 'nothing left in the queue');
});
