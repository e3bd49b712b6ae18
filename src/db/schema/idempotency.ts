// Idempotency keys of POST requests, kept in the database so replays hold across instances.
import { integer, jsonb, pgTable, primaryKey, text, uuid, index } from 'drizzle-orm/pg-core';
import { at } from './columns.ts';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principalId: uuid('principal_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    responseBody: jsonb('response_body'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.key] }), index('idempotency_expires_idx').on(t.expiresAt)],
);
