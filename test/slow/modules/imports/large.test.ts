// A 10,000-line import with bad lines mixed in: the dry run's per-line report is exactly what the file holds,
// and the real run does what the dry run said, line for line. Runs in the PostgreSQL pass: on PGlite (one
// connection inside this process) the 17,000 line transactions would take minutes; the smaller import tests run on both.
import t from 'tap';
import { and, count, eq, inArray } from 'drizzle-orm';
import { auditEvents, incidents } from '../../../../src/db/schema/index.ts';
import { FORCE_A, incidentBody, unique, victimBody } from '../../../factories.ts';
import type { ImportLine } from '../../../../src/modules/imports/schemas.ts';
import { buildTestApp, serverUrl } from '../../../helper.ts';

// 17,000 line transactions, each keeping the statistics rollup exact at commit: minutes when CI runs four suites at once
// (362 s in one CI run on a slower 2-CPU machine).
t.setTimeout(900_000);

const LINES = Number(process.env.LINES ?? 10_000);

type Line = ImportLine;

t.test(
  '10,000 lines: the exact per-line report in a dry run, the same for real',
  { skip: serverUrl() ? false : 'needs PostgreSQL (runs in the PostgreSQL pass of npm test): PGlite takes minutes for 17,000 line transactions' },
  async (t) => {
    const h = await buildTestApp(t);
    const key = await h.key(['force_system'], FORCE_A, 'bulk loader');
    const db = h.database.db;
    const post = (body: string, query = '') =>
      h.call(key, { method: 'POST', url: `/v1/imports${query}`, headers: { 'content-type': 'application/x-ndjson' }, payload: body });

    // Incidents the force already has: their lines must report exists, with these ids.
    const earlier = Array.from({ length: 50 }, () => incidentBody());
    const seeded = (await post(earlier.map((b) => JSON.stringify(b)).join('\n'))).json() as { created: number; results: Line[] };
    t.equal(seeded.created, 50);
    const existingId = new Map(seeded.results.map((r) => [r.forceReference!, r.incidentId!]));

    // What the single API says of a bad line: the import must say the same of it.
    const badBody = incidentBody({ circumstances: 'not-a-circumstance', occurredAt: 'last tuesday' });
    const single = (await h.call(key, { method: 'POST', url: '/v1/incidents', payload: badBody })).json() as { errors: Line['errors'] };
    const badErrors = single.errors.map((e) => ({ path: e.path.replace(/^body\./, ''), message: e.message }));
    t.same(badErrors.map((e) => e.path).sort(), ['circumstances', 'occurredAt']);

    // The file, and what each line must come to.
    const texts: string[] = [];
    const expected: Line[] = [];
    const firstLineOf = new Map<string, number>();
    let bad = 0;
    for (let i = 0; i < LINES; i++) {
      const line = i + 1;
      const kind = i % 40;
      if (kind === 5) {
        texts.push('');
        continue;
      }
      if (kind === 9) {
        texts.push('{"forceReference": "TRUNCATED-');
        expected.push({ line, outcome: 'invalid', forceReference: null, incidentId: null, errors: [{ path: '', message: 'is not valid JSON' }] });
        bad++;
        continue;
      }
      if (kind === 17) {
        const ref = unique('BAD');
        texts.push(JSON.stringify({ ...badBody, forceReference: ref }));
        expected.push({ line, outcome: 'invalid', forceReference: ref, incidentId: null, errors: badErrors });
        bad++;
        continue;
      }
      if (kind === 23 && i < 50 * 40) {
        const ref = earlier[Math.floor(i / 40)]!.forceReference;
        texts.push(JSON.stringify(incidentBody({ forceReference: ref, narrative: 'sent again' })));
        expected.push({ line, outcome: 'exists', forceReference: ref, incidentId: existingId.get(ref)!, errors: [] });
        continue;
      }
      if (kind === 31 && i > 40) {
        // The reference of a valid line earlier in this file.
        const [ref, at] = [...firstLineOf.entries()].at(-3)!;
        texts.push(JSON.stringify(incidentBody({ forceReference: ref })));
        expected.push({ line, outcome: 'invalid', forceReference: ref, incidentId: null, errors: [{ path: 'forceReference', message: `repeats line ${at}` }] });
        bad++;
        continue;
      }
      const body = incidentBody(i % 10 === 0 ? { victims: [victimBody()] } : {});
      firstLineOf.set(body.forceReference, line);
      texts.push(JSON.stringify(body));
      expected.push({ line, outcome: 'valid', forceReference: body.forceReference, incidentId: null, errors: [] });
    }
    const file = texts.join('\n') + '\n';
    const valid = firstLineOf.size;
    const exists = expected.filter((e) => e.outcome === 'exists').length;
    t.ok(valid > 8000 && bad > 700 && exists === 50, `a realistic mix: ${valid} valid, ${bad} bad, ${exists} already there, ${LINES - expected.length} blank`);

    const incidentsOfForce = async () => (await db.select({ n: count() }).from(incidents).where(eq(incidents.forceId, FORCE_A)))[0]!.n;
    const auditCount = async () => (await db.select({ n: count() }).from(auditEvents))[0]!.n;
    const [incidentsBefore, auditBefore] = [await incidentsOfForce(), await auditCount()];

    const dry = await post(file, '?dryRun=true');
    t.equal(dry.statusCode, 200);
    const dryReport = dry.json() as { dryRun: boolean; results: Line[] };
    t.match(dryReport, { dryRun: true, lines: expected.length, created: 0, valid, exists, invalid: bad });
    t.same(dryReport.results, expected, 'every line reported exactly: outcome, reference, id, errors');
    t.equal(await incidentsOfForce(), incidentsBefore, 'the dry run recorded no incident');
    t.equal(await auditCount(), auditBefore, 'nor any audit event');

    const real = await post(file);
    t.equal(real.statusCode, 200);
    const realReport = real.json() as { results: Line[] };
    t.match(realReport, { dryRun: false, lines: expected.length, created: valid, valid: 0, exists, invalid: bad }, 'the same counts for real');
    t.same(
      realReport.results.map((r) => ({ ...r, incidentId: r.outcome === 'created' ? null : r.incidentId })),
      expected.map((e) => (e.outcome === 'valid' ? { ...e, outcome: 'created' } : e)),
      'line for line what the dry run said, valid now created',
    );
    const createdIds = realReport.results.filter((r) => r.outcome === 'created').map((r) => r.incidentId!);
    t.equal(new Set(createdIds).size, valid, 'each created line names its own new incident');
    const stored = await db
      .select({ id: incidents.id, ref: incidents.forceReference })
      .from(incidents)
      .where(and(eq(incidents.forceId, FORCE_A), inArray(incidents.forceReference, [...firstLineOf.keys()])));
    t.equal(stored.length, valid, 'every valid line is an incident in the database');
    t.equal(await incidentsOfForce(), incidentsBefore + valid);
    const creations = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'create'), eq(auditEvents.resourceType, 'incident'), inArray(auditEvents.resourceId, createdIds)));
    t.equal(creations[0]!.n, valid, 'one creation audit event per record');
  },
);
