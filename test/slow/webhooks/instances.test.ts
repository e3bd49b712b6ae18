// Several workers on one PostgreSQL database behave as one: every event is relayed and delivered once.
import t from 'tap';
import { openDatabase } from '../../../src/db/client.ts';
import { startWebhookWorker } from '../../../src/modules/webhooks/worker.ts';
import { FORCE_A, incidentBody, victimBody } from '../../factories.ts';
import { buildTestApp, serverUrl } from '../../helper.ts';
import { parseAllowList } from '../../../src/shared/address-policy.ts';
import { Receiver, waitFor } from '../../modules/webhooks/receiver.ts';

t.test(
  'three workers on one database deliver each event exactly once',
  { skip: serverUrl() ? false : 'needs PostgreSQL (runs in the PostgreSQL pass of npm test): PGlite is one process' },
  async (t) => {
    const targets = parseAllowList('127.0.0.1');
    const h = await buildTestApp(t, { webhookTargets: targets });
    const url = (h.database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    const errors: unknown[] = [];
    const workers = [];
    for (let i = 0; i < 3; i++) {
      const database = i === 0 ? h.database : await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 4 });
      const worker = await startWebhookWorker({
        database,
        clock: h.clock,
        onError: (err) => errors.push(err),
        retryDelaySeconds: 1,
        pollingIntervalSeconds: 0.5,
        schedule: false,
        targets,
      });
      workers.push(worker);
      t.teardown(async () => {
        await worker.stop();
        if (i > 0) await database.close();
      });
    }
    const receiver = await new Receiver().start();
    t.teardown(() => receiver.stop());
    const key = await h.key(['force_system'], FORCE_A);
    const sub = await h.call(key, { method: 'POST', url: '/v1/webhooks', payload: { url: receiver.url, eventTypes: ['incident.created', 'victim.created'] } });
    t.equal(sub.statusCode, 201);

    const incidents = 30;
    const answers = await Promise.all(
      Array.from({ length: incidents }, () =>
        h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ victims: [victimBody(), victimBody()] }) }),
      ),
    );
    t.ok(
      answers.every((a) => a.statusCode === 201),
      'all recorded',
    );
    const expected = incidents * 3;
    await waitFor(() => receiver.requests.length >= expected, 30_000, `${expected} deliveries`);
    await Promise.all(workers.map((w) => w.relayNow()));
    await new Promise((r) => setTimeout(r, 1500));
    const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
    t.equal(ids.length, expected, 'no event delivered twice');
    t.equal(new Set(ids).size, expected, 'every event delivered');
    t.same(errors, []);
  },
);
