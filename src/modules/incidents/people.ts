// Victims (assaulted officers and staff) and suspects of an incident: add, read, amend.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { suspects, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { checkVersion } from '../../shared/etag.ts';
import { newId } from '../../shared/ids.ts';
import { applyMergePatch, topLevel } from '../../shared/merge.ts';
import { canSeeForce, type Actor } from '../../shared/principal.ts';
import { emitEvent, type DomainEvent } from '../webhooks/events.ts';
import { recordAudit } from '../audit/record.ts';
import { createCarePlans } from '../care/plans.ts';
import type { SuspectCreate, SuspectPatch, SuspectView, VictimCreate, VictimPatch, VictimView } from './schemas.ts';
import { settleStatusReason, visibleIncident } from './guards.ts';
import { suspectView, victimView, type IncidentRow, type SuspectRow, type VictimRow } from './views.ts';

function assertOpenForPeople(incident: IncidentRow) {
  if (incident.status === 'withdrawn') throw Errors.rule('The incident is withdrawn: no one can be added to it.');
}

/** Rows a multi-row INSERT ... RETURNING gave back, in the order of the ids the caller made. */
function inOrder<R extends { id: string }>(ids: string[], rows: R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
}

/** The victims of one request in one insert, each with its seven-step plan, in the same transaction. */
export async function insertVictims(tx: Tx, clock: Clock, actor: Actor, incident: IncidentRow, inputs: VictimCreate[]): Promise<VictimRow[]> {
  if (inputs.length === 0) return [];
  const now = clock.now();
  const ids = inputs.map(() => newId());
  const rows = inOrder(
    ids,
    await tx
      .insert(victims)
      .values(inputs.map((input, i) => ({ ...input, id: ids[i]!, incidentId: incident.id, forceId: incident.forceId, status: 'active', createdAt: now, updatedAt: now })))
      .returning(),
  );
  for (const [i, row] of rows.entries()) {
    await recordAudit(tx, clock, actor, { action: 'create', resourceType: 'victim', resourceId: row.id, forceId: incident.forceId, changedFields: Object.keys(inputs[i]!) });
  }
  // The seven-step plan is born with the victim.
  await createCarePlans(tx, clock, actor, incident, ids);
  return rows;
}

/** The webhook event of a new victim (the caller emits it, with others of the same request at once). */
export const victimCreated = (row: VictimRow): DomainEvent => ({ type: 'victim.created', forceId: row.forceId, data: { incidentId: row.incidentId, victimId: row.id } });

/** The suspects of one request in one insert. */
export async function insertSuspects(tx: Tx, clock: Clock, actor: Actor, incident: IncidentRow, inputs: SuspectCreate[]): Promise<SuspectRow[]> {
  if (inputs.length === 0) return [];
  const now = clock.now();
  const ids = inputs.map(() => newId());
  const rows = inOrder(
    ids,
    await tx
      .insert(suspects)
      .values(inputs.map((input, i) => ({ ...input, id: ids[i]!, incidentId: incident.id, forceId: incident.forceId, status: 'active', createdAt: now, updatedAt: now })))
      .returning(),
  );
  for (const [i, row] of rows.entries()) {
    await recordAudit(tx, clock, actor, { action: 'create', resourceType: 'suspect', resourceId: row.id, forceId: incident.forceId, changedFields: Object.keys(inputs[i]!) });
  }
  return rows;
}

export async function addVictim(tx: Tx, clock: Clock, actor: Actor, incidentId: string, input: VictimCreate): Promise<VictimView> {
  const incident = await visibleIncident(tx, actor, incidentId, true);
  assertOpenForPeople(incident);
  const [row] = await insertVictims(tx, clock, actor, incident, [input]);
  await emitEvent(tx, clock, victimCreated(row!));
  return victimView(row!);
}

export async function addSuspect(tx: Tx, clock: Clock, actor: Actor, incidentId: string, input: SuspectCreate): Promise<SuspectView> {
  const incident = await visibleIncident(tx, actor, incidentId, true);
  assertOpenForPeople(incident);
  const [row] = await insertSuspects(tx, clock, actor, incident, [input]);
  return suspectView(row!);
}

async function visibleVictim(tx: Tx, actor: Actor, id: string, lock: boolean): Promise<VictimRow> {
  const base = tx.select().from(victims).where(eq(victims.id, id));
  const [row] = lock ? await base.for('update') : await base;
  if (!row || !canSeeForce(actor.principal, row.forceId)) throw Errors.notFound('victim', id);
  return row;
}

async function visibleSuspect(tx: Tx, actor: Actor, id: string, lock: boolean): Promise<SuspectRow> {
  const base = tx.select().from(suspects).where(eq(suspects.id, id));
  const [row] = lock ? await base.for('update') : await base;
  if (!row || !canSeeForce(actor.principal, row.forceId)) throw Errors.notFound('suspect', id);
  return row;
}

export async function getVictim(tx: Tx, clock: Clock, actor: Actor, id: string): Promise<VictimView> {
  const row = await visibleVictim(tx, actor, id, false);
  await recordAudit(tx, clock, actor, { action: 'read', resourceType: 'victim', resourceId: id, forceId: row.forceId });
  return victimView(row);
}

export async function getSuspect(tx: Tx, clock: Clock, actor: Actor, id: string): Promise<SuspectView> {
  const row = await visibleSuspect(tx, actor, id, false);
  await recordAudit(tx, clock, actor, { action: 'read', resourceType: 'suspect', resourceId: id, forceId: row.forceId });
  return suspectView(row);
}

interface PersonRow {
  id: string;
  forceId: string;
  version: number;
}

/** Shared by victims and suspects: check version, merge, write the changed fields, audit. */
async function patchPerson<R extends PersonRow, V extends { status: string; statusReason: string | null }>(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  kind: 'victim' | 'suspect',
  row: R,
  expected: number | '*',
  patch: Record<string, unknown>,
  view: (row: R) => V,
  write: (values: Record<string, unknown>) => Promise<R | undefined>,
): Promise<V> {
  checkVersion(expected, row.version);
  const current = view(row);
  const merged = applyMergePatch(current, patch);
  const { next } = merged;
  const changed = settleStatusReason(current, next, merged.changed, ['withdrawn']);
  if (changed.length === 0) return current;
  const columns = topLevel(changed);
  const values = Object.fromEntries(columns.map((c) => [c, next[c as keyof V]]));
  const updated = await write({ ...values, version: row.version + 1, updatedAt: clock.now() });
  if (!updated) throw Errors.preconditionFailed(row.version + 1);
  await recordAudit(tx, clock, actor, { action: 'update', resourceType: kind, resourceId: row.id, forceId: row.forceId, changedFields: columns });
  return view(updated);
}

export async function patchVictim(tx: Tx, clock: Clock, actor: Actor, id: string, expected: number | '*', patch: VictimPatch): Promise<VictimView> {
  const row = await visibleVictim(tx, actor, id, true);
  return patchPerson(tx, clock, actor, 'victim', row, expected, patch, victimView, async (values) => {
    const [updated] = await tx.update(victims).set(values).where(and(eq(victims.id, id), eq(victims.version, row.version))).returning();
    return updated;
  });
}

export async function patchSuspect(tx: Tx, clock: Clock, actor: Actor, id: string, expected: number | '*', patch: SuspectPatch): Promise<SuspectView> {
  const row = await visibleSuspect(tx, actor, id, true);
  return patchPerson(tx, clock, actor, 'suspect', row, expected, patch, suspectView, async (values) => {
    const [updated] = await tx.update(suspects).set(values).where(and(eq(suspects.id, id), eq(suspects.version, row.version))).returning();
    return updated;
  });
}
