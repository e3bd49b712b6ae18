// API principals (roles and force scope) and their keys: hashed, up to two active during a rotation.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ROLES, type Role } from '../../shared/principal.ts';
import { allOf } from './checks.ts';
import { forces } from './forces.ts';

export const principals = pgTable(
  'principals',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    roles: text('roles').array().$type<Role[]>().notNull(),
    forceId: uuid('force_id').references(() => forces.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('principals_force_created_idx').on(t.forceId, t.createdAt), allOf('principals_roles_check', t.roles, ROLES)],
);

export const principalKeys = pgTable(
  'principal_keys',
  {
    id: uuid('id').primaryKey(),
    principalId: uuid('principal_id')
      .notNull()
      .references(() => principals.id),
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('principal_keys_principal_idx').on(t.principalId)],
);
