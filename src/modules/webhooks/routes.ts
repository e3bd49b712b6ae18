// Routes of /v1/webhooks: a force's subscriptions, their delivery log, and replays.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.ts';
import { scoped } from '../../http/route.ts';
import type { AddressPolicy } from '../../shared/address-policy.ts';
import type { Clock } from '../../shared/clock.ts';
import { bodyProblems, IdParamsSchema, listOf, problems } from '../../shared/http.ts';
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

export const webhookRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock; targets: AddressPolicy }> = async (app, { db, clock, targets }) => {
  const r = scoped({ db, clock });

  app.post('', {
    schema: {
      tags,
      summary: 'Subscribe to events',
      description:
        'Events of the force are POSTed to the URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with the secret answered here once). Failed deliveries are retried with exponential backoff and jitter for 24 hours. ' +
        "The URL's host must be, and resolve to, public addresses only (422 webhook-target-not-allowed for loopback, private, link-local, CGNAT, multicast or reserved ones, unless the operator allows them); redirects are not followed.",
      body: WebhookCreateSchema,
      response: { 201: WebhookCreatedSchema, ...bodyProblems() },
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
      tags,
      summary: 'List subscriptions',
      description: 'Newest first; secrets are never shown again.',
      querystring: WebhookListQuerySchema,
      response: { 200: listOf(WebhookSchema), ...problems() },
    },
    handler: (request) => r.read(request, (s) => listWebhooks(s, request.query)),
  });

  app.get('/:id', {
    schema: { tags, summary: 'Read a subscription', params: IdParamsSchema, response: { 200: WebhookSchema, ...problems(404) } },
    handler: (request) => r.read(request, (s) => getWebhook(s, request.params.id)),
  });

  app.delete('/:id', {
    schema: {
      tags,
      summary: 'Delete a subscription',
      description: 'Nothing more is sent to it and its waiting deliveries are cancelled. The record and its delivery log stay; deleting twice is harmless.',
      params: IdParamsSchema,
      response: { 200: WebhookSchema, ...problems(404, 415) },
    },
    handler: (request) => r.write(request, (s) => deleteWebhook(s, request.params.id)),
  });

  app.get('/:id/deliveries', {
    schema: {
      tags,
      summary: 'The delivery log of a subscription',
      description: 'One delivery per event sent to the subscription (and per replay), newest first.',
      params: IdParamsSchema,
      querystring: DeliveryListQuerySchema,
      response: { 200: listOf(DeliverySchema), ...problems(404) },
    },
    handler: (request) => r.read(request, (s) => listDeliveries(s, request.params.id, request.query)),
  });

  app.get('/:id/deliveries/:deliveryId', {
    schema: { tags, summary: 'One delivery, with every attempt', params: DeliveryParamsSchema, response: { 200: DeliveryDetailSchema, ...problems(404) } },
    handler: (request) => r.read(request, (s) => getDelivery(s, request.params.id, request.params.deliveryId)),
  });

  app.post('/:id/deliveries/:deliveryId/replay', {
    schema: {
      tags,
      summary: 'Send a delivery again',
      description: 'A new delivery of the same event (same webhook-id), tried from now. Useful after the receiver was fixed.',
      params: DeliveryParamsSchema,
      response: { 201: DeliverySchema, ...problems(404, 415, 422) },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const delivery = await replayDelivery(s, request.params.id, request.params.deliveryId);
        return { body: delivery, location: `/v1/webhooks/${request.params.id}/deliveries/${delivery.id}` };
      }),
  });
};
