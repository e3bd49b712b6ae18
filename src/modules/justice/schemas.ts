// The API contract of the justice timeline: typed events (a discriminated union), the derived case
// status, and Victims' Code compliance.
import { z } from 'zod';
import { DateTimeInput, IdSchema, PageQuerySchema, Timestamp } from '../../shared/http.ts';
import { OFFENCES } from '../incidents/schemas.ts';
import { CASE_STATUSES, NOTIFIABLE } from '../../shared/enums.ts';
import { JUSTICE_EVENT_CREATE_EXAMPLE, JUSTICE_EVENT_EXAMPLE, JUSTICE_EXAMPLE, VICTIM_UPDATE_DUE_EXAMPLE } from './examples.ts';

export const DECISIONS = ['charged', 'summonsed', 'released_under_investigation', 'bailed', 'no_further_action', 'caution', 'community_resolution'] as const;
export const CHARGING = ['charged', 'summonsed'] as const;
export const OUT_OF_COURT = ['caution', 'community_resolution'] as const;
export const RESULTS = ['guilty_plea', 'convicted', 'acquitted', 'dismissed', 'withdrawn_discontinued'] as const;
export const CONVICTIONS = ['guilty_plea', 'convicted'] as const;
export const SENTENCES = ['discharge', 'fine', 'compensation', 'community_order', 'suspended_sentence', 'immediate_custody'] as const;
/** Whether the court stated in open court that the offence was aggravated by being against an emergency worker (Sentencing Act 2020, s.67). */
export const AGGRAVATION_STATED = ['yes', 'no', 'not_recorded'] as const;
export const HEARING_KINDS = ['first_appearance', 'plea', 'trial', 'sentencing', 'other'] as const;
export const UPDATE_METHODS = ['in_person', 'phone', 'email', 'letter', 'video', 'other'] as const;
// Value lists the database checks too: they live in src/shared/enums.ts, re-exported here under the same names.
export { CASE_STATUSES, NOTIFIABLE };

const common = {
  occurredAt: DateTimeInput.describe('When it happened (for a decision: when it was made).'),
  note: z.string().max(2000).nullable().default(null),
};

const ArrestSchema = z.object({ type: z.literal('arrest'), ...common, suspectId: IdSchema }).strict();
const ChargingDecisionSchema = z
  .object({
    type: z.literal('charging_decision'),
    ...common,
    suspectId: IdSchema,
    decision: z.enum(DECISIONS),
    charges: z
      .array(z.object({ offence: z.enum(OFFENCES) }).strict())
      .max(20)
      .default([])
      .describe('For charged or summonsed: the charges; each gets an id for court results.'),
  })
  .strict();
const OutcomeCodeSchema = z
  .object({
    type: z.literal('outcome_code'),
    ...common,
    code: z.number().int().min(1).max(22).describe('Home Office crime outcome code.'),
    scheme: z.string().max(32).default('2021-04').describe('The outcome-code scheme version.'),
  })
  .strict();
const CourtHearingSchema = z
  .object({ type: z.literal('court_hearing'), ...common, suspectId: IdSchema, kind: z.enum(HEARING_KINDS), court: z.string().trim().min(1).max(200) })
  .strict();
const CourtResultSchema = z
  .object({
    type: z.literal('court_result'),
    ...common,
    suspectId: IdSchema,
    chargeId: IdSchema.describe('From the charging decision.'),
    result: z.enum(RESULTS),
  })
  .strict();
const SentenceSchema = z
  .object({
    type: z.literal('sentence'),
    ...common,
    suspectId: IdSchema,
    chargeId: IdSchema.optional().describe('The charge sentenced; omit for a sentence covering all convictions.'),
    sentence: z.enum(SENTENCES),
    amountPence: z.number().int().min(1).max(100_000_000).optional().describe('Fine or compensation (to the officer) in pence.'),
    custodyMonths: z.number().int().min(1).max(1200).optional().describe('For immediate custody or a suspended sentence.'),
    aggravationStated: z
      .enum(AGGRAVATION_STATED)
      .default('not_recorded')
      .describe(
        'Whether the court stated in open court that the offence was aggravated because the victim was an emergency worker (Sentencing Act 2020, s.67). ' +
          'not_recorded when the result did not say (the default).',
      ),
  })
  .strict();
const VictimUpdateSchema = z
  .object({
    type: z.literal('victim_update'),
    ...common,
    victimId: IdSchema,
    about: z.array(IdSchema).min(1).max(50).describe('The decision events (charging decision, court result, sentence) the victim was told of.'),
    method: z.enum(UPDATE_METHODS),
    toldBy: z.string().trim().min(1).max(200),
  })
  .strict();
const VpsSchema = z
  .object({ type: z.literal('victim_personal_statement'), ...common, victimId: IdSchema, status: z.enum(['offered', 'made', 'declined']) })
  .strict();
const ReviewSchema = z
  .object({
    type: z.literal('review_requested'),
    ...common,
    victimId: IdSchema,
    decisionEventId: IdSchema.describe('The decision (e.g. not to charge) under review.'),
  })
  .strict();

export const JusticeEventCreateSchema = z
  .discriminatedUnion('type', [
    ArrestSchema,
    ChargingDecisionSchema,
    OutcomeCodeSchema,
    CourtHearingSchema,
    CourtResultSchema,
    SentenceSchema,
    VictimUpdateSchema,
    VpsSchema,
    ReviewSchema,
  ])
  .meta({ id: 'JusticeEventCreate', examples: [JUSTICE_EVENT_CREATE_EXAMPLE] });

const recorded = { id: IdSchema, incidentId: IdSchema, occurredAt: Timestamp, note: z.string().nullable(), recordedAt: Timestamp, recordedBy: z.string() };

export const JusticeEventSchema = z
  .discriminatedUnion('type', [
    ArrestSchema.extend(recorded),
    ChargingDecisionSchema.extend({ ...recorded, charges: z.array(z.object({ id: IdSchema, offence: z.enum(OFFENCES) })) }),
    OutcomeCodeSchema.extend({ ...recorded, label: z.string(), outcomeGroup: z.string() }),
    CourtHearingSchema.extend(recorded),
    CourtResultSchema.extend(recorded),
    SentenceSchema.extend(recorded),
    VictimUpdateSchema.extend(recorded),
    VpsSchema.extend(recorded),
    ReviewSchema.extend(recorded),
  ])
  .meta({ id: 'JusticeEvent', examples: [JUSTICE_EVENT_EXAMPLE] });

export const NotificationSchema = z
  .object({
    eventId: IdSchema,
    victimId: IdSchema,
    decisionType: z.enum(NOTIFIABLE),
    decidedAt: Timestamp,
    workingDays: z.number().int().describe('5, or 1 for victims entitled to enhanced rights.'),
    deadlineAt: Timestamp.describe('End of the last working day to tell the victim (UK time).'),
    toldAt: Timestamp.nullable(),
    status: z.enum(['told_on_time', 'told_late', 'not_yet_told', 'overdue']),
  })
  .meta({ id: 'VictimNotification' });

export const ComplianceSchema = z
  .object({ onTime: z.number().int(), late: z.number().int(), notYetDue: z.number().int(), overdue: z.number().int() })
  .meta({ id: 'VictimsCodeCompliance' });

export const JusticeSchema = z
  .object({
    incidentId: IdSchema,
    status: z.enum(CASE_STATUSES),
    outcome: z.object({ scheme: z.string(), code: z.number().int(), label: z.string(), outcomeGroup: z.string() }).nullable(),
    events: z.array(JusticeEventSchema),
    victimsCode: z.object({ summary: ComplianceSchema, notifications: z.array(NotificationSchema) }),
  })
  .meta({ id: 'Justice', examples: [JUSTICE_EXAMPLE] });

export const VictimUpdateQueueQuerySchema = PageQuerySchema.extend({
  status: z.enum(['overdue', 'pending']).default('overdue').describe('overdue: deadline passed, not told; pending: not told yet, deadline or not.'),
  forceId: IdSchema.optional(),
});

export const VictimUpdateQueueItemSchema = z
  .object({
    incidentId: IdSchema,
    incidentReference: z.string(),
    forceId: IdSchema,
    victimId: IdSchema,
    eventId: IdSchema,
    decisionType: z.enum(NOTIFIABLE),
    decidedAt: Timestamp,
    deadlineAt: Timestamp,
    overdueSeconds: z.number().int(),
  })
  .meta({ id: 'VictimUpdateDue', examples: [VICTIM_UPDATE_DUE_EXAMPLE] });

export type JusticeEventCreate = z.infer<typeof JusticeEventCreateSchema>;
export type JusticeEventView = z.infer<typeof JusticeEventSchema>;
export type JusticeView = z.infer<typeof JusticeSchema>;
export type NotificationView = z.infer<typeof NotificationSchema>;
export type CaseStatus = (typeof CASE_STATUSES)[number];
