// Examples of the webhooks contract: a crime system subscribing to its force's events, and a delivery of one.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_TIMES } from '../../shared/examples.ts';

/** A receiver's URL: https, on a host whose addresses are public (.example never resolves, so it is taken as given). */
const URL = 'https://crime-system.force.example/oar/events';

export const WEBHOOK_CREATE_EXAMPLE = {
  url: URL,
  eventTypes: ['incident.created', 'justice.event_recorded'],
  description: 'Crime system: new incidents and case events (example)',
};

export const WEBHOOK_EXAMPLE = {
  id: EXAMPLE_IDS.webhook,
  forceId: EXAMPLE_FORCE_ID,
  url: URL,
  eventTypes: ['incident.created', 'justice.event_recorded'],
  description: 'Crime system: new incidents and case events (example)',
  status: 'active',
  createdAt: '2026-01-05T10:05:00.000Z',
  deletedAt: null,
};

export const WEBHOOK_CREATED_EXAMPLE = {
  ...WEBHOOK_EXAMPLE,
  // Not a real secret: the shape of one.
  secret: 'whsec_RVhBTVBMRWV4YW1wbGVFWEFNUExFZXhhbXBsZQ==',
};

export const DELIVERY_EXAMPLE = {
  id: EXAMPLE_IDS.delivery,
  webhookId: EXAMPLE_IDS.webhook,
  eventId: EXAMPLE_IDS.event,
  eventType: 'incident.created',
  status: 'delivered',
  attempts: 2,
  lastStatusCode: 204,
  lastError: null,
  lastAttemptAt: '2026-02-28T08:15:07.000Z',
  deliveredAt: '2026-02-28T08:15:07.000Z',
  replayOf: null,
  createdAt: EXAMPLE_TIMES.recorded,
};

export const DELIVERY_DETAIL_EXAMPLE = {
  ...DELIVERY_EXAMPLE,
  attemptLog: [
    { attempt: 1, attemptedAt: '2026-02-28T08:15:01.000Z', durationMs: 10_000, statusCode: null, error: 'timeout', succeeded: false },
    { attempt: 2, attemptedAt: '2026-02-28T08:15:07.000Z', durationMs: 84, statusCode: 204, error: null, succeeded: true },
  ],
};
