// Criminal justice: outcome codes (data, versioned), the event timeline, the derived case, and the
// Victims' Code notifications each decision owes each victim.
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { CASE_STATUSES, JUSTICE_EVENT_TYPES, NOTIFIABLE, type CaseStatus, type JusticeEventType, type NotifiableDecision } from '../../shared/enums.ts';
import { oneOf } from './checks.ts';
import { forceRef } from './forces.ts';
import { incidentRef, incidents, victimRef } from './incidents.ts';

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
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    suspectId: uuid('suspect_id'),
    victimId: uuid('victim_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
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
    chargedAt: timestamp('charged_at', { withTimezone: true }),
    resultAt: timestamp('result_at', { withTimezone: true }),
    convicted: integer('convicted').notNull().default(0),
    outOfCourt: integer('out_of_court').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('justice_cases_force_status_idx').on(t.forceId, t.status), oneOf('justice_cases_status_check', t.status, CASE_STATUSES)],
);

/** One row per notifiable decision per victim: the Victims' Code deadline and when the victim was told. */
export const victimNotifications = pgTable(
  'victim_notifications',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => justiceEvents.id),
    victimId: victimRef(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    decisionType: text('decision_type').$type<NotifiableDecision>().notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    workingDays: integer('working_days').notNull(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }).notNull(),
    toldAt: timestamp('told_at', { withTimezone: true }),
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
