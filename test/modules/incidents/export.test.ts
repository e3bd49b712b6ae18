// GET /v1/incidents with Accept: application/x-ndjson: every matching incident streamed, a chunk at a time.
// One app and database for the file; the big set lives in force A, the smaller checks in forces of their own.
import { request as httpRequest } from 'node:http';
import t from 'tap';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '../../../src/db/schema/index.ts';
import { EXPORT_CHUNK } from '../../../src/modules/incidents/export.ts';
import { FORCE_A, FORCE_B, incidentBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { problem } from '../../problems.ts';

const CAMBRIDGESHIRE = '019b76da-a802-7262-a7a5-fddcc0ac7a65';
const CHESHIRE = '019b76da-a803-7157-ba14-a97280c8dff5';

const h = await buildTestApp(t);
const keyA = await h.key(['force_system'], FORCE_A, 'force A system');
const keyB = await h.key(['force_system'], FORCE_B, 'force B system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'force A welfare');
const national = await h.key(['force_system'], null, 'national system');
const db = h.database.db;

interface Summary {
  id: string;
  forceId: string;
  occurredAt: string;
  status: string;
  [k: string]: unknown;
}

const NDJSON = { accept: 'application/x-ndjson' };
const get = (key: string, query = '', headers: Record<string, string> = NDJSON) =>
  h.call(key, { method: 'GET', url: `/v1/incidents${query ? `?${query}` : ''}`, headers });
const lines = (body: string) => {
  if (body === '') return [];
  if (!body.endsWith('\n')) throw new Error('an NDJSON body ends with a newline');
  return body
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as Summary);
};

/** Every page of the JSON list, walked with its cursor. */
async function allPages(key: string, query: string): Promise<Summary[]> {
  const out: Summary[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(key, `${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {});
    const page = res.json() as { items: Summary[]; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function importAll(key: string, bodies: Record<string, unknown>[]) {
  for (let i = 0; i < bodies.length; i += 1000) {
    const res = await h.call(key, {
      method: 'POST',
      url: '/v1/imports',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: bodies
        .slice(i, i + 1000)
        .map((b) => JSON.stringify(b))
        .join('\n'),
    });
    if (res.json().created !== Math.min(1000, bodies.length - i)) throw new Error(`import failed: ${res.body.slice(0, 300)}`);
  }
}

// More than two chunks, with many incidents sharing an occurredAt so ties straddle the chunk boundaries.
const BIG = EXPORT_CHUNK * 2 + 7;
await importAll(
  keyA,
  Array.from({ length: BIG }, (_, i) => incidentBody({ occurredAt: `2026-01-${String(1 + (i % 9)).padStart(2, '0')}T08:00:00Z` })),
);

t.test('streams every incident the list holds, in list order, across chunks, without gaps or repeats', async (t) => {
  const res = await get(keyA);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/x-ndjson; charset=utf-8');
  const streamed = lines(res.body);
  t.equal(streamed.length, BIG, `all ${BIG} incidents, though limit defaults to 50`);
  t.equal(new Set(streamed.map((s) => s.id)).size, BIG, 'no repeats');
  const paged = await allPages(keyA, 'forceId=' + FORCE_A);
  t.same(streamed, paged, 'line for line what the JSON pages hold, in the same order');
});

t.test('the list filters and the force scope apply', async (t) => {
  const res = await get(keyA, 'occurredFrom=2026-01-09T00:00:00Z');
  const streamed = lines(res.body);
  t.ok(streamed.length > 0);
  t.ok(streamed.every((s) => s.occurredAt >= '2026-01-09T00:00:00.000Z'));
  t.equal(streamed.length, (await allPages(keyA, 'occurredFrom=2026-01-09T00:00:00Z')).length);
  t.same(lines((await get(keyB)).body), [], "another force's key streams none of force A's incidents");
  t.same(lines((await get(keyA, 'status=withdrawn')).body), [], 'an empty result is an empty body');
  const mine = (await h.call(keyB, { method: 'POST', url: '/v1/incidents', payload: incidentBody() })).json();
  t.same(
    lines((await get(keyB)).body).map((s) => s.id),
    [mine.id],
  );
  t.equal(lines((await get(welfareA)).body).length, BIG, 'welfare officers read it as they read the list');
});

t.test('from a cursor on: a page of JSON, then the rest as NDJSON', async (t) => {
  const page = (await get(keyA, 'limit=30', {})).json() as { items: Summary[]; nextCursor: string };
  const rest = lines((await get(keyA, `cursor=${encodeURIComponent(page.nextCursor)}`)).body);
  t.equal(rest.length, BIG - 30);
  t.same(
    [...page.items, ...rest].map((s) => s.id),
    lines((await get(keyA)).body).map((s) => s.id),
  );
});

t.test('one export event is audited, with the reason, before anything is sent', async (t) => {
  const requestId = 'export-audit-test';
  const res = await get(keyA, '', { ...NDJSON, 'x-request-id': requestId, 'x-access-reason': 'nightly warehouse load' });
  t.equal(res.statusCode, 200);
  const events = await db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
  t.same(
    events.map((e) => [e.action, e.resourceType, e.forceId, e.reason]),
    [['export', 'incident', FORCE_A, 'nightly warehouse load']],
  );
  const nationalId = 'export-audit-national';
  await get(national, `forceId=${CHESHIRE}`, { ...NDJSON, 'x-request-id': nationalId });
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, nationalId), eq(auditEvents.action, 'export')));
  t.equal(event?.forceId, CHESHIRE, "a national key's export is filed under the force it asked for");
});

t.test('the client chooses by Accept: whichever of JSON, CSV and NDJSON it names first', async (t) => {
  const key = await h.key(['force_system'], CAMBRIDGESHIRE);
  await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody() });
  const type = async (accept: string) => String((await get(key, '', { accept })).headers['content-type']);
  t.match(await type('application/x-ndjson'), /^application\/x-ndjson/);
  t.match(await type('application/x-ndjson, application/json'), /^application\/x-ndjson/);
  t.match(await type('application/json, application/x-ndjson'), /^application\/json/);
  t.match(await type('text/csv, application/x-ndjson'), /^text\/csv/);
  t.match(await type('application/x-ndjson;q=0.9, text/csv'), /^application\/x-ndjson/);
  t.match(await type('*/*'), /^application\/json/);
});

t.test('a problem before the stream starts is an ordinary problem answer', async (t) => {
  const res = await get(keyA, 'cursor=not-a-cursor');
  problem(t, res, 400, 'validation-failed');
  problem(t, await get(keyA, 'occurredFrom=yesterday'), 400, 'validation-failed');
  problem(t, await h.call(null, { method: 'GET', url: '/v1/incidents', headers: NDJSON }), 401);
});

t.test('over a real socket: lines arrive as a stream, and a client that leaves early does no harm', async (t) => {
  const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  const firstLine = await new Promise<{ chunked: boolean; line: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/incidents', headers: { ...NDJSON, authorization: `Bearer ${keyA}` } }, (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        const nl = buffered.indexOf('\n');
        if (nl >= 0) {
          resolve({ chunked: res.headers['transfer-encoding'] === 'chunked', line: buffered.slice(0, nl) });
          req.destroy();
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end();
  });
  t.ok(firstLine.chunked, 'sent chunked: no Content-Length, nothing buffered whole');
  t.equal((JSON.parse(firstLine.line) as Summary).forceId, FORCE_A);
  // The service carries on after the client went away mid-stream.
  const after = await fetch(`${address}/v1/incidents?limit=1`, { headers: { authorization: `Bearer ${keyA}` } });
  t.equal(after.status, 200);
  const full = await fetch(`${address}/v1/incidents`, { headers: { ...NDJSON, authorization: `Bearer ${keyA}` } });
  t.equal(lines(await full.text()).length, BIG, 'a whole stream over the socket');
});
