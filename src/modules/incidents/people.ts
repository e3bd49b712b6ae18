// Victims (assaulted officers and staff) and suspects of an incident: add, read, amend.
import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { careSteps, incidents, suspects, victims } from '../../db/schema/index.ts';
import { queryRowsNamed } from '../../db/prepared.ts';
import { jsonInsert, rowFromJson } from '../../db/json-rows.ts';
import { rowById, type Scope } from '../../db/scope.ts';
import { Errors } from '../../errors.ts';
import { checkVersion } from '../../shared/etag.ts';
import { newId } from '../../shared/ids.ts';
import { applyMergePatch, topLevel } from '../../shared/merge.ts';
import type { DomainEvent } from '../../shared/events.ts';
import { carePlanSteps, currentTemplateAndHolidays, type CarePlanSource } from '../care/service.ts';
import { recomputeVictimDeadlines } from '../justice/service.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import type { SuspectCreate, SuspectPatch, SuspectView, VictimCreate, VictimListItem, VictimListQuery, VictimPatch, VictimView } from './schemas.ts';
import { settleStatusReason, visibleIncident } from './guards.ts';
import { readerOf, visibleFields } from '../../policy.ts';
import { suspectRecord, suspectView, victimRecord, victimView, type IncidentRow, type SuspectRow, type VictimRow } from './views.ts';

function assertOpenForPeople(incident: IncidentRow) {
  if (incident.status === 'withdrawn') throw Errors.rule('The incident is withdrawn: no one can be added to it.');
}

/** Rows a multi-row INSERT ... RETURNING gave back, in the order of the rows the caller made. */
function inOrder<R extends { id: string }>(values: { id: string }[], rows: R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return values.map((v) => byId.get(v.id)!);
}

/** New people of one incident, ready to insert: new ids, the incident's force, active, created now. */
function newPeople<I extends object>(scope: Scope, incident: IncidentRow, inputs: I[]) {
  const now = scope.now;
  return inputs.map((input) => ({
    ...input,
    id: newId(),
    incidentId: incident.id,
    forceId: incident.forceId,
    status: 'active' as const,
    createdAt: now,
    updatedAt: now,
  }));
}

/** One audit event per person created, naming the fields the caller gave. */
function auditCreated(scope: Scope, resourceType: 'victim' | 'suspect', rows: { id: string; forceId: string }[], inputs: object[]) {
  for (const [i, row] of rows.entries()) {
    scope.audit({ action: 'create', resourceType, resourceId: row.id, forceId: row.forceId, changedFields: Object.keys(inputs[i]!) });
  }
}

export const victimFromJson = rowFromJson(victims);
export const suspectFromJson = rowFromJson(suspects);

/** Who a request adds to an incident, and (when it already has it) what the victims' plans are made from. */
export interface NewPeople {
  victims: VictimCreate[];
  suspects: SuspectCreate[];
  plans?: CarePlanSource;
}

const victimInsert = jsonInsert(victims);
const stepInsert = jsonInsert(careSteps);
const suspectInsert = jsonInsert(suspects);

/**
 * The people of one request in one statement, each table's insert a data-modifying WITH: the victims, each with its
 * seven-step plan (born with the victim, in the same statement), and the suspects. One round trip where it was three,
 * and one text whatever the request holds (a named statement: parsed and planned once per connection).
 */
export async function insertPeople(scope: Scope, incident: IncidentRow, people: NewPeople): Promise<{ victimRows: VictimRow[]; suspectRows: SuspectRow[] }> {
  const { tx } = scope;
  const victimValues = newPeople(scope, incident, people.victims);
  const suspectValues = newPeople(scope, incident, people.suspects);
  if (victimValues.length === 0 && suspectValues.length === 0) return { victimRows: [], suspectRows: [] };
  auditCreated(scope, 'victim', victimValues, people.victims);
  const plans = victimValues.length === 0 ? undefined : (people.plans ?? (await currentTemplateAndHolidays(tx, incident.forceId, incident.occurredAt)));
  const steps = plans
    ? carePlanSteps(
        scope,
        incident,
        victimValues.map((v) => v.id),
        plans,
      )
    : [];
  auditCreated(scope, 'suspect', suspectValues, people.suspects);
  const [row] = await queryRowsNamed<{ victims: Record<string, unknown>[] | null; suspects: Record<string, unknown>[] | null }>(
    tx,
    sql`with v as (${victimInsert.statement(victimInsert.json(victimValues))} returning *),
      c as (${stepInsert.statement(stepInsert.json(steps))}),
      s as (${suspectInsert.statement(suspectInsert.json(suspectValues))} returning *)
      select (select json_agg(v) from v) as victims, (select json_agg(s) from s) as suspects`,
  );
  return {
    victimRows: inOrder(victimValues, (row!.victims ?? []).map(victimFromJson)),
    suspectRows: inOrder(suspectValues, (row!.suspects ?? []).map(suspectFromJson)),
  };
}

/** The webhook event of a new victim (the caller emits it, with others of the same request at once). */
export const victimCreated = (row: VictimRow): DomainEvent => ({
  type: 'victim.created',
  forceId: row.forceId,
  data: { incidentId: row.incidentId, victimId: row.id },
});

export async function addVictim(scope: Scope, incidentId: string, input: VictimCreate): Promise<VictimView> {
  const incident = await visibleIncident(scope, incidentId, true);
  assertOpenForPeople(incident);
  const {
    victimRows: [row],
  } = await insertPeople(scope, incident, { victims: [input], suspects: [] });
  scope.emit(victimCreated(row!));
  return victimView(row!, readerOf(scope.actor));
}

export async function addSuspect(scope: Scope, incidentId: string, input: SuspectCreate): Promise<SuspectView> {
  const incident = await visibleIncident(scope, incidentId, true);
  assertOpenForPeople(incident);
  const {
    suspectRows: [row],
  } = await insertPeople(scope, incident, { victims: [], suspects: [input] });
  return suspectView(row!, readerOf(scope.actor));
}

async function visibleVictim(scope: Scope, id: string, lock: boolean): Promise<VictimRow> {
  const row = await rowById(scope, victims, id, lock);
  if (!row) throw Errors.notFound('victim', id);
  return row;
}

async function visibleSuspect(scope: Scope, id: string, lock: boolean): Promise<SuspectRow> {
  const row = await rowById(scope, suspects, id, lock);
  if (!row) throw Errors.notFound('suspect', id);
  return row;
}

export async function getVictim(scope: Scope, id: string): Promise<VictimView> {
  const row = await visibleVictim(scope, id, false);
  scope.audit({ action: 'read', resourceType: 'victim', resourceId: id, forceId: row.forceId });
  return victimView(row, readerOf(scope.actor));
}

/** A LIKE pattern that finds `text` anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The force's victims, newest incident first, optionally those whose staff number or incident reference contains
 * `q` (so an officer with nothing due can be found and opened). Row-level security keeps forces apart; the caller's
 * force is also a condition, for the index. Health fields are never listed. One audit event: a read of personal data,
 * with the caller's X-Access-Reason when sent.
 */
export async function listVictims(scope: Scope, query: VictimListQuery): Promise<{ items: VictimListItem[]; nextCursor: string | null }> {
  const pattern = query.q ? containing(query.q) : undefined;
  const rows = await scope.tx
    .select({ victim: victims, incidentReference: incidents.forceReference, incidentOccurredAt: incidents.occurredAt })
    .from(victims)
    .innerJoin(incidents, eq(incidents.id, victims.incidentId))
    .where(
      and(
        scope.force ? eq(victims.forceId, scope.force) : undefined,
        pattern ? or(ilike(victims.staffNumber, pattern), ilike(incidents.forceReference, pattern)) : undefined,
        olderThanCursor(incidents.occurredAt, victims.id, query.cursor),
      ),
    )
    .orderBy(desc(incidents.occurredAt), desc(victims.id))
    .limit(query.limit + 1);
  scope.audit({ action: 'list', resourceType: 'victim', forceId: scope.force });
  const reader = { ...readerOf(scope.actor), reason: null };
  const listed = rows.map((r) => {
    const { injuryDetail: _health, ...view } = victimView(r.victim, reader);
    return { ...view, incidentReference: r.incidentReference, incidentOccurredAt: r.incidentOccurredAt.toISOString() };
  });
  return page(listed, query.limit, (r) => ({ at: r.incidentOccurredAt, id: r.id }));
}

export async function getSuspect(scope: Scope, id: string): Promise<SuspectView> {
  const row = await visibleSuspect(scope, id, false);
  scope.audit({ action: 'read', resourceType: 'suspect', resourceId: id, forceId: row.forceId });
  return suspectView(row, readerOf(scope.actor));
}

interface PersonRow {
  id: string;
  forceId: string;
  version: number;
}

/**
 * Shared by victims and suspects: check version, merge (into every field: a patch may set a field its writer
 * does not see), write the changed fields, audit; the answer shows what the field policy lets the caller see.
 */
async function patchPerson<R extends PersonRow, V extends { status: string; statusReason: string | null }>(
  scope: Scope,
  kind: 'victim' | 'suspect',
  row: R,
  expected: number | '*',
  patch: Record<string, unknown>,
  record: (row: R) => V,
  write: (values: Record<string, unknown>) => Promise<R | undefined>,
): Promise<V> {
  checkVersion(expected, row.version);
  const view = (r: R) => visibleFields(kind, readerOf(scope.actor), record(r));
  const current = record(row);
  const merged = applyMergePatch(current, patch);
  const { next } = merged;
  const changed = settleStatusReason(current, next, merged.changed, ['withdrawn']);
  if (changed.length === 0) return view(row);
  const columns = topLevel(changed);
  const values = Object.fromEntries(columns.map((c) => [c, next[c as keyof V]]));
  const updated = await write({ ...values, version: row.version + 1, updatedAt: scope.now });
  if (!updated) throw Errors.preconditionFailed(row.version + 1);
  scope.audit({ action: 'update', resourceType: kind, resourceId: row.id, forceId: row.forceId, changedFields: columns });
  return view(updated);
}

export async function patchVictim(scope: Scope, id: string, expected: number | '*', patch: VictimPatch): Promise<VictimView> {
  const { tx } = scope;
  const row = await visibleVictim(scope, id, true);
  return patchPerson(scope, 'victim', row, expected, patch, victimRecord, async (values) => {
    const [updated] = await tx
      .update(victims)
      .set(values)
      .where(and(eq(victims.id, id), eq(victims.version, row.version)))
      .returning();
    // The Victims' Code deadlines still open follow the victim's enhanced rights (audited there, per deadline).
    if (updated && updated.enhancedRights !== row.enhancedRights) await recomputeVictimDeadlines(scope, updated);
    return updated;
  });
}

export async function patchSuspect(scope: Scope, id: string, expected: number | '*', patch: SuspectPatch): Promise<SuspectView> {
  const { tx } = scope;
  const row = await visibleSuspect(scope, id, true);
  return patchPerson(scope, 'suspect', row, expected, patch, suspectRecord, async (values) => {
    const [updated] = await tx
      .update(suspects)
      .set(values)
      .where(and(eq(suspects.id, id), eq(suspects.version, row.version)))
      .returning();
    return updated;
  });
}
