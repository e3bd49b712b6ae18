// One delivery attempt: the Standard Webhooks request (signed with HMAC-SHA256), its log, and its outcome.
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { outboxEvents, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { DeliveryStatus } from '../../shared/enums.ts';
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

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

/**
 * Tries a delivery once. `lastTry` is set when the queue will not retry again; a retryable failure answers
 * 'retry' (the caller throws so the queue retries it with backoff).
 */
export async function attemptDelivery(opts: DeliverOptions, deliveryId: string, lastTry: boolean): Promise<AttemptOutcome> {
  const { db, clock } = opts;
  const [row] = await db
    .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions, event: outboxEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!row || row.delivery.status !== 'pending') return 'skipped';
  const { delivery, subscription, event } = row;
  const settle = (status: DeliveryStatus, lastError: string | null) => db.update(webhookDeliveries).set({ status, lastError }).where(eq(webhookDeliveries.id, deliveryId));
  if (subscription.status !== 'active') {
    await settle('cancelled', null);
    return 'skipped';
  }
  if (clock.now().getTime() - delivery.createdAt.getTime() > opts.maxAgeMs) {
    await settle('failed', `gave up: not delivered within ${Math.round(opts.maxAgeMs / 3_600_000)} hours`);
    return 'failed';
  }

  const body = JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: { ...event.data, forceId: event.forceId } });
  // The signature's time is the real time of sending: receivers check it against their own clock.
  const headers = signatureHeaders(subscription.secret, event.id, Math.floor(Date.now() / 1000), body);
  const attemptedAt = clock.now();
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
  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({ id: newId(), deliveryId, attempt, attemptedAt, durationMs: Math.round(performance.now() - started), statusCode, error, succeeded });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: attempt,
        lastStatusCode: statusCode,
        lastError: error,
        lastAttemptAt: attemptedAt,
        status: outcome === 'retry' ? 'pending' : outcome,
        deliveredAt: succeeded ? attemptedAt : null,
      })
      .where(eq(webhookDeliveries.id, deliveryId));
  });
  return outcome;
}
