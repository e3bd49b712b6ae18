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
import { canSeeForce, targetForce, type Actor } from '../../shared/principal.ts';
import { preparedStatement } from '../../db/prepared.ts';
import { rowFromJson } from '../../db/json-rows.ts';
import { ASYNC_COMMIT } from '../../shared/tx.ts';
import { emitEvent, emitEvents } from '../webhooks/events.ts';
import { batchAudit, recordAudit } from '../audit/record.ts';
import { recomputeDueTimes } from '../care/plans.ts';
import { recomputeTrimDueTimes } from '../trim/service.ts';
import { forceExists } from '../principals/service.ts';
import { settleStatusReason, visibleIncident } from './guards.ts';
import { insertSuspects, insertVictims, victimCreated } from './people.ts';
import type { IncidentCreate, IncidentListQuery, IncidentPatch, IncidentSummary, IncidentView } from './schemas.ts';
import { incidentSummary, incidentView } from './views.ts';

/** The id of the force's incident with this reference, if there is one. */
export async function incidentIdByReference(q: Queryable, forceId: string, forceReference: string): Promise<string | undefined> {
  const [existing] = await q
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.forceId, forceId), eq(incidents.forceReference, forceReference)));
  return existing?.id;
}

async function assertReferenceFree(q: Queryable, forceId: string, forceReference: string, exceptId?: string) {
  const existing = await incidentIdByReference(q, forceId, forceReference);
  if (existing && existing !== exceptId) throw Errors.duplicateForceReference(forceReference, existing);
}

/** The force a new incident belongs to: the key's own, or the one a national key names. */
export const incidentForce = (actor: Actor, requested: string | undefined): string =>
  targetForce(actor, requested, { record: 'the incident belongs to', ownOnly: 'record incidents' });

async function loadPeople(q: Queryable, incidentId: string) {
  const [victimRows, suspectRows] = [
    await q.select().from(victims).where(eq(victims.incidentId, incidentId)).orderBy(asc(victims.createdAt), asc(victims.id)),
    await q.select().from(suspects).where(eq(suspects.incidentId, incidentId)).orderBy(asc(suspects.createdAt), asc(suspects.id)),
  ];
  return { victimRows, suspectRows };
}

const victimFromJson = rowFromJson(victims);
const suspectFromJson = rowFromJson(suspects);

/** Records an incident with its victims (and their care plans) and suspects; the audit trail in one insert. */
export function createIncident(tx: Tx, clock: Clock, actor: Actor, input: IncidentCreate): Promise<IncidentView> {
  return batchAudit(tx, () => insertIncident(tx, clock, actor, input));
}

async function insertIncident(tx: Tx, clock: Clock, actor: Actor, input: IncidentCreate): Promise<IncidentView> {
  const forceId = incidentForce(actor, input.forceId);
  // A force-scoped key's force exists (keys and tokens are checked against forces); a national key names one.
  if (actor.principal.forceId === null && !(await forceExists(tx, forceId))) {
    throw Errors.unknownForce();
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
  const victimRows = await insertVictims(tx, clock, actor, row, victimInputs);
  // One insert for all of the request's events.
  await emitEvents(tx, clock, [{ type: 'incident.created', forceId, data: { incidentId: row.id } }, ...victimRows.map(victimCreated)]);
  const suspectRows = await insertSuspects(tx, clock, actor, row, suspectInputs);
  return incidentView(row, victimRows, suspectRows);
}

/**
 * GET by id in one round trip: the incident, its people (as JSON) and the read's commit mode (see inReadFolded).
 * The outer column is written out: drizzle leaves a one-table select's columns unqualified.
 */
const incidentWithPeople = preparedStatement('incident_with_people', (q) =>
  q
    .select({
      incident: incidents,
      victims: sql<Record<string, unknown>[] | null>`(select json_agg(v order by v.created_at, v.id) from victims v where v.incident_id = "incidents"."id")`,
      suspects: sql<Record<string, unknown>[] | null>`(select json_agg(s order by s.created_at, s.id) from suspects s where s.incident_id = "incidents"."id")`,
      asyncCommit: ASYNC_COMMIT,
    })
    .from(incidents)
    .where(eq(incidents.id, sql.placeholder('id')))
    .prepare('incident_with_people'),
);

export async function getIncident(tx: Tx, clock: Clock, actor: Actor, id: string): Promise<IncidentView> {
  const [found] = await incidentWithPeople(tx).execute({ id });
  if (!found || !canSeeForce(actor.principal, found.incident.forceId)) throw Errors.notFound('incident', id);
  const { incident: row } = found;
  await recordAudit(tx, clock, actor, { action: 'read', resourceType: 'incident', resourceId: id, forceId: row.forceId });
  return incidentView(row, (found.victims ?? []).map(victimFromJson), (found.suspects ?? []).map(suspectFromJson));
}

/** The list's filters and the caller's force scope, as conditions (no cursor). */
export function incidentFilters(actor: Actor, query: IncidentListQuery): (SQL | undefined)[] {
  const scope = actor.principal.forceId;
  const conditions: (SQL | undefined)[] = [];
  if (scope !== null) conditions.push(eq(incidents.forceId, scope));
  if (query.forceId) conditions.push(eq(incidents.forceId, query.forceId));
  if (query.occurredFrom) conditions.push(gte(incidents.occurredAt, new Date(query.occurredFrom)));
  if (query.occurredTo) conditions.push(lt(incidents.occurredAt, new Date(query.occurredTo)));
  if (query.status) conditions.push(eq(incidents.status, query.status));
  if (query.circumstances) conditions.push(eq(incidents.circumstances, query.circumstances));
  if (query.forceReference) conditions.push(eq(incidents.forceReference, query.forceReference));
  return conditions;
}

/** The force a list or export is filed under in the audit trail: the caller's, else the one asked for. */
export function listedForce(actor: Actor, query: IncidentListQuery): string | null {
  return actor.principal.forceId ?? query.forceId ?? null;
}

/** Incident summaries with their people counts, newest first. */
export async function incidentSummaries(q: Queryable, conditions: (SQL | undefined)[], limit: number): Promise<IncidentSummary[]> {
  const rows = await q
    .select({
      incident: incidents,
      victimCount: sql<number>`(select count(*)::int from victims v where v.incident_id = "incidents"."id" and v.status = 'active')`,
      suspectCount: sql<number>`(select count(*)::int from suspects s where s.incident_id = "incidents"."id" and s.status = 'active')`,
    })
    .from(incidents)
    .where(and(...conditions))
    .orderBy(desc(incidents.occurredAt), desc(incidents.id))
    .limit(limit);
  return rows.map((r) => incidentSummary({ ...r.incident, victimCount: Number(r.victimCount), suspectCount: Number(r.suspectCount) }));
}

export async function listIncidents(tx: Tx, clock: Clock, actor: Actor, query: IncidentListQuery) {
  const rows = await incidentSummaries(tx, [...incidentFilters(actor, query), olderThanCursor(incidents.occurredAt, incidents.id, query.cursor)], query.limit + 1);
  await recordAudit(tx, clock, actor, { action: 'list', resourceType: 'incident', forceId: listedForce(actor, query) });
  return page(rows, query.limit, (r) => ({ at: r.occurredAt, id: r.id }));
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
    await emitEvent(tx, clock, { type: 'incident.updated', forceId: row.forceId, data: { incidentId: id, version: String(updated.version) } });
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
