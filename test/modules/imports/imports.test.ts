// POST /v1/imports: NDJSON of incidents, each line checked and recorded on its own, with a report on every line.
// One app and database for the file; every test uses its own unique references.
import { request as httpRequest } from 'node:http';
import t from 'tap';
import { and, eq, inArray } from 'drizzle-orm';
import { auditEvents, careSteps, incidents, victims } from '../../../src/db/schema/index.ts';
import { IMPORT_MAX_LINE_CHARS, IMPORT_MAX_LINES } from '../../../src/modules/imports/schemas.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';
import type { ImportLine } from '../../../src/modules/imports/schemas.ts';
import { buildTestApp } from '../../helper.ts';
import { paths, problem } from '../../problems.ts';

const h = await buildTestApp(t);
const keyA = await h.key(['force_system'], FORCE_A, 'force A system');
const national = await h.key(['force_system'], null, 'national system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const db = h.database.db;

const NDJSON = { 'content-type': 'application/x-ndjson' };
const ndjson = (items: unknown[]) => items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n') + '\n';
const post = (key: string, body: string, query = '', headers: Record<string, string> = {}) =>
  h.call(key, { method: 'POST', url: `/v1/imports${query}`, headers: { ...NDJSON, ...headers }, payload: body });

const byReference = (forceId: string, refs: string[]) =>
  refs.length
    ? db
        .select()
        .from(incidents)
        .where(and(eq(incidents.forceId, forceId), inArray(incidents.forceReference, refs)))
    : Promise.resolve([]);

type Line = ImportLine;

t.test('every line is reported: created, exists, invalid JSON, invalid fields, a repeated reference; blank lines skipped', async (t) => {
  const existing = (await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody() })).json();
  const good1 = incidentBody({ victims: [victimBody(), victimBody({ role: 'pcso' })], suspects: [suspectBody()] });
  const good2 = incidentBody();
  const badFields = incidentBody({ circumstances: 'not-a-circumstance', occurredAt: 'yesterday' });
  const body = ndjson([
    good1, // 1
    '', // 2: blank
    '{ "forceReference": "X", ', // 3: not JSON
    badFields, // 4
    incidentBody({ forceReference: existing.forceReference }), // 5: the force has it already
    good2, // 6
    incidentBody({ forceReference: good1.forceReference, narrative: 'the same reference again' }), // 7
    '   ', // 8: blank
    incidentBody({ forceId: FORCE_B }), // 9: a force A key naming force B
  ]);
  const res = await post(keyA, body);
  t.equal(res.statusCode, 200, { body: res.body });
  const report = res.json();
  t.match(report, { dryRun: false, lines: 7, created: 2, valid: 0, exists: 1, invalid: 4 });
  const results: Line[] = report.results;
  t.same(
    results.map((r) => [r.line, r.outcome]),
    [
      [1, 'created'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'exists'],
      [6, 'created'],
      [7, 'invalid'],
      [9, 'invalid'],
    ],
    'one entry per non-blank line, with its line number in the body',
  );
  const at = (line: number) => results.find((r) => r.line === line)!;
  t.same(at(3).errors, [{ path: '', message: 'is not valid JSON' }]);
  t.equal(at(3).forceReference, null);
  t.same(
    at(4)
      .errors.map((e) => e.path)
      .sort(),
    ['circumstances', 'occurredAt'],
    'every failing field of the line, with paths inside the line',
  );
  t.equal(at(4).forceReference, badFields.forceReference, 'an invalid line still names its reference');
  t.same(at(5), { line: 5, outcome: 'exists', forceReference: existing.forceReference, incidentId: existing.id, errors: [] });
  t.same(at(7).errors, [{ path: 'forceReference', message: 'repeats line 1' }]);
  t.same(
    at(9).errors.map((e) => e.path),
    ['forceId'],
  );
  t.match(at(9).errors[0]!.message, /own force/);

  // What was created is what POST /v1/incidents would have made: people, care plans, audit events.
  const created = (await h.call(keyA, { method: 'GET', url: `/v1/incidents/${at(1).incidentId}` })).json();
  t.equal(created.forceReference, good1.forceReference);
  t.equal(created.forceId, FORCE_A);
  t.same(
    created.victims.map((v: { role: string }) => v.role),
    ['constable', 'pcso'],
  );
  t.equal(created.suspects.length, 1);
  const steps = await db
    .select()
    .from(careSteps)
    .where(
      inArray(
        careSteps.victimId,
        created.victims.map((v: { id: string }) => v.id),
      ),
    );
  t.equal(steps.length, 14, 'each victim has the seven-step plan');
  const events = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.resourceId, created.id), eq(auditEvents.action, 'create')));
  t.same(
    events.map((e) => e.resourceType),
    ['incident'],
    'the creation is audited',
  );
  t.equal(events[0]!.requestId, res.headers['x-request-id'], 'under the import request');

  t.equal((await byReference(FORCE_A, [good1.forceReference, good2.forceReference, badFields.forceReference])).length, 2, 'only the valid lines were recorded');
  t.equal((await byReference(FORCE_B, [at(9).forceReference!])).length, 0, 'nothing in the other force');
  const unchanged = (await h.call(keyA, { method: 'GET', url: `/v1/incidents/${existing.id}` })).json();
  t.equal(unchanged.version, 1, 'an existing incident is left as it is');
});

t.test('sending the same file again records nothing twice', async (t) => {
  const lines = [incidentBody(), incidentBody({ victims: [victimBody()] })];
  const first = (await post(keyA, ndjson(lines))).json();
  t.equal(first.created, 2);
  const again = await post(keyA, ndjson(lines));
  t.equal(again.statusCode, 200);
  t.match(again.json(), { created: 0, exists: 2, invalid: 0 });
  t.same(
    again.json().results.map((r: Line) => r.incidentId),
    first.results.map((r: Line) => r.incidentId),
    'each line names the incident the first run created',
  );
  t.equal(
    (
      await byReference(
        FORCE_A,
        lines.map((l) => l.forceReference),
      )
    ).length,
    2,
  );
});

t.test('a dry run checks everything, reports what would happen and records nothing', async (t) => {
  const existing = (await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody() })).json();
  const victim = victimBody();
  const fresh = incidentBody({ victims: [victim] });
  const body = ndjson([
    fresh,
    incidentBody({ forceReference: existing.forceReference }),
    incidentBody({ methods: ['kick', 'kick'] }),
    incidentBody({ forceReference: fresh.forceReference }),
  ]);
  const auditBefore = (await db.select().from(auditEvents)).length;
  const res = await post(keyA, body, '?dryRun=true');
  t.equal(res.statusCode, 200, { body: res.body });
  const report = res.json();
  t.match(report, { dryRun: true, lines: 4, created: 0, valid: 1, exists: 1, invalid: 2 });
  t.same(
    report.results.map((r: Line) => [r.outcome, r.incidentId]),
    [
      ['valid', null],
      ['exists', existing.id],
      ['invalid', null],
      ['invalid', null],
    ],
  );
  t.same(report.results[3].errors, [{ path: 'forceReference', message: 'repeats line 1' }], 'a repeat is found in a dry run as in a real one');
  t.equal((await byReference(FORCE_A, [fresh.forceReference])).length, 0, 'no incident');
  t.equal((await db.select().from(victims).where(eq(victims.staffNumber, victim.staffNumber))).length, 0, 'no victim');
  t.equal((await db.select().from(auditEvents)).length, auditBefore, 'no audit event: nothing was done');

  const real = (await post(keyA, body)).json();
  t.match(real, { dryRun: false, created: 1, valid: 0, exists: 1, invalid: 2 }, 'the real run does what the dry run said');
});

t.test('each line is its own transaction: a line a database rule refuses mid-file stops nothing', async (t) => {
  const count = 25;
  const lines: unknown[] = Array.from({ length: count }, () => incidentBody());
  lines[13] = incidentBody({ offences: ['murder'] });
  const res = await post(keyA, ndjson(lines));
  t.equal(res.statusCode, 200);
  const report = res.json();
  t.match(report, { lines: count, created: count - 1, invalid: 1 });
  t.equal(report.results[13].outcome, 'invalid');
  t.equal(report.results[13].line, 14);
  const refs = lines.map((l) => (l as { forceReference: string }).forceReference);
  t.equal((await byReference(FORCE_A, refs)).length, count - 1);
});

t.test('a national key names the force on each line; a line without one, or with an unknown force, is invalid', async (t) => {
  const ok = incidentBody({ forceId: FORCE_B });
  const res = await post(national, ndjson([ok, incidentBody(), incidentBody({ forceId: '019b76da-ffff-7fff-bfff-ffffffffffff' })]));
  t.equal(res.statusCode, 200);
  const results: Line[] = res.json().results;
  t.same(
    results.map((r) => r.outcome),
    ['created', 'invalid', 'invalid'],
  );
  t.same(
    results[1]!.errors.map((e) => e.path),
    ['forceId'],
  );
  t.same(results[2]!.errors, [{ path: 'forceId', message: 'is not a known force id (see GET /v1/forces)' }]);
  t.equal((await byReference(FORCE_B, [ok.forceReference])).length, 1);
});

t.test('text no column can hold is an invalid line, not a failed import', async (t) => {
  const good = incidentBody();
  const nul = JSON.stringify(incidentBody()).replace('"Synthetic narrative for tests."', '"a\\u0000b"');
  const surrogate = JSON.stringify(incidentBody()).replace('"Synthetic narrative for tests."', '"x\\ud800y"');
  const res = await post(keyA, ndjson([nul, good, surrogate]));
  t.equal(res.statusCode, 200, { body: res.body });
  const results: Line[] = res.json().results;
  t.same(
    results.map((r) => r.outcome),
    ['invalid', 'created', 'invalid'],
  );
  t.same(
    results[0]!.errors.map((e) => e.path),
    ['narrative'],
  );
  t.same(
    results[2]!.errors.map((e) => e.path),
    ['narrative'],
  );
});

t.test('hostile lines are invalid lines, never a failure of the import', async (t) => {
  const hostile = [
    'null',
    '[]',
    '"a string"',
    '12345',
    '{"__proto__":{"polluted":true}}',
    '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    JSON.stringify({ ...incidentBody(), forceReference: 'x'.repeat(100_000) }),
    JSON.stringify({ ...incidentBody(), id: '019b76da-a800-71a8-a40e-525f8a6c036b', version: 7 }),
    JSON.stringify({ ...incidentBody(), forceReference: "'; drop table incidents; --" }),
  ];
  const res = await post(keyA, ndjson(hostile));
  t.equal(res.statusCode, 200, { body: res.body.slice(0, 300) });
  const results: Line[] = res.json().results;
  t.same(
    results.map((r) => r.outcome),
    [...hostile.slice(0, -1).map(() => 'invalid'), 'created'],
    'only the last, odd but valid, is recorded',
  );
  t.equal(results[6]!.forceReference, null, 'an over-long reference is not echoed back');
  t.same(results[7]!.errors.map((e) => e.message).join(' '), 'Unrecognized keys: "id", "version"');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  t.equal((await byReference(FORCE_A, ["'; drop table incidents; --"])).length, 1, 'stored verbatim');
});

t.test('CRLF line ends and a byte-order mark are read as a spreadsheet writes them', async (t) => {
  const a = incidentBody();
  const b = incidentBody();
  const res = await post(keyA, `\ufeff${JSON.stringify(a)}\r\n${JSON.stringify(b)}\r\n`);
  t.equal(res.statusCode, 200);
  t.match(res.json(), { lines: 2, created: 2 });
});

t.test('Idempotency-Key replays the first report; another body under the key is 422', async (t) => {
  const key = unique('import-key');
  const body = ndjson([incidentBody()]);
  const first = await post(keyA, body, '', { 'idempotency-key': key });
  t.equal(first.statusCode, 200);
  t.equal(first.json().created, 1);
  const replay = await post(keyA, body, '', { 'idempotency-key': key });
  t.equal(replay.statusCode, 200);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.same(replay.json(), first.json(), 'the first answer, not "exists"');
  problem(t, await post(keyA, ndjson([incidentBody()]), '', { 'idempotency-key': key }), 422, 'idempotency-key-reused');
  problem(t, await post(keyA, body, '', { 'idempotency-key': 'has spaces in it' }), 400, 'validation-failed');
  // A dry run under a key is not kept: the real run afterwards does the work.
  const dryKey = unique('dry-key');
  const dryBody = ndjson([incidentBody()]);
  t.equal((await post(keyA, dryBody, '?dryRun=true', { 'idempotency-key': dryKey })).json().valid, 1);
  const afterDry = await post(keyA, dryBody, '', { 'idempotency-key': dryKey });
  t.equal(afterDry.headers['idempotent-replayed'], undefined);
  t.equal(afterDry.json().created, 1);
});

t.test('the body: NDJSON only, not empty, at most the line limit', async (t) => {
  const json = await h.call(keyA, { method: 'POST', url: '/v1/imports', payload: { incidents: [incidentBody()] } });
  problem(t, json, 415);
  problem(t, await h.call(keyA, { method: 'POST', url: '/v1/imports', headers: { 'content-type': 'text/csv' }, payload: 'a,b\n1,2\n' }), 415);
  const blank = problem(t, await post(keyA, '\n \n\n'), 400, 'validation-failed');
  t.same(paths(blank), ['body']);
  problem(t, await post(keyA, ''), 400);
  // Lines that are cheap to refuse: the limit counts lines, whatever they hold.
  const tooMany = ndjson([...Array.from({ length: IMPORT_MAX_LINES }, () => 'null'), incidentBody()]);
  const over = problem(t, await post(keyA, tooMany), 413, 'import-too-large');
  t.match(over.detail, `the first ${IMPORT_MAX_LINES} were processed (0 recorded)`);
  problem(t, await post(keyA, ndjson([incidentBody()]), '?dryRun=maybe'), 400, 'validation-failed');
  const atLimit = (await post(keyA, ndjson(Array.from({ length: IMPORT_MAX_LINES }, () => 'null')), '?dryRun=true')).json();
  t.match(atLimit, { lines: IMPORT_MAX_LINES, invalid: IMPORT_MAX_LINES }, 'exactly the limit is read');
  const longRes = await post(
    keyA,
    ndjson([incidentBody(), 'x'.repeat(IMPORT_MAX_LINE_CHARS + 1), incidentBody(), ...Array.from({ length: 200 }, () => 'y'.repeat(65_536))]),
  );
  const long = problem(t, longRes, 413, 'import-line-too-long');
  t.match(long.detail, /^Line 2 is longer than/);
  t.equal(longRes.headers.connection, 'close', 'the rest of the body is not read: the connection is closed after the answer');
});

t.test('only a force system imports', async (t) => {
  problem(t, await post(welfareA, ndjson([incidentBody()])), 403, 'forbidden');
  problem(t, await h.call(null, { method: 'POST', url: '/v1/imports', headers: NDJSON, payload: ndjson([incidentBody()]) }), 401);
});

t.test('over a real socket, lines are recorded as they arrive, before the body has ended', async (t) => {
  const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  const first = incidentBody();
  const second = incidentBody();
  let answer = '';
  const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/imports', headers: { ...NDJSON, authorization: `Bearer ${keyA}` } });
  const done = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (answer += chunk));
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  req.write(`${JSON.stringify(first)}\n`);
  // The body is still open: a service that buffered it would not have recorded anything yet.
  let seen = 0;
  for (let i = 0; i < 200 && seen === 0; i++) {
    seen = (await byReference(FORCE_A, [first.forceReference])).length;
    if (seen === 0) await new Promise((r) => setTimeout(r, 25));
  }
  t.equal(seen, 1, 'the first line is recorded while the body is still being sent');
  req.end(`${JSON.stringify(second)}\n`);
  t.equal(await done, 200);
  t.match(JSON.parse(answer), { lines: 2, created: 2 });
});
