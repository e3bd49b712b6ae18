// Routes of /v1/webhooks: a force's subscriptions, their delivery log, and replays.
import { operation, scopedRoutes } from '../../http/route.ts';
import type { AddressPolicy } from '../../shared/address-policy.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { bodyProblems, created, IdParamsSchema, json, listOf, problems } from '../../shared/http.ts';
import { DELIVERY_EXAMPLE, WEBHOOK_EXAMPLE } from './examples.ts';
import {
  DeliveryDetailSchema,
  DeliveryListQuerySchema,
  DeliveryParamsSchema,
  DeliverySchema,
  WebhookCreatedSchema,
  WebhookCreateSchema,
  WebhookListQuerySchema,
  WebhookSchema,
} from './schemas.ts';
import { createWebhook, deleteWebhook, getDelivery, getWebhook, listDeliveries, listWebhooks, replayDelivery } from './service.ts';

const tags = ['webhooks'];
const noSuchWebhook = Errors.notFound('webhook', EXAMPLE_IDS.webhook);
const noSuchDelivery = Errors.notFound('webhook-delivery', EXAMPLE_IDS.delivery);

export const webhookRoutes = scopedRoutes<{ targets: AddressPolicy }>(async (app, r, { targets }) => {
  app.post('', {
    schema: {
      ...operation(
        'createWebhook',
        tags,
        'Subscribe to events',
        'Events of the force are POSTed to the URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with the secret answered here once). Failed deliveries are retried with exponential backoff and jitter for 24 hours. ' +
          "The URL's host must be, and resolve to, public addresses only (422 webhook-target-not-allowed for loopback, private, link-local, CGNAT, multicast or reserved ones, unless the operator allows them); redirects are not followed.",
      ),
      body: WebhookCreateSchema,
      response: { 201: created(WebhookCreatedSchema, 'The subscription, with its signing secret shown this once.', { etag: false }), ...bodyProblems() },
    },
    handler: async (request, reply) =>
      r.create(
        request,
        reply,
        async (s) => {
          const created = await createWebhook(s, request.body, targets);
          return { body: created, location: `/v1/webhooks/${created.id}` };
        },
        // The secret is shown once: a replay answers without it.
        (body) => ({ ...body, secret: null }),
      ),
  });

  app.get('', {
    schema: {
      ...operation('listWebhooks', tags, 'List subscriptions', 'Newest first; secrets are never shown again.'),
      querystring: WebhookListQuerySchema,
      response: { 200: json(listOf(WebhookSchema), 'A page of subscriptions, newest first.'), ...problems() },
    },
    handler: (request) => r.read(request, (s) => listWebhooks(s, request.query)),
  });

  app.get('/:id', {
    schema: {
      ...operation('getWebhook', tags, 'Read a subscription', 'Where its events go and which; the secret is never shown again.'),
      params: IdParamsSchema,
      response: { 200: json(WebhookSchema, 'The subscription.'), ...problems(noSuchWebhook) },
    },
    handler: (request) => r.read(request, (s) => getWebhook(s, request.params.id)),
  });

  app.delete('/:id', {
    schema: {
      ...operation(
        'deleteWebhook',
        tags,
        'Delete a subscription',
        'Nothing more is sent to it and its waiting deliveries are cancelled. The record and its delivery log stay; deleting twice is harmless.',
      ),
      params: IdParamsSchema,
      response: {
        200: json(WebhookSchema, 'The subscription, deleted.', [], { ...WEBHOOK_EXAMPLE, status: 'deleted', deletedAt: '2026-03-02T12:00:00.000Z' }),
        ...problems(noSuchWebhook, 415),
      },
    },
    handler: (request) => r.write(request, (s) => deleteWebhook(s, request.params.id)),
  });

  app.get('/:id/deliveries', {
    schema: {
      ...operation(
        'listWebhookDeliveries',
        tags,
        'The delivery log of a subscription',
        'One delivery per event sent to the subscription (and per replay), newest first.',
      ),
      params: IdParamsSchema,
      querystring: DeliveryListQuerySchema,
      response: { 200: json(listOf(DeliverySchema), 'A page of deliveries, newest first.'), ...problems(noSuchWebhook) },
    },
    handler: (request) => r.read(request, (s) => listDeliveries(s, request.params.id, request.query)),
  });

  app.get('/:id/deliveries/:deliveryId', {
    schema: {
      ...operation(
        'getWebhookDelivery',
        tags,
        'One delivery, with every attempt',
        'When each attempt was made, how long it took, and what the receiver answered (or the category of failure).',
      ),
      params: DeliveryParamsSchema,
      response: { 200: json(DeliveryDetailSchema, 'The delivery and its attempts, oldest first.'), ...problems(noSuchDelivery) },
    },
    handler: (request) => r.read(request, (s) => getDelivery(s, request.params.id, request.params.deliveryId)),
  });

  app.post('/:id/deliveries/:deliveryId/replay', {
    schema: {
      ...operation(
        'replayWebhookDelivery',
        tags,
        'Send a delivery again',
        'A new delivery of the same event (same webhook-id), tried from now. Useful after the receiver was fixed.',
      ),
      params: DeliveryParamsSchema,
      response: {
        201: created(
          DeliverySchema,
          'The new delivery, queued.',
          { etag: false },
          {
            ...DELIVERY_EXAMPLE,
            id: '01963a67-8ba3-7b30-9d00-24afce1f2c3d',
            status: 'queued',
            attempts: 0,
            lastStatusCode: null,
            lastAttemptAt: null,
            deliveredAt: null,
            replayOf: EXAMPLE_IDS.delivery,
            createdAt: '2026-03-02T12:00:00.000Z',
          },
        ),
        ...problems(noSuchDelivery, 415, 422),
      },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const delivery = await replayDelivery(s, request.params.id, request.params.deliveryId);
        return { body: delivery, location: `/v1/webhooks/${request.params.id}/deliveries/${delivery.id}` };
      }),
  });
});
