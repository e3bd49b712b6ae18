// The federation view of case outcomes: what a rep may see, and nothing else (no care, TRiM or injury).
import { z } from 'zod';
import { DateTimeInput, IdSchema, PageQuerySchema, Timestamp } from '../../shared/http.ts';
import { CIRCUMSTANCES, OFFENCES, SERVICE_BANDS, VICTIM_ROLES } from '../incidents/schemas.ts';
import { AGGRAVATION_STATED, CASE_STATUSES, ComplianceSchema, DECISIONS, RESULTS, SENTENCES } from '../justice/schemas.ts';
import { CASE_EXAMPLE } from './examples.ts';

const SentenceViewSchema = z.object({
  sentence: z.enum(SENTENCES),
  amountPence: z.number().int().nullable(),
  custodyMonths: z.number().int().nullable(),
  aggravationStated: z
    .enum(AGGRAVATION_STATED)
    .describe('Whether the court stated the emergency-worker aggravation in open court (Sentencing Act 2020, s.67); not_recorded when not said.'),
  at: Timestamp,
});

export const CaseSchema = z
  .object({
    incidentId: IdSchema,
    incidentReference: z.string(),
    forceId: IdSchema,
    occurredAt: Timestamp,
    circumstances: z.enum(CIRCUMSTANCES),
    offences: z.array(z.enum(OFFENCES)),
    status: z.enum(CASE_STATUSES),
    outcome: z.object({ scheme: z.string(), code: z.number().int(), label: z.string(), outcomeGroup: z.string() }).nullable(),
    defendants: z.array(
      z.object({
        label: z.string().describe('"Defendant 1", "Defendant 2", ...: suspects are never identified here.'),
        decisions: z.array(z.object({ decision: z.enum(DECISIONS), at: Timestamp })),
        charges: z.array(
          z.object({
            offence: z.enum(OFFENCES),
            chargedAt: Timestamp,
            result: z.object({ result: z.enum(RESULTS), at: Timestamp }).nullable(),
            sentences: z.array(SentenceViewSchema),
          }),
        ),
        sentences: z.array(SentenceViewSchema).describe('Sentences covering all of the defendant’s convictions.'),
      }),
    ),
    victimsCode: ComplianceSchema,
    officers: z.array(
      z.discriminatedUnion('federationConsent', [
        z.object({
          federationConsent: z.literal(true),
          role: z.enum(VICTIM_ROLES),
          serviceBand: z.enum(SERVICE_BANDS).nullable(),
          staffNumber: z.string().nullable(),
        }),
        z.object({ federationConsent: z.literal(false) }).describe('No consent: nothing that identifies the officer.'),
      ]),
    ),
  })
  .meta({ id: 'Case', examples: [CASE_EXAMPLE] });

export const CaseListQuerySchema = PageQuerySchema.extend({
  occurredFrom: DateTimeInput.optional().describe('Inclusive.'),
  occurredTo: DateTimeInput.optional().describe('Exclusive.'),
  status: z.enum(CASE_STATUSES).optional(),
  offence: z.enum(OFFENCES).optional(),
  outcome: z.coerce.number().int().min(1).max(22).optional().describe('Home Office outcome code.'),
  forceId: IdSchema.optional(),
});

export const CaseParamsSchema = z.object({ incidentId: IdSchema });

export type CaseView = z.infer<typeof CaseSchema>;
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;
