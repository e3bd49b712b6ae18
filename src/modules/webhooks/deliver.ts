// Delivery attempts: the Standard Webhooks request (signed with HMAC-SHA256), its log, and its outcome.
import { createHmac } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
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
 * One query reads them all and one transaction records every attempt, whatever happens in between.
 */
export async function attemptDeliveries(opts: DeliverOptions, deliveryIds: readonly string[], lastTry: boolean): Promise<'retry' | 'done'> {
  const { db, clock } = opts;
  const rows = await db
    .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions, event: outboxEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(inArray(webhookDeliveries.id, [...deliveryIds]));
  const byId = new Map(rows.map((r) => [r.delivery.id, r]));
  const attempts: AttemptRow[] = [];
  const changes: DeliveryChange[] = [];
  let result: 'retry' | 'done' = 'done';
  try {
    for (const deliveryId of deliveryIds) {
      const row = byId.get(deliveryId);
      if (!row || row.delivery.status !== 'pending') continue;
      const { delivery, subscription, event } = row;
      if (subscription.status !== 'active') {
        changes.push({ id: deliveryId, status: 'cancelled', lastError: null });
        continue;
      }
      if (clock.now().getTime() - delivery.createdAt.getTime() > opts.maxAgeMs) {
        changes.push({ id: deliveryId, status: 'failed', lastError: `gave up: not delivered within ${Math.round(opts.maxAgeMs / 3_600_000)} hours` });
        continue;
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
      attempts.push({ id: newId(), deliveryId, attempt, attemptedAt, durationMs: Math.round(performance.now() - started), statusCode, error, succeeded });
      changes.push({
        id: deliveryId,
        attempts: attempt,
        lastStatusCode: statusCode,
        lastError: error,
        lastAttemptAt: attemptedAt,
        status: outcome === 'retry' ? 'pending' : outcome,
        deliveredAt: succeeded ? attemptedAt : null,
      });
      if (outcome === 'retry') {
        result = 'retry';
        break;
      }
    }
  } finally {
    if (changes.length > 0) {
      await db.transaction(async (tx) => {
        if (attempts.length > 0) await tx.insert(webhookAttempts).values(attempts);
        for (const { id, ...set } of changes) await tx.update(webhookDeliveries).set(set).where(eq(webhookDeliveries.id, id));
      });
    }
  }
  return result;
}
