// Every operation of the contract called through the typed TypeScript client (clients/typescript) against the
// service listening on 127.0.0.1, as a force system's developer would call it: bodies, parameters and headers
// (If-Match, Idempotency-Key, X-Access-Reason) as the generated types have them, checked by `npm run typecheck`.
// Operations are counted by method and path as the client sends them; the last test fails when
// openapi/openapi.json has one this walk does not call.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createOarClient, type OarClient } from '../../clients/typescript/index.ts';
import { startWebhookWorker } from '../../src/modules/webhooks/worker.ts';
import { parseAllowList } from '../../src/shared/address-policy.ts';
import { FORCE_A, unique } from '../factories.ts';
import { buildTestApp } from '../helper.ts';
import { Receiver, waitFor } from '../modules/webhooks/receiver.ts';
import { answered, type Answer } from './support.ts';

type T = Parameters<Parameters<typeof t.test>[0]>[0];

const REASON = 'Walking every operation (synthetic test)';
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

// The service as a force system meets it, with a webhook worker delivering to a receiver on this machine.
const targets = parseAllowList('127.0.0.1');
const h = await buildTestApp(t, { webhookTargets: targets });
await h.app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
const workerErrors: unknown[] = [];
const worker = await startWebhookWorker({
  database: h.database,
  clock: h.clock,
  onError: (err) => workerErrors.push(err),
  schedule: false,
  retryDelaySeconds: 1,
  pollingIntervalSeconds: 0.5,
  targets,
});
t.teardown(() => worker.stop());
const receiver = await new Receiver().start();
t.teardown(() => receiver.stop());

/** "GET /v1/incidents/{id}": every operation a client of this file has sent, by method and path template. */
const walked = new Set<string>();

function client(apiKey?: string): OarClient {
  const oar = createOarClient({ baseUrl, ...(apiKey ? { apiKey } : {}) });
  oar.use({
    onRequest({ request, schemaPath }) {
      walked.add(`${request.method} ${schemaPath}`);
    },
  });
  return oar;
}

/** The answer's data, after checking its status (the walk stops with the problem when it is not the one expected). */
async function ok<D>(t: T, what: string, call: Promise<Answer<D>>, status = 200): Promise<NonNullable<D>> {
  const data = await answered(what, call, status);
  t.pass(`${what}: ${status}`);
  return data;
}

const anonymous = client();
const admin = client(h.adminKey);

t.test('health, keys, forces and me', async (t) => {
  await ok(t, 'GET /health/live', anonymous.GET('/health/live'));
  await ok(t, 'GET /health/ready', anonymous.GET('/health/ready'));
  // The pages a problem's `type` links to, as JSON (a browser gets HTML).
  const json = { accept: 'application/json' };
  const problemTypes = await ok(t, 'GET /problems', anonymous.GET('/problems', { headers: json }));
  const validation = problemTypes.items.find((p) => p.status === 400);
  if (!validation) throw new Error('no 400 problem type in the catalogue');
  const page = await ok(
    t,
    'GET /problems/{slug}',
    anonymous.GET('/problems/{slug}', { params: { path: { slug: validation.type.split('/').pop()! } }, headers: json }),
  );
  t.equal(page.title, validation.title, 'the page of a problem type says what it is');

  const created = await ok(
    t,
    'POST /v1/principals',
    admin.POST('/v1/principals', {
      params: { header: { 'Idempotency-Key': unique('walk-principal') } },
      body: { name: 'Walk spare system (test)', roles: ['force_system'], forceId: FORCE_A },
    }),
    201,
  );
  t.ok(created.key, 'the key is in the answer');
  const list = await ok(t, 'GET /v1/principals', admin.GET('/v1/principals', { params: { query: { forceId: FORCE_A, limit: 50 } } }));
  t.ok(
    list.items.some((p) => p.id === created.id),
    'listed',
  );
  const second = await ok(
    t,
    'POST /v1/principals/{id}/keys',
    admin.POST('/v1/principals/{id}/keys', { params: { path: { id: created.id }, header: { 'Idempotency-Key': unique('walk-rotation') } } }),
    201,
  );
  const spare = client(second.key!);
  const me = await ok(t, 'GET /v1/me', spare.GET('/v1/me'));
  t.equal(me.id, created.id, 'the second key acts as the same principal');
  await ok(
    t,
    'DELETE /v1/principals/{id}/keys/{keyId}',
    admin.DELETE('/v1/principals/{id}/keys/{keyId}', { params: { path: { id: created.id, keyId: created.keys[0]!.id } } }),
  );
  const revoked = await ok(
    t,
    'DELETE /v1/principals/{id}',
    admin.DELETE('/v1/principals/{id}', { params: { path: { id: created.id }, query: { reason: 'Walk finished (test)' } } }),
  );
  t.ok(revoked.revokedAt, 'revoked');

  const forces = await ok(t, 'GET /v1/forces', admin.GET('/v1/forces'));
  t.ok(forces.items.length >= 44, 'the seeded forces');
  const force = await ok(t, 'GET /v1/forces/{forceId}', admin.GET('/v1/forces/{forceId}', { params: { path: { forceId: FORCE_A } } }));
  const patched = await ok(
    t,
    'PATCH /v1/forces/{forceId}',
    admin.PATCH('/v1/forces/{forceId}', {
      params: { path: { forceId: FORCE_A }, header: { 'If-Match': `"${force.version}"` } },
      body: { headcount: { officers: 3000, constables: 2400, asOf: '2026-01-31' } },
    }),
  );
  t.equal(patched.headcount?.officers, 3000);
});

t.test('an incident, its people, their care, TRiM, the case, statistics, audit and webhooks', async (t) => {
  const keyFor = async (name: string, roles: ('force_system' | 'welfare_officer' | 'federation_rep' | 'analyst')[], forceId: string | null) => {
    const p = await ok(t, 'POST /v1/principals', admin.POST('/v1/principals', { body: { name, roles, forceId } }), 201);
    return client(p.key!);
  };
  const system = await keyFor('Walk crime system (test)', ['force_system'], FORCE_A);
  const welfare = await keyFor('Walk welfare officer (test)', ['welfare_officer'], FORCE_A);
  const federation = await keyFor('Walk federation rep (test)', ['federation_rep'], FORCE_A);
  const analyst = await keyFor('Walk analyst (test)', ['analyst'], null);

  // Care-plan templates: the national default, and a force's own version (used by victims recorded after it).
  await ok(t, 'GET /v1/care-plan-templates/{forceId}', system.GET('/v1/care-plan-templates/{forceId}', { params: { path: { forceId: 'national' } } }));
  const national = await ok(
    t,
    'GET /v1/care-plan-templates/{forceId}',
    admin.GET('/v1/care-plan-templates/{forceId}', { params: { path: { forceId: 'national' } } }),
  );
  const published = await ok(
    t,
    'PUT /v1/care-plan-templates/{forceId}',
    admin.PUT('/v1/care-plan-templates/{forceId}', { params: { path: { forceId: FORCE_A } }, body: { steps: national.steps } }),
  );
  t.equal(published.source, 'force');

  // The incident, with an officer and a suspect inline.
  const reference = unique('WALK');
  const incident = await ok(
    t,
    'POST /v1/incidents',
    system.POST('/v1/incidents', {
      params: { header: { 'Idempotency-Key': `crime-system-${reference}` } },
      body: {
        forceReference: reference,
        occurredAt: '2026-02-27T23:40:00+00:00',
        location: { description: 'Synthetic Street (test data)', locationType: 'street' },
        circumstances: 'arrest',
        deployment: { crewing: 'double', dutyType: 'response' },
        methods: ['kick', 'spit'],
        offences: ['emergency_worker_common_assault'],
        victims: [{ role: 'constable', serviceBand: '1_to_2_years', staffNumber: unique('SYN'), injury: 'minor', federationConsent: true }],
        suspects: [{ reference: unique('NOMINAL'), ageBand: '25_to_34', arrested: true }],
      },
    }),
    201,
  );
  const victimId = incident.victims![0]!.id;
  const suspectId = incident.suspects![0]!.id;
  const list = await ok(t, 'GET /v1/incidents', system.GET('/v1/incidents', { params: { query: { forceReference: reference } } }));
  t.equal(list.items[0]?.id, incident.id, 'listed by its reference');
  const read = await ok(
    t,
    'GET /v1/incidents/{id}',
    system.GET('/v1/incidents/{id}', { params: { path: { id: incident.id }, header: { 'X-Access-Reason': REASON } } }),
  );
  await ok(
    t,
    'PATCH /v1/incidents/{id}',
    system.PATCH('/v1/incidents/{id}', {
      params: { path: { id: incident.id }, header: { 'If-Match': `"${read.version}"` } },
      body: { equipment: { taser: { drawn: true } } },
    }),
  );

  // The people.
  const victim = await ok(
    t,
    'GET /v1/victims/{id}',
    system.GET('/v1/victims/{id}', { params: { path: { id: victimId }, header: { 'X-Access-Reason': REASON } } }),
  );
  await ok(
    t,
    'PATCH /v1/victims/{id}',
    system.PATCH('/v1/victims/{id}', { params: { path: { id: victimId }, header: { 'If-Match': `"${victim.version}"` } }, body: { daysLost: 2 } }),
  );
  const suspect = await ok(t, 'GET /v1/suspects/{id}', system.GET('/v1/suspects/{id}', { params: { path: { id: suspectId } } }));
  await ok(
    t,
    'PATCH /v1/suspects/{id}',
    system.PATCH('/v1/suspects/{id}', { params: { path: { id: suspectId }, header: { 'If-Match': `"${suspect.version}"` } }, body: { arrested: true } }),
  );
  await ok(
    t,
    'POST /v1/incidents/{id}/suspects',
    system.POST('/v1/incidents/{id}/suspects', {
      params: { path: { id: incident.id }, header: { 'Idempotency-Key': unique('walk-suspect') } },
      body: { ageBand: 'unknown' },
    }),
    201,
  );

  // A webhook subscription, before the next victim, so that victim.created is delivered to the receiver.
  const hook = await ok(
    t,
    'POST /v1/webhooks',
    system.POST('/v1/webhooks', {
      params: { header: { 'Idempotency-Key': unique('walk-webhook') } },
      body: { url: receiver.url, eventTypes: ['victim.created'], description: 'Walk receiver (test)' },
    }),
    201,
  );
  t.ok(hook.secret, 'the signing secret, once');
  await ok(
    t,
    'POST /v1/incidents/{id}/victims',
    system.POST('/v1/incidents/{id}/victims', {
      params: { path: { id: incident.id }, header: { 'Idempotency-Key': unique('walk-victim') } },
      body: { role: 'pcso', serviceBand: 'under_1_year', injury: 'none' },
    }),
    201,
  );
  await worker.relayNow();
  await waitFor(() => receiver.accepted().length > 0, 15_000, 'the victim.created delivery');
  const hooks = await ok(t, 'GET /v1/webhooks', system.GET('/v1/webhooks'));
  t.ok(
    hooks.items.some((w) => w.id === hook.id),
    'listed',
  );
  await ok(t, 'GET /v1/webhooks/{id}', system.GET('/v1/webhooks/{id}', { params: { path: { id: hook.id } } }));
  const deliveries = await ok(t, 'GET /v1/webhooks/{id}/deliveries', system.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: hook.id } } }));
  const delivery = deliveries.items[0]!;
  await ok(
    t,
    'GET /v1/webhooks/{id}/deliveries/{deliveryId}',
    system.GET('/v1/webhooks/{id}/deliveries/{deliveryId}', { params: { path: { id: hook.id, deliveryId: delivery.id } } }),
  );
  await ok(
    t,
    'POST /v1/webhooks/{id}/deliveries/{deliveryId}/replay',
    system.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/replay', { params: { path: { id: hook.id, deliveryId: delivery.id } } }),
    201,
  );
  await ok(t, 'DELETE /v1/webhooks/{id}', system.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.id } } }));

  // The officer's care.
  const plan = await ok(
    t,
    'GET /v1/victims/{id}/care-plan',
    welfare.GET('/v1/victims/{id}/care-plan', { params: { path: { id: victimId }, header: { 'X-Access-Reason': REASON } } }),
  );
  const step = plan.steps[0]!;
  await ok(
    t,
    'PATCH /v1/care-steps/{id}',
    welfare.PATCH('/v1/care-steps/{id}', {
      params: { path: { id: step.id }, header: { 'If-Match': `"${step.version}"`, 'X-Access-Reason': REASON } },
      body: { status: 'done', note: 'Spoke by phone (synthetic).' },
    }),
  );
  await ok(t, 'GET /v1/care-steps', welfare.GET('/v1/care-steps', { params: { query: { status: 'open', limit: 100 } } }));
  const found = await ok(
    t,
    'GET /v1/victims',
    welfare.GET('/v1/victims', { params: { query: { q: 'SYN', limit: 100 }, header: { 'X-Access-Reason': REASON } } }),
  );
  t.ok(
    found.items.some((v) => v.id === victimId),
    "the search by staff number finds the walk's victim",
  );
  await ok(
    t,
    'POST /v1/victims/{id}/follow-ups',
    welfare.POST('/v1/victims/{id}/follow-ups', {
      params: { path: { id: victimId }, header: { 'Idempotency-Key': unique('walk-follow-up') } },
      body: { occurredAt: '2026-03-01T10:00:00Z', kind: 'call', contactBy: 'Welfare officer (synthetic)', nextFollowUpAt: '2026-03-08T10:00:00Z' },
    }),
    201,
  );
  await ok(
    t,
    'GET /v1/victims/{id}/follow-ups',
    welfare.GET('/v1/victims/{id}/follow-ups', { params: { path: { id: victimId }, header: { 'X-Access-Reason': REASON } } }),
  );

  // TRiM.
  const referral = await ok(
    t,
    'POST /v1/victims/{id}/trim-referrals',
    welfare.POST('/v1/victims/{id}/trim-referrals', {
      params: { path: { id: victimId }, header: { 'Idempotency-Key': unique('walk-trim') } },
      body: { referredAt: '2026-02-28T09:00:00Z', referredBy: 'Duty sergeant (synthetic)', consent: 'given' },
    }),
    201,
  );
  const trim = await ok(
    t,
    'GET /v1/trim-referrals/{id}',
    welfare.GET('/v1/trim-referrals/{id}', { params: { path: { id: referral.id }, header: { 'X-Access-Reason': REASON } } }),
  );
  await ok(
    t,
    'PATCH /v1/trim-referrals/{id}',
    welfare.PATCH('/v1/trim-referrals/{id}', {
      params: { path: { id: referral.id }, header: { 'If-Match': `"${trim.version}"` } },
      body: { planningMeetingAt: '2026-03-01T09:00:00Z' },
    }),
  );
  await ok(
    t,
    'POST /v1/trim-referrals/{id}/assessments',
    welfare.POST('/v1/trim-referrals/{id}/assessments', {
      params: { path: { id: referral.id }, header: { 'Idempotency-Key': unique('walk-assessment') } },
      body: { kind: 'initial', assessedAt: '2026-03-02T08:00:00Z', score: 2, outcome: 'no_further_action' },
    }),
    201,
  );

  // The case: charged, then convicted on that charge (the charge's id comes from the charging decision's answer).
  const charging = await ok(
    t,
    'POST /v1/incidents/{id}/justice-events',
    system.POST('/v1/incidents/{id}/justice-events', {
      params: { path: { id: incident.id }, header: { 'Idempotency-Key': unique('walk-charge') } },
      body: {
        type: 'charging_decision',
        occurredAt: '2026-02-28T16:00:00Z',
        suspectId,
        decision: 'charged',
        charges: [{ offence: 'emergency_worker_common_assault' }],
      },
    }),
    201,
  );
  if (charging.type !== 'charging_decision') throw new Error(`a charging decision was answered as ${charging.type}`);
  await ok(
    t,
    'POST /v1/incidents/{id}/justice-events',
    system.POST('/v1/incidents/{id}/justice-events', {
      body: { type: 'court_result', occurredAt: '2026-03-01T11:00:00Z', suspectId, chargeId: charging.charges[0]!.id, result: 'guilty_plea' },
      params: { path: { id: incident.id } },
    }),
    201,
  );
  const justice = await ok(t, 'GET /v1/incidents/{id}/justice', system.GET('/v1/incidents/{id}/justice', { params: { path: { id: incident.id } } }));
  t.equal(justice.status, 'convicted');
  await ok(t, 'GET /v1/justice/victim-updates', system.GET('/v1/justice/victim-updates', { params: { query: { status: 'pending' } } }));
  const cases = await ok(t, 'GET /v1/cases', federation.GET('/v1/cases', { params: { query: { status: 'convicted' } } }));
  t.ok(
    cases.items.some((c) => c.incidentId === incident.id),
    'the federation rep sees the convicted case',
  );
  await ok(t, 'GET /v1/cases/{incidentId}', federation.GET('/v1/cases/{incidentId}', { params: { path: { incidentId: incident.id } } }));

  // Many incidents at once: the sample file of the README, as a dry run.
  const ndjson = readFileSync(new URL('../../examples/incidents.ndjson', import.meta.url), 'utf8');
  const report = await ok(
    t,
    'POST /v1/imports',
    system.POST('/v1/imports', {
      params: { query: { dryRun: 'true' } },
      body: ndjson,
      bodySerializer: (body) => body,
      headers: { 'content-type': 'application/x-ndjson' },
    }),
  );
  t.equal(report.valid, 3, 'the sample file is valid');

  // The numbers, and the audit trail.
  const summary = await ok(
    t,
    'GET /v1/stats/summary',
    analyst.GET('/v1/stats/summary', { params: { query: { forceId: FORCE_A, from: '2026-02-01', to: '2026-03-02' } } }),
  );
  t.equal(summary.total.counts.incidents, 1, "the walk's incident is counted");
  await ok(
    t,
    'GET /v1/stats/series',
    analyst.GET('/v1/stats/series', { params: { query: { forceId: FORCE_A, from: '2026-01-01', to: '2026-03-02', metric: 'incidents', interval: 'month' } } }),
  );
  const quarterly = await ok(t, 'GET /v1/stats/quarterly', analyst.GET('/v1/stats/quarterly', { params: { query: { forceId: FORCE_A, quarter: '2026-Q1' } } }));
  t.equal(quarterly.definitionsVersion.length > 0, true, 'the table states its definitions version');
  await ok(t, 'GET /v1/audit-events', admin.GET('/v1/audit-events', { params: { query: { resourceId: incident.id } } }));
  await h.seal();
  const verify = await ok(t, 'GET /v1/audit-events/verify', admin.GET('/v1/audit-events/verify'));
  t.equal(verify.intact, true);
  t.same(workerErrors, [], 'the webhook worker met no error');
});

/** A problem answer with the expected status, through the typed client (its error typed from the contract). */
async function refused(t: T, what: string, call: Promise<{ error?: unknown; response: Response }>, status: number) {
  const { error, response } = await call;
  t.equal(response.status, status, `${what}: ${status}`);
  t.equal((error as { status?: number } | undefined)?.status, status, `${what}: a problem with its status`);
}

t.test('the sign-in routes of the page, with no identity provider configured', async (t) => {
  const methods = await ok(t, 'GET /auth/methods', anonymous.GET('/auth/methods'));
  t.equal(methods.oidc, false, 'no identity provider here');
  await refused(t, 'GET /auth/login', anonymous.GET('/auth/login', { params: { query: { returnTo: '/app/' } } }), 404);
  await refused(t, 'GET /auth/callback', anonymous.GET('/auth/callback', { params: { query: { code: 'c', state: 's' } } }), 404);
  await refused(t, 'GET /auth/session', anonymous.GET('/auth/session'), 401);
  await refused(t, 'POST /auth/session/keepalive', anonymous.POST('/auth/session/keepalive'), 401);
  await refused(t, 'POST /auth/logout', anonymous.POST('/auth/logout'), 401);
});

t.test('every operation of openapi/openapi.json was called through the client', async (t) => {
  const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => HTTP_METHODS.has(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
  t.ok(operations.length >= 49, `${operations.length} operations in the document`);
  t.same(
    operations.filter((op) => !walked.has(op)),
    [],
    'none is left out of the walk',
  );
});
