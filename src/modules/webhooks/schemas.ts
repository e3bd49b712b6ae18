// The API contract of webhooks: a force's subscriptions and their delivery log.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { z } from 'zod';
import { IdSchema, PageQuerySchema, Timestamp } from '../../shared/http.ts';
import { EVENT_TYPES } from '../../shared/events.ts';
import { DELIVERY_STATUSES, WEBHOOK_STATUSES } from '../../shared/enums.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only to this machine (a local receiver or relay). No credentials in the URL. */
export const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  // zod runs these even when the URL check above failed: an unparsable value is that check's problem alone.
  .refine((v) => {
    const u = URL.parse(v);
    return !u || u.protocol === 'https:' || LOOPBACK.has(u.hostname);
  }, 'must be https (plain http is accepted only for localhost)')
  .refine((v) => {
    const u = URL.parse(v);
    return !u || (u.username === '' && u.password === '');
  }, 'must not carry a user name or password');

export const EventTypeSchema = z.enum(EVENT_TYPES);

export const WebhookCreateSchema = z
  .object({
    url: WebhookUrl.describe('Where events are POSTed.'),
    eventTypes: z.array(EventTypeSchema).min(1).max(EVENT_TYPES.length).describe('The events to receive.'),
    description: z.string().trim().min(1).max(500).optional().describe('What the subscription is for.'),
    forceId: IdSchema.optional().describe('Required for a national key; a force key subscribes for its own force.'),
  })
  .strict();
export type WebhookCreate = z.infer<typeof WebhookCreateSchema>;

export const WebhookSchema = z
  .object({
    id: IdSchema,
    forceId: IdSchema,
    url: z.string(),
    eventTypes: z.array(EventTypeSchema),
    description: z.string().nullable(),
    status: z.enum(WEBHOOK_STATUSES),
    createdAt: Timestamp,
    deletedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof WebhookSchema>;

export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z
    .string()
    .nullable()
    .describe('The signing secret (whsec_ + base64), shown once: verify webhook-signature with it (Standard Webhooks). null in an Idempotency-Key replay.'),
}).meta({ id: 'WebhookCreated' });

export const WebhookListQuerySchema = PageQuerySchema.extend({
  forceId: IdSchema.optional().describe('National keys: only this force.'),
  includeDeleted: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

// Value lists the database checks too: they live in src/shared/enums.ts, re-exported here under the same name.
export { DELIVERY_STATUSES };

export const AttemptSchema = z
  .object({
    attempt: z.number().int().describe('1 for the first try.'),
    attemptedAt: Timestamp,
    durationMs: z.number().int(),
    statusCode: z.number().int().nullable().describe("The receiver's HTTP status; null when it could not be reached."),
    error: z.string().nullable(),
    succeeded: z.boolean(),
  })
  .meta({ id: 'WebhookAttempt' });

export const DeliverySchema = z
  .object({
    id: IdSchema,
    webhookId: IdSchema,
    eventId: IdSchema.describe('Sent as webhook-id: the same on every retry and replay of the event.'),
    eventType: EventTypeSchema,
    status: z
      .enum(DELIVERY_STATUSES)
      .describe(
        'queued: waiting for the worker; pending: being tried or waiting to retry; delivered; failed: gave up after 24 hours or the last retry; cancelled: the subscription was deleted.',
      ),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: Timestamp.nullable(),
    deliveredAt: Timestamp.nullable(),
    replayOf: IdSchema.nullable().describe('The delivery this one replays.'),
    createdAt: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryView = z.infer<typeof DeliverySchema>;

export const DeliveryDetailSchema = DeliverySchema.extend({
  attemptLog: z.array(AttemptSchema).describe('Every attempt, oldest first.'),
}).meta({ id: 'WebhookDeliveryDetail' });

export const DeliveryListQuerySchema = PageQuerySchema.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
});

export const DeliveryParamsSchema = z.object({ id: IdSchema, deliveryId: IdSchema });

/** The `data` of each event: ids (and kinds) only. Every event's data also has forceId. */
export const EVENT_DATA: Record<(typeof EVENT_TYPES)[number], { when: string; fields: string[] }> = {
  'incident.created': { when: 'An incident was recorded (also by an import).', fields: ['incidentId'] },
  'incident.updated': { when: 'An incident was amended.', fields: ['incidentId', 'version'] },
  'victim.created': { when: 'A victim was added.', fields: ['incidentId', 'victimId'] },
  'care_step.completed': {
    when: 'A care step was settled: done, not applicable or declined.',
    fields: ['incidentId', 'victimId', 'careStepId', 'step', 'status'],
  },
  'care_step.overdue': { when: 'A pending care step passed its due time.', fields: ['incidentId', 'victimId', 'careStepId', 'step', 'dueAt'] },
  'trim.referral_due': {
    when: "An open TRiM referral's milestone (planning_meeting, initial_assessment, follow_up) fell due undone.",
    fields: ['incidentId', 'victimId', 'trimReferralId', 'milestone', 'dueAt'],
  },
  'justice.event_recorded': { when: 'A justice event was recorded.', fields: ['incidentId', 'justiceEventId', 'eventType'] },
  'victim_update.overdue': {
    when: "A victim was not told of a decision within the Victims' Code deadline.",
    fields: ['incidentId', 'victimId', 'justiceEventId', 'decisionType', 'deadlineAt'],
  },
};

type OpenApiWebhooks = NonNullable<Extract<NonNullable<FastifyDynamicSwaggerOptions['openapi']>, { webhooks?: unknown }>['webhooks']>;

const signatureHeader = (name: string, description: string) => ({
  name,
  in: 'header' as const,
  required: true,
  schema: { type: 'string' as const },
  description,
});

/** The OpenAPI 3.1 `webhooks` object: what a subscriber receives, one entry per event type. */
export function openapiWebhooks(): OpenApiWebhooks {
  return Object.fromEntries(
    Object.entries(EVENT_DATA).map(([type, { when, fields }]) => [
      type,
      {
        post: {
          tags: ['webhooks'],
          summary: type,
          description: `${when} Signed per Standard Webhooks; retried until a 2xx answer, for 24 hours.`,
          parameters: [
            signatureHeader('webhook-id', 'The event id: the same on every retry and replay (drop repeats by it).'),
            signatureHeader('webhook-timestamp', 'Seconds since the epoch when this attempt was sent.'),
            signatureHeader(
              'webhook-signature',
              '`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the secret after `whsec_`.',
            ),
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['type', 'timestamp', 'data'],
                  additionalProperties: false,
                  properties: {
                    type: { const: type },
                    timestamp: { type: 'string', format: 'date-time', description: 'When the event happened.' },
                    data: {
                      type: 'object',
                      required: [...fields, 'forceId'],
                      additionalProperties: false,
                      properties: Object.fromEntries([...fields, 'forceId'].map((f) => [f, { type: 'string' }])),
                    },
                  },
                },
              },
            },
          },
          responses: { '2XX': { description: 'Received. Any other answer (or none within 10 s) is retried.' } },
        },
      },
    ]),
  );
}
