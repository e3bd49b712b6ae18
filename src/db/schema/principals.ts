// API principals: hashed keys with roles and a force scope (null = national).
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { forces } from './forces.ts';

export const principals = pgTable(
  'principals',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull(),
    forceId: uuid('force_id').references(() => forces.id),
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('principals_force_created_idx').on(t.forceId, t.createdAt)],
);
