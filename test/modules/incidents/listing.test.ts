// GET /v1/incidents: order, cursor paging, filters, force scope, people counts, validation and CSV.
// One app and database for the file; each test records into its own seeded force so lists are exact.
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { encodeCursor } from '../../../src/shared/cursor.ts';
import { incidentBody, suspectBody, unique, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { paths, problem } from '../../problems.ts';

type T = Parameters<Parameters<typeof t.test>[0]>[0];

// Seeded forces (migrations/0002_seed_forces.sql), one per test below.
const CAMBRIDGESHIRE = '019b76da-a802-7262-a7a5-fddcc0ac7a65';
const CHESHIRE = '019b76da-a803-7157-ba14-a97280c8dff5';
const CITY_OF_LONDON = '019b76da-a804-73db-a6a4-facae3dac256';
const CLEVELAND = '019b76da-a805-7074-a980-7d11ad516d96';
const CUMBRIA = '019b76da-a806-7057-b91f-4c2897efe5e3';
const DERBYSHIRE = '019b76da-a807-701c-bc2e-906859f454ea';
const DEVON = '019b76da-a808-75c9-b8ae-33fcadee2ecf';
const DORSET = '019b76da-a809-7689-91b9-91e40783a298';

/** RFC 4180 parser: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const CSV_HEADER = [
  'id',
  'forceId',
  'forceReference',
  'occurredAt',
  'circumstances',
  'locationType',
  'crewing',
  'dutyType',
  'bodyWornVideoWorn',
  'bodyWornVideoActivated',
  'taserDrawn',
  'spitAndBiteGuardUsed',
  'methods',
  'hateAggravation',
  'offences',
  'status',
  'victimCount',
  'suspectCount',
  'version',
];

const h = await buildTestApp(t);
const national = await h.key(['force_system'], null, 'national system');
const analyst = await h.key(['analyst'], null, 'analyst');
const forceKey = (forceId: string) => h.key(['force_system'], forceId, `system ${forceId}`);

interface Summary {
  id: string;
  forceId: string;
  forceReference: string;
  occurredAt: string;
  status: string;
  circumstances: string;
  victimCount: number;
  suspectCount: number;
  [k: string]: unknown;
}

async function create(key: string, overrides: Record<string, unknown> = {}) {
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: incidentBody(overrides) });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as Summary & { victims: { id: string }[]; suspects: { id: string }[] };
}

const list = (key: string | null, query = '', headers: Record<string, string> = {}) =>
  h.call(key, { method: 'GET', url: `/v1/incidents${query ? `?${query}` : ''}`, headers });

async function listJson(t: T, key: string, query = '') {
  const res = await list(key, query);
  t.equal(res.statusCode, 200, `GET ?${query}`, { body: res.body });
  return res.json() as { items: Summary[]; nextCursor: string | null };
}

/** Walks every page; returns the pages' ids. */
async function walk(t: T, key: string, query: string, from: string | null = null) {
  const pages: string[][] = [];
  let cursor: string | null = from;
  for (let i = 0; i < 100; i++) {
    const page = await listJson(t, key, cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query);
    pages.push(page.items.map((x) => x.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return pages;
}

/** Newest first by occurredAt, then by id (descending) for ties. */
const expectedOrder = (items: { id: string; occurredAt: string }[]) =>
  [...items].sort((a, b) => (a.occurredAt === b.occurredAt ? (a.id < b.id ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1)).map((x) => x.id);

t.test('newest first by occurredAt (not by creation), then paged with limit and cursor without gaps or repeats', async (t) => {
  const key = await forceKey(CAMBRIDGESHIRE);
  // Created out of order; two pairs share an occurredAt so the id breaks the tie across a page boundary.
  const times = [
    '2026-01-10T08:00:00Z',
    '2026-01-12T08:00:00Z',
    '2026-01-11T08:00:00Z',
    '2026-01-12T08:00:00Z',
    '2026-01-09T08:00:00Z',
    '2026-01-11T08:00:00Z',
    '2026-01-13T08:00:00+05:00',
  ];
  const created = [];
  for (const occurredAt of times) created.push(await create(key, { occurredAt }));
  const order = expectedOrder(created);

  const all = await listJson(t, key);
  t.same(
    all.items.map((x) => x.id),
    order,
    'default page: newest first',
  );
  t.equal(all.nextCursor, null);

  const pages = await walk(t, key, 'limit=3');
  t.same(
    pages.map((p) => p.length),
    [3, 3, 1],
    'pages of 3, 3 and 1',
  );
  t.same(pages.flat(), order, 'every incident once, in order');
  t.equal(new Set(pages.flat()).size, 7, 'no duplicates');

  for (const limit of [1, 2, 6, 7, 8]) {
    const walked = await walk(t, key, `limit=${limit}`);
    t.same(walked.flat(), order, `limit=${limit} walks all`);
    t.equal(walked.length, Math.max(1, Math.ceil(7 / limit)), `limit=${limit}: page count (no empty last page)`);
  }
});

t.test('keyset paging: a newer incident recorded mid-walk causes no repeat; an older one is still reached', async (t) => {
  const key = await forceKey(DORSET);
  const made = [];
  for (let d = 1; d <= 5; d++) made.push(await create(key, { occurredAt: `2026-02-0${d}T12:00:00Z` }));
  const first = await listJson(t, key, 'limit=2');
  t.same(
    first.items.map((x) => x.id),
    [made[4]!.id, made[3]!.id],
  );
  const newer = await create(key, { occurredAt: '2026-02-20T12:00:00Z' });
  const older = await create(key, { occurredAt: '2026-01-01T12:00:00Z' });
  const rest = await walk(t, key, 'limit=2', first.nextCursor);
  const seen = [...first.items.map((x) => x.id), ...rest.flat()];
  t.equal(new Set(seen).size, seen.length, 'no incident twice');
  t.notOk(seen.includes(newer.id), 'the newer one belongs before the cursor');
  t.equal(seen[seen.length - 1], older.id, 'the older one is on the last page');
  t.same(seen, [made[4]!.id, made[3]!.id, made[2]!.id, made[1]!.id, made[0]!.id, older.id]);
});

t.test('filters: occurredFrom inclusive, occurredTo exclusive, status, circumstances, forceReference', async (t) => {
  const key = await forceKey(CHESHIRE);
  const d1 = await create(key, { occurredAt: '2026-01-01T00:00:00Z', circumstances: 'arrest' });
  const d2 = await create(key, { occurredAt: '2026-01-02T00:00:00Z', circumstances: 'custody' });
  const d3 = await create(key, { occurredAt: '2026-01-03T00:00:00Z', circumstances: 'arrest' });
  const d4 = await create(key, { occurredAt: '2026-01-04T00:00:00Z', circumstances: 'public_order' });
  const close = await h.call(key, {
    method: 'PATCH',
    url: `/v1/incidents/${d3.id}`,
    headers: { 'if-match': '"1"' },
    payload: { status: 'closed', statusReason: 'Synthetic: finalised.' },
  });
  t.equal(close.statusCode, 200);

  const ids = async (query: string) => (await listJson(t, key, query)).items.map((x) => x.id);
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  t.same(await ids(''), [d4.id, d3.id, d2.id, d1.id]);
  t.same(await ids(q({ occurredFrom: '2026-01-02T00:00:00Z' })), [d4.id, d3.id, d2.id], 'occurredFrom is inclusive');
  t.same(await ids(q({ occurredFrom: '2026-01-02T01:00:00+01:00' })), [d4.id, d3.id, d2.id], 'offsets are honoured');
  t.same(await ids(q({ occurredFrom: '2026-01-02T00:00:00.001Z' })), [d4.id, d3.id]);
  t.same(await ids(q({ occurredTo: '2026-01-03T00:00:00Z' })), [d2.id, d1.id], 'occurredTo is exclusive');
  t.same(await ids(q({ occurredFrom: '2026-01-02T00:00:00Z', occurredTo: '2026-01-04T00:00:00Z' })), [d3.id, d2.id]);
  t.same(await ids(q({ occurredFrom: '2026-01-03T00:00:00Z', occurredTo: '2026-01-03T00:00:00Z' })), [], 'an empty window');
  t.same(await ids(q({ status: 'closed' })), [d3.id]);
  t.same(await ids(q({ status: 'open' })), [d4.id, d2.id, d1.id]);
  t.same(await ids(q({ status: 'withdrawn' })), []);
  t.same(await ids(q({ circumstances: 'arrest' })), [d3.id, d1.id]);
  t.same(await ids(q({ circumstances: 'arrest', status: 'open' })), [d1.id], 'filters combine');
  t.same(await ids(q({ forceReference: d2.forceReference })), [d2.id], 'forceReference matches exactly');
  t.same(await ids(q({ forceReference: d2.forceReference.slice(0, -1) })), [], 'not a prefix match');
  // A filter holds across pages.
  const walked = await walk(t, key, `${q({ status: 'open' })}&limit=1`);
  t.same(walked.flat(), [d4.id, d2.id, d1.id]);
});

t.test('filters: bad values are one 400 listing each', async (t) => {
  const key = await forceKey(CHESHIRE);
  const body = problem(
    t,
    await list(key, 'occurredFrom=yesterday&occurredTo=2026-01-01&status=deleted&circumstances=riot&forceId=cheshire'),
    400,
    'validation-failed',
  );
  t.same(paths(body).sort(), ['query.circumstances', 'query.forceId', 'query.occurredFrom', 'query.occurredTo', 'query.status']);
});

t.test('a force-scoped key never sees another force, even when it asks for it', async (t) => {
  const keyX = await forceKey(CITY_OF_LONDON);
  const keyY = await forceKey(CLEVELAND);
  const welfareX = await h.key(['welfare_officer'], CITY_OF_LONDON, 'welfare X');
  const x1 = await create(keyX, { occurredAt: '2026-01-05T10:00:00Z' });
  const x2 = await create(keyX, { occurredAt: '2026-01-06T10:00:00Z' });
  const y1 = await create(keyY, { occurredAt: '2026-01-07T10:00:00Z' });
  const y2 = await create(keyY, { occurredAt: '2026-01-04T10:00:00Z' });

  const own = await listJson(t, keyX);
  t.same(
    own.items.map((x) => x.id),
    [x2.id, x1.id],
  );
  t.ok(own.items.every((x) => x.forceId === CITY_OF_LONDON));

  const asked = await listJson(t, keyX, `forceId=${CLEVELAND}`);
  t.same(asked, { items: [], nextCursor: null }, 'asking for another force gives nothing of it');
  const byRef = await listJson(t, keyX, `forceReference=${encodeURIComponent(y1.forceReference)}`);
  t.same(byRef.items, [], 'nor does its reference');

  const welfare = await listJson(t, welfareX);
  t.same(
    welfare.items.map((x) => x.id),
    [x2.id, x1.id],
    'a welfare officer lists the own force only',
  );
  t.same((await listJson(t, welfareX, `forceId=${CLEVELAND}`)).items, []);

  // A national key sees every force and may narrow to one.
  const onlyY = await listJson(t, national, `forceId=${CLEVELAND}`);
  t.same(
    onlyY.items.map((x) => x.id),
    [y1.id, y2.id],
  );
  const everyone = (await listJson(t, national, 'limit=500')).items.map((x) => x.id);
  for (const id of [x1.id, x2.id, y1.id, y2.id]) t.ok(everyone.includes(id), 'national list includes every force');
});

t.test('who may list', async (t) => {
  const federation = await h.key(['federation_rep'], CLEVELAND, 'federation');
  problem(t, await list(federation), 403, 'forbidden');
  problem(t, await list(analyst), 403, 'forbidden');
  problem(t, await list(h.adminKey), 403, 'forbidden');
  problem(t, await list(null), 401, 'unauthenticated');
  problem(t, await list('oar_not_a_key'), 401, 'unauthenticated');
});

t.test('victimCount and suspectCount', async (t) => {
  const key = await forceKey(CUMBRIA);
  const busy = await create(key, { occurredAt: '2026-01-02T00:00:00Z', victims: [victimBody(), victimBody()], suspects: [suspectBody()] });
  const empty = await create(key, { occurredAt: '2026-01-01T00:00:00Z' });
  const counts = async () => Object.fromEntries((await listJson(t, key)).items.map((x) => [x.id, [x.victimCount, x.suspectCount]]));
  t.same(await counts(), { [busy.id]: [2, 1], [empty.id]: [0, 0] });

  t.equal((await h.call(key, { method: 'POST', url: `/v1/incidents/${empty.id}/victims`, payload: victimBody() })).statusCode, 201);
  t.equal((await h.call(key, { method: 'POST', url: `/v1/incidents/${empty.id}/suspects`, payload: suspectBody() })).statusCode, 201);
  t.equal((await h.call(key, { method: 'POST', url: `/v1/incidents/${empty.id}/suspects`, payload: suspectBody() })).statusCode, 201);
  t.same(await counts(), { [busy.id]: [2, 1], [empty.id]: [1, 2] }, 'people added later are counted');

  // A withdrawn person no longer counts.
  const withdraw = await h.call(key, {
    method: 'PATCH',
    url: `/v1/victims/${busy.victims[0]!.id}`,
    headers: { 'if-match': '"1"' },
    payload: { status: 'withdrawn', statusReason: 'Duplicate (synthetic).' },
  });
  t.equal(withdraw.statusCode, 200);
  t.same(await counts(), { [busy.id]: [1, 1], [empty.id]: [1, 2] });

  // The summary is the incident without its people, plus the counts.
  const item = (await listJson(t, key)).items.find((x) => x.id === busy.id)!;
  const { victims: _v, suspects: _s, ...fields } = busy;
  t.same(item, { ...fields, victimCount: 1, suspectCount: 1 });
});

t.test('paging parameters are validated', async (t) => {
  const key = await forceKey(DERBYSHIRE);
  for (const limit of ['0', '501', '-1', 'ten', '2.5', '']) {
    const body = problem(t, await list(key, `limit=${limit}`), 400, 'validation-failed');
    t.same(paths(body), ['query.limit'], `limit=${limit}`);
  }
  t.equal((await list(key, 'limit=500')).statusCode, 200, 'limit=500 is the maximum');
  t.equal((await list(key, 'limit=1')).statusCode, 200);

  const cursors = [
    'not-a-cursor',
    Buffer.from('{"at":"2026-01-01T00:00:00Z"}').toString('base64url'),
    Buffer.from(JSON.stringify(['yesterday', uuidv7()])).toString('base64url'),
    Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'not-an-id'])).toString('base64url'),
    Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', uuidv7(), 3])).toString('base64url'),
    'x'.repeat(513),
  ];
  for (const cursor of cursors) {
    const body = problem(t, await list(key, `cursor=${encodeURIComponent(cursor)}`), 400, 'validation-failed');
    t.same(paths(body), ['query.cursor'], cursor.slice(0, 40));
  }
});

t.test('a forged cursor with a date the database cannot hold is 400, not 500', async (t) => {
  const key = await forceKey(DERBYSHIRE);
  const cursor = encodeCursor({ at: '-271821-04-20T00:00:00.000Z', id: uuidv7() });
  const res = await list(key, `cursor=${cursor}`);
  t.equal(res.statusCode, 400, 'HTTP 400', { body: res.body });
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
});

t.test('an occurredFrom before year 1 is answered, not a 500', async (t) => {
  const key = await forceKey(DERBYSHIRE);
  const res = await list(key, 'occurredFrom=0000-01-01T00:00:00Z');
  t.ok(res.statusCode === 200 || res.statusCode === 400, `200 or 400, got ${res.statusCode}`);
});

t.test('limit defaults to 50', async (t) => {
  const key = await forceKey(DERBYSHIRE);
  const made = await Promise.all(Array.from({ length: 51 }, (_, i) => create(key, { occurredAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() })));
  const first = await listJson(t, key);
  t.equal(first.items.length, 50);
  t.type(first.nextCursor, 'string');
  const second = await listJson(t, key, `cursor=${encodeURIComponent(first.nextCursor!)}`);
  t.equal(second.items.length, 1);
  t.equal(second.nextCursor, null);
  t.same(
    [...first.items, ...second.items].map((x) => x.id),
    expectedOrder(made),
  );
});

t.test('Accept: text/csv gives a header row and one line per incident; X-Next-Cursor pages', async (t) => {
  const key = await forceKey(DEVON);
  const awkward = `SYN,REF "quoted" ${unique('x')}`;
  const formula = `=HYPERLINK("http://example.invalid") ${unique('f')}`;
  const a = await create(key, {
    occurredAt: '2026-01-03T00:00:00Z',
    forceReference: awkward,
    victims: [victimBody(), victimBody()],
    hateAggravation: ['race', 'religion'],
  });
  const b = await create(key, { occurredAt: '2026-01-02T00:00:00Z', forceReference: formula });
  const c = await create(key, { occurredAt: '2026-01-01T00:00:00Z', methods: [], equipment: {} });

  const res = await list(key, '', { accept: 'text/csv' });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['content-type']), /^text\/csv/);
  t.notOk(res.headers['x-next-cursor'], 'no X-Next-Cursor on the last page');
  t.ok(res.body.endsWith('\r\n'), 'CRLF line ends');
  const rows = parseCsv(res.body);
  t.same(rows[0], CSV_HEADER, 'header row');
  t.equal(rows.length, 4, 'header plus one line per incident');
  for (const r of rows) t.equal(r.length, CSV_HEADER.length, 'every row has every column');
  const col = (row: string[], name: string) => row[CSV_HEADER.indexOf(name)];
  t.same(
    rows.slice(1).map((r) => col(r, 'id')),
    [a.id, b.id, c.id],
    'same order as JSON',
  );

  const [ra, rb, rc] = rows.slice(1) as [string[], string[], string[]];
  t.equal(col(ra, 'forceReference'), awkward, 'a reference with a comma and quotes survives the round trip');
  t.ok(res.body.includes(`"${awkward.replace(/"/g, '""')}"`), 'quoted, with the quotes doubled');
  t.equal(col(ra, 'victimCount'), '2');
  t.equal(col(ra, 'suspectCount'), '0');
  t.equal(col(ra, 'hateAggravation'), 'race;religion');
  t.equal(col(ra, 'methods'), 'kick;spit');
  t.equal(col(ra, 'occurredAt'), '2026-01-03T00:00:00.000Z');
  t.equal(col(ra, 'forceId'), DEVON);
  t.equal(col(ra, 'status'), 'open');
  t.equal(col(ra, 'version'), '1');
  t.equal(col(ra, 'bodyWornVideoWorn'), 'true');
  t.equal(col(rb, 'forceReference'), `'${formula}`, 'a formula is neutralised');
  t.equal(col(rc, 'methods'), '', 'empty list is an empty cell');
  t.equal(col(rc, 'taserDrawn'), '', 'null is an empty cell');

  // Paging in CSV: the cursor is in X-Next-Cursor.
  const page1 = await list(key, 'limit=2', { accept: 'text/csv' });
  t.equal(page1.statusCode, 200);
  const cursor = page1.headers['x-next-cursor'];
  t.type(cursor, 'string', 'X-Next-Cursor when there is more');
  t.same(
    parseCsv(page1.body)
      .slice(1)
      .map((r) => col(r, 'id')),
    [a.id, b.id],
  );
  t.equal(cursor, (await listJson(t, key, 'limit=2')).nextCursor, 'the same cursor as the JSON list');
  const page2 = await list(key, `limit=2&cursor=${encodeURIComponent(String(cursor))}`, { accept: 'text/csv' });
  t.equal(page2.statusCode, 200);
  t.notOk(page2.headers['x-next-cursor']);
  const rows2 = parseCsv(page2.body);
  t.same(rows2[0], CSV_HEADER);
  t.same(
    rows2.slice(1).map((r) => col(r, 'id')),
    [c.id],
  );

  // JSON stays the default; JSON named first wins.
  t.match(String((await list(key, '', { accept: 'application/json' })).headers['content-type']), /^application\/json/);
  t.match(String((await list(key, '', { accept: 'application/json, text/csv' })).headers['content-type']), /^application\/json/);
  t.match(String((await list(key, '', { accept: 'text/csv, application/json' })).headers['content-type']), /^text\/csv/);

  // An empty list is the header alone; a bad query is still a problem document.
  const none = await list(key, 'status=withdrawn', { accept: 'text/csv' });
  t.same(parseCsv(none.body), [CSV_HEADER]);
  problem(t, await list(key, 'limit=0', { accept: 'text/csv' }), 400, 'validation-failed');
});
