// Follow-up contacts with an assaulted officer after the fixed steps; the next due one feeds the queue.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { followUps, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { newId } from '../../shared/ids.ts';
import { canSeeForce, type Actor } from '../../shared/principal.ts';
import { recordAudit } from '../audit/record.ts';
import { requireReason } from './plans.ts';
import type { FollowUpCreate, FollowUpView } from './schemas.ts';

type Row = typeof followUps.$inferSelect;

function view(r: Row): FollowUpView {
  return {
    id: r.id,
    victimId: r.victimId,
    incidentId: r.incidentId,
    forceId: r.forceId,
    occurredAt: r.occurredAt.toISOString(),
    kind: r.kind as FollowUpView['kind'],
    contactBy: r.contactBy,
    note: r.note,
    nextFollowUpAt: r.nextFollowUpAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function visibleVictimRef(tx: Tx, actor: Actor, victimId: string, lock = false) {
  const base = tx.select({ id: victims.id, forceId: victims.forceId, incidentId: victims.incidentId, status: victims.status }).from(victims).where(eq(victims.id, victimId));
  const [victim] = lock ? await base.for('update') : await base;
  if (!victim || !canSeeForce(actor.principal, victim.forceId)) throw Errors.notFound('victim', victimId);
  return victim;
}

export async function createFollowUp(tx: Tx, clock: Clock, actor: Actor, victimId: string, input: FollowUpCreate): Promise<FollowUpView> {
  const victim = await visibleVictimRef(tx, actor, victimId, true);
  const now = clock.now();
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt > now) throw Errors.rule('A follow-up is logged after it happened.', [{ path: 'occurredAt', message: 'is in the future' }]);
  const next = input.nextFollowUpAt ? new Date(input.nextFollowUpAt) : null;
  if (next && next <= occurredAt) throw Errors.rule('The next follow-up must come after this one.', [{ path: 'nextFollowUpAt', message: 'must be after occurredAt' }]);
  const [row] = await tx
    .insert(followUps)
    .values({ id: newId(), victimId, incidentId: victim.incidentId, forceId: victim.forceId, occurredAt, kind: input.kind, contactBy: input.contactBy, note: input.note, nextFollowUpAt: next, createdBy: actor.principal.id, createdAt: now })
    .returning();
  // Of the victim's follow-ups, only the latest (by occurredAt, then id) stays current: a back-dated one
  // supersedes nothing and is superseded itself. The victim's row lock above keeps two inserts in turn.
  await tx.execute(sql`
    update follow_ups f set latest = false
     where f.victim_id = ${victimId} and f.latest
       and exists (select 1 from follow_ups g where g.victim_id = f.victim_id and (g.occurred_at, g.id) > (f.occurred_at, f.id))`);
  await recordAudit(tx, clock, actor, { action: 'create', resourceType: 'follow_up', resourceId: row!.id, forceId: victim.forceId, changedFields: Object.keys(input) });
  return view(row!);
}

export async function listFollowUps(tx: Tx, clock: Clock, actor: Actor, victimId: string, query: { limit: number; cursor?: string | undefined }) {
  requireReason(actor);
  const victim = await visibleVictimRef(tx, actor, victimId);
  const rows = await tx
    .select()
    .from(followUps)
    .where(
      and(
        eq(followUps.victimId, victimId),
        olderThanCursor(followUps.occurredAt, followUps.id, query.cursor),
      ),
    )
    .orderBy(desc(followUps.occurredAt), desc(followUps.id))
    .limit(query.limit + 1);
  await recordAudit(tx, clock, actor, { action: 'list', resourceType: 'follow_up', resourceId: victimId, forceId: victim.forceId });
  const result = page(rows, query.limit, (r) => ({ at: r.occurredAt.toISOString(), id: r.id }));
  return { items: result.items.map(view), nextCursor: result.nextCursor };
}
