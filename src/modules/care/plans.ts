// Care plans: created with each victim from the force's current template; steps worked by welfare officers.
import { and, asc, eq } from 'drizzle-orm';
import { carePlanTemplates, careSteps, victims } from '../../db/schema/index.ts';
import { rowById, type Scope } from '../../db/scope.ts';
import { Errors } from '../../errors.ts';
import { loadHolidays } from '../../db/calendar.ts';
import { dueAt, maxWorkingDays } from '../../shared/calendar.ts';
import { checkVersion } from '../../shared/etag.ts';
import { newId } from '../../shared/ids.ts';
import { readerOf, visibleFields, type Reader } from '../../policy.ts';
import type { CarePlanView, CareStepPatch, CareStepView } from './schemas.ts';
import type { CarePlanSource } from './templates.ts';

type StepRow = typeof careSteps.$inferSelect;

/**
 * A step as the field policy (src/policy.ts) lets the reader see it: notes, reasons and history are health data
 * (welfare officers and admins, with a reason); who completed it is for them too, so a force system sees
 * statuses and times only.
 */
export function stepView(row: StepRow, reader: Reader): CareStepView {
  const view: Required<CareStepView> = {
    id: row.id,
    victimId: row.victimId,
    incidentId: row.incidentId,
    forceId: row.forceId,
    position: row.position,
    key: row.key,
    title: row.title,
    description: row.description,
    ownerRole: row.ownerRole,
    due: row.due,
    dueAt: row.dueAt.toISOString(),
    status: row.status,
    completedAt: row.completedAt?.toISOString() ?? null,
    completedBy: row.completedBy,
    statusReason: row.statusReason,
    note: row.note,
    history: row.history,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
  return visibleFields('careStep', reader, view);
}

/**
 * The steps of new victims' plans from the force's current template (the caller inserts them with the victims, in
 * its statement), each plan's creation audited.
 */
export function carePlanSteps(
  scope: Scope,
  incident: { id: string; forceId: string; occurredAt: Date },
  victimIds: string[],
  { template, holidays }: CarePlanSource,
): (typeof careSteps.$inferInsert)[] {
  const now = scope.now;
  // One template and one stretch of the calendar for all the request's victims.
  const due = template.steps.map((step) => dueAt(incident.occurredAt, step.due, holidays));
  const steps = victimIds.flatMap((victimId) =>
    template.steps.map((step, i) => ({
      id: newId(),
      victimId,
      incidentId: incident.id,
      forceId: incident.forceId,
      templateId: template.id,
      position: i + 1,
      key: step.key,
      title: step.title,
      description: step.description,
      ownerRole: step.ownerRole,
      due: step.due,
      dueAt: due[i]!,
      status: 'pending' as const,
      createdAt: now,
      updatedAt: now,
    })),
  );
  for (const victimId of victimIds) {
    scope.audit({ action: 'create', resourceType: 'care_plan', resourceId: victimId, forceId: incident.forceId, changedFields: ['steps'] });
  }
  return steps;
}

/** When an incident's time is corrected, pending steps of its victims move with it. */
export async function recomputeDueTimes({ tx }: Scope, incident: { id: string; occurredAt: Date }): Promise<void> {
  const pending = await tx
    .select()
    .from(careSteps)
    .where(and(eq(careSteps.incidentId, incident.id), eq(careSteps.status, 'pending')));
  if (pending.length === 0) return;
  const holidays = await loadHolidays(tx, incident.occurredAt, maxWorkingDays(pending.map((s) => s.due)));
  for (const step of pending) {
    await tx
      .update(careSteps)
      .set({ dueAt: dueAt(incident.occurredAt, step.due, holidays) })
      .where(eq(careSteps.id, step.id));
  }
}

export async function getCarePlan(scope: Scope, victimId: string): Promise<CarePlanView> {
  const { tx, actor } = scope;
  const [victim] = await tx.select({ id: victims.id, forceId: victims.forceId, incidentId: victims.incidentId }).from(victims).where(eq(victims.id, victimId));
  if (!victim) throw Errors.notFound('victim', victimId);
  const steps = await tx.select().from(careSteps).where(eq(careSteps.victimId, victimId)).orderBy(asc(careSteps.position));
  if (steps.length === 0) throw Errors.notFound('care-plan', victimId);
  const [template] = await tx.select().from(carePlanTemplates).where(eq(carePlanTemplates.id, steps[0]!.templateId));
  scope.audit({ action: 'read', resourceType: 'care_plan', resourceId: victimId, forceId: victim.forceId });
  return {
    victimId,
    incidentId: victim.incidentId,
    forceId: victim.forceId,
    templateForceId: template?.forceId ?? null,
    templateVersion: template?.version ?? 0,
    complete: steps.every((s) => s.status !== 'pending'),
    steps: steps.map((s) => stepView(s, readerOf(actor))),
  };
}

/** A completion time given by the caller: never in the future. */
function completionTime(value: string, now: Date): Date {
  const completedAt = new Date(value);
  if (completedAt.getTime() > now.getTime()) throw Errors.rule('completedAt cannot be in the future.', [{ path: 'completedAt', message: 'is in the future' }]);
  return completedAt;
}

/** A change of status: settled steps are reopened before they change again; reopening and not-applicable need a reason. */
function statusChange(scope: Scope, row: StepRow, status: StepRow['status'], patch: CareStepPatch): Partial<StepRow> {
  const reason = patch.statusReason ?? null;
  if (row.status !== 'pending' && status !== 'pending') {
    throw Errors.rule(`The step is ${row.status}: reopen it (status pending, with a reason) before setting ${status}.`, [
      { path: 'status', message: `cannot go from ${row.status} to ${status}` },
    ]);
  }
  if ((status === 'not_applicable' || status === 'pending') && !reason) {
    throw Errors.rule(status === 'pending' ? 'Reopening a step needs a reason.' : 'Marking a step not applicable needs a reason.', [
      { path: 'statusReason', message: 'is required' },
    ]);
  }
  const by = scope.actor.principal.name;
  const completedAt = status === 'pending' ? null : patch.completedAt ? completionTime(patch.completedAt, scope.now) : scope.now;
  return {
    status,
    statusReason: reason,
    completedAt,
    completedBy: status === 'pending' ? null : by,
    history: [...row.history, { status, reason, at: scope.now.toISOString(), by }],
  };
}

/** A correction of a settled step's completion time or reason, its status unchanged. */
function completionCorrection(scope: Scope, row: StepRow, patch: CareStepPatch): Partial<StepRow> {
  if (patch.completedAt === undefined && patch.statusReason === undefined) return {};
  if (row.status === 'pending')
    throw Errors.rule('A pending step has no completion to change.', [{ path: 'completedAt', message: 'only for a step that is not pending' }]);
  return {
    ...(patch.completedAt !== undefined ? { completedAt: completionTime(patch.completedAt, scope.now) } : {}),
    ...(patch.statusReason !== undefined ? { statusReason: patch.statusReason } : {}),
  };
}

export async function patchCareStep(scope: Scope, id: string, expected: number | '*', patch: CareStepPatch): Promise<CareStepView> {
  const { tx, actor } = scope;
  const row = await rowById(scope, careSteps, id, true);
  if (!row) throw Errors.notFound('care-step', id);
  checkVersion(expected, row.version);
  const now = scope.now;
  const status = patch.status ?? row.status;
  const changes: Partial<StepRow> = status !== row.status ? statusChange(scope, row, status, patch) : completionCorrection(scope, row, patch);
  // The audit names the fields a status change can touch, as before (history is the status's own record).
  const changed: string[] = status !== row.status ? ['status', 'statusReason', 'completedAt', 'completedBy'] : Object.keys(changes);
  if (patch.note !== undefined && patch.note !== row.note) {
    changes.note = patch.note;
    changed.push('note');
  }
  if (changed.length === 0) return stepView(row, readerOf(actor));
  const [updated] = await tx
    .update(careSteps)
    .set({ ...changes, version: row.version + 1, updatedAt: now })
    .where(and(eq(careSteps.id, id), eq(careSteps.version, row.version)))
    .returning();
  if (!updated) throw Errors.preconditionFailed(row.version + 1);
  scope.audit({ action: 'update', resourceType: 'care_step', resourceId: id, forceId: row.forceId, changedFields: changed });
  // Settled (done, not applicable or declined): the step no longer waits on anyone.
  if (row.status === 'pending' && updated.status !== 'pending') {
    scope.emit({
      type: 'care_step.completed',
      forceId: row.forceId,
      data: { incidentId: row.incidentId, victimId: row.victimId, careStepId: id, step: row.key, status: updated.status },
    });
  }
  return stepView(updated, readerOf(actor));
}
