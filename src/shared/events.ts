// The domain events a change can emit (the webhooks' event types): names and shape, no storage.
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
