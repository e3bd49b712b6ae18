// Webhook subscriptions of a force, their delivery log, and replays. Force-scoped; writes audited.
import { newestFirst } from '../../db/pages.ts';
import { rowById, type Scope } from '../../db/scope.ts';
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { outboxEvents, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { page } from '../../shared/cursor.ts';
import { newId } from '../../shared/ids.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { targetForce } from '../../shared/principal.ts';
import { forceExists } from '../principals/service.ts';
import type { EventType } from '../../shared/events.ts';
import type { DeliveryStatus } from '../../shared/enums.ts';
import type { DeliveryView, WebhookCreate, WebhookView } from './schemas.ts';
import type { AddressPolicy } from '../../shared/address-policy.ts';
import { targetRefusal } from './target.ts';

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Wakes the relay when this transaction commits (replays are picked up like new events). */
export const WAKE_RELAY = sql`select pg_notify('oar_outbox', '')`;

function webhookView(row: SubscriptionRow): WebhookView {
  return {
    id: row.id,
    forceId: row.forceId,
    url: row.url,
    eventTypes: row.eventTypes,
    description: row.description,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

function deliveryView(row: DeliveryRow, eventType: EventType): DeliveryView {
  return {
    id: row.id,
    webhookId: row.subscriptionId,
    eventId: row.eventId,
    eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    replayOf: row.replayOf,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `targets`: the operator's exceptions to "public addresses only" (WEBHOOK_ALLOW_HOSTS). */
export async function createWebhook(scope: Scope, input: WebhookCreate, targets: AddressPolicy): Promise<WebhookView & { secret: string }> {
  const { tx, actor } = scope;
  const forceId = targetForce(actor, input.forceId, { record: 'the subscription is for', ownOnly: 'subscribe' });
  if (!(await forceExists(tx, forceId))) throw Errors.unknownForce();
  const refusal = await targetRefusal(input.url, targets);
  if (refusal) throw Errors.webhookTargetNotAllowed(refusal);
  const secret = newSecret();
  const [row] = await tx
    .insert(webhookSubscriptions)
    .values({
      id: newId(),
      forceId,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      description: input.description ?? null,
      secret,
      status: 'active',
      createdBy: actor.principal.id,
      createdAt: scope.now,
    })
    .returning();
  scope.audit({ action: 'create', resourceType: 'webhook', resourceId: row!.id, forceId, changedFields: Object.keys(input) });
  return { ...webhookView(row!), secret };
}

async function visibleWebhook(scope: Scope, id: string, lock = false): Promise<SubscriptionRow> {
  const row = await rowById(scope, webhookSubscriptions, id, lock);
  if (!row) throw Errors.notFound('webhook', id);
  return row;
}

export async function getWebhook(scope: Scope, id: string): Promise<WebhookView> {
  return webhookView(await visibleWebhook(scope, id));
}

export async function listWebhooks(scope: Scope, query: { forceId?: string | undefined; includeDeleted: boolean; limit: number; cursor?: string | undefined }) {
  const { tx: q, force } = scope;
  const conditions: (SQL | undefined)[] = [
    force === null ? undefined : eq(webhookSubscriptions.forceId, force),
    query.forceId ? eq(webhookSubscriptions.forceId, query.forceId) : undefined,
    query.includeDeleted ? undefined : eq(webhookSubscriptions.status, 'active'),
  ];
  const result = await newestFirst(q, webhookSubscriptions, 'createdAt', conditions, query);
  return { items: result.items.map(webhookView), nextCursor: result.nextCursor };
}

/** Ends a subscription: nothing more is sent to it, pending deliveries are cancelled. Deleting twice is harmless. */
export async function deleteWebhook(scope: Scope, id: string): Promise<WebhookView> {
  const { tx } = scope;
  const row = await visibleWebhook(scope, id, true);
  if (row.status === 'deleted') return webhookView(row);
  const [updated] = await tx.update(webhookSubscriptions).set({ status: 'deleted', deletedAt: scope.now }).where(eq(webhookSubscriptions.id, id)).returning();
  await tx
    .update(webhookDeliveries)
    .set({ status: 'cancelled' })
    .where(and(eq(webhookDeliveries.subscriptionId, id), sql`${webhookDeliveries.status} in ('queued', 'pending')`));
  scope.audit({ action: 'update', resourceType: 'webhook', resourceId: id, forceId: row.forceId, changedFields: ['status', 'deletedAt'] });
  return webhookView(updated!);
}

export async function listDeliveries(
  scope: Scope,
  webhookId: string,
  query: { status?: DeliveryStatus | undefined; limit: number; cursor?: string | undefined },
) {
  const q = scope.tx;
  await visibleWebhook(scope, webhookId);
  const rows = await q
    .select({ delivery: webhookDeliveries, eventType: outboxEvents.type })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.subscriptionId, webhookId),
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        olderThanCursor(webhookDeliveries.createdAt, webhookDeliveries.id, query.cursor),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const result = page(rows, query.limit, (r) => ({ at: r.delivery.createdAt.toISOString(), id: r.delivery.id }));
  return { items: result.items.map((r) => deliveryView(r.delivery, r.eventType)), nextCursor: result.nextCursor };
}

async function visibleDelivery(scope: Scope, webhookId: string, deliveryId: string) {
  const q = scope.tx;
  await visibleWebhook(scope, webhookId);
  const [row] = await q
    .select({ delivery: webhookDeliveries, eventType: outboxEvents.type })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, webhookId)));
  if (!row) throw Errors.notFound('webhook-delivery', deliveryId);
  return row;
}

export async function getDelivery(scope: Scope, webhookId: string, deliveryId: string) {
  const row = await visibleDelivery(scope, webhookId, deliveryId);
  const attempts = await scope.tx.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(asc(webhookAttempts.attempt));
  return {
    ...deliveryView(row.delivery, row.eventType),
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      attemptedAt: a.attemptedAt.toISOString(),
      durationMs: a.durationMs,
      statusCode: a.statusCode,
      error: a.error,
      succeeded: a.succeeded,
    })),
  };
}

/** Sends a delivery's event again, as a new delivery with the same webhook-id (the event id). */
export async function replayDelivery(scope: Scope, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  const { tx } = scope;
  const webhook = await visibleWebhook(scope, webhookId);
  if (webhook.status !== 'active') throw Errors.rule('The subscription is deleted: nothing can be sent to it.');
  const original = await visibleDelivery(scope, webhookId, deliveryId);
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({
      id: newId(),
      subscriptionId: webhookId,
      eventId: original.delivery.eventId,
      forceId: webhook.forceId,
      status: 'queued',
      replayOf: deliveryId,
      createdAt: scope.now,
    })
    .returning();
  await tx.execute(WAKE_RELAY);
  scope.audit({ action: 'create', resourceType: 'webhook_delivery', resourceId: row!.id, forceId: webhook.forceId, changedFields: ['replayOf'] });
  return deliveryView(row!, original.eventType);
}
