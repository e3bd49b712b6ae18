// Appends one audit event inside the caller's transaction (unchained; the sealer chains it later).
import type { Queryable } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../../shared/principal.ts';

export type AuditAction = 'create' | 'read' | 'list' | 'update' | 'revoke' | 'verify' | 'erase';

export interface AuditEntry {
  action: AuditAction;
  resourceType: string;
  resourceId?: string | null;
  /** The force whose data was touched (null for national or non-force data). */
  forceId: string | null;
  changedFields?: string[];
}

export async function recordAudit(tx: Queryable, clock: Clock, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
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
  });
}
