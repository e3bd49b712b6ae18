// The API contract of webhooks: a force's subscriptions and their delivery log.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { z } from 'zod';
import { IdSchema, PageQuerySchema, Timestamp } from '../../shared/http.ts';
import { EVENT_TYPES, type EventType } from '../../shared/events.ts';
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_TIMES } from '../../shared/examples.ts';
import { DELIVERY_STATUSES, WEBHOOK_STATUSES } from '../../shared/enums.ts';
import { DELIVERY_DETAIL_EXAMPLE, DELIVERY_EXAMPLE, WEBHOOK_CREATE_EXAMPLE, WEBHOOK_CREATED_EXAMPLE, WEBHOOK_EXAMPLE } from './examples.ts';

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
  .strict()
  .meta({ examples: [WEBHOOK_CREATE_EXAMPLE] });
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
  .meta({ id: 'Webhook', examples: [WEBHOOK_EXAMPLE] });
export type WebhookView = z.infer<typeof WebhookSchema>;

export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z
    .string()
    .nullable()
    .describe('The signing secret (whsec_ + base64), shown once: verify webhook-signature with it (Standard Webhooks). null in an Idempotency-Key replay.'),
}).meta({ id: 'WebhookCreated', examples: [WEBHOOK_CREATED_EXAMPLE] });

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
  .meta({ id: 'WebhookDelivery', examples: [DELIVERY_EXAMPLE] });
export type DeliveryView = z.infer<typeof DeliverySchema>;

export const DeliveryDetailSchema = DeliverySchema.extend({
  attemptLog: z.array(AttemptSchema).describe('Every attempt, oldest first.'),
}).meta({ id: 'WebhookDeliveryDetail', examples: [DELIVERY_DETAIL_EXAMPLE] });

export const DeliveryListQuerySchema = PageQuerySchema.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
});

export const DeliveryParamsSchema = z.object({ id: IdSchema, deliveryId: IdSchema });

/** An example value of each field an event's data can have. */
const EVENT_FIELD_EXAMPLES: Record<string, string> = {
  incidentId: EXAMPLE_IDS.incident,
  victimId: EXAMPLE_IDS.victim,
  careStepId: EXAMPLE_IDS.careStep,
  trimReferralId: EXAMPLE_IDS.trimReferral,
  justiceEventId: EXAMPLE_IDS.justiceEvent,
  forceId: EXAMPLE_FORCE_ID,
  version: '2',
  step: 'supervisor_contact',
  status: 'done',
  milestone: 'initial_assessment',
  dueAt: '2026-02-28T23:40:00.000Z',
  eventType: 'charging_decision',
  decisionType: 'charging_decision',
  deadlineAt: '2026-03-06T23:59:59.999Z',
};

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

const signatureHeader = (name: string, description: string, example: string) => ({
  name,
  in: 'header' as const,
  required: true,
  schema: { type: 'string' as const },
  description,
  example,
});

/** What a subscriber receives for an event of this type: its type, when it happened, and the ids of what it is about. */
export function eventPayloadSchema(type: EventType) {
  const fields = [...EVENT_DATA[type].fields, 'forceId'];
  return z
    .object({
      type: z.literal(type),
      timestamp: Timestamp.describe('When the event happened.'),
      data: z.object(Object.fromEntries(fields.map((f) => [f, z.string()]))).strict(),
    })
    .strict();
}

/** The receiver's operation for an event type: incident.created is receiveIncidentCreated. */
const operationIdOf = (type: string) => `receive${type.replace(/(?:^|[._])([a-z])/g, (_, c: string) => c.toUpperCase())}`;

/** What a subscriber receives for each event type. Data values are strings (ids, kinds, times). */
export const EVENT_EXAMPLES: Record<EventType, z.output<ReturnType<typeof eventPayloadSchema>>> = Object.fromEntries(
  EVENT_TYPES.map((type) => [
    type,
    {
      type,
      timestamp: EXAMPLE_TIMES.recorded,
      data: Object.fromEntries([...EVENT_DATA[type].fields, 'forceId'].map((f) => [f, EVENT_FIELD_EXAMPLES[f] ?? ''])),
    },
  ]),
) as Record<EventType, z.output<ReturnType<typeof eventPayloadSchema>>>;

/** The OpenAPI 3.1 `webhooks` object: what a subscriber receives, one entry per event type. */
export function openapiWebhooks(): OpenApiWebhooks {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const { $schema: _, ...schema } = z.toJSONSchema(eventPayloadSchema(type), { target: 'draft-2020-12' });
      const operation = {
        operationId: operationIdOf(type),
        tags: ['webhooks'],
        summary: type,
        description: `${EVENT_DATA[type].when} Signed per Standard Webhooks; retried until a 2xx answer, for 24 hours.`,
        parameters: [
          signatureHeader('webhook-id', 'The event id: the same on every retry and replay (drop repeats by it).', EXAMPLE_IDS.event),
          signatureHeader('webhook-timestamp', 'Seconds since the epoch when this attempt was sent.', '1772266501'),
          signatureHeader(
            'webhook-signature',
            '`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the secret after `whsec_`.',
            'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
          ),
        ],
        requestBody: { required: true, content: { 'application/json': { schema, example: EVENT_EXAMPLES[type] } } },
        responses: {
          '2XX': { description: 'Received. Any other answer (or none within 10 s) is retried.' },
          '4XX': { description: 'Refused: retried with backoff until 24 hours have passed, like any answer that is not a 2xx.' },
          '5XX': { description: 'Failed: retried with backoff until 24 hours have passed.' },
        },
      };
      return [type, { post: operation }];
    }),
  ) as OpenApiWebhooks;
}
