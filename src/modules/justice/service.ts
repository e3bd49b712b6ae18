// The justice timeline: append typed events (rejecting impossible sequences), keep the derived case and
// the Victims' Code deadlines current, and answer the timeline, compliance and the overdue queue.
import type { Scope } from '../../db/scope.ts';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client.ts';
import { justiceCases, justiceEvents, outcomeCodes, suspects, victimNotifications, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { loadHolidays } from '../../db/calendar.ts';
import { dueAt } from '../../shared/calendar.ts';
import { isOneOf, type NotifiableDecision } from '../../shared/enums.ts';
import { decodeCursor, page } from '../../shared/cursor.ts';
import { newId } from '../../shared/ids.ts';
import { visibleIncident } from '../incidents/service.ts';
import { checkSequence, deriveCase, type StoredEvent } from './derive.ts';
import { CHARGING, NOTIFIABLE, type JusticeEventCreate, type JusticeEventView, type JusticeView, type NotificationView } from './schemas.ts';

// For other modules (cases), which reach justice only through this file.
export { chargesOf, resultsOf, type StoredEvent } from './derive.ts';

type EventRow = typeof justiceEvents.$inferSelect;
type NotificationRow = typeof victimNotifications.$inferSelect;

export const STANDARD_WORKING_DAYS = 5;
export const ENHANCED_WORKING_DAYS = 1;

function eventView(row: EventRow): JusticeEventView {
  return {
    ...row.data,
    id: row.id,
    incidentId: row.incidentId,
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    note: (row.data.note as string | null) ?? null,
    recordedAt: row.createdAt.toISOString(),
    recordedBy: row.recordedBy,
    // Sentences recorded before the field existed: not recorded.
    ...(row.type === 'sentence' ? { aggravationStated: (row.data.aggravationStated as string | undefined) ?? 'not_recorded' } : {}),
  } as JusticeEventView;
}

function fieldRules(input: JusticeEventCreate): void {
  const rule = (path: string, message: string, detail: string) => Errors.rule(detail, [{ path, message }]);
  if (input.type === 'charging_decision') {
    const charging = (CHARGING as readonly string[]).includes(input.decision);
    if (charging && input.charges.length === 0)
      throw rule('charges', 'at least one charge is required', `A decision to ${input.decision === 'charged' ? 'charge' : 'summons'} names the charges.`);
    if (!charging && input.charges.length > 0) throw rule('charges', 'only for charged or summonsed', 'Charges go with a decision to charge or summons.');
  }
  if (input.type === 'sentence') {
    if ((input.sentence === 'fine' || input.sentence === 'compensation') && input.amountPence === undefined)
      throw rule('amountPence', 'is required', `A ${input.sentence} has an amount.`);
    if ((input.sentence === 'immediate_custody' || input.sentence === 'suspended_sentence') && input.custodyMonths === undefined)
      throw rule('custodyMonths', 'is required', 'A custodial sentence has a length.');
  }
}

const toStored = (r: EventRow): StoredEvent => ({
  id: r.id,
  type: r.type,
  occurredAt: r.occurredAt,
  suspectId: r.suspectId,
  victimId: r.victimId,
  data: r.data,
});

async function loadEvents(q: Queryable, incidentId: string): Promise<EventRow[]> {
  return q.select().from(justiceEvents).where(eq(justiceEvents.incidentId, incidentId)).orderBy(asc(justiceEvents.occurredAt), asc(justiceEvents.id));
}

/** An event happens before it is recorded, and after the assault it is about (else: negative days to charge). */
function checkTiming(type: string, occurredAt: Date, incidentAt: Date, now: Date): void {
  if (occurredAt > now) throw Errors.rule('Events are recorded after they happen.', [{ path: 'occurredAt', message: 'is in the future' }]);
  if (occurredAt < incidentAt) {
    throw Errors.rule(`The ${type.replaceAll('_', ' ')} (${occurredAt.toISOString()}) is before the assault it is about (${incidentAt.toISOString()}).`, [
      { path: 'occurredAt', message: `is before the incident's occurredAt ${incidentAt.toISOString()}` },
    ]);
  }
}

type VictimRef = { id: string; status: string; enhancedRights: boolean };

/** The case so far and its people; the new event must follow on from them (checkSequence). */
async function caseSoFar({ tx }: Scope, incidentId: string, input: JusticeEventCreate) {
  const existing = await loadEvents(tx, incidentId);
  const suspectIds = (await tx.select({ id: suspects.id }).from(suspects).where(eq(suspects.incidentId, incidentId))).map((r) => r.id);
  const victimRows: VictimRef[] = await tx
    .select({ id: victims.id, status: victims.status, enhancedRights: victims.enhancedRights })
    .from(victims)
    .where(eq(victims.incidentId, incidentId));
  checkSequence(input as Parameters<typeof checkSequence>[0], existing.map(toStored), {
    suspects: new Set(suspectIds),
    victims: new Set(victimRows.map((v) => v.id)),
  });
  return { existing, victimRows };
}

/** The event's stored data: its fields, ids for new charges, and an outcome code's label and group. */
async function eventData({ tx }: Scope, input: JusticeEventCreate): Promise<Record<string, unknown>> {
  const { type: _type, occurredAt: _at, ...fields } = input;
  const data: Record<string, unknown> = { ...fields };
  if (input.type === 'charging_decision') data.charges = input.charges.map((c) => ({ id: newId(), offence: c.offence }));
  if (input.type === 'outcome_code') {
    const [code] = await tx
      .select()
      .from(outcomeCodes)
      .where(and(eq(outcomeCodes.scheme, input.scheme), eq(outcomeCodes.code, input.code)));
    if (!code) throw Errors.rule(`Outcome code ${input.code} is not in scheme ${input.scheme}.`, [{ path: 'code', message: 'is not a known outcome code' }]);
    Object.assign(data, { label: code.label, outcomeGroup: code.outcomeGroup });
  }
  return data;
}

/**
 * The Victims' Code: a notifiable decision starts a clock for every active victim (5 working days, 1 with
 * enhanced rights); a victim update stops the clocks of the decisions it tells that victim about.
 */
async function victimsCode({ tx }: Scope, input: JusticeEventCreate, event: EventRow, victimRows: VictimRef[]): Promise<void> {
  const decisionType = input.type;
  if (isOneOf(NOTIFIABLE, decisionType)) {
    const active = victimRows.filter((v) => v.status === 'active');
    if (active.length === 0) return;
    const holidays = await loadHolidays(tx, event.occurredAt, STANDARD_WORKING_DAYS);
    await tx.insert(victimNotifications).values(
      active.map((v) => {
        const workingDays = v.enhancedRights ? ENHANCED_WORKING_DAYS : STANDARD_WORKING_DAYS;
        return {
          id: newId(),
          eventId: event.id,
          victimId: v.id,
          incidentId: event.incidentId,
          forceId: event.forceId,
          decisionType,
          decidedAt: event.occurredAt,
          workingDays,
          deadlineAt: dueAt(event.occurredAt, { workingDays }, holidays),
        };
      }),
    );
  }
  if (input.type === 'victim_update') {
    await tx
      .update(victimNotifications)
      .set({ toldAt: event.occurredAt, toldEventId: event.id })
      .where(and(inArray(victimNotifications.eventId, input.about), eq(victimNotifications.victimId, input.victimId), isNull(victimNotifications.toldAt)));
  }
}

/** The case row derived from every event: status, outcome, charge and result times. */
async function saveDerivedCase({ tx, now }: Scope, incidentId: string, forceId: string, events: EventRow[]): Promise<void> {
  const derived = deriveCase(events.map(toStored));
  const caseValues = {
    forceId,
    status: derived.status,
    outcomeScheme: derived.outcome?.scheme ?? null,
    outcomeCode: derived.outcome?.code ?? null,
    chargedAt: derived.chargedAt,
    resultAt: derived.resultAt,
    convicted: derived.convicted ? 1 : 0,
    outOfCourt: derived.outOfCourt ? 1 : 0,
    updatedAt: now,
  };
  await tx
    .insert(justiceCases)
    .values({ incidentId, ...caseValues })
    .onConflictDoUpdate({ target: justiceCases.incidentId, set: caseValues });
}

export async function appendEvent(scope: Scope, incidentId: string, input: JusticeEventCreate): Promise<JusticeEventView> {
  const incident = await visibleIncident(scope, incidentId, true);
  const occurredAt = new Date(input.occurredAt);
  checkTiming(input.type, occurredAt, incident.occurredAt, scope.now);
  fieldRules(input);
  const { existing, victimRows } = await caseSoFar(scope, incidentId, input);
  const [row] = await scope.tx
    .insert(justiceEvents)
    .values({
      id: newId(),
      incidentId,
      forceId: incident.forceId,
      type: input.type,
      occurredAt,
      suspectId: 'suspectId' in input ? input.suspectId : null,
      victimId: 'victimId' in input ? input.victimId : null,
      data: await eventData(scope, input),
      recordedBy: scope.actor.principal.name,
      createdAt: scope.now,
    })
    .returning();
  const event = row!;
  await victimsCode(scope, input, event, victimRows);
  await saveDerivedCase(scope, incidentId, incident.forceId, [...existing, event]);
  scope.audit({ action: 'create', resourceType: 'justice_event', resourceId: event.id, forceId: incident.forceId, changedFields: Object.keys(input) });
  scope.emit({ type: 'justice.event_recorded', forceId: incident.forceId, data: { incidentId, justiceEventId: event.id, eventType: input.type } });
  return eventView(event);
}

/**
 * A victim's enhanced-rights flag changed: their open (not yet told) Victims' Code deadlines follow it, each from
 * its own decision (1 working day with enhanced rights, 5 without). Told ones keep the deadline they were judged by.
 */
export async function recomputeVictimDeadlines(scope: Scope, victim: { id: string; forceId: string; enhancedRights: boolean }): Promise<void> {
  const { tx } = scope;
  const workingDays = victim.enhancedRights ? ENHANCED_WORKING_DAYS : STANDARD_WORKING_DAYS;
  const open = await tx
    .select()
    .from(victimNotifications)
    .where(and(eq(victimNotifications.victimId, victim.id), isNull(victimNotifications.toldAt)));
  for (const n of open) {
    if (n.workingDays === workingDays) continue;
    const holidays = await loadHolidays(tx, n.decidedAt, workingDays);
    await tx
      .update(victimNotifications)
      .set({ workingDays, deadlineAt: dueAt(n.decidedAt, { workingDays }, holidays) })
      .where(eq(victimNotifications.id, n.id));
    scope.audit({
      action: 'update',
      resourceType: 'victim_notification',
      resourceId: n.id,
      forceId: victim.forceId,
      changedFields: ['workingDays', 'deadlineAt'],
    });
  }
}

/** The incident's earliest justice event, if any: an incident's time may not move after it. */
export async function earliestJusticeEvent(q: Queryable, incidentId: string): Promise<{ id: string; type: string; occurredAt: Date } | undefined> {
  const [first] = await q
    .select({ id: justiceEvents.id, type: justiceEvents.type, occurredAt: justiceEvents.occurredAt })
    .from(justiceEvents)
    .where(eq(justiceEvents.incidentId, incidentId))
    .orderBy(asc(justiceEvents.occurredAt), asc(justiceEvents.id))
    .limit(1);
  return first;
}

export function notificationStatus(n: Pick<NotificationRow, 'deadlineAt' | 'toldAt'>, now: Date): NotificationView['status'] {
  if (n.toldAt) return n.toldAt <= n.deadlineAt ? 'told_on_time' : 'told_late';
  return now > n.deadlineAt ? 'overdue' : 'not_yet_told';
}

export function complianceOf(rows: Pick<NotificationRow, 'deadlineAt' | 'toldAt'>[], now: Date) {
  const summary = { onTime: 0, late: 0, notYetDue: 0, overdue: 0 };
  for (const r of rows) {
    const s = notificationStatus(r, now);
    if (s === 'told_on_time') summary.onTime++;
    else if (s === 'told_late') summary.late++;
    else if (s === 'overdue') summary.overdue++;
    else summary.notYetDue++;
  }
  return summary;
}

/** The notifications owed to the incident's active victims (a withdrawn victim is owed none, as in the queue). */
export async function notificationsOf(q: Queryable, incidentId: string): Promise<NotificationRow[]> {
  const rows = await q
    .select({ n: victimNotifications })
    .from(victimNotifications)
    .innerJoin(victims, and(eq(victims.id, victimNotifications.victimId), eq(victims.status, 'active')))
    .where(eq(victimNotifications.incidentId, incidentId))
    .orderBy(asc(victimNotifications.deadlineAt), asc(victimNotifications.id));
  return rows.map((r) => r.n);
}

export async function getJustice(scope: Scope, incidentId: string): Promise<JusticeView> {
  const { tx } = scope;
  const incident = await visibleIncident(scope, incidentId);
  const events = await loadEvents(tx, incidentId);
  const derived = deriveCase(events.map(toStored));
  const notifications = await notificationsOf(tx, incidentId);
  const now = scope.now;
  let outcome: JusticeView['outcome'] = null;
  if (derived.outcome) {
    const [code] = await tx
      .select()
      .from(outcomeCodes)
      .where(and(eq(outcomeCodes.scheme, derived.outcome.scheme), eq(outcomeCodes.code, derived.outcome.code)));
    outcome = code ? { scheme: code.scheme, code: code.code, label: code.label, outcomeGroup: code.outcomeGroup } : null;
  }
  scope.audit({ action: 'read', resourceType: 'justice', resourceId: incidentId, forceId: incident.forceId });
  return {
    incidentId,
    status: derived.status,
    outcome,
    events: events.map(eventView),
    victimsCode: {
      summary: complianceOf(notifications, now),
      notifications: notifications.map((n) => ({
        eventId: n.eventId,
        victimId: n.victimId,
        decisionType: n.decisionType,
        decidedAt: n.decidedAt.toISOString(),
        workingDays: n.workingDays,
        deadlineAt: n.deadlineAt.toISOString(),
        toldAt: n.toldAt?.toISOString() ?? null,
        status: notificationStatus(n, now),
      })),
    },
  };
}

interface QueueRow {
  incident_id: string;
  incident_reference: string;
  force_id: string;
  victim_id: string;
  event_id: string;
  id: string;
  decision_type: NotifiableDecision;
  decided_at: Date | string;
  deadline_at: Date | string;
}

export async function listVictimUpdatesDue(
  scope: Scope,
  query: { status: 'overdue' | 'pending'; forceId?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const { tx } = scope;
  const now = scope.now;
  const force = scope.force;
  const after = decodeCursor(query.cursor);
  const rows = await queryRows<QueueRow>(
    tx,
    sql`select n.id, n.incident_id, i.force_reference as incident_reference, n.force_id, n.victim_id, n.event_id,
               n.decision_type, n.decided_at, n.deadline_at
          from victim_notifications n
          join incidents i on i.id = n.incident_id
          join victims v on v.id = n.victim_id
         where n.told_at is null and v.status = 'active' and i.status <> 'withdrawn'
           ${force !== null ? sql`and n.force_id = ${force}` : sql``}
           ${query.forceId ? sql`and n.force_id = ${query.forceId}` : sql``}
           ${query.status === 'overdue' ? sql`and n.deadline_at < ${now.toISOString()}::timestamptz` : sql``}
           ${after ? sql`and (n.deadline_at, n.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
         order by n.deadline_at, n.id
         limit ${query.limit + 1}`,
  );
  scope.audit({ action: 'list', resourceType: 'victim_update_queue', forceId: force ?? query.forceId ?? null });
  const result = page(rows, query.limit, (r) => ({ at: new Date(r.deadline_at).toISOString(), id: r.id }));
  return {
    items: result.items.map((r) => {
      const deadline = new Date(r.deadline_at);
      return {
        incidentId: r.incident_id,
        incidentReference: r.incident_reference,
        forceId: r.force_id,
        victimId: r.victim_id,
        eventId: r.event_id,
        decisionType: r.decision_type,
        decidedAt: new Date(r.decided_at).toISOString(),
        deadlineAt: deadline.toISOString(),
        overdueSeconds: Math.max(0, Math.floor((now.getTime() - deadline.getTime()) / 1000)),
      };
    }),
    nextCursor: result.nextCursor,
  };
}
