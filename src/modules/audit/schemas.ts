// The API contract of the audit trail.
import { z } from 'zod';
import { DateTimeInput, IdSchema, PageQuerySchema, Timestamp } from '../../shared/http.ts';
import { AUDIT_EVENT_EXAMPLE, AUDIT_VERIFICATION_EXAMPLE } from './examples.ts';

export const AuditEventSchema = z
  .object({
    id: IdSchema,
    occurredAt: Timestamp,
    actorId: IdSchema.nullable(),
    actorName: z.string(),
    actorRoles: z.array(z.string()),
    actorForceId: IdSchema.nullable(),
    action: z.string().describe('create, read, list, export (a streamed list), update, revoke, verify or erase (retention).'),
    resourceType: z.string(),
    resourceId: IdSchema.nullable(),
    forceId: IdSchema.nullable().describe('The force whose data was touched.'),
    requestId: z.string(),
    reason: z.string().nullable().describe('From the X-Access-Reason header.'),
    changedFields: z.array(z.string()).nullable().describe('For writes: the fields changed.'),
    seq: z.number().int().nullable().describe('Position in the hash chain; null until sealed (within about a second).'),
    prevHash: z.string().nullable(),
    hash: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent', examples: [AUDIT_EVENT_EXAMPLE] });

export const AuditListQuerySchema = PageQuerySchema.extend({
  resourceType: z.string().max(64).optional(),
  resourceId: IdSchema.optional(),
  actorId: IdSchema.optional(),
  action: z.string().max(32).optional(),
  requestId: z.string().max(128).optional(),
  occurredFrom: DateTimeInput.optional().describe('Inclusive.'),
  occurredTo: DateTimeInput.optional().describe('Exclusive.'),
});

export const AuditVerifySchema = z
  .object({
    intact: z.boolean().describe('True when every sealed event matches its hash and links to the one before.'),
    sealed: z.number().int().describe('Events already chained.'),
    unsealed: z.number().int().describe('Events committed but not yet chained (normally sealed within a second).'),
    firstBrokenSeq: z.number().int().nullable().describe('The first chain position that does not verify.'),
    headSeq: z.number().int().nullable(),
    headHash: z.string().nullable().describe('Record this elsewhere to detect a rewrite of the whole chain.'),
  })
  .meta({ id: 'AuditVerification', examples: [AUDIT_VERIFICATION_EXAMPLE] });

export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;
export type AuditVerification = z.infer<typeof AuditVerifySchema>;
