// Criminal justice: outcome codes (data, versioned), the event timeline, the derived case, and the
// Victims' Code notifications each decision owes each victim.
import { date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { CASE_STATUSES, JUSTICE_EVENT_TYPES, NOTIFIABLE, type CaseStatus, type JusticeEventType, type NotifiableDecision } from '../../shared/enums.ts';
import { oneOf } from './checks.ts';
import { forceRef } from './forces.ts';
import { incidentRef, incidents, victimOwned } from './incidents.ts';
import { at, ref } from './columns.ts';

/** Home Office crime outcome codes, kept per scheme version. */
export const outcomeCodes = pgTable(
  'outcome_codes',
  {
    scheme: text('scheme').notNull(),
    code: integer('code').notNull(),
    label: text('label').notNull(),
    outcomeGroup: text('outcome_group').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scheme, t.code] })],
);

export const justiceEvents = pgTable(
  'justice_events',
  {
    id: uuid('id').primaryKey(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    type: text('type').$type<JusticeEventType>().notNull(),
    occurredAt: at('occurred_at').notNull(),
    suspectId: uuid('suspect_id'),
    victimId: uuid('victim_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('justice_events_incident_idx').on(t.incidentId, t.occurredAt, t.id), oneOf('justice_events_type_check', t.type, JUSTICE_EVENT_TYPES)],
);

/** The case status derived from an incident's events, kept current on every event for filters and stats. */
export const justiceCases = pgTable(
  'justice_cases',
  {
    incidentId: uuid('incident_id')
      .primaryKey()
      .references(() => incidents.id),
    forceId: forceRef(),
    status: text('status').$type<CaseStatus>().notNull(),
    outcomeScheme: text('outcome_scheme'),
    outcomeCode: integer('outcome_code'),
    chargedAt: at('charged_at'),
    resultAt: at('result_at'),
    convicted: integer('convicted').notNull().default(0),
    outOfCourt: integer('out_of_court').notNull().default(0),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('justice_cases_force_status_idx').on(t.forceId, t.status), oneOf('justice_cases_status_check', t.status, CASE_STATUSES)],
);

/** One row per notifiable decision per victim: the Victims' Code deadline and when the victim was told. */
export const victimNotifications = pgTable(
  'victim_notifications',
  {
    ...victimOwned(),
    eventId: ref('event_id', () => justiceEvents.id),
    decisionType: text('decision_type').$type<NotifiableDecision>().notNull(),
    decidedAt: at('decided_at').notNull(),
    workingDays: integer('working_days').notNull(),
    deadlineAt: at('deadline_at').notNull(),
    toldAt: at('told_at'),
    toldEventId: uuid('told_event_id'),
  },
  (t) => [
    uniqueIndex('victim_notifications_event_victim_uq').on(t.eventId, t.victimId),
    index('victim_notifications_open_idx')
      .on(t.forceId, t.deadlineAt, t.id)
      .where(sql`told_at is null`),
    index('victim_notifications_incident_idx').on(t.incidentId),
    // The statistics join each counted victim to their notifications.
    index('victim_notifications_victim_idx').on(t.victimId),
    oneOf('victim_notifications_decision_type_check', t.decisionType, NOTIFIABLE),
  ],
);
