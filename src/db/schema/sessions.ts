// The page's sign-in sessions (migrations/0018_web_sessions.sql): a hash of the cookie's token, who signed in, the
// CSRF token, and the idle and absolute expiry. Shared by every instance; nothing about a session is kept in memory.
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ROLES, type Role } from '../../shared/principal.ts';
import { allOf } from './checks.ts';
import { at } from './columns.ts';
import { forces } from './forces.ts';

export const webSessions = pgTable(
  'web_sessions',
  {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    subject: text('subject').notNull(),
    principalId: uuid('principal_id').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().$type<Role[]>().notNull(),
    forceId: uuid('force_id').references(() => forces.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: at('created_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    idleExpiresAt: at('idle_expires_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    index('web_sessions_idle_expires_idx').on(t.idleExpiresAt),
    index('web_sessions_expires_idx').on(t.expiresAt),
    allOf('web_sessions_roles_check', t.roles, ROLES),
  ],
);
