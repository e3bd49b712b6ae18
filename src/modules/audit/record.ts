// Appends one audit event inside the caller's transaction (unchained; the sealer chains it later).
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../../shared/principal.ts';

export type AuditAction = 'create' | 'read' | 'list' | 'export' | 'update' | 'revoke' | 'verify' | 'erase';

export interface AuditEntry {
  action: AuditAction;
  resourceType: string;
  resourceId?: string | null;
  /** The force whose data was touched (null for national or non-force data). */
  forceId: string | null;
  changedFields?: string[];
}

// Every write and audited read runs this: one named statement, built once. The arrays go to the driver
// as they are (a placeholder typed by the column would not take null).
const insertAudit = preparedStatement('audit_insert', (q) =>
  q
    .insert(auditEvents)
    .values({
      id: sql.placeholder('id'),
      occurredAt: sql.placeholder('occurredAt'),
      actorId: sql.placeholder('actorId'),
      actorName: sql.placeholder('actorName'),
      actorRoles: sql`${sql.placeholder('actorRoles')}`,
      actorForceId: sql.placeholder('actorForceId'),
      action: sql.placeholder('action'),
      resourceType: sql.placeholder('resourceType'),
      resourceId: sql.placeholder('resourceId'),
      forceId: sql.placeholder('forceId'),
      requestId: sql.placeholder('requestId'),
      reason: sql.placeholder('reason'),
      changedFields: sql`${sql.placeholder('changedFields')}`,
    })
    .prepare('audit_insert'),
);

type AuditRow = Record<string, unknown>;

// Transactions on a read replica (read-only): their audit events are kept here and written on the primary after.
const deferred = new WeakMap<Queryable, AuditRow[]>();

/** Audit events recorded in tx are collected (not inserted) into the list: tx is a read-only replica transaction. */
export function deferAuditOf(tx: Queryable, into: AuditRow[]): void {
  deferred.set(tx, into);
}

/** Writes events collected by deferAuditOf, in the caller's (primary) transaction: one statement for them all. */
export async function insertDeferredAudit(tx: Queryable, rows: AuditRow[]): Promise<void> {
  if (rows.length === 1) await insertAudit(tx).execute(rows[0]!);
  else if (rows.length > 1) await tx.insert(auditEvents).values(rows as (typeof auditEvents.$inferInsert)[]);
}

/**
 * Runs fn with the audit events it records held back, then writes them in one insert, still inside tx: a
 * request that creates many records (an incident with its people and their plans) sends one statement for
 * its audit trail instead of one per record. Nested calls join the outer one.
 */
export async function batchAudit<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  if (deferred.has(tx)) return fn();
  const rows: AuditRow[] = [];
  deferred.set(tx, rows);
  let result: T;
  try {
    result = await fn();
  } finally {
    deferred.delete(tx);
  }
  await insertDeferredAudit(tx, rows);
  return result;
}

export async function recordAudit(tx: Queryable, clock: Clock, actor: Actor, entry: AuditEntry): Promise<void> {
  const row: AuditRow = {
    id: newId(),
    occurredAt: clock.now(),
    actorId: actor.principal.id,
    actorName: actor.principal.name,
    actorRoles: actor.principal.roles,
    actorForceId: actor.principal.forceId,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    forceId: entry.forceId,
    requestId: actor.requestId,
    reason: actor.reason,
    changedFields: entry.changedFields ?? null,
  };
  const later = deferred.get(tx);
  if (later) later.push(row);
  else await insertAudit(tx).execute(row);
}
