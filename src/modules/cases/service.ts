// Builds the federation's case views from incidents, justice events and Victims' Code notifications.
import type { Scope } from '../../db/scope.ts';
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { incidents, justiceCases, justiceEvents, outcomeCodes, suspects, victimNotifications, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { chargesOf, complianceOf, resultsOf, type StoredEvent } from '../justice/service.ts';
import type { CaseListQuery, CaseView } from './schemas.ts';

type IncidentRow = typeof incidents.$inferSelect;
type CaseRow = typeof justiceCases.$inferSelect;

const sentenceView = (e: StoredEvent) => ({
  sentence: e.data.sentence as CaseView['defendants'][number]['sentences'][number]['sentence'],
  amountPence: (e.data.amountPence as number | undefined) ?? null,
  custodyMonths: (e.data.custodyMonths as number | undefined) ?? null,
  aggravationStated: (e.data.aggravationStated as CaseView['defendants'][number]['sentences'][number]['aggravationStated'] | undefined) ?? 'not_recorded',
  at: e.occurredAt.toISOString(),
});

/** Everything the case views of a set of incidents need, in five batched queries. */
async function caseFacts(q: Queryable, ids: string[]) {
  const [events, suspectRows, victimRows, notifications, codes] = [
    await q.select().from(justiceEvents).where(inArray(justiceEvents.incidentId, ids)).orderBy(asc(justiceEvents.occurredAt), asc(justiceEvents.id)),
    await q
      .select({ id: suspects.id, incidentId: suspects.incidentId })
      .from(suspects)
      .where(inArray(suspects.incidentId, ids))
      .orderBy(asc(suspects.createdAt), asc(suspects.id)),
    await q
      .select({
        incidentId: victims.incidentId,
        role: victims.role,
        serviceBand: victims.serviceBand,
        staffNumber: victims.staffNumber,
        federationConsent: victims.federationConsent,
      })
      .from(victims)
      .where(and(inArray(victims.incidentId, ids), eq(victims.status, 'active')))
      .orderBy(asc(victims.createdAt), asc(victims.id)),
    await q
      .select({ incidentId: victimNotifications.incidentId, deadlineAt: victimNotifications.deadlineAt, toldAt: victimNotifications.toldAt })
      .from(victimNotifications)
      .innerJoin(victims, and(eq(victims.id, victimNotifications.victimId), eq(victims.status, 'active')))
      .where(inArray(victimNotifications.incidentId, ids)),
    await q.select().from(outcomeCodes),
  ];
  return { events, suspectRows, victimRows, notifications, codes };
}

type CaseFacts = Awaited<ReturnType<typeof caseFacts>>;
type Defendant = CaseView['defendants'][number];

/** The suspects of one incident who reached a decision or a charge, as numbered defendants (never named). */
function defendantsOf(suspectIds: string[], own: StoredEvent[]): Defendant[] {
  const charges = chargesOf(own);
  const results = resultsOf(own);
  return suspectIds
    .map((suspectId, i) => {
      const mine = own.filter((e) => e.suspectId === suspectId);
      return {
        label: `Defendant ${i + 1}`,
        decisions: mine
          .filter((e) => e.type === 'charging_decision')
          .map((e) => ({ decision: e.data.decision as Defendant['decisions'][number]['decision'], at: e.occurredAt.toISOString() })),
        charges: charges
          .filter((c) => c.suspectId === suspectId)
          .map((c) => {
            const result = results.get(c.id);
            return {
              offence: c.offence as CaseView['offences'][number],
              chargedAt: c.chargedAt.toISOString(),
              result: result ? { result: result.result as 'convicted', at: result.at.toISOString() } : null,
              sentences: mine.filter((e) => e.type === 'sentence' && e.data.chargeId === c.id).map(sentenceView),
            };
          }),
        sentences: mine.filter((e) => e.type === 'sentence' && !e.data.chargeId).map(sentenceView),
      };
    })
    .filter((d) => d.decisions.length > 0 || d.charges.length > 0);
}

/** One incident's case view from the batch's facts. */
function caseView(incident: IncidentRow, justice: CaseRow | null, facts: CaseFacts, now: Date): CaseView {
  const own = facts.events.filter((e) => e.incidentId === incident.id);
  const code = justice?.outcomeCode ? facts.codes.find((c) => c.scheme === justice.outcomeScheme && c.code === justice.outcomeCode) : undefined;
  const suspectIds = facts.suspectRows.filter((s) => s.incidentId === incident.id).map((s) => s.id);
  return {
    incidentId: incident.id,
    incidentReference: incident.forceReference,
    forceId: incident.forceId,
    occurredAt: incident.occurredAt.toISOString(),
    circumstances: incident.circumstances,
    offences: incident.offences,
    status: justice?.status ?? 'under_investigation',
    outcome: code ? { scheme: code.scheme, code: code.code, label: code.label, outcomeGroup: code.outcomeGroup } : null,
    defendants: defendantsOf(suspectIds, own),
    victimsCode: complianceOf(
      facts.notifications.filter((n) => n.incidentId === incident.id),
      now,
    ),
    officers: facts.victimRows
      .filter((v) => v.incidentId === incident.id)
      .map((v) =>
        v.federationConsent
          ? { federationConsent: true as const, role: v.role, serviceBand: v.serviceBand, staffNumber: v.staffNumber }
          : { federationConsent: false as const },
      ),
  };
}

/** Assembles the case views of a set of incidents with a handful of batched queries. */
async function assemble(q: Queryable, rows: { incident: IncidentRow; justice: CaseRow | null }[], now: Date): Promise<CaseView[]> {
  if (rows.length === 0) return [];
  const facts = await caseFacts(
    q,
    rows.map((r) => r.incident.id),
  );
  return rows.map(({ incident, justice }) => caseView(incident, justice, facts, now));
}

export async function listCases(scope: Scope, query: CaseListQuery) {
  const { tx, force } = scope;
  const conditions: (SQL | undefined)[] = [];
  if (force !== null) conditions.push(eq(incidents.forceId, force));
  if (query.forceId) conditions.push(eq(incidents.forceId, query.forceId));
  conditions.push(sql`${incidents.status} <> 'withdrawn'`);
  if (query.occurredFrom) conditions.push(gte(incidents.occurredAt, new Date(query.occurredFrom)));
  if (query.occurredTo) conditions.push(lt(incidents.occurredAt, new Date(query.occurredTo)));
  if (query.status) conditions.push(sql`coalesce(${justiceCases.status}, 'under_investigation') = ${query.status}`);
  if (query.offence) conditions.push(sql`${query.offence} = any(${incidents.offences})`);
  if (query.outcome) conditions.push(eq(justiceCases.outcomeCode, query.outcome));
  conditions.push(olderThanCursor(incidents.occurredAt, incidents.id, query.cursor));
  const rows = await tx
    .select({ incident: incidents, justice: justiceCases })
    .from(incidents)
    .leftJoin(justiceCases, eq(justiceCases.incidentId, incidents.id))
    .where(and(...conditions))
    .orderBy(desc(incidents.occurredAt), desc(incidents.id))
    .limit(query.limit + 1);
  scope.audit({ action: 'list', resourceType: 'case', forceId: force ?? query.forceId ?? null });
  const result = page(rows, query.limit, (r) => ({ at: r.incident.occurredAt.toISOString(), id: r.incident.id }));
  return { items: await assemble(tx, result.items, scope.now), nextCursor: result.nextCursor };
}

export async function getCase(scope: Scope, incidentId: string): Promise<CaseView> {
  const { tx } = scope;
  const [row] = await tx
    .select({ incident: incidents, justice: justiceCases })
    .from(incidents)
    .leftJoin(justiceCases, eq(justiceCases.incidentId, incidents.id))
    .where(eq(incidents.id, incidentId));
  if (!row || row.incident.status === 'withdrawn') throw Errors.notFound('case', incidentId);
  scope.audit({ action: 'read', resourceType: 'case', resourceId: incidentId, forceId: row.incident.forceId });
  const [view] = await assemble(tx, [row], scope.now);
  return view!;
}
