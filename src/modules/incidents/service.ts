// Incidents: record (with victims and suspects inline), read, list, amend; force-scoped and audited.
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.ts';
import { incidents, suspects, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { checkVersion } from '../../shared/etag.ts';
import { newId } from '../../shared/ids.ts';
import { applyMergePatch, topLevel } from '../../shared/merge.ts';
import type { Actor } from '../../shared/principal.ts';
import { recordAudit } from '../audit/record.ts';
import { recomputeDueTimes } from '../care/plans.ts';
import { recomputeTrimDueTimes } from '../trim/service.ts';
import { forceExists } from '../principals/service.ts';
import { settleStatusReason, visibleIncident } from './guards.ts';
import { insertSuspect, insertVictim } from './people.ts';
import type { IncidentCreate, IncidentListQuery, IncidentPatch, IncidentView } from './schemas.ts';
import { incidentSummary, incidentView } from './views.ts';

async function assertReferenceFree(q: Queryable, forceId: string, forceReference: string, exceptId?: string) {
  const [existing] = await q
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.forceId, forceId), eq(incidents.forceReference, forceReference)));
  if (existing && existing.id !== exceptId) throw Errors.duplicateForceReference(forceReference, existing.id);
}

function targetForce(actor: Actor, requested: string | undefined): string {
  const scope = actor.principal.forceId;
  if (scope === null) {
    if (!requested) throw Errors.rule('A national key must say which force the incident belongs to.', [{ path: 'forceId', message: 'is required for a national key' }]);
    return requested;
  }
  if (requested && requested !== scope) throw Errors.forbidden('This key can only record incidents for its own force.');
  return scope;
}

async function loadPeople(q: Queryable, incidentId: string) {
  const [victimRows, suspectRows] = [
    await q.select().from(victims).where(eq(victims.incidentId, incidentId)).orderBy(asc(victims.createdAt), asc(victims.id)),
    await q.select().from(suspects).where(eq(suspects.incidentId, incidentId)).orderBy(asc(suspects.createdAt), asc(suspects.id)),
  ];
  return { victimRows, suspectRows };
}

export async function createIncident(tx: Tx, clock: Clock, actor: Actor, input: IncidentCreate): Promise<IncidentView> {
  const forceId = targetForce(actor, input.forceId);
  if (!(await forceExists(tx, forceId))) {
    throw Errors.rule('The force does not exist.', [{ path: 'forceId', message: 'is not a known force id (see GET /v1/forces)' }]);
  }
  const now = clock.now();
  const { victims: victimInputs, suspects: suspectInputs, forceId: _ignored, ...fields } = input;
  const [row] = await tx
    .insert(incidents)
    .values({ ...fields, id: newId(), forceId, occurredAt: new Date(fields.occurredAt), status: 'open', createdAt: now, updatedAt: now })
    // A concurrent insert of the same reference waits here and then conflicts: answered as 409 below.
    .onConflictDoNothing({ target: [incidents.forceId, incidents.forceReference] })
    .returning();
  if (!row) {
    await assertReferenceFree(tx, forceId, fields.forceReference);
    throw Errors.unavailable();
  }
  await recordAudit(tx, clock, actor, { action: 'create', resourceType: 'incident', resourceId: row.id, forceId, changedFields: Object.keys(fields) });
  const victimRows = [];
  for (const v of victimInputs) victimRows.push(await insertVictim(tx, clock, actor, row, v));
  const suspectRows = [];
  for (const s of suspectInputs) suspectRows.push(await insertSuspect(tx, clock, actor, row, s));
  return incidentView(row, victimRows, suspectRows);
}

export async function getIncident(tx: Tx, clock: Clock, actor: Actor, id: string): Promise<IncidentView> {
  const row = await visibleIncident(tx, actor, id);
  const { victimRows, suspectRows } = await loadPeople(tx, id);
  await recordAudit(tx, clock, actor, { action: 'read', resourceType: 'incident', resourceId: id, forceId: row.forceId });
  return incidentView(row, victimRows, suspectRows);
}

export async function listIncidents(tx: Tx, clock: Clock, actor: Actor, query: IncidentListQuery) {
  const scope = actor.principal.forceId;
  const conditions: (SQL | undefined)[] = [];
  if (scope !== null) conditions.push(eq(incidents.forceId, scope));
  if (query.forceId) conditions.push(eq(incidents.forceId, query.forceId));
  if (query.occurredFrom) conditions.push(gte(incidents.occurredAt, new Date(query.occurredFrom)));
  if (query.occurredTo) conditions.push(lt(incidents.occurredAt, new Date(query.occurredTo)));
  if (query.status) conditions.push(eq(incidents.status, query.status));
  if (query.circumstances) conditions.push(eq(incidents.circumstances, query.circumstances));
  if (query.forceReference) conditions.push(eq(incidents.forceReference, query.forceReference));
  conditions.push(olderThanCursor(incidents.occurredAt, incidents.id, query.cursor));
  const rows = await tx
    .select({
      incident: incidents,
      victimCount: sql<number>`(select count(*)::int from victims v where v.incident_id = "incidents"."id" and v.status = 'active')`,
      suspectCount: sql<number>`(select count(*)::int from suspects s where s.incident_id = "incidents"."id" and s.status = 'active')`,
    })
    .from(incidents)
    .where(and(...conditions))
    .orderBy(desc(incidents.occurredAt), desc(incidents.id))
    .limit(query.limit + 1);
  await recordAudit(tx, clock, actor, { action: 'list', resourceType: 'incident', forceId: scope ?? query.forceId ?? null });
  const result = page(rows, query.limit, (r) => ({ at: r.incident.occurredAt.toISOString(), id: r.incident.id }));
  return {
    items: result.items.map((r) => incidentSummary({ ...r.incident, victimCount: Number(r.victimCount), suspectCount: Number(r.suspectCount) })),
    nextCursor: result.nextCursor,
  };
}

export async function patchIncident(tx: Tx, clock: Clock, actor: Actor, id: string, expected: number | '*', patch: IncidentPatch): Promise<IncidentView> {
  const row = await visibleIncident(tx, actor, id, true);
  checkVersion(expected, row.version);
  const current = incidentView(row, [], []);
  // The same instant written another way is no change.
  const normalised = patch.occurredAt ? { ...patch, occurredAt: new Date(patch.occurredAt).toISOString() } : patch;
  const merged = applyMergePatch(current, normalised);
  const { next } = merged;
  const changed = settleStatusReason(current, next, merged.changed, ['closed', 'withdrawn']);
  if (changed.length > 0) {
    if (changed.includes('forceReference')) await assertReferenceFree(tx, row.forceId, next.forceReference, id);
    const [updated] = await tx
      .update(incidents)
      .set({
        forceReference: next.forceReference,
        occurredAt: new Date(next.occurredAt),
        location: next.location,
        circumstances: next.circumstances,
        deployment: next.deployment,
        equipment: next.equipment,
        methods: next.methods,
        hateAggravation: next.hateAggravation,
        offences: next.offences,
        narrative: next.narrative,
        status: next.status,
        statusReason: next.statusReason,
        version: row.version + 1,
        updatedAt: clock.now(),
      })
      .where(and(eq(incidents.id, id), eq(incidents.version, row.version)))
      .returning();
    if (!updated) throw Errors.preconditionFailed(row.version + 1);
    await recordAudit(tx, clock, actor, { action: 'update', resourceType: 'incident', resourceId: id, forceId: row.forceId, changedFields: topLevel(changed) });
    // Due times run from the incident: a corrected time moves the pending care steps with it.
    if (changed.includes('occurredAt')) {
      await recomputeDueTimes(tx, updated);
      await recomputeTrimDueTimes(tx, updated);
    }
    Object.assign(row, updated);
  }
  const { victimRows, suspectRows } = await loadPeople(tx, id);
  return incidentView(row, victimRows, suspectRows);
}
