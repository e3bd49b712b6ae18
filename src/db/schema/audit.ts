// The audit trail (DPA 2018 s.62): append-only, enforced by triggers; a sealer hash-chains committed rows.
import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at } from './columns.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey(),
    occurredAt: at('occurred_at').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    actorRoles: text('actor_roles').array().notNull(),
    actorForceId: uuid('actor_force_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: uuid('resource_id'),
    forceId: uuid('force_id'),
    requestId: text('request_id').notNull(),
    reason: text('reason'),
    changedFields: text('changed_fields').array(),
    // Chain fields: null until the sealer sets them, once.
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
    sealedAt: at('sealed_at'),
  },
  (t) => [
    // NULLS FIRST matches ORDER BY ... DESC, so the newest-first list reads the index in order.
    index('audit_events_occurred_idx').on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('audit_events_resource_idx').on(t.resourceId),
    // Unique where set only, so the sealer's read of the unsealed events cannot take it (migrations/0020).
    uniqueIndex('audit_events_seq_unique')
      .on(t.seq)
      .where(sql`seq is not null`),
    index('audit_events_force_idx').on(t.forceId, t.occurredAt.desc().nullsFirst()),
  ],
);
