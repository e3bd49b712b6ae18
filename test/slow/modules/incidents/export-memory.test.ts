// The NDJSON export of 100,000 incidents (about 170 MB of lines) streams within a fixed memory bound: the
// service holds a chunk at a time, never the whole answer. Runs in the PostgreSQL pass (the database's memory
// is then another process's, so what is measured is the service's own); on PGlite the smaller export tests run.
import { request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { FORCE_A } from '../../../factories.ts';
import { buildTestApp, serverUrl } from '../../../helper.ts';

// Twice the longest CI has taken (about 3 minutes in the PostgreSQL pass, the PGlite pass holding the other CPU):
// tap's 300 s default is too close on a slow day.
t.setTimeout(600_000);

const INCIDENTS = 100_000;
/** Live heap and Buffer memory the export may add, whatever its length: under a quarter of the answer. */
const BOUND_MB = 64;

// What is measured is live memory: garbage waiting for a collection says nothing about what the export holds.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const live = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

t.test(
  `an export of ${INCIDENTS} incidents stays within ${BOUND_MB} MB`,
  { skip: serverUrl() ? false : 'needs PostgreSQL (runs in the PostgreSQL pass of npm test): on PGlite the database lives in the measured process' },
  async (t) => {
    const h = await buildTestApp(t);
    const key = await h.key(['force_system'], FORCE_A, 'warehouse loader');
    // Seeded in one statement: UUIDv7-shaped ids in time order, a 1 kB narrative each. Triggers off (as the bench
    // seeds): the statistics rollup of 100,000 incidents is not what this test measures.
    await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
    insert into incidents (id, force_id, force_reference, occurred_at, location, circumstances, deployment, equipment, methods, narrative, status, created_at, updated_at)
    select (lpad(to_hex(1700000000000 + i * 1000), 12, '0') || '7' || substr(md5(i::text), 1, 3) || '8' || substr(md5(i::text), 4, 15))::uuid,
           ${FORCE_A}, 'BULK-' || i, timestamptz '2023-11-14 22:13:20Z' + i * interval '1 second',
           '{"description": "Synthetic Street (test data)", "locationType": "street", "latitude": null, "longitude": null}',
           'arrest', '{"crewing": "single", "dutyType": "response"}',
           '{"bodyWornVideo": {"worn": true, "activated": true, "footageRetained": true}, "taser": {"drawn": false, "discharged": false}, "spitAndBiteGuardUsed": false, "bodyArmourWorn": true}',
           '{kick,spit}', repeat('Synthetic narrative for the export memory test. ', 20), 'open', now(), now()
    from generate_series(1, ${INCIDENTS}) as i`);
    });

    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const baseline = live();
    let peak = baseline;
    let samples = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, live());
      samples++;
    }, 1000);
    const { lines, bytes, last } = await new Promise<{ lines: number; bytes: number; last: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/v1/incidents', headers: { accept: 'application/x-ndjson', authorization: `Bearer ${key}` } },
        (res) => {
          let count = 0;
          let size = 0;
          let tail = '';
          // Counted as it arrives, nothing kept but the end of the last chunk.
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
            tail = (tail + chunk.toString('utf8')).slice(-4000);
          });
          res.on('end', () => resolve({ lines: count, bytes: size, last: tail }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    clearInterval(sampler);

    t.ok(samples >= 10, `${samples} samples of live memory while it streamed`);
    t.equal(lines, INCIDENTS, 'every incident, one line each');
    const lastLine = JSON.parse(last.slice(0, -1).split('\n').at(-1)!) as { forceReference: string };
    t.equal(lastLine.forceReference, 'BULK-1', 'newest first: the oldest comes last');
    t.ok(bytes > 150 * 1024 * 1024, `${mb(bytes)} MB streamed`);
    const grew = peak - baseline;
    t.ok(grew < BOUND_MB * 1024 * 1024, `memory grew by at most ${mb(grew)} MB while ${mb(bytes)} MB streamed (bound ${BOUND_MB} MB)`);
  },
);
