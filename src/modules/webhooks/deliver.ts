// Delivery attempts: the Standard Webhooks request (signed with HMAC-SHA256), its log, and its outcome.
import { createHmac } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outboxEvents, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import type { WebhookSender } from './target.ts';

/** The three Standard Webhooks headers for a body: the signature covers `${id}.${timestamp}.${body}`. */
export function signatureHeaders(secret: string, messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

export interface DeliverOptions {
  db: Db;
  clock: Clock;
  /** Give up on a delivery this long after it was created (24 hours). */
  maxAgeMs: number;
  timeoutMs: number;
  /** Sends the request: only to allowed addresses, no redirects, errors as categories. */
  sender: WebhookSender;
}

type AttemptOutcome = 'delivered' | 'retry' | 'failed';
type AttemptRow = typeof webhookAttempts.$inferInsert;
type DeliveryChange = { id: string } & Partial<typeof webhookDeliveries.$inferInsert>;

/**
 * Tries a job's deliveries once each, in order, and stops at the first that must be retried (answering
 * 'retry': the queue retries the job with backoff, and deliveries already made are skipped then). `lastTry`
 * is set when the queue will not retry again: a failure then is final and the next delivery is tried.
 * One query reads them all and one statement records every attempt, whatever happens in between.
 */
export async function attemptDeliveries(opts: DeliverOptions, deliveryIds: readonly string[], lastTry: boolean): Promise<'retry' | 'done'> {
  const byId = await deliveriesOf(opts.db, deliveryIds);
  const attempts: AttemptRow[] = [];
  const changes: DeliveryChange[] = [];
  let result: 'retry' | 'done' = 'done';
  try {
    for (const deliveryId of deliveryIds) {
      const row = byId.get(deliveryId);
      if (!row || row.delivery.status !== 'pending') continue;
      const settled = withoutSending(opts, row);
      if (settled) {
        changes.push(settled);
        continue;
      }
      const { attempt, change } = await send(opts, row, lastTry);
      attempts.push(attempt);
      changes.push(change);
      if (change.status === 'pending') {
        result = 'retry';
        break;
      }
    }
  } finally {
    if (changes.length > 0) await recordAttempts(opts.db, attempts, changes);
  }
  return result;
}

/** A job's deliveries with their subscription and event, in one query. */
async function deliveriesOf(db: Db, deliveryIds: readonly string[]) {
  const rows = await db
    .select({
      delivery: { id: webhookDeliveries.id, status: webhookDeliveries.status, attempts: webhookDeliveries.attempts, createdAt: webhookDeliveries.createdAt },
      subscription: { status: webhookSubscriptions.status, url: webhookSubscriptions.url, secret: webhookSubscriptions.secret },
      event: { id: outboxEvents.id, type: outboxEvents.type, occurredAt: outboxEvents.occurredAt, data: outboxEvents.data, forceId: outboxEvents.forceId },
    })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(inArray(webhookDeliveries.id, [...deliveryIds]));
  return new Map(rows.map((r) => [r.delivery.id, r]));
}

type DeliveryRow = NonNullable<ReturnType<Awaited<ReturnType<typeof deliveriesOf>>['get']>>;

/** A delivery settled without sending: its subscription was deleted, or it is too old to be worth sending. */
function withoutSending(opts: DeliverOptions, { delivery, subscription }: DeliveryRow): DeliveryChange | null {
  if (subscription.status !== 'active') return { id: delivery.id, status: 'cancelled', lastError: null };
  if (opts.clock.now().getTime() - delivery.createdAt.getTime() > opts.maxAgeMs) {
    return { id: delivery.id, status: 'failed', lastError: `gave up: not delivered within ${Math.round(opts.maxAgeMs / 3_600_000)} hours` };
  }
  return null;
}

/** One signed POST of the event to the subscription's URL: the attempt, and the delivery's new state. */
async function send(opts: DeliverOptions, { delivery, subscription, event }: DeliveryRow, lastTry: boolean) {
  const body = JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: { ...event.data, forceId: event.forceId } });
  // The signature's time is the real time of sending: receivers check it against their own clock.
  const headers = signatureHeaders(subscription.secret, event.id, Math.floor(Date.now() / 1000), body);
  const attemptedAt = opts.clock.now();
  const started = performance.now();
  const { statusCode, error } = await opts.sender.post(
    subscription.url,
    { ...headers, 'content-type': 'application/json', 'user-agent': 'officer-assault-register-webhooks/1' },
    body,
    opts.timeoutMs,
  );
  const succeeded = error === null;
  const outcome: AttemptOutcome = succeeded ? 'delivered' : lastTry ? 'failed' : 'retry';
  const attempt = delivery.attempts + 1;
  const durationMs = Math.round(performance.now() - started);
  return {
    attempt: { id: newId(), deliveryId: delivery.id, attempt, attemptedAt, durationMs, statusCode, error, succeeded } satisfies AttemptRow,
    change: {
      id: delivery.id,
      attempts: attempt,
      lastStatusCode: statusCode,
      lastError: error,
      lastAttemptAt: attemptedAt,
      status: outcome === 'retry' ? 'pending' : outcome,
      deliveredAt: succeeded ? attemptedAt : null,
    } satisfies DeliveryChange,
  };
}

/**
 * Records a job's attempts and its deliveries' new state in one statement (atomic without a transaction,
 * one round trip instead of one per delivery). A change without an attempt (cancelled, given up) sets only
 * the status and the error.
 */
async function recordAttempts(db: Db, attempts: AttemptRow[], changes: DeliveryChange[]): Promise<void> {
  const insert =
    attempts.length === 0
      ? sql``
      : sql`with recorded as (
          insert into ${webhookAttempts} (id, delivery_id, attempt, attempted_at, duration_ms, status_code, error, succeeded)
          values ${sql.join(
            attempts.map(
              (a) =>
                sql`(${a.id}::uuid, ${a.deliveryId}::uuid, ${a.attempt}::int, ${a.attemptedAt}::timestamptz, ${a.durationMs}::int, ${a.statusCode ?? null}::int, ${a.error ?? null}::text, ${a.succeeded}::boolean)`,
            ),
            sql`, `,
          )}
        ) `;
  const values = sql.join(
    changes.map(
      (c) =>
        sql`(${c.id}::uuid, ${c.status}::text, ${c.lastError ?? null}::text, ${c.attempts !== undefined}::boolean, ${c.attempts ?? null}::int, ${c.lastStatusCode ?? null}::int, ${c.lastAttemptAt ?? null}::timestamptz, ${c.deliveredAt ?? null}::timestamptz)`,
    ),
    sql`, `,
  );
  await db.execute(sql`${insert}update ${webhookDeliveries} as d set
      status = v.status,
      last_error = v.last_error,
      attempts = case when v.attempted then v.attempts else d.attempts end,
      last_status_code = case when v.attempted then v.last_status_code else d.last_status_code end,
      last_attempt_at = case when v.attempted then v.last_attempt_at else d.last_attempt_at end,
      delivered_at = case when v.attempted then v.delivered_at else d.delivered_at end
    from (values ${values}) as v(id, status, last_error, attempted, attempts, last_status_code, last_attempt_at, delivered_at)
    where d.id = v.id`);
}
