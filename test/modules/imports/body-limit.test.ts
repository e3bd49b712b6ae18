// The import's 16 MB body limit (#20 item 7), enforced as the body streams in: a 20 MB, 40-line dry run is a 413
// problem whether it declares its length (refused before reading) or is sent without one (chunked, counted).
import { Readable } from 'node:stream';
import t from 'tap';
import { FORCE_A } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { IMPORT_MAX_BYTES } from '../../../src/modules/imports/schemas.ts';
import { limitBytes } from '../../../src/shared/ndjson.ts';

const NDJSON = { 'content-type': 'application/x-ndjson' };
/** n lines of about `bytes` each (JSON that is not a valid incident: a dry run reports them invalid, cheaply). */
const line = (bytes: number) => JSON.stringify({ narrative: 'x'.repeat(bytes - 20) }) + '\n';

t.test('limitBytes passes a stream through and stops it past the limit', async (t) => {
  const chunks = async function* () {
    yield Buffer.alloc(6);
    yield 'abcd';
    yield Buffer.alloc(1);
  };
  const seen: number[] = [];
  await t.rejects(
    (async () => {
      for await (const c of limitBytes(chunks(), 10, () => new Error('too large'))) seen.push(c.length);
    })(),
    { message: 'too large' },
  );
  t.same(seen, [6, 4], 'the chunks up to the limit, then the error');
});

t.test('a 20 MB, 40-line import is a 413 problem; 15 MB is read', async (t) => {
  const h = await buildTestApp(t);
  const key = await h.key(['force_system'], FORCE_A);
  t.equal(IMPORT_MAX_BYTES, 16 * 1024 * 1024, 'the documented 16 MB');
  const big = line(512 * 1024);
  const body = big.repeat(40);
  t.ok(Buffer.byteLength(body) > 20_000_000);

  const declared = await h.call(key, { method: 'POST', url: '/v1/imports?dryRun=true', headers: NDJSON, payload: body });
  t.equal(declared.statusCode, 413, 'with Content-Length');
  t.equal(declared.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(declared.json(), { status: 413, type: /import-body-too-large$/ });

  const streamed = await h.call(key, {
    method: 'POST',
    url: '/v1/imports?dryRun=true',
    headers: NDJSON,
    payload: Readable.from(
      (function* () {
        for (let i = 0; i < 40; i++) yield Buffer.from(big);
      })(),
    ),
  });
  t.equal(streamed.statusCode, 413, 'without Content-Length, counted as it streams');
  t.match(streamed.json(), { status: 413, type: /import-body-too-large$/ });

  const under = await h.call(key, { method: 'POST', url: '/v1/imports?dryRun=true', headers: NDJSON, payload: line(384 * 1024).repeat(40) });
  t.equal(under.statusCode, 200, `a 15 MB body is read: ${under.body.slice(0, 300)}`);
  t.equal(under.json().lines, 40);
});
