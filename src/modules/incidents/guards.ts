// Checks shared by incidents and the people in them: force-scoped visibility and status reasons.
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { incidents } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { canSeeForce, type Actor } from '../../shared/principal.ts';
import type { IncidentRow } from './views.ts';

/** The incident row if the actor may see it; otherwise 404, the same answer as for no such incident. */
export async function visibleIncident(q: Queryable, actor: Actor, id: string, lock = false): Promise<IncidentRow> {
  const base = q.select().from(incidents).where(eq(incidents.id, id));
  const [row] = lock ? await base.for('update') : await base;
  if (!row || !canSeeForce(actor.principal, row.forceId)) throw Errors.notFound('incident', id);
  return row;
}

/** Closing or withdrawing needs a reason; reopening clears it. */
export function checkStatusReason(status: string, statusReason: string | null, closed: readonly string[]): string | null {
  if (closed.includes(status)) {
    if (!statusReason?.trim()) throw Errors.rule(`A reason is required to set status ${status}.`, [{ path: 'statusReason', message: `is required when status is ${status}` }]);
    return statusReason;
  }
  return null;
}
