// Post-assault care: working-day calendar, versioned plan templates, care steps, follow-ups and TRiM.
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { DueOffset } from '../../shared/calendar.ts';
import {
  ASSESSMENT_KINDS,
  CONSENT,
  FOLLOW_UP_KINDS,
  OWNER_ROLES,
  STEP_STATUSES,
  TRIM_OUTCOMES,
  TRIM_STATUSES,
  type AssessmentKind,
  type Consent,
  type FollowUpKind,
  type OwnerRole,
  type StepStatus,
  type TrimOutcome,
  type TrimStatus,
} from '../../shared/enums.ts';
import { jsonbWithin, oneOf } from './checks.ts';
import { forceRef, forces } from './forces.ts';
import { incidentRef, victimRef } from './incidents.ts';

/** Bank holidays per region: the working-day calendar is data, not code. */
export const bankHolidays = pgTable(
  'bank_holidays',
  {
    region: text('region').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.region, t.day] })],
);

export type TemplateStep = { key: string; title: string; description: string; ownerRole: OwnerRole; due: DueOffset };

/** Versioned plan templates; force_id null is the national default. Versions are never overwritten. */
export const carePlanTemplates = pgTable(
  'care_plan_templates',
  {
    id: uuid('id').primaryKey(),
    forceId: uuid('force_id').references(() => forces.id),
    version: integer('version').notNull(),
    steps: jsonb('steps').$type<TemplateStep[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    uniqueIndex('care_plan_templates_scope_version_uq').on(sql`coalesce(${t.forceId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.version),
    check('care_plan_templates_owner_role_check', jsonbWithin(sql`jsonb_path_query_array(${t.steps}, '$[*].ownerRole')`, OWNER_ROLES)),
  ],
);

export type StepHistoryEntry = { status: StepStatus; reason: string | null; at: string; by: string };

export const careSteps = pgTable(
  'care_steps',
  {
    id: uuid('id').primaryKey(),
    victimId: victimRef(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => carePlanTemplates.id),
    position: integer('position').notNull(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    ownerRole: text('owner_role').$type<OwnerRole>().notNull(),
    due: jsonb('due').$type<DueOffset>().notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status').$type<StepStatus>().notNull(),
    statusReason: text('status_reason'),
    note: text('note'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: text('completed_by'),
    history: jsonb('history')
      .$type<StepHistoryEntry[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('care_steps_victim_key_uq').on(t.victimId, t.key),
    index('care_steps_queue_idx')
      .on(t.forceId, t.dueAt, t.id)
      .where(sql`status = 'pending'`),
    oneOf('care_steps_owner_role_check', t.ownerRole, OWNER_ROLES),
    oneOf('care_steps_status_check', t.status, STEP_STATUSES),
    check('care_steps_history_status_check', jsonbWithin(sql`jsonb_path_query_array(${t.history}, '$[*].status')`, STEP_STATUSES)),
  ],
);

export const followUps = pgTable(
  'follow_ups',
  {
    id: uuid('id').primaryKey(),
    victimId: victimRef(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    kind: text('kind').$type<FollowUpKind>().notNull(),
    contactBy: text('contact_by').notNull(),
    note: text('note'),
    nextFollowUpAt: timestamp('next_follow_up_at', { withTimezone: true }),
    /** The victim's latest follow-up (by occurredAt, then id): only its next date is due; earlier ones are superseded. */
    latest: boolean('latest').notNull().default(true),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('follow_ups_victim_idx').on(t.victimId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('follow_ups_force_victim_idx').on(t.forceId, t.victimId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The welfare queue: each victim's latest follow-up with a next date, in due order within a force.
    index('follow_ups_queue_idx')
      .on(t.forceId, t.nextFollowUpAt, t.id)
      .where(sql`latest and next_follow_up_at is not null`),
    oneOf('follow_ups_kind_check', t.kind, FOLLOW_UP_KINDS),
  ],
);

export type TrimHistoryEntry = { event: string; at: string; by: string; detail: string | null };

export const trimReferrals = pgTable(
  'trim_referrals',
  {
    id: uuid('id').primaryKey(),
    victimId: victimRef(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    referredAt: timestamp('referred_at', { withTimezone: true }).notNull(),
    referredBy: text('referred_by').notNull(),
    consent: text('consent').$type<Consent>().notNull(),
    status: text('status').$type<TrimStatus>().notNull(),
    planningMeetingDueAt: timestamp('planning_meeting_due_at', { withTimezone: true }).notNull(),
    planningMeetingAt: timestamp('planning_meeting_at', { withTimezone: true }),
    initialAssessmentDueAt: timestamp('initial_assessment_due_at', { withTimezone: true }).notNull(),
    initialAssessmentAt: timestamp('initial_assessment_at', { withTimezone: true }),
    followUpDueAt: timestamp('follow_up_due_at', { withTimezone: true }).notNull(),
    followUpAt: timestamp('follow_up_at', { withTimezone: true }),
    outcome: text('outcome').$type<TrimOutcome>(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeReason: text('close_reason'),
    note: text('note'),
    history: jsonb('history')
      .$type<TrimHistoryEntry[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('trim_referrals_victim_idx').on(t.victimId),
    uniqueIndex('trim_referrals_one_open_uq')
      .on(t.victimId)
      .where(sql`status = 'open'`),
    // The welfare queue's TRiM branch: the few referrals of a force still open (most are closed).
    index('trim_referrals_open_idx')
      .on(t.forceId)
      .where(sql`status = 'open' and follow_up_at is null`),
    oneOf('trim_referrals_consent_check', t.consent, CONSENT),
    oneOf('trim_referrals_status_check', t.status, TRIM_STATUSES),
    oneOf('trim_referrals_outcome_check', t.outcome, TRIM_OUTCOMES),
  ],
);

export const trimAssessments = pgTable(
  'trim_assessments',
  {
    id: uuid('id').primaryKey(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => trimReferrals.id),
    forceId: forceRef(),
    kind: text('kind').$type<AssessmentKind>().notNull(),
    assessedAt: timestamp('assessed_at', { withTimezone: true }).notNull(),
    score: integer('score').notNull(),
    outcome: text('outcome').$type<TrimOutcome>().notNull(),
    note: text('note'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('trim_assessments_referral_idx').on(t.referralId, t.assessedAt),
    oneOf('trim_assessments_kind_check', t.kind, ASSESSMENT_KINDS),
    oneOf('trim_assessments_outcome_check', t.outcome, TRIM_OUTCOMES),
  ],
);
