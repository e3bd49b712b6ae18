// The authorization matrix: every route of the live route table, called as every role of the record's own
// force and of another force, without a key and with a revoked key, checked against src/policy.ts.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { outboxEvents, webhookDeliveries } from '../../src/db/schema/index.ts';
import { newId } from '../../src/shared/ids.ts';
import { POLICY } from '../../src/policy.ts';
import { ROLES, type Role } from '../../src/shared/principal.ts';
import { buildTestApp } from '../helper.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, victimBody } from '../factories.ts';

const PAST = '2026-03-01T10:00:00Z';

t.test('every route answers every caller as the policy table says', async (t) => {
  const h = await buildTestApp(t);
  h.clock.set('2026-03-02T12:00:00Z');

  // The live route table, as the service publishes it.
  const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const live = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
  t.same(
    live.filter((r) => !POLICY[r]),
    [],
    'every route has a policy entry',
  );
  t.same(
    Object.keys(POLICY).filter((r) => !live.includes(r)),
    [],
    'every policy entry is a live route',
  );

  // Callers: each role scoped to force A (the owner of the fixtures) and to force B.
  const callers: { role: Role; force: 'own' | 'other'; key: string }[] = [];
  for (const role of ROLES) {
    callers.push({ role, force: 'own', key: await h.key([role], FORCE_A, `${role} A`) });
    callers.push({ role, force: 'other', key: await h.key([role], FORCE_B, `${role} B`) });
  }
  const revoked = await h.key(['admin', 'force_system', 'welfare_officer', 'federation_rep', 'analyst'], FORCE_A, 'revoked');
  const revokedId = (await h.call(h.adminKey, { method: 'GET', url: '/v1/principals' })).json().items.find((p: { name: string }) => p.name === 'revoked').id;
  t.equal((await h.call(h.adminKey, { method: 'DELETE', url: `/v1/principals/${revokedId}` })).statusCode, 200);

  // Fixtures in force A.
  const fs = callers.find((c) => c.role === 'force_system' && c.force === 'own')!.key;
  const wo = callers.find((c) => c.role === 'welfare_officer' && c.force === 'own')!.key;
  const incident = (
    await h.call(fs, {
      method: 'POST',
      url: '/v1/incidents',
      payload: incidentBody({ occurredAt: '2026-02-27T23:40:00Z', victims: [victimBody()], suspects: [suspectBody()] }),
    })
  ).json();
  const victimId = incident.victims[0].id;
  const suspectId = incident.suspects[0].id;
  const plan = (await h.call(wo, { method: 'GET', url: `/v1/victims/${victimId}/care-plan`, headers: { 'x-access-reason': 'matrix' } })).json();
  const stepId = plan.steps[0].id;
  const referral = (
    await h.call(wo, { method: 'POST', url: `/v1/victims/${victimId}/trim-referrals`, payload: { referredBy: 'matrix', consent: 'given' } })
  ).json();
  const subject = (
    await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', payload: { name: 'subject', roles: ['analyst'], forceId: FORCE_A } })
  ).json();
  // A subscription and one delivery of the incident's event (the worker, which would make it, does not run here).
  const webhook = (
    await h.call(fs, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://receiver.example/hook', eventTypes: ['incident.created'] } })
  ).json();
  const [event] = await h.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'incident.created')).limit(1);
  const deliveryId = newId();
  await h.database.db
    .insert(webhookDeliveries)
    .values({ id: deliveryId, subscriptionId: webhook.id, eventId: event!.id, forceId: FORCE_A, status: 'delivered', createdAt: h.clock.now() });

  const params: Record<string, Record<string, string>> = {
    '/v1/incidents/': { id: incident.id },
    '/v1/victims/': { id: victimId },
    '/v1/suspects/': { id: suspectId },
    '/v1/care-steps/': { id: stepId },
    '/v1/trim-referrals/': { id: referral.id },
    '/v1/principals/': { id: subject.id, keyId: subject.keys[0].id },
    '/v1/cases/': { incidentId: incident.id },
    '/v1/webhooks/': { id: webhook.id, deliveryId },
  };
  const url = (route: string) => {
    const path = route.split(' ')[1]!;
    const values = Object.entries(params).find(([prefix]) => path.startsWith(prefix))?.[1] ?? {};
    return path.replace(/:(\w+)/g, (_, name: string) => (name === 'forceId' ? FORCE_A : values[name]!));
  };
  const template = { steps: [{ key: 'contact', title: 'Contact', ownerRole: 'supervisor', due: { hours: 24 } }] };
  const bodies: Record<string, unknown> = {
    // A force-scoped admin makes keys for its own force: the body names the caller's force (see bodyFor).
    'POST /v1/principals': { name: 'made in matrix', roles: ['analyst'] },
    'POST /v1/incidents': incidentBody(),
    'PATCH /v1/incidents/:id': {},
    'POST /v1/incidents/:id/victims': victimBody(),
    'POST /v1/incidents/:id/suspects': suspectBody(),
    'PATCH /v1/victims/:id': {},
    'PATCH /v1/suspects/:id': {},
    'PATCH /v1/forces/:forceId': { headcount: { officers: 100, constables: 80, asOf: '2026-01-01' } },
    'PUT /v1/care-plan-templates/:forceId': template,
    'POST /v1/victims/:id/follow-ups': { occurredAt: PAST, kind: 'call', contactBy: 'matrix' },
    'PATCH /v1/care-steps/:id': {},
    'POST /v1/victims/:id/trim-referrals': { referredBy: 'matrix' },
    'PATCH /v1/trim-referrals/:id': {},
    'POST /v1/trim-referrals/:id/assessments': { kind: 'additional', assessedAt: PAST, score: 1, outcome: 'monitor' },
    'POST /v1/incidents/:id/justice-events': { type: 'arrest', occurredAt: PAST, suspectId },
  };
  const queries: Record<string, string> = {
    'GET /v1/stats/summary': '?from=2026-01-01&to=2026-03-31',
    'GET /v1/stats/series': '?from=2026-01-01&to=2026-03-31&metric=incidents',
  };
  // Routes whose path names a record of force A: another force must get 404, as if it did not exist.
  const addressesRecord = (route: string) =>
    /:(id|incidentId)\b/.test(route) || /^(PATCH|PUT) .*:forceId/.test(route) || route === 'GET /v1/care-plan-templates/:forceId';

  let checked = 0;
  const unexpected: string[] = [];
  for (const route of Object.keys(POLICY).sort()) {
    const [method] = route.split(' ') as [string];
    const bodyFor = (callerForce: string) => (route === 'POST /v1/principals' ? { ...(bodies[route] as object), forceId: callerForce } : bodies[route]);
    const call = async (key: string | null, callerForce = FORCE_A) => {
      const headers: Record<string, string> = { 'x-access-reason': 'authorization matrix' };
      if (method === 'PATCH') headers['if-match'] = '"999"';
      const payload = bodyFor(callerForce);
      return h.call(key, {
        method: method as 'GET',
        url: url(route) + (queries[route] ?? ''),
        headers,
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    };
    const expect = async (who: string, key: string | null, ok: (s: number) => boolean, want: string, callerForce?: string) => {
      const res = await call(key, callerForce);
      checked++;
      if (!ok(res.statusCode)) unexpected.push(`${route} as ${who}: ${res.statusCode}, expected ${want} (${res.body.slice(0, 120)})`);
      if (res.statusCode >= 400) {
        if (!String(res.headers['content-type']).startsWith('application/problem+json'))
          unexpected.push(`${route} as ${who}: ${res.statusCode} is not a problem`);
      }
      return res;
    };
    await expect('no key', null, (s) => s === 401, '401');
    await expect('a revoked key', revoked, (s) => s === 401, '401');
    for (const c of callers) {
      const who = `${c.role} of the ${c.force} force`;
      if (!POLICY[route]!.includes(c.role)) {
        await expect(who, c.key, (s) => s === 403, '403');
      } else if (c.force === 'other' && addressesRecord(route)) {
        await expect(who, c.key, (s) => s === 404, '404');
      } else {
        const callerForce = c.force === 'own' ? FORCE_A : FORCE_B;
        const res = await expect(who, c.key, (s) => s !== 401 && s !== 403 && s !== 404 && s < 500, 'allowed', callerForce);
        // Lists seen from another force never carry force A's records.
        if (c.force === 'other' && method === 'GET' && res.statusCode === 200) {
          if (res.body.includes(incident.id)) unexpected.push(`${route} as ${who}: shows force A's incident`);
        }
      }
    }
  }
  t.same(unexpected, [], `${checked} authorization cases, none unexpected`);
  t.ok(checked >= Object.keys(POLICY).length * 12, 'every route x (10 callers + no key + revoked key)');
  console.log('RELIABILITY ' + JSON.stringify({ authorizationCases: checked, unexpected: unexpected.length }));
});
