// Webhooks: the transactional outbox of domain events, a force's subscriptions, and the delivery log.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { DELIVERY_STATUSES, WEBHOOK_STATUSES, type DeliveryStatus, type WebhookStatus } from '../../shared/enums.ts';
import { EVENT_TYPES, type EventType } from '../../shared/events.ts';
import { allOf, oneOf } from './checks.ts';
import { forceRef } from './forces.ts';
import { at, createdBy, ref } from './columns.ts';

/** One domain event, written in the same transaction as the change it reports. */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: uuid('id').primaryKey(),
    forceId: forceRef(),
    type: text('type').$type<EventType>().notNull(),
    /** Ids only (never personal or health data): what the webhook payload's `data` carries. */
    data: jsonb('data').$type<Record<string, string>>().notNull(),
    occurredAt: at('occurred_at').notNull(),
    /** Scheduled events (overdue, due) name what they are about, so each is emitted once. */
    dedupeKey: text('dedupe_key').unique(),
    relayedAt: at('relayed_at'),
  },
  (t) => [
    index('outbox_events_pending_idx')
      .on(t.id)
      .where(sql`${t.relayedAt} is null`),
    oneOf('outbox_events_type_check', t.type, EVENT_TYPES),
  ],
);

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey(),
    forceId: forceRef(),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().$type<EventType[]>().notNull(),
    description: text('description'),
    /** The signing secret (whsec_...): needed in clear to sign, shown to the caller once. */
    secret: text('secret').notNull(),
    status: text('status').$type<WebhookStatus>().notNull().default('active'),
    ...createdBy(),
    deletedAt: at('deleted_at'),
  },
  (t) => [
    index('webhook_subscriptions_force_idx').on(t.forceId, t.status),
    allOf('webhook_subscriptions_event_types_check', t.eventTypes, EVENT_TYPES),
    oneOf('webhook_subscriptions_status_check', t.status, WEBHOOK_STATUSES),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    subscriptionId: ref('subscription_id', () => webhookSubscriptions.id),
    eventId: ref('event_id', () => outboxEvents.id),
    forceId: forceRef(),
    /** queued (replay, waiting for the relay), pending (trying, or waiting to retry), delivered, failed (gave up), cancelled (subscription deleted). */
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: at('last_attempt_at'),
    deliveredAt: at('delivered_at'),
    replayOf: uuid('replay_of'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt.desc(), t.id.desc()),
    index('webhook_deliveries_queued_idx')
      .on(t.id)
      .where(sql`${t.status} = 'queued'`),
    oneOf('webhook_deliveries_status_check', t.status, DELIVERY_STATUSES),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: ref('delivery_id', () => webhookDeliveries.id),
    attempt: integer('attempt').notNull(),
    attemptedAt: at('attempted_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
);
