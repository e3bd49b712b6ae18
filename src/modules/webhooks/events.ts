// Domain events for webhooks: written to the outbox in the caller's transaction, so an event exists
// exactly when its change committed. Payload data is ids only, never personal or health data.
import type { Queryable } from '../../db/client.ts';
import { outboxEvents } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';

export const EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'victim.created',
  'care_step.overdue',
  'care_step.completed',
  'trim.referral_due',
  'justice.event_recorded',
  'victim_update.overdue',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent {
  type: EventType;
  forceId: string;
  /** Ids (and kinds) naming what happened; the receiver reads details through the API with its key. */
  data: Record<string, string>;
  /** Scheduled events name their subject so each is emitted once. */
  dedupeKey?: string;
}

export async function emitEvents(tx: Queryable, clock: Clock, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const at = clock.now();
  await tx
    .insert(outboxEvents)
    .values(events.map((e) => ({ id: newId(), forceId: e.forceId, type: e.type, data: e.data, occurredAt: at, dedupeKey: e.dedupeKey ?? null })))
    .onConflictDoNothing({ target: outboxEvents.dedupeKey });
}

export function emitEvent(tx: Queryable, clock: Clock, event: DomainEvent): Promise<void> {
  return emitEvents(tx, clock, [event]);
}
