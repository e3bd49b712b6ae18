// The API contract of care-plan templates, care plans and steps, follow-ups and the welfare queue.
import { z } from 'zod';
import { DateTimeInput, IdSchema, PageQuerySchema, Timestamp, VictimRecordKeys } from '../../shared/http.ts';
import { MAX_WORKING_DAYS } from '../../shared/calendar.ts';
import { FOLLOW_UP_KINDS, OWNER_ROLES, STEP_STATUSES } from '../../shared/enums.ts';
import {
  CARE_PLAN_EXAMPLE,
  CARE_STEP_EXAMPLE,
  CARE_STEP_PATCH_EXAMPLE,
  FOLLOW_UP_CREATE_EXAMPLE,
  FOLLOW_UP_EXAMPLE,
  QUEUE_ITEM_EXAMPLE,
  TEMPLATE_EXAMPLE,
  TEMPLATE_PUT_EXAMPLE,
} from './examples.ts';

// Value lists the database checks too: they live in src/shared/enums.ts, re-exported here under the same names.
export { OWNER_ROLES, STEP_STATUSES, FOLLOW_UP_KINDS };

export const DueOffsetSchema = z
  .union([
    z
      .object({
        hours: z
          .number()
          .int()
          .min(1)
          .max(24 * 366)
          .describe('Hours after the incident.'),
      })
      .strict(),
    z
      .object({
        workingDays: z
          .number()
          .int()
          .min(1)
          .max(MAX_WORKING_DAYS)
          .describe('End of the n-th working day after the incident (UK time; weekends and bank holidays skipped).'),
      })
      .strict(),
  ])
  .meta({ id: 'DueOffset' });

export const TemplateStepSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case, up to 64 characters')
      .describe('Stable key of the step.'),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
    ownerRole: z.enum(OWNER_ROLES).describe('Who is expected to do it.'),
    due: DueOffsetSchema,
  })
  .strict()
  .meta({ id: 'TemplateStep' });

export const TemplatePutSchema = z
  .object({
    steps: z
      .array(TemplateStepSchema)
      .min(1)
      .max(20)
      .refine((s) => new Set(s.map((x) => x.key)).size === s.length, { message: 'step keys must be unique' }),
  })
  .strict()
  .meta({ examples: [TEMPLATE_PUT_EXAMPLE] });

export const TemplateSchema = z
  .object({
    forceId: IdSchema.nullable().describe('null for the national default.'),
    version: z.number().int(),
    source: z.enum(['force', 'national']).describe('Whether the force has its own version or uses the national default.'),
    steps: z.array(z.object({ key: z.string(), title: z.string(), description: z.string(), ownerRole: z.enum(OWNER_ROLES), due: DueOffsetSchema })),
    createdAt: Timestamp,
  })
  .meta({ id: 'CarePlanTemplate', examples: [TEMPLATE_EXAMPLE] });

export const TemplateParamsSchema = z.object({
  forceId: z.union([IdSchema, z.literal('national')]).describe('A force id, or "national" for the national default.'),
});
export const TemplateQuerySchema = z.object({ version: z.coerce.number().int().min(1).optional().describe('An earlier version; default the current one.') });

export const CareStepSchema = z
  .object({
    ...VictimRecordKeys,
    position: z.number().int(),
    key: z.string(),
    title: z.string(),
    description: z.string(),
    ownerRole: z.enum(OWNER_ROLES),
    due: DueOffsetSchema,
    dueAt: Timestamp,
    status: z.enum(STEP_STATUSES),
    statusReason: z.string().nullable().optional().describe('Health-adjacent: shown to welfare officers and admins only.'),
    note: z.string().nullable().optional().describe('Health data: shown to welfare officers and admins only.'),
    completedAt: Timestamp.nullable(),
    completedBy: z.string().nullable().optional().describe('Who marked the step: welfare officers and admins only (force systems see statuses and times).'),
    history: z
      .array(z.object({ status: z.enum(STEP_STATUSES), reason: z.string().nullable(), at: Timestamp, by: z.string() }))
      .optional()
      .describe('Every status change; welfare officers and admins only.'),
    version: z.number().int(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'CareStep', examples: [CARE_STEP_EXAMPLE] });

export const CarePlanSchema = z
  .object({
    victimId: IdSchema,
    incidentId: IdSchema,
    forceId: IdSchema,
    templateForceId: IdSchema.nullable().describe('The force whose template was used; null for the national default.'),
    templateVersion: z.number().int(),
    complete: z.boolean().describe('No step is pending.'),
    steps: z.array(CareStepSchema),
  })
  .meta({ id: 'CarePlan', examples: [CARE_PLAN_EXAMPLE] });

export const CareStepPatchSchema = z
  .object({
    status: z.enum(STEP_STATUSES).optional().describe('pending -> done | not_applicable | declined; back to pending (reopen) with a reason.'),
    statusReason: z.string().trim().min(1).max(1000).nullable().optional().describe('Required for not_applicable and for reopening.'),
    note: z.string().max(5000).nullable().optional().describe('Health data.'),
    completedAt: DateTimeInput.optional().describe('When it was done; default now. Never in the future.'),
  })
  .strict()
  .meta({ id: 'CareStepPatch', examples: [CARE_STEP_PATCH_EXAMPLE] });

export const QueueQuerySchema = PageQuerySchema.extend({
  status: z.enum(['overdue', 'due', 'open']).default('open').describe('overdue: past due; due: due by dueBefore (overdue included); open: everything pending.'),
  dueBefore: DateTimeInput.optional().describe('Only items due before this time. For status=due the default is 24 hours from now.'),
  forceId: IdSchema.optional(),
});

export const QueueItemSchema = z
  .object({
    kind: z.enum(['care_step', 'follow_up', 'trim_referral']).describe('A care step, a follow-up contact due, or the next TRiM milestone.'),
    id: IdSchema.describe('The care step, the follow-up that set the next contact, or the TRiM referral.'),
    forceId: IdSchema,
    incidentId: IdSchema,
    incidentReference: z.string(),
    victimId: IdSchema,
    victimRole: z.string(),
    staffNumber: z.string().nullable(),
    stepKey: z.string().nullable(),
    title: z.string(),
    ownerRole: z.string().nullable(),
    dueAt: Timestamp,
    overdueSeconds: z.number().int().describe('How long past due (0 when not yet due).'),
    version: z.number().int().nullable().describe('For care steps and TRiM referrals: the version to send as If-Match.'),
  })
  .meta({ id: 'QueueItem', examples: [QUEUE_ITEM_EXAMPLE] });

export const FollowUpCreateSchema = z
  .object({
    occurredAt: DateTimeInput.describe('When the contact happened.'),
    kind: z.enum(FOLLOW_UP_KINDS),
    contactBy: z.string().trim().min(1).max(200).describe('Who made the contact (name or role).'),
    note: z.string().max(5000).nullable().default(null).describe('Health data.'),
    nextFollowUpAt: DateTimeInput.nullable()
      .default(null)
      .describe('When the next contact is due; it appears in the welfare queue until the next follow-up is logged.'),
  })
  .strict()
  .meta({ id: 'FollowUpCreate', examples: [FOLLOW_UP_CREATE_EXAMPLE] });

export const FollowUpSchema = z
  .object({
    ...VictimRecordKeys,
    occurredAt: Timestamp,
    kind: z.enum(FOLLOW_UP_KINDS),
    contactBy: z.string(),
    note: z.string().nullable(),
    nextFollowUpAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'FollowUp', examples: [FOLLOW_UP_EXAMPLE] });

export const FollowUpListQuerySchema = PageQuerySchema;

export type TemplatePut = z.infer<typeof TemplatePutSchema>;
export type TemplateView = z.infer<typeof TemplateSchema>;
export type CareStepView = z.infer<typeof CareStepSchema>;
export type CarePlanView = z.infer<typeof CarePlanSchema>;
export type CareStepPatch = z.infer<typeof CareStepPatchSchema>;
export type QueueQuery = z.infer<typeof QueueQuerySchema>;
export type QueueItem = z.infer<typeof QueueItemSchema>;
export type FollowUpCreate = z.infer<typeof FollowUpCreateSchema>;
export type FollowUpView = z.infer<typeof FollowUpSchema>;
