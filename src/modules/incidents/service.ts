// Incidents: record (with victims and suspects inline), read, list, amend; force-scoped and audited.
import type { Scope } from '../../db/scope.ts';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client.ts';
import { incidents } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { checkVersion } from '../../shared/etag.ts';
import { isUuid, newId } from '../../shared/ids.ts';
import { applyMergePatch, topLevel } from '../../shared/merge.ts';
import { targetForce, type Actor } from '../../shared/principal.ts';
import { queryRowsNamed, selectNamed } from '../../db/prepared.ts';
import { jsonInsert, rowFromJson } from '../../db/json-rows.ts';
import { readerOf } from '../../policy.ts';
import { carePlanSource, carePlanSourceSql, recomputeDueTimes } from '../care/service.ts';
import { recomputeTrimDueTimes } from '../trim/service.ts';
import { earliestJusticeEvent } from '../justice/service.ts';
import { forceExists } from '../principals/service.ts';
import { settleStatusReason, visibleIncident } from './guards.ts';
import { insertPeople, suspectFromJson, victimCreated, victimFromJson } from './people.ts';
import type { IncidentCreate, IncidentListQuery, IncidentPatch, IncidentSummary, IncidentView } from './schemas.ts';
import { incidentSummary, incidentView } from './views.ts';

// For other modules (justice), which reach incidents only through this file.
export { visibleIncident } from './guards.ts';

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

/** The assault comes before every step of its case: a corrected time may not pass the earliest justice event. */
async function assertBeforeJustice(q: Queryable, incidentId: string, occurredAt: Date) {
  const first = await earliestJusticeEvent(q, incidentId);
  if (first && first.occurredAt < occurredAt) {
    throw Errors.rule(`The assault cannot move after its case's ${first.type.replaceAll('_', ' ')} ${first.id} of ${first.occurredAt.toISOString()}.`, [
      { path: 'occurredAt', message: `is after justice event ${first.id} (${first.type}, ${first.occurredAt.toISOString()})` },
    ]);
  }
}

/** The force a new incident belongs to: the key's own, or the one a national key names. */
export const incidentForce = (actor: Actor, requested: string | undefined): string =>
  targetForce(actor, requested, { record: 'the incident belongs to', ownOnly: 'record incidents' });

/** An incident's victims and suspects as two JSON arrays (null when none), oldest first; `id` is SQL for the incident's id. */
const peopleJson = (id: string) => `(select json_agg(v order by v.created_at, v.id) from victims v where v.incident_id = ${id}) as victims,
    (select json_agg(s order by s.created_at, s.id) from suspects s where s.incident_id = ${id}) as suspects`;

type PeopleJson = { victims: Record<string, unknown>[] | null; suspects: Record<string, unknown>[] | null };

const peopleFromJson = (found: PeopleJson | undefined) => ({
  victimRows: (found?.victims ?? []).map(victimFromJson),
  suspectRows: (found?.suspects ?? []).map(suspectFromJson),
});

/** An incident's people in one statement. */
async function loadPeople(q: Queryable, incidentId: string) {
  if (!isUuid(incidentId)) throw Errors.notFound('incident', incidentId);
  const [found] = await queryRows<PeopleJson>(q, sql.raw(`select ${peopleJson(`'${incidentId}'`)}`));
  return peopleFromJson(found);
}

const incidentInsert = jsonInsert(incidents);
const incidentFromJson = rowFromJson(incidents);

/**
 * The new incident's insert (a named statement, one text for every request), returning the row and what its victims'
 * plans are made from (the force's template and bank holidays): none of the three if the force already has the reference.
 */
async function insertIncident(scope: Scope, values: typeof incidents.$inferInsert & { occurredAt: Date }) {
  const plans = carePlanSourceSql(values.forceId, values.occurredAt);
  const [inserted] = await queryRowsNamed<{ incident: Record<string, unknown> | null; template: Record<string, unknown> | null; holidays: string[] | null }>(
    scope.tx,
    // A concurrent insert of the same reference waits here and then conflicts: answered as 409 by the caller.
    sql`with i as (${incidentInsert.statement(incidentInsert.json([values]))} on conflict (force_id, force_reference) do nothing returning *)
      select (select row_to_json(i) from i) as incident, ${plans.template} as template, ${plans.holidays} as holidays`,
  );
  return inserted?.incident ? { row: incidentFromJson(inserted.incident), plans: carePlanSource(inserted) } : undefined;
}

/**
 * Records an incident with its victims (and their care plans) and suspects in two statements: the incident's insert,
 * which also returns what the victims' plans are made from, then the people's (src/modules/incidents/people.ts).
 * The audit trail and the webhook events go with the COMMIT.
 */
export async function createIncident(scope: Scope, input: IncidentCreate): Promise<IncidentView> {
  const { tx, actor } = scope;
  const forceId = incidentForce(actor, input.forceId);
  // A force-scoped key's force exists (keys and tokens are checked against forces); a national key names one.
  if (actor.principal.forceId === null && !(await forceExists(tx, forceId))) {
    throw Errors.unknownForce();
  }
  const now = scope.now;
  const { victims: victimInputs, suspects: suspectInputs, forceId: _ignored, ...fields } = input;
  const inserted = await insertIncident(scope, {
    ...fields,
    id: newId(),
    forceId,
    occurredAt: new Date(fields.occurredAt),
    status: 'open',
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) {
    await assertReferenceFree(tx, forceId, fields.forceReference);
    throw Errors.unavailable();
  }
  const { row, plans } = inserted;
  scope.audit({ action: 'create', resourceType: 'incident', resourceId: row.id, forceId, changedFields: Object.keys(fields) });
  const { victimRows, suspectRows } = await insertPeople(scope, row, { victims: victimInputs, suspects: suspectInputs, plans });
  // One insert for all of the request's events.
  scope.emit({ type: 'incident.created', forceId, data: { incidentId: row.id } }, ...victimRows.map(victimCreated));
  return incidentView(row, victimRows, suspectRows, readerOf(scope.actor));
}

/**
 * GET by id's read: the incident and its people (as JSON), a statement holding the id as a literal, so that on
 * PostgreSQL it goes with BEGIN (inScope's opening): two round trips for the whole read, this and its audit with COMMIT.
 */
export function incidentOpening(id: string): string {
  if (!isUuid(id)) throw Errors.notFound('incident', id);
  return `select row_to_json(i) as incident, ${peopleJson('i.id')} from "incidents" i where i.id = '${id}'`;
}

type OpenedIncident = PeopleJson & { incident: Record<string, unknown> };

/** The incident of a scope opened with incidentOpening(id). */
export async function getIncident(scope: Scope, id: string): Promise<IncidentView> {
  const [found] = (scope.opened ?? (await queryRows(scope.tx, sql.raw(incidentOpening(id))))) as OpenedIncident[];
  if (!found) throw Errors.notFound('incident', id);
  const row = incidentFromJson(found.incident);
  scope.audit({ action: 'read', resourceType: 'incident', resourceId: id, forceId: row.forceId });
  const { victimRows, suspectRows } = peopleFromJson(found);
  return incidentView(row, victimRows, suspectRows, readerOf(scope.actor));
}

/** The list's filters and the caller's force (a hint for the index; row-level security keeps forces apart), as conditions (no cursor). */
export function incidentFilters(force: string | null, query: IncidentListQuery): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [];
  if (force !== null) conditions.push(eq(incidents.forceId, force));
  if (query.forceId) conditions.push(eq(incidents.forceId, query.forceId));
  if (query.occurredFrom) conditions.push(gte(incidents.occurredAt, new Date(query.occurredFrom)));
  if (query.occurredTo) conditions.push(lt(incidents.occurredAt, new Date(query.occurredTo)));
  if (query.status) conditions.push(eq(incidents.status, query.status));
  if (query.circumstances) conditions.push(eq(incidents.circumstances, query.circumstances));
  if (query.forceReference) conditions.push(eq(incidents.forceReference, query.forceReference));
  return conditions;
}

/** The force a list or export is filed under in the audit trail: the caller's, else the one asked for. */
export function listedForce(force: string | null, query: IncidentListQuery): string | null {
  return force ?? query.forceId ?? null;
}

/** Incident summaries with their people counts, newest first. */
export async function incidentSummaries(q: Queryable, conditions: (SQL | undefined)[], limit: number): Promise<IncidentSummary[]> {
  const rows = await selectNamed(
    q
      .select({
        incident: incidents,
        victimCount: sql<number>`(select count(*)::int from victims v where v.incident_id = "incidents"."id" and v.status = 'active')`,
        suspectCount: sql<number>`(select count(*)::int from suspects s where s.incident_id = "incidents"."id" and s.status = 'active')`,
      })
      .from(incidents)
      .where(and(...conditions))
      .orderBy(desc(incidents.occurredAt), desc(incidents.id))
      .limit(limit),
  );
  return rows.map((r) => incidentSummary(r.incident, Number(r.victimCount), Number(r.suspectCount)));
}

export async function listIncidents(scope: Scope, query: IncidentListQuery) {
  const rows = await incidentSummaries(
    scope.tx,
    [...incidentFilters(scope.force, query), olderThanCursor(incidents.occurredAt, incidents.id, query.cursor)],
    query.limit + 1,
  );
  scope.audit({ action: 'list', resourceType: 'incident', forceId: listedForce(scope.force, query) });
  return page(rows, query.limit, (r) => ({ at: r.occurredAt, id: r.id }));
}

export async function patchIncident(scope: Scope, id: string, expected: number | '*', patch: IncidentPatch): Promise<IncidentView> {
  const { tx } = scope;
  const row = await visibleIncident(scope, id, true);
  checkVersion(expected, row.version);
  const current = incidentView(row, [], [], readerOf(scope.actor));
  // The same instant written another way is no change.
  const normalised = patch.occurredAt ? { ...patch, occurredAt: new Date(patch.occurredAt).toISOString() } : patch;
  const merged = applyMergePatch(current, normalised);
  const { next } = merged;
  const changed = settleStatusReason(current, next, merged.changed, ['closed', 'withdrawn']);
  if (changed.length > 0) {
    if (changed.includes('forceReference')) await assertReferenceFree(tx, row.forceId, next.forceReference, id);
    if (changed.includes('occurredAt')) await assertBeforeJustice(tx, id, new Date(next.occurredAt));
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
        updatedAt: scope.now,
      })
      .where(and(eq(incidents.id, id), eq(incidents.version, row.version)))
      .returning();
    if (!updated) throw Errors.preconditionFailed(row.version + 1);
    scope.audit({ action: 'update', resourceType: 'incident', resourceId: id, forceId: row.forceId, changedFields: topLevel(changed) });
    scope.emit({ type: 'incident.updated', forceId: row.forceId, data: { incidentId: id, version: String(updated.version) } });
    // Due times run from the incident: a corrected time moves the pending care steps with it.
    if (changed.includes('occurredAt')) {
      await recomputeDueTimes(scope, updated);
      await recomputeTrimDueTimes(scope, updated);
    }
    Object.assign(row, updated);
  }
  const { victimRows, suspectRows } = await loadPeople(tx, id);
  return incidentView(row, victimRows, suspectRows, readerOf(scope.actor));
}
