// API principals (roles and force scope) and their keys: hashed, up to two active during a rotation.
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ROLES, type Role } from '../../shared/principal.ts';
import { allOf } from './checks.ts';
import { forces } from './forces.ts';
import { at, ref } from './columns.ts';

export const principals = pgTable(
  'principals',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    roles: text('roles').array().$type<Role[]>().notNull(),
    forceId: uuid('force_id').references(() => forces.id),
    createdAt: at('created_at').notNull(),
    createdBy: uuid('created_by'),
    revokedAt: at('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('principals_force_created_idx').on(t.forceId, t.createdAt), allOf('principals_roles_check', t.roles, ROLES)],
);

export const principalKeys = pgTable(
  'principal_keys',
  {
    id: uuid('id').primaryKey(),
    principalId: ref('principal_id', () => principals.id),
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    createdAt: at('created_at').notNull(),
    revokedAt: at('revoked_at'),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [index('principal_keys_principal_idx').on(t.principalId)],
);
