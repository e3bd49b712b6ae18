// Forged cursors (#20 item 3): the one decoder refuses every instant Postgres would choke on, or that the JavaScript
// Date parser would quietly bend (2024-02-30 rolled over to March, "(comments)" skipped), so every cursor-paged
// list answers 400, never 500.
import t from 'tap';
import { FORCE_A } from '../factories.ts';
import { buildTestApp } from '../helper.ts';
import { decodeCursor, encodeCursor } from '../../src/shared/cursor.ts';
import { AppError } from '../../src/errors.ts';

const ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const forge = (at: unknown, id: unknown = ID) => Buffer.from(JSON.stringify([at, id]), 'utf8').toString('base64url');

const FORGED = {
  'a day that does not exist': forge('2024-02-30'),
  'a day that does not exist, with a time': forge('2024-02-30T00:00:00Z'),
  'a parenthesised comment': forge('2000-01-01 (x)'),
  'a comment after a full instant': forge('2000-01-01T00:00:00Z (x)'),
  'a month 13': forge('2024-13-01T00:00:00Z'),
  'hour 24': forge('2024-01-01T24:00:00Z'),
  'year 9999': forge('9999-12-31T00:00:00Z'),
  'year 0': forge('0000-01-01T00:00:00Z'),
  'no offset': forge('2024-01-01T00:00:00'),
  'a number': forge(1_700_000_000_000),
  'not a uuid': forge('2024-01-01T00:00:00Z', 'x'),
  'not base64 JSON': 'not-a-cursor',
};

t.test('decodeCursor accepts what encodeCursor writes and refuses forged instants', async (t) => {
  const pos = { at: '2026-03-02T09:00:00.000Z', id: ID };
  t.same(decodeCursor(encodeCursor(pos)), pos);
  t.same(
    decodeCursor(encodeCursor({ at: '2024-02-29T23:59:59.123456+01:00', id: ID })),
    { at: '2024-02-29T23:59:59.123456+01:00', id: ID },
    'a leap day, microseconds and an offset',
  );
  for (const [why, cursor] of Object.entries(FORGED)) {
    let status: number | undefined;
    try {
      decodeCursor(cursor);
    } catch (err) {
      status = err instanceof AppError ? err.status : -1;
    }
    t.equal(status, 400, why);
  }
});

t.test('every cursor-paged list answers a forged cursor with a 400 problem', async (t) => {
  const h = await buildTestApp(t);
  const welfare = await h.key(['welfare_officer'], FORCE_A);
  const system = await h.key(['force_system'], FORCE_A);
  const rep = await h.key(['federation_rep'], FORCE_A);
  const lists: [string, string][] = [
    [welfare, '/v1/care-steps'],
    [system, '/v1/justice/victim-updates'],
    [system, '/v1/incidents'],
    [system, '/v1/webhooks'],
    [rep, '/v1/cases'],
    [h.adminKey, '/v1/audit-events'],
    [h.adminKey, '/v1/principals'],
  ];
  for (const [key, url] of lists) {
    for (const [why, cursor] of Object.entries(FORGED)) {
      const res = await h.call(key, { method: 'GET', url: `${url}?cursor=${cursor}` });
      t.equal(res.statusCode, 400, `${url}: ${why}`);
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      t.equal(res.json().errors?.[0]?.path, 'query.cursor');
    }
  }
});
