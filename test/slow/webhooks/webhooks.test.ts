// Webhooks end to end: subscriptions over HTTP, events from the outbox delivered by the worker to a local
// receiver with valid Standard Webhooks signatures, retries after a 500 and after the receiver was down,
// nothing for rolled-back work, replays, giving up after 24 hours, and the scheduled overdue events.
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { outboxEvents, webhookDeliveries } from '../../../src/db/schema/index.ts';
import { insertOutbox } from '../../../src/db/scope.ts';
import type { EventType } from '../../../src/shared/events.ts';
import { EVENT_DATA } from '../../../src/modules/webhooks/schemas.ts';
import { retryLimitFor, startWebhookWorker } from '../../../src/modules/webhooks/worker.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { parseAllowList } from '../../../src/shared/address-policy.ts';
import { problem } from '../../problems.ts';
import { Receiver, waitFor, type Received } from '../../modules/webhooks/receiver.ts';

// The receivers listen on 127.0.0.1: the operator allow-list permits it (public addresses only otherwise).
const targets = parseAllowList('127.0.0.1');
const h = await buildTestApp(t, { webhookTargets: targets });
const errors: unknown[] = [];
const worker = await startWebhookWorker({
  database: h.database,
  clock: h.clock,
  onError: (err) => errors.push(err),
  retryDelaySeconds: 1,
  pollingIntervalSeconds: 0.5,
  schedule: false,
  targets,
});
// Registered after the app's teardown, so it runs first (tap runs teardowns last-in first-out).
t.teardown(() => worker.stop());

const systemA = await h.key(['force_system'], FORCE_A);
const systemB = await h.key(['force_system'], FORCE_B);
const welfareA = await h.key(['welfare_officer'], FORCE_A);
const analyst = await h.key(['analyst'], null);

interface Created {
  id: string;
  secret: string;
  url: string;
  eventTypes: string[];
}

async function subscribe(key: string, url: string, eventTypes: string[], extra: Record<string, unknown> = {}): Promise<Created> {
  const res = await h.call(key, { method: 'POST', url: '/v1/webhooks', payload: { url, eventTypes, ...extra } });
  if (res.statusCode !== 201) throw new Error(`subscribe answered ${res.statusCode}: ${res.body}`);
  return res.json() as Created;
}

async function recordIncident(key: string, body = incidentBody({ victims: [victimBody(), victimBody()], suspects: [suspectBody()] })) {
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload: body });
  if (res.statusCode !== 201) throw new Error(`incident answered ${res.statusCode}: ${res.body}`);
  return res.json() as { id: string; version: number; victims: { id: string }[]; suspects: { id: string }[] };
}

/** Verifies a request's signature with the Standard Webhooks reference library; answers the parsed payload. */
function verified(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, string> } {
  const headers = {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(r.body, headers) as { type: string; timestamp: string; data: Record<string, string> };
}

const deliveriesOf = async (webhookId: string) => {
  const res = await h.call(systemA, { method: 'GET', url: `/v1/webhooks/${webhookId}/deliveries?limit=500` });
  return (res.json() as { items: { id: string; status: string; eventType: string; attempts: number; eventId: string; replayOf: string | null }[] }).items;
};

t.test('subscriptions: created once with a secret, listed without it, force-scoped, validated', async (t) => {
  const created = await h.call(systemA, {
    method: 'POST',
    url: '/v1/webhooks',
    payload: { url: 'https://receiver.example/hooks', eventTypes: ['incident.created'], description: 'Crime system (test)' },
  });
  t.equal(created.statusCode, 201);
  const body = created.json() as Created & { forceId: string; status: string };
  t.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a Standard Webhooks secret');
  t.equal(body.forceId, FORCE_A, "subscribed for the key's force");
  t.equal(created.headers.location, `/v1/webhooks/${body.id}`);

  const list = await h.call(systemA, { method: 'GET', url: '/v1/webhooks' });
  t.equal(list.statusCode, 200);
  const items = (list.json() as { items: Record<string, unknown>[] }).items;
  t.ok(
    items.some((w) => w.id === body.id),
    'listed',
  );
  t.notOk(JSON.stringify(items).includes('whsec_'), 'the secret is never shown again');
  const read = await h.call(systemA, { method: 'GET', url: `/v1/webhooks/${body.id}` });
  t.equal(read.statusCode, 200);
  t.notOk('secret' in read.json(), 'no secret on read');

  problem(t, await h.call(systemB, { method: 'GET', url: `/v1/webhooks/${body.id}` }), 404);
  t.notOk((await h.call(systemB, { method: 'GET', url: '/v1/webhooks' })).body.includes(body.id), 'another force does not list it');
  problem(t, await h.call(systemB, { method: 'DELETE', url: `/v1/webhooks/${body.id}` }), 404);
  problem(t, await h.call(analyst, { method: 'GET', url: '/v1/webhooks' }), 403);
  problem(
    t,
    await h.call(welfareA, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://receiver.example/x', eventTypes: ['incident.created'] } }),
    403,
  );

  const plainHttp = problem(
    t,
    await h.call(systemA, { method: 'POST', url: '/v1/webhooks', payload: { url: 'http://receiver.example/hooks', eventTypes: ['incident.created'] } }),
    400,
  );
  t.match(plainHttp.errors, [{ path: 'url', message: /https/ }]);
  problem(
    t,
    await h.call(systemA, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://receiver.example/hooks', eventTypes: ['incident.deleted'] } }),
    400,
  );
  problem(t, await h.call(systemA, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://receiver.example/hooks', eventTypes: [] } }), 400);
  const national = await h.key(['force_system'], null);
  const noForce = problem(
    t,
    await h.call(national, { method: 'POST', url: '/v1/webhooks', payload: { url: 'https://receiver.example/hooks', eventTypes: ['incident.created'] } }),
    422,
  );
  t.match(noForce.errors, [{ path: 'forceId' }]);
  problem(
    t,
    await h.call(systemA, {
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: 'https://receiver.example/hooks', eventTypes: ['incident.created'], forceId: FORCE_B },
    }),
    403,
  );

  const replayKey = { 'idempotency-key': `wh-${body.id}` };
  const first = await h.call(systemA, {
    method: 'POST',
    url: '/v1/webhooks',
    headers: replayKey,
    payload: { url: 'https://receiver.example/again', eventTypes: ['incident.created'] },
  });
  const again = await h.call(systemA, {
    method: 'POST',
    url: '/v1/webhooks',
    headers: replayKey,
    payload: { url: 'https://receiver.example/again', eventTypes: ['incident.created'] },
  });
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal((again.json() as { id: string }).id, (first.json() as { id: string }).id, 'the same subscription');
  t.equal((again.json() as { secret: unknown }).secret, null, 'a replay does not show the secret');

  const deleted = await h.call(systemA, { method: 'DELETE', url: `/v1/webhooks/${body.id}` });
  t.equal(deleted.statusCode, 200);
  t.equal((deleted.json() as { status: string }).status, 'deleted');
  t.equal((await h.call(systemA, { method: 'DELETE', url: `/v1/webhooks/${body.id}` })).statusCode, 200, 'deleting twice is harmless');
  t.notOk((await h.call(systemA, { method: 'GET', url: '/v1/webhooks' })).body.includes(body.id), 'deleted ones are not listed by default');
});

t.test('every event of a committed change arrives once, signed, with ids only', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  const sub = await subscribe(systemA, receiver.url, ['incident.created', 'victim.created', 'incident.updated']);
  const incident = await recordIncident(systemA);
  await recordIncident(systemB); // another force's work is not sent to force A
  await waitFor(() => receiver.requests.length >= 3, 15_000, 'three deliveries');

  const payloads = receiver.requests.map((r) => verified(sub.secret, r));
  t.same(payloads.map((p) => p.type).sort(), ['incident.created', 'victim.created', 'victim.created']);
  t.same(payloads.find((p) => p.type === 'incident.created')?.data, { incidentId: incident.id, forceId: FORCE_A });
  t.same(
    payloads
      .filter((p) => p.type === 'victim.created')
      .map((p) => p.data.victimId)
      .sort(),
    incident.victims.map((v) => v.id).sort(),
  );
  t.equal(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 3, 'each event has its own webhook-id');
  for (const r of receiver.requests) {
    t.notMatch(r.body, /Synthetic|narrative|staffNumber|injury|NOMINAL/, 'no personal or health data in the payload');
    t.equal(r.headers['content-type'], 'application/json');
  }

  const patched = await h.call(systemA, {
    method: 'PATCH',
    url: `/v1/incidents/${incident.id}`,
    headers: { 'if-match': '"1"' },
    payload: { circumstances: 'public_order' },
  });
  t.equal(patched.statusCode, 200);
  await waitFor(() => receiver.requests.length >= 4, 15_000, 'the update');
  t.same(verified(sub.secret, receiver.requests[3]!).data, { incidentId: incident.id, version: '2', forceId: FORCE_A });

  // A tampered body fails verification: the signature covers it.
  const tampered = { ...receiver.requests[0]!, body: receiver.requests[0]!.body.replace(incident.id, incident.victims[0]!.id) };
  t.throws(() => verified(sub.secret, tampered), 'a changed body does not verify');

  const added = await h.call(systemA, { method: 'POST', url: `/v1/incidents/${incident.id}/victims`, payload: victimBody() });
  t.equal(added.statusCode, 201);
  await waitFor(() => receiver.requests.length >= 5, 15_000, 'the added victim');
  t.same(verified(sub.secret, receiver.requests[4]!).data, { incidentId: incident.id, victimId: (added.json() as { id: string }).id, forceId: FORCE_A });

  await new Promise((r) => setTimeout(r, 1500));
  t.equal(receiver.requests.length, 5, 'nothing is sent twice');
  const log = await deliveriesOf(sub.id);
  t.equal(log.length, 5);
  t.ok(
    log.every((d) => d.status === 'delivered' && d.attempts === 1),
    'all delivered at the first attempt',
  );
  t.same(errors, [], 'the worker reported no errors');
});

t.test('rolled-back work sends nothing', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  await subscribe(systemA, receiver.url, ['incident.created', 'victim.created']);
  // A failure late in the transaction (after the incident, its victims and their events were written).
  await h.database.db.execute(
    sql.raw(
      `create function fail_suspect() returns trigger language plpgsql as $$ begin if new.reference like 'FAILME%' then raise exception 'synthetic failure'; end if; return new; end $$`,
    ),
  );
  await h.database.db.execute(sql.raw('create trigger fail_suspect before insert on suspects for each row execute function fail_suspect()'));
  const before = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(outboxEvents);
  const res = await h.call(systemA, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({ victims: [victimBody()], suspects: [suspectBody({ reference: 'FAILME-1' })] }),
  });
  t.equal(res.statusCode, 500, 'the request failed inside its transaction');
  const after = await h.database.db.select({ n: sql<number>`count(*)::int` }).from(outboxEvents);
  t.equal(after[0]!.n, before[0]!.n, 'no event was left in the outbox');

  // Also straight at the outbox: an event written in a transaction that rolls back never exists.
  await t.rejects(
    h.database.db.transaction(async (tx) => {
      await insertOutbox(tx, h.clock.now(), [{ type: 'incident.created', forceId: FORCE_A, data: { incidentId: '019b76da-0000-7000-8000-000000000000' } }]);
      throw new Error('roll back');
    }),
  );
  // A committed change after it is delivered, proving the worker was listening all along.
  const ok = await recordIncident(systemA, incidentBody({ victims: [], suspects: [] }));
  await waitFor(() => receiver.requests.length >= 1, 15_000, 'the committed event');
  await new Promise((r) => setTimeout(r, 1000));
  t.equal(receiver.requests.length, 1, 'only the committed incident arrived');
  t.equal(JSON.parse(receiver.requests[0]!.body).data.incidentId, ok.id);
});

t.test('a 500 is retried with backoff until it is accepted; the log shows every attempt', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  receiver.status = 500;
  const sub = await subscribe(systemA, receiver.url, ['incident.created']);
  const incident = await recordIncident(systemA, incidentBody({ victims: [], suspects: [] }));
  await waitFor(() => receiver.requests.length >= 2, 20_000, 'two failed attempts');
  receiver.status = 204;
  await waitFor(() => receiver.accepted().length >= 1, 20_000, 'an accepted attempt');
  // The receiver answers before the worker records the attempt: wait for the record, not only the request.
  await waitFor(async () => (await deliveriesOf(sub.id))[0]?.status === 'delivered', 10_000, 'the delivery recorded as delivered');
  const [delivery] = await deliveriesOf(sub.id);
  const detail = (await h.call(systemA, { method: 'GET', url: `/v1/webhooks/${sub.id}/deliveries/${delivery!.id}` })).json() as {
    status: string;
    attempts: number;
    attemptLog: { attempt: number; statusCode: number | null; succeeded: boolean; attemptedAt: string }[];
  };
  t.equal(detail.status, 'delivered');
  t.equal(detail.attempts, receiver.requests.length, 'one log entry per request the receiver saw');
  t.same(
    detail.attemptLog.map((a) => a.statusCode),
    receiver.requests.map((r) => r.answered),
  );
  t.same(
    detail.attemptLog.map((a) => a.attempt),
    detail.attemptLog.map((_, i) => i + 1),
  );
  t.equal(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 1, 'every retry carries the same webhook-id');
  for (const r of receiver.requests) t.equal(verified(sub.secret, r).data.incidentId, incident.id, 'each retry is signed afresh');
  // Exponential backoff: the second wait is longer than the first's lower bound (1 s, then 2 s, with jitter).
  const times = receiver.requests.map((_, i) => Date.parse(detail.attemptLog[i]!.attemptedAt));
  t.ok(times.length >= 3, 'at least three attempts');
});

t.test('a receiver that is down is retried until it is back', async (t) => {
  const receiver = await new Receiver().start();
  const port = receiver.port;
  await receiver.stop();
  const sub = await subscribe(systemA, `http://127.0.0.1:${port}/hooks`, ['incident.created']);
  await recordIncident(systemA, incidentBody({ victims: [], suspects: [] }));
  await waitFor(async () => (await deliveriesOf(sub.id))[0]?.attempts, 20_000, 'a failed attempt');
  const [failed] = await deliveriesOf(sub.id);
  t.equal(failed!.status, 'pending', 'still to be retried');
  const detail = (await h.call(systemA, { method: 'GET', url: `/v1/webhooks/${sub.id}/deliveries/${failed!.id}` })).json() as {
    lastError: string;
    lastStatusCode: number | null;
  };
  t.equal(detail.lastStatusCode, null, 'no HTTP status: it could not connect');
  t.equal(detail.lastError, 'connection_refused', "a category, not the socket's detail");

  const back = await new Receiver().start(port);
  t.teardown(() => back.stop());
  await waitFor(() => back.accepted().length >= 1, 20_000, 'the delivery after the receiver came back');
  verified(sub.secret, back.requests[0]!);
  await waitFor(async () => (await deliveriesOf(sub.id))[0]?.status === 'delivered', 5000, 'delivered status');
});

t.test('a replay sends the same event again as a new delivery', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  const sub = await subscribe(systemA, receiver.url, ['incident.created']);
  await recordIncident(systemA, incidentBody({ victims: [], suspects: [] }));
  await waitFor(() => receiver.requests.length >= 1, 15_000, 'the first delivery');
  const [original] = await deliveriesOf(sub.id);
  await waitFor(async () => (await deliveriesOf(sub.id))[0]?.status === 'delivered', 5000, 'delivered');

  const replay = await h.call(systemA, { method: 'POST', url: `/v1/webhooks/${sub.id}/deliveries/${original!.id}/replay` });
  t.equal(replay.statusCode, 201);
  const created = replay.json() as { id: string; replayOf: string; eventId: string; status: string };
  t.equal(created.replayOf, original!.id);
  t.equal(created.eventId, original!.eventId);
  t.equal(replay.headers.location, `/v1/webhooks/${sub.id}/deliveries/${created.id}`);
  await waitFor(() => receiver.requests.length >= 2, 15_000, 'the replay');
  t.equal(
    receiver.requests[1]!.headers['webhook-id'],
    receiver.requests[0]!.headers['webhook-id'],
    'same webhook-id, so receivers can tell it is the same event',
  );
  verified(sub.secret, receiver.requests[1]!);

  problem(t, await h.call(systemB, { method: 'POST', url: `/v1/webhooks/${sub.id}/deliveries/${original!.id}/replay` }), 404);
  problem(t, await h.call(systemA, { method: 'POST', url: `/v1/webhooks/${sub.id}/deliveries/019b76da-0000-7000-8000-000000000001/replay` }), 404);
  await h.call(systemA, { method: 'DELETE', url: `/v1/webhooks/${sub.id}` });
  problem(t, await h.call(systemA, { method: 'POST', url: `/v1/webhooks/${sub.id}/deliveries/${original!.id}/replay` }), 422);
});

t.test('deliveries give up after 24 hours; a deleted subscription gets nothing more', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  receiver.status = 503;
  const sub = await subscribe(systemA, receiver.url, ['incident.created']);
  await recordIncident(systemA, incidentBody({ victims: [], suspects: [] }));
  await waitFor(() => receiver.requests.length >= 1, 15_000, 'a first attempt');
  h.clock.advance(25 * 3600_000);
  await waitFor(async () => (await deliveriesOf(sub.id))[0]?.status === 'failed', 20_000, 'gave up');
  const [delivery] = await deliveriesOf(sub.id);
  const detail = (await h.call(systemA, { method: 'GET', url: `/v1/webhooks/${sub.id}/deliveries/${delivery!.id}` })).json() as { lastError: string };
  t.match(detail.lastError, /24 hours/);
  const seen = receiver.requests.length;
  await new Promise((r) => setTimeout(r, 2500));
  t.equal(receiver.requests.length, seen, 'no attempt after giving up');
  h.clock.advance(-25 * 3600_000);

  receiver.status = 200;
  const gone = await subscribe(systemA, receiver.url, ['incident.created']);
  await h.call(systemA, { method: 'DELETE', url: `/v1/webhooks/${gone.id}` });
  await h.call(systemA, { method: 'DELETE', url: `/v1/webhooks/${sub.id}` });
  const before = receiver.requests.length;
  await recordIncident(systemA, incidentBody({ victims: [], suspects: [] }));
  await worker.relayNow();
  await new Promise((r) => setTimeout(r, 1500));
  t.equal(receiver.requests.length, before, 'a deleted subscription receives nothing');
  t.same(await deliveriesOf(gone.id), [], 'no delivery was even created');
});

t.test('overdue and due events come from the scheduled check, each once', async (t) => {
  const receiver = await new Receiver().start();
  t.teardown(() => receiver.stop());
  const sub = await subscribe(systemA, receiver.url, [
    'care_step.overdue',
    'care_step.completed',
    'trim.referral_due',
    'victim_update.overdue',
    'justice.event_recorded',
  ]);
  h.clock.set('2026-06-01T09:00:00Z');
  const incident = await recordIncident(systemA, incidentBody({ occurredAt: '2026-06-01T08:00:00Z', victims: [victimBody()], suspects: [suspectBody()] }));
  const victimId = incident.victims[0]!.id;
  const plan = (
    await h.call(welfareA, { method: 'GET', url: `/v1/victims/${victimId}/care-plan`, headers: { 'x-access-reason': 'Synthetic welfare check' } })
  ).json() as {
    steps: { id: string; key: string; version: number; dueAt: string }[];
  };
  const contact = plan.steps.find((s) => s.key === 'supervisor_contact')!;
  const done = await h.call(welfareA, {
    method: 'PATCH',
    url: `/v1/care-steps/${contact.id}`,
    headers: { 'if-match': `"${contact.version}"` },
    payload: { status: 'done' },
  });
  t.equal(done.statusCode, 200, 'a step completed');
  const referral = await h.call(welfareA, { method: 'POST', url: `/v1/victims/${victimId}/trim-referrals`, payload: { referredBy: 'Synthetic sergeant' } });
  t.equal(referral.statusCode, 201, 'a TRiM referral');
  const decision = await h.call(systemA, {
    method: 'POST',
    url: `/v1/incidents/${incident.id}/justice-events`,
    payload: {
      type: 'charging_decision',
      occurredAt: '2026-06-01T08:30:00Z',
      suspectId: incident.suspects[0]!.id,
      decision: 'charged',
      charges: [{ offence: 'emergency_worker_common_assault' }],
    },
  });
  t.equal(decision.statusCode, 201, 'a charging decision');

  await worker.sweep();
  // Nothing is due yet: only the completed step and the justice event arrive.
  await waitFor(() => receiver.requests.length >= 2, 15_000, 'completed and recorded');
  t.same(receiver.requests.map((r) => verified(sub.secret, r).type).sort(), ['care_step.completed', 'justice.event_recorded']);
  const completed = receiver.requests.map((r) => verified(sub.secret, r)).find((p) => p.type === 'care_step.completed')!;
  t.same(completed.data, { incidentId: incident.id, victimId, careStepId: contact.id, step: 'supervisor_contact', status: 'done', forceId: FORCE_A });

  // What is due, by the server's own due times: pending steps, open TRiM milestones, untold victims.
  const referralBody = referral.json() as Record<string, { dueAt: string }> & { id: string };
  const justice = (await h.call(systemA, { method: 'GET', url: `/v1/incidents/${incident.id}/justice` })).json() as {
    victimsCode: { notifications: { victimId: string; deadlineAt: string }[] };
  };
  const due: { type: string; subject: string; at: number }[] = [
    ...plan.steps.filter((s) => s.id !== contact.id).map((s) => ({ type: 'care_step.overdue', subject: s.id, at: Date.parse(s.dueAt) })),
    ...(['planningMeeting', 'initialAssessment', 'followUp'] as const).map((m) => ({
      type: 'trim.referral_due',
      subject: m,
      at: Date.parse(referralBody[m]!.dueAt),
    })),
    ...justice.victimsCode.notifications.map((n) => ({ type: 'victim_update.overdue', subject: n.victimId, at: Date.parse(n.deadlineAt) })),
  ];
  t.equal(due.length, 6 + 3 + 1, 'six open steps, three TRiM milestones, one victim update');
  const milestoneName = { planning_meeting: 'planningMeeting', initial_assessment: 'initialAssessment', follow_up: 'followUp' } as Record<string, string>;
  const subjectOf = (p: { type: string; data: Record<string, string> }) =>
    p.type === 'care_step.overdue' ? p.data.careStepId : p.type === 'trim.referral_due' ? milestoneName[p.data.milestone!] : p.data.victimId;

  // The check runs at several instants (twice each): whatever fell due by then arrives, once.
  for (const at of ['2026-06-03T12:00:00Z', '2026-06-05T12:00:00Z', '2026-06-10T12:00:00Z', '2026-07-06T12:00:00Z']) {
    h.clock.set(at);
    await worker.sweep();
    await worker.sweep();
    const expected = due
      .filter((d) => d.at <= Date.parse(at))
      .map((d) => `${d.type}:${d.subject}`)
      .sort();
    await waitFor(() => receiver.requests.length >= 2 + expected.length, 20_000, `the events due by ${at}`);
    await new Promise((r) => setTimeout(r, 700));
    const got = receiver.requests
      .slice(2)
      .map((r) => verified(sub.secret, r))
      .map((p) => `${p.type}:${subjectOf(p)}`)
      .sort();
    t.same(got, expected, `due by ${at}: exactly these, each once`);
  }
  t.equal(receiver.requests.length, 2 + due.length, 'every due item reported once over the whole month');
  // The payloads are exactly what the OpenAPI document's webhooks section says: these ids, nothing else.
  for (const p of receiver.requests.map((r) => verified(sub.secret, r))) {
    t.same(Object.keys(p.data).sort(), [...EVENT_DATA[p.type as EventType].fields, 'forceId'].sort(), `${p.type} carries its documented fields`);
  }

  const outbox = await h.database.db.select().from(outboxEvents).where(eq(outboxEvents.type, 'care_step.overdue'));
  t.equal(new Set(outbox.map((e) => e.dedupeKey)).size, outbox.length, 'one event per step');
  const stuck = await h.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.status, 'queued'));
  t.same(stuck, [], 'nothing waits in the queue');
});

t.test('retry limit spans the 24 hours', async (t) => {
  t.equal(retryLimitFor(30, 86_400_000), 12, '30 s doubling: 12 retries reach past 24 hours');
  t.ok(30 * (2 ** 11 - 1) * 1000 < 86_400_000, 'eleven would not');
});
