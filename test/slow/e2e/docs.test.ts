// /docs in Debian's chromium (playwright-core), opened as an integrator does: by a host name that is not loopback
// (oar.test, mapped to 127.0.0.1 inside the browser only) over plain http, as docker-compose publishes it, and over
// https (a TLS front piped to the same server). Every operation of the document is rendered, every file loads from
// the origin the page was opened on (none is upgraded to https), nothing is refused by the Content-Security-Policy,
// and "Try it out" reaches the API. No chromium is a failure, never a skip (CI installs it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { buildTestApp } from '../../helper.ts';

const CHROMIUM = '/usr/bin/chromium';
const HOST = 'oar.test';
const ARTIFACTS = join(new URL('../../../', import.meta.url).pathname, 'test-artifacts');

const RUN = existsSync(CHROMIUM);
if (!RUN) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (CI runs the e2e tests).`);
  t.plan(0, `${CHROMIUM} is not installed here: the browser test runs in CI (apt-get install -y chromium to run it)`);
}

/** A throwaway self-signed certificate for oar.test (openssl, as Debian ships it). */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'oar-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (RUN) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const h = await buildTestApp(t);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.app.server.address() as AddressInfo).port;

  // https: TLS ends here and the bytes go on to the same server, as a TLS-terminating proxy would send them.
  const tls = createTlsServer(selfSigned(), (socket) => {
    const upstream = connect(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => tls.close(() => resolve())));
  const tlsPort = (tls.address() as AddressInfo).port;

  // Swagger UI shows the webhooks (OpenAPI 3.1) as operations too.
  const doc = h.app.swagger() as unknown as { paths: Record<string, object>; webhooks?: Record<string, object> };
  const operations = [...Object.values(doc.paths), ...Object.values(doc.webhooks ?? {})].reduce((n, ops) => n + Object.keys(ops).length, 0);

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // oar.test is 127.0.0.1 for this browser only: the page is opened by a host name, not by loopback.
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ],
  });
  t.teardown(() => browser.close());

  for (const [scheme, at] of [
    ['http', port],
    ['https', tlsPort],
  ] as const) {
    t.test(`/docs renders every operation over ${scheme} by host name`, async (t) => {
      const origin = `${scheme}://${HOST}:${at}`;
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      t.teardown(() => context.close());
      const page = await context.newPage();
      const requested: string[] = [];
      const failed: string[] = [];
      const refused: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
      page.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) refused.push(m.text());
      });

      const res = await page.goto(`${origin}/docs`);
      t.equal(res?.status(), 200);
      t.notMatch(res?.headers()['content-security-policy'], /upgrade-insecure-requests/);
      // Generous waits: Swagger UI renders the whole document in the page's one thread, and CI runs this while the
      // other database's pass keeps both CPUs busy (30 s was once not enough for the first operation to appear).
      await page.locator('.opblock').first().waitFor({ timeout: 120_000 });
      await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations, { timeout: 60_000 });
      t.equal(await page.locator('.opblock').count(), operations, `all ${operations} operations rendered`);
      await page.screenshot({ path: join(ARTIFACTS, `docs-${scheme}.png`) });

      // "Try it out" on a public operation: the browser may call the API from the page.
      const live = page.locator('.opblock').filter({ has: page.locator('.opblock-summary-path[data-path="/health/live"]') });
      await live.locator('.opblock-summary').click();
      await live.getByRole('button', { name: 'Try it out' }).click();
      await live.getByRole('button', { name: 'Execute' }).click();
      const status = live.locator('.live-responses-table tr.response .response-col_status').first();
      await status.waitFor({ timeout: 30_000 });
      t.match(await status.innerText(), /^200/, 'Try it out reached the API');

      t.same(
        requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:')),
        [],
        `every request went to ${origin}`,
      );
      t.same(failed, [], 'no request failed');
      t.same(refused, [], 'nothing refused by the Content-Security-Policy');
    });
  }
}

// Browser globals, used only inside callbacks that run in the page (the project's TypeScript has no DOM lib).
declare const document: { querySelectorAll(selector: string): { length: number } };
