// Post-assault care: working-day calendar, versioned plan templates, care steps, follow-ups and TRiM.
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
import { victimOwned } from './incidents.ts';
import { at, createdBy, historyOf, ref, versioned } from './columns.ts';

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
    createdAt: at('created_at').notNull(),
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
    ...victimOwned(),
    templateId: ref('template_id', () => carePlanTemplates.id),
    position: integer('position').notNull(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    ownerRole: text('owner_role').$type<OwnerRole>().notNull(),
    due: jsonb('due').$type<DueOffset>().notNull(),
    dueAt: at('due_at').notNull(),
    status: text('status').$type<StepStatus>().notNull(),
    statusReason: text('status_reason'),
    note: text('note'),
    completedAt: at('completed_at'),
    completedBy: text('completed_by'),
    history: historyOf<StepHistoryEntry>(),
    ...versioned(),
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
    ...victimOwned(),
    occurredAt: at('occurred_at').notNull(),
    kind: text('kind').$type<FollowUpKind>().notNull(),
    contactBy: text('contact_by').notNull(),
    note: text('note'),
    nextFollowUpAt: at('next_follow_up_at'),
    /** The victim's latest follow-up (by occurredAt, then id): only its next date is due; earlier ones are superseded. */
    latest: boolean('latest').notNull().default(true),
    ...createdBy(),
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
    ...victimOwned(),
    referredAt: at('referred_at').notNull(),
    referredBy: text('referred_by').notNull(),
    consent: text('consent').$type<Consent>().notNull(),
    status: text('status').$type<TrimStatus>().notNull(),
    planningMeetingDueAt: at('planning_meeting_due_at').notNull(),
    planningMeetingAt: at('planning_meeting_at'),
    initialAssessmentDueAt: at('initial_assessment_due_at').notNull(),
    initialAssessmentAt: at('initial_assessment_at'),
    followUpDueAt: at('follow_up_due_at').notNull(),
    followUpAt: at('follow_up_at'),
    outcome: text('outcome').$type<TrimOutcome>(),
    closedAt: at('closed_at'),
    closeReason: text('close_reason'),
    note: text('note'),
    history: historyOf<TrimHistoryEntry>(),
    ...versioned(),
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
    referralId: ref('referral_id', () => trimReferrals.id),
    forceId: forceRef(),
    kind: text('kind').$type<AssessmentKind>().notNull(),
    assessedAt: at('assessed_at').notNull(),
    score: integer('score').notNull(),
    outcome: text('outcome').$type<TrimOutcome>().notNull(),
    note: text('note'),
    ...createdBy(),
  },
  (t) => [
    index('trim_assessments_referral_idx').on(t.referralId, t.assessedAt),
    oneOf('trim_assessments_kind_check', t.kind, ASSESSMENT_KINDS),
    oneOf('trim_assessments_outcome_check', t.outcome, TRIM_OUTCOMES),
  ],
);
