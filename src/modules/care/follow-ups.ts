// Follow-up contacts with an assaulted officer after the fixed steps; the next due one feeds the queue.
import { newestFirst } from '../../db/pages.ts';
import type { Scope } from '../../db/scope.ts';
import { eq, sql } from 'drizzle-orm';
import { followUps, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { newId } from '../../shared/ids.ts';
import type { FollowUpCreate, FollowUpView } from './schemas.ts';

type Row = typeof followUps.$inferSelect;

function view(r: Row): FollowUpView {
  return {
    id: r.id,
    victimId: r.victimId,
    incidentId: r.incidentId,
    forceId: r.forceId,
    occurredAt: r.occurredAt.toISOString(),
    kind: r.kind,
    contactBy: r.contactBy,
    note: r.note,
    nextFollowUpAt: r.nextFollowUpAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function visibleVictimRef({ tx }: Scope, victimId: string, lock = false) {
  const base = tx
    .select({ id: victims.id, forceId: victims.forceId, incidentId: victims.incidentId, status: victims.status })
    .from(victims)
    .where(eq(victims.id, victimId));
  const [victim] = lock ? await base.for('update') : await base;
  if (!victim) throw Errors.notFound('victim', victimId);
  return victim;
}

export async function createFollowUp(scope: Scope, victimId: string, input: FollowUpCreate): Promise<FollowUpView> {
  const { tx, actor } = scope;
  const victim = await visibleVictimRef(scope, victimId, true);
  const now = scope.now;
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt > now) throw Errors.rule('A follow-up is logged after it happened.', [{ path: 'occurredAt', message: 'is in the future' }]);
  const next = input.nextFollowUpAt ? new Date(input.nextFollowUpAt) : null;
  if (next && next <= occurredAt)
    throw Errors.rule('The next follow-up must come after this one.', [{ path: 'nextFollowUpAt', message: 'must be after occurredAt' }]);
  const [row] = await tx
    .insert(followUps)
    .values({
      id: newId(),
      victimId,
      incidentId: victim.incidentId,
      forceId: victim.forceId,
      occurredAt,
      kind: input.kind,
      contactBy: input.contactBy,
      note: input.note,
      nextFollowUpAt: next,
      createdBy: actor.principal.id,
      createdAt: now,
    })
    .returning();
  // Of the victim's follow-ups, only the latest (by occurredAt, then id) stays current: a back-dated one
  // supersedes nothing and is superseded itself. The victim's row lock above keeps two inserts in turn.
  await tx.execute(sql`
    update follow_ups f set latest = false
     where f.victim_id = ${victimId} and f.latest
       and exists (select 1 from follow_ups g where g.victim_id = f.victim_id and (g.occurred_at, g.id) > (f.occurred_at, f.id))`);
  scope.audit({ action: 'create', resourceType: 'follow_up', resourceId: row!.id, forceId: victim.forceId, changedFields: Object.keys(input) });
  return view(row!);
}

export async function listFollowUps(scope: Scope, victimId: string, query: { limit: number; cursor?: string | undefined }) {
  const { tx } = scope;
  const victim = await visibleVictimRef(scope, victimId);
  const result = await newestFirst(tx, followUps, 'occurredAt', [eq(followUps.victimId, victimId)], query);
  scope.audit({ action: 'list', resourceType: 'follow_up', resourceId: victimId, forceId: victim.forceId });
  return { items: result.items.map(view), nextCursor: result.nextCursor };
}
