// Checks shared by incidents and the people in them: visibility (row-level security) and status reasons.
import { eq } from 'drizzle-orm';
import { incidents } from '../../db/schema/index.ts';
import type { Scope } from '../../db/scope.ts';
import { Errors } from '../../errors.ts';
import type { IncidentRow } from './views.ts';

/** The incident row if the scope may see it (row-level security); otherwise 404, the same answer as for no such incident. */
export async function visibleIncident(scope: Scope, id: string, lock = false): Promise<IncidentRow> {
  const base = scope.tx.select().from(incidents).where(eq(incidents.id, id));
  const [row] = lock ? await base.for('update') : await base;
  if (!row) throw Errors.notFound('incident', id);
  return row;
}

type WithStatus = { status: string; statusReason: string | null };

/**
 * Closing or withdrawing needs a reason; an open record has none (reopening clears it). Settles
 * next.statusReason and the changed list, so a reason sent to an open record changes nothing.
 */
export function settleStatusReason(current: WithStatus, next: WithStatus, changed: string[], closed: readonly string[]): string[] {
  if (closed.includes(next.status)) {
    if (!next.statusReason?.trim()) {
      throw Errors.rule(`A reason is required to set status ${next.status}.`, [{ path: 'statusReason', message: `is required when status is ${next.status}` }]);
    }
  } else {
    next.statusReason = null;
  }
  const others = changed.filter((c) => c !== 'statusReason');
  return next.statusReason === current.statusReason ? others : [...others, 'statusReason'];
}
