// What Node's HTTP parser refuses before Fastify sees a request (a 20 kB header or URL: 431; a request that is not
// HTTP: 400) is a problem document too, whose type resolves. Over a real socket: app.inject has no HTTP parser.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { buildTestApp } from '../helper.ts';

/** Sends raw bytes, reads until the server closes: status, headers (lower-case) and body. */
function raw(port: number, request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    // A reset after the answer arrived still leaves the answer to read.
    socket.on('error', (err) => {
      if (chunks.length === 0) reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

t.test('requests the HTTP parser refuses are problem documents', async (t) => {
  const h = await buildTestApp(t);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.app.server.address() as AddressInfo;

  const expectProblem = async (name: string, request: string, status: number, slug: string) => {
    const res = await raw(port, request);
    t.equal(res.status, status, `${name}: ${status}`);
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${name}: problem media type`);
    t.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body), `${name}: whole body`);
    t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${name}: a request id to quote`);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    t.match(body, { type: `/problems/${slug}`, status, title: String, detail: String, instance: String }, name);
    const page = await h.app.inject({ method: 'GET', url: body.type as string });
    t.equal(page.statusCode, 200, `${name}: its type resolves`);
    return body;
  };

  const header = await expectProblem(
    'a 20 kB header',
    `GET /v1/forces HTTP/1.1\r\nHost: oar.test\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    431,
    'headers-too-large',
  );
  t.equal(header.instance, '/v1/forces', 'the path of the request');
  t.notMatch(JSON.stringify(header), 'aaaa', 'the header is not echoed');

  const url = await expectProblem(
    'a 20 kB URL',
    `GET /v1/incidents?forceReference=${'b'.repeat(20_000)} HTTP/1.1\r\nHost: oar.test\r\n\r\n`,
    431,
    'headers-too-large',
  );
  t.equal(url.instance, '/v1/incidents', 'the path without the query');

  const long = await expectProblem('a 20 kB path', `GET /${'c'.repeat(20_000)} HTTP/1.1\r\nHost: oar.test\r\n\r\n`, 431, 'headers-too-large');
  t.ok((long.instance as string).length <= 1024, 'an over-long path is cut, not echoed whole');

  await expectProblem('not HTTP', 'BREW /pot HTCPCP/1.0\r\n\r\n', 400, 'bad-request');

  const fine = await raw(port, 'GET /health/live HTTP/1.1\r\nHost: oar.test\r\nConnection: close\r\n\r\n');
  t.equal(fine.status, 200, 'the server still answers');
});
