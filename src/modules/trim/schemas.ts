// The API contract of TRiM (Trauma Risk Management) referrals and assessments. All of it is health data.
import { z } from 'zod';
import { DateTimeInput, IdSchema, Timestamp, VictimRecordKeys } from '../../shared/http.ts';
import { ASSESSMENT_KINDS, CONSENT, TRIM_OUTCOMES, TRIM_STATUSES } from '../../shared/enums.ts';
import { TRIM_ASSESSMENT_CREATE_EXAMPLE, TRIM_REFERRAL_CREATE_EXAMPLE, TRIM_REFERRAL_EXAMPLE, TRIM_REFERRAL_PATCH_EXAMPLE } from './examples.ts';

// Value lists the database checks too: they live in src/shared/enums.ts, re-exported here under the same names.
export { CONSENT, TRIM_STATUSES, TRIM_OUTCOMES, ASSESSMENT_KINDS };
export const STAGES = [
  'awaiting_consent',
  'awaiting_planning_meeting',
  'awaiting_initial_assessment',
  'awaiting_follow_up',
  'ready_to_close',
  'declined',
  'closed',
] as const;

export const TrimReferralCreateSchema = z
  .object({
    referredAt: DateTimeInput.optional().describe('Default now.'),
    referredBy: z.string().trim().min(1).max(200).describe('Who referred (name or role).'),
    consent: z.enum(CONSENT).default('pending').describe('The officer may decline; TRiM is voluntary.'),
    note: z.string().max(5000).nullable().default(null),
  })
  .strict()
  .meta({ id: 'TrimReferralCreate', examples: [TRIM_REFERRAL_CREATE_EXAMPLE] });

export const TrimReferralPatchSchema = z
  .object({
    consent: z.enum(CONSENT).optional().describe('declined ends the referral (status declined).'),
    planningMeetingAt: DateTimeInput.nullable().optional().describe('When the planning meeting was held.'),
    status: z.literal('closed').optional().describe('Closing needs an outcome (given here or from the last assessment).'),
    outcome: z.enum(TRIM_OUTCOMES).optional(),
    closeReason: z.string().trim().min(1).max(1000).optional(),
    note: z.string().max(5000).nullable().optional(),
  })
  .strict()
  .meta({ id: 'TrimReferralPatch', examples: [TRIM_REFERRAL_PATCH_EXAMPLE] });

export const TrimAssessmentCreateSchema = z
  .object({
    kind: z.enum(ASSESSMENT_KINDS).describe('initial (about 72 hours after), follow_up (about 28 days after the initial) or additional.'),
    assessedAt: DateTimeInput,
    score: z.number().int().min(0).max(100).describe('The risk score of the assessment; the checklist itself is not stored.'),
    outcome: z.enum(TRIM_OUTCOMES),
    note: z.string().max(5000).nullable().default(null),
  })
  .strict()
  .meta({ id: 'TrimAssessmentCreate', examples: [TRIM_ASSESSMENT_CREATE_EXAMPLE] });

export const TrimAssessmentSchema = z
  .object({
    id: IdSchema,
    referralId: IdSchema,
    kind: z.enum(ASSESSMENT_KINDS),
    assessedAt: Timestamp,
    score: z.number().int(),
    outcome: z.enum(TRIM_OUTCOMES),
    note: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'TrimAssessment' });

const milestone = (what: string) => z.object({ dueAt: Timestamp.describe(`When the ${what} is due (computed by the server).`), doneAt: Timestamp.nullable() });

export const TrimReferralSchema = z
  .object({
    ...VictimRecordKeys,
    referredAt: Timestamp,
    referredBy: z.string(),
    consent: z.enum(CONSENT),
    status: z.enum(TRIM_STATUSES),
    stage: z.enum(STAGES).describe('What happens next.'),
    clock: z
      .object({
        startsAt: Timestamp.describe('When the milestone clock starts: the later of the assault and the referral.'),
        startsFrom: z
          .enum(['incident', 'referral'])
          .describe('incident: the assault; referral: a referral made after the assault (the incident keeps its own time for reporting).'),
      })
      .describe('Where the due times run from.'),
    planningMeeting: milestone('planning meeting (24–48 hours after the clock starts)').extend({ dueFrom: Timestamp }),
    initialAssessment: milestone('initial assessment (about 72 hours after the clock starts)'),
    followUp: milestone('follow-up assessment (about 28 days after the initial)'),
    outcome: z.enum(TRIM_OUTCOMES).nullable(),
    closedAt: Timestamp.nullable(),
    closeReason: z.string().nullable(),
    note: z.string().nullable(),
    assessments: z.array(TrimAssessmentSchema),
    history: z.array(z.object({ event: z.string(), at: Timestamp, by: z.string(), detail: z.string().nullable() })),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'TrimReferral', examples: [TRIM_REFERRAL_EXAMPLE] });

export type TrimReferralCreate = z.infer<typeof TrimReferralCreateSchema>;
export type TrimReferralPatch = z.infer<typeof TrimReferralPatchSchema>;
export type TrimAssessmentCreate = z.infer<typeof TrimAssessmentCreateSchema>;
export type TrimReferralView = z.infer<typeof TrimReferralSchema>;
