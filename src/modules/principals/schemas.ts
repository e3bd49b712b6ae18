// The API contract of principals (API keys).
import { z } from 'zod';
import { IdSchema, Timestamp } from '../../shared/http.ts';
import { RoleSchema } from '../../shared/principal.ts';
import { KEY_CREATED_EXAMPLE, PRINCIPAL_CREATE_EXAMPLE, PRINCIPAL_CREATED_EXAMPLE, PRINCIPAL_EXAMPLE } from './examples.ts';

export const PrincipalCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(120).describe('Who or what uses the key, e.g. "Crime system (test)".'),
    roles: z.array(RoleSchema).min(1).max(5).describe('Roles granted to the key.'),
    forceId: IdSchema.nullable().default(null).describe('The force the key is limited to; null for national scope.'),
  })
  .strict()
  .meta({ examples: [PRINCIPAL_CREATE_EXAMPLE] });

export const KeySchema = z
  .object({
    id: IdSchema,
    keyPrefix: z.string().describe('The first characters of the key, to tell keys apart.'),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable().describe('Updated at most once a minute.'),
  })
  .meta({ id: 'ApiKey' });

export const PrincipalSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    roles: z.array(RoleSchema),
    forceId: IdSchema.nullable(),
    keyPrefix: z.string().describe('The prefix of the newest active key.'),
    keys: z.array(KeySchema).describe('Its keys, oldest first: two are active during a rotation.'),
    lastUsedAt: Timestamp.nullable().describe('The last time any of its keys was used (to the minute).'),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    revokedReason: z.string().nullable(),
  })
  .meta({ id: 'Principal', examples: [PRINCIPAL_EXAMPLE] });

export const PrincipalCreatedSchema = PrincipalSchema.extend({
  key: z.string().nullable().describe('The API key. Shown once, never again: store it now. null in an Idempotency-Key replay, since only its hash is kept.'),
}).meta({ id: 'PrincipalCreated', examples: [PRINCIPAL_CREATED_EXAMPLE] });

export const PrincipalListQuerySchema = z.object({
  forceId: IdSchema.optional(),
  includeRevoked: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
});

export const KeyCreatedSchema = KeySchema.extend({
  principalId: IdSchema,
  key: z.string().nullable().describe('The new key. Shown once; null in an Idempotency-Key replay.'),
}).meta({ id: 'ApiKeyCreated', examples: [KEY_CREATED_EXAMPLE] });

export const KeyParamsSchema = z.object({ id: IdSchema, keyId: IdSchema });

export const RevokeQuerySchema = z.object({
  reason: z.string().trim().min(1).max(500).optional().describe('Why the key is revoked (recorded).'),
});

export type PrincipalCreate = z.infer<typeof PrincipalCreateSchema>;
export type PrincipalView = z.infer<typeof PrincipalSchema>;
export type KeyView = z.infer<typeof KeySchema>;
