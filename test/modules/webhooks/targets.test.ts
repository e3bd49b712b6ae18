// Webhooks go to public addresses only (SSRF): refused at subscription (422) for a host that is, or resolves
// to, a loopback, private, link-local, CGNAT, multicast or reserved address in any IPv4 or IPv6 form, unless
// the operator's allow-list permits it; re-checked at connect time (DNS rebinding); no redirects followed;
// failures reported as categories, never the socket's or the peer's detail.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { loadConfig } from '../../../src/config.ts';
import { principals, webhookDeliveries, webhookSubscriptions } from '../../../src/db/schema/index.ts';
import { newSecret } from '../../../src/modules/webhooks/service.ts';
import { startWebhookWorker } from '../../../src/modules/webhooks/worker.ts';
import { categorise, targetRefusal, WebhookSender } from '../../../src/modules/webhooks/target.ts';
import { addressAllowed, parseAddress, parseAllowList, PUBLIC_ONLY } from '../../../src/shared/address-policy.ts';
import { newId } from '../../../src/shared/ids.ts';
import { FORCE_A, incidentBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { problem } from '../../problems.ts';
import { Receiver, waitFor } from './receiver.ts';

const NOT_PUBLIC = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '240.0.0.1',
  '192.0.0.8',
  '192.0.2.1',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '::1',
  '::',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '::ffff:0:127.0.0.1',
  '::127.0.0.1',
  '64:ff9b::7f00:1',
  '64:ff9b::a00:1',
  '64:ff9b:1::808:808',
  '2002:7f00:1::',
  '2002:a9fe:a9fe::1',
  '2001::1',
  '2001:db8::1',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'fec0::1',
  'ff02::1',
  '100::1',
  '3fff::1'.replace('3fff', '5f00'),
];
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '81.2.69.160',
  '100.63.255.255',
  '100.128.0.1',
  '172.32.0.1',
  '2a00:1450:4009:81f::200e',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

t.test('address classification: every non-public form is refused, public ones pass', async (t) => {
  for (const a of NOT_PUBLIC) t.notOk(addressAllowed(a, PUBLIC_ONLY), `${a} is not public`);
  for (const a of PUBLIC) t.ok(addressAllowed(a, PUBLIC_ONLY), `${a} is public`);
  t.notOk(addressAllowed('not an address', PUBLIC_ONLY));
  const allow = parseAllowList(' 127.0.0.1 , 10.20.0.0/16, fd00::/8, [::1], Hooks.Internal. ');
  t.ok(addressAllowed('127.0.0.1', allow), 'an allowed address');
  t.ok(addressAllowed('::ffff:127.0.0.1', allow), 'the same address IPv4-mapped');
  t.ok(addressAllowed('10.20.3.4', allow), 'inside an allowed range');
  t.ok(addressAllowed('fd00::5', allow) && addressAllowed('::1', allow), 'IPv6 ranges');
  t.notOk(addressAllowed('127.0.0.2', allow), 'only what is listed');
  t.notOk(addressAllowed('10.21.0.1', allow), 'outside the range');
  t.ok(allow.hosts.has('hooks.internal'), 'a host name, normalised');
  t.equal(parseAddress('[::1]')?.toString(), '::1', 'a bracketed URL host');
  t.throws(() => parseAllowList('10.0.0.0/33'), /CIDR/);
  t.throws(() => parseAllowList('not a host!'), /neither/);
});

t.test('WEBHOOK_ALLOW_HOSTS is read and validated with the configuration', async (t) => {
  const c = loadConfig({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1,10.0.0.0/8' });
  t.ok(addressAllowed('10.1.2.3', c.webhooks.allow));
  t.notOk(addressAllowed('10.1.2.3', loadConfig({}).webhooks.allow), 'public addresses only by default');
  t.throws(() => loadConfig({ WEBHOOK_ALLOW_HOSTS: '10.0.0.0/99' }), /WEBHOOK_ALLOW_HOSTS/);
});

t.test('a name is checked by what it resolves to when subscribing', async (t) => {
  const resolvesTo = (addresses: string[]) => async () => addresses;
  t.match(await targetRefusal('https://hooks.example/x', PUBLIC_ONLY, resolvesTo(['10.0.0.5'])), /non-public/);
  t.match(await targetRefusal('https://hooks.example/x', PUBLIC_ONLY, resolvesTo(['8.8.8.8', '::1'])), /non-public/, 'any inside address refuses it');
  t.equal(await targetRefusal('https://hooks.example/x', PUBLIC_ONLY, resolvesTo(['8.8.8.8', '2606:4700::1111'])), null);
  t.equal(
    await targetRefusal('https://hooks.example/x', parseAllowList('hooks.example'), resolvesTo(['10.0.0.5'])),
    null,
    'a host the operator trusts by name',
  );
  const failing = async () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }));
  t.equal(await targetRefusal('https://not-yet.example/x', PUBLIC_ONLY, failing), null, 'unresolvable now: checked at connect time instead');
  const never = () => new Promise<string[]>(() => undefined);
  t.equal(await targetRefusal('https://slow.example/x', PUBLIC_ONLY, never, 50), null, 'a slow resolver does not hold the request');
});

t.test('POST /v1/webhooks refuses inside addresses with a 422 problem; the allow-list permits what it names', async (t) => {
  const h = await buildTestApp(t);
  const system = await h.key(['force_system'], FORCE_A);
  const refused = [
    'https://127.0.0.1:5432/x',
    'http://localhost:5432/',
    'http://127.0.0.1:5432/',
    'https://localhost./x',
    'https://db.localhost/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/',
    'https://100.64.1.1/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://[::1]/',
    'https://[::]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://[64:ff9b::a00:1]/',
    'https://[2002:7f00:1::]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[ff02::1]/',
    'https://224.0.0.1/',
  ];
  for (const url of refused) {
    const res = await h.call(system, { method: 'POST', url: '/v1/webhooks', payload: { url, eventTypes: ['incident.created'] } });
    const body = problem(t, res, 422);
    t.equal(body.type, '/problems/webhook-target-not-allowed', url);
    t.match(body.errors, [{ path: 'url' }]);
  }
  const ok = await h.call(system, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://8.8.8.8/hooks', eventTypes: ['incident.created'] } });
  t.equal(ok.statusCode, 201, 'a public address');

  const allowed = await buildTestApp(t, { webhookTargets: parseAllowList('127.0.0.1, 10.20.0.0/16') });
  const systemAllowed = await allowed.key(['force_system'], FORCE_A);
  const post = (url: string) => allowed.call(systemAllowed, { method: 'POST', url: '/v1/webhooks', payload: { url, eventTypes: ['incident.created'] } });
  t.equal((await post('http://127.0.0.1:8080/hooks')).statusCode, 201, 'allowed by the operator');
  t.equal((await post('https://10.20.0.9/hooks')).statusCode, 201, 'inside an allowed range');
  problem(t, await post('https://10.0.0.1/'), 422);
  problem(t, await post('http://localhost:5432/'), 422);
  problem(t, await post('https://169.254.169.254/'), 422);
});

/** A receiver that can redirect, hang, or answer; counts what it saw. */
async function rawServer(t: Test, handle: Parameters<typeof createServer>[1]) {
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as AddressInfo).port;
}

t.test('the sender: connect-time check, no redirects, categories only', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  const strict = new WebhookSender(PUBLIC_ONLY);
  const loopback = new WebhookSender(parseAllowList('127.0.0.1, ::1'));
  t.teardown(() => {
    strict.close();
    loopback.close();
  });
  const send = (s: WebhookSender, url: string, timeout = 2000) => s.post(url, { 'content-type': 'application/json' }, '{}', timeout);

  // A name that resolves to loopback (as a rebound name would): refused when connecting.
  t.same(await send(strict, `http://localhost:${receiver.port}/hooks`), { statusCode: null, error: 'address_not_allowed' });
  t.same(await send(strict, receiver.url), { statusCode: null, error: 'address_not_allowed' }, 'a literal address too');
  t.same(await send(strict, `http://[::ffff:127.0.0.1]:${receiver.port}/hooks`), { statusCode: null, error: 'address_not_allowed' });
  t.equal(receiver.requests.length, 0, 'nothing reached the receiver');
  t.same(await send(loopback, `http://localhost:${receiver.port}/hooks`), { statusCode: 200, error: null }, 'allowed: the same name is delivered');

  let followed = 0;
  const target = await rawServer(t, (_req, res) => {
    followed++;
    res.end('ok');
  });
  const redirecting = await rawServer(t, (_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${target}/` }).end());
  t.same(await send(loopback, `http://127.0.0.1:${redirecting}/`), { statusCode: 307, error: 'http_307' }, 'a redirect is a failed attempt');
  t.equal(followed, 0, 'and is not followed');

  const hanging = await rawServer(t, () => undefined);
  t.same(await send(loopback, `http://127.0.0.1:${hanging}/`, 200), { statusCode: null, error: 'timeout' });
  const down = receiver.port;
  await receiver.stop();
  t.same(await send(loopback, `http://127.0.0.1:${down}/`), { statusCode: null, error: 'connection_refused' });
  const plain = await rawServer(t, (_req, res) => res.end('plain http'));
  t.same(await send(loopback, `https://127.0.0.1:${plain}/`), { statusCode: null, error: 'tls_error' }, 'TLS failure: the category, not the OpenSSL message');
  t.equal(categorise(Object.assign(new Error('x'), { code: 'ENOTFOUND' })), 'dns_error');
  t.equal(categorise(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })), 'tls_error');
  t.equal(categorise(new Error('anything else')), 'connection_error');
});

t.test('the worker refuses at connect time a subscription whose host now resolves inside (DNS rebinding)', async (t) => {
  const h = await buildTestApp(t);
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  const worker = await startWebhookWorker({
    database: h.database,
    clock: h.clock,
    onError: () => undefined,
    retryDelaySeconds: 1,
    pollingIntervalSeconds: 0.5,
    schedule: false,
  });
  t.teardown(() => worker.stop());
  // As if the name was public when subscribed and was re-pointed at this machine afterwards.
  const id = newId();
  const [admin] = await h.database.db.select().from(principals);
  await h.database.db.insert(webhookSubscriptions).values({
    id,
    forceId: FORCE_A,
    url: `http://localhost:${receiver.port}/hooks`,
    eventTypes: ['incident.created'],
    description: null,
    secret: newSecret(),
    status: 'active',
    createdBy: admin!.id,
    createdAt: h.clock.now(),
  });
  const system = await h.key(['force_system'], FORCE_A);
  t.equal((await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ victims: [], suspects: [] }) })).statusCode, 201);
  await waitFor(
    async () => (await h.database.db.select().from(webhookDeliveries)).find((d) => d.subscriptionId === id && d.attempts > 0),
    15_000,
    'an attempt',
  );
  const [delivery] = await h.database.db.select().from(webhookDeliveries);
  t.equal(delivery!.lastError, 'address_not_allowed');
  t.equal(delivery!.lastStatusCode, null);
  t.equal(receiver.requests.length, 0, 'the receiver on loopback got nothing');
  const detail = await h.call(system, { method: 'GET', url: `/v1/webhooks/${id}/deliveries/${delivery!.id}` });
  t.notMatch(detail.body, /127\.0\.0\.1|::1|ECONN|localhost:\d/, 'the log names no address or socket detail');
});
