// Builds the federation's case views from incidents, justice events and Victims' Code notifications.
import type { Scope } from '../../db/scope.ts';
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { incidents, justiceCases, justiceEvents, outcomeCodes } from '../../db/schema/index.ts';
import { rowFromJson } from '../../db/json-rows.ts';
import { selectNamed } from '../../db/prepared.ts';
import { Errors } from '../../errors.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { chargesOf, complianceOf, resultsOf, type StoredEvent } from '../justice/service.ts';
import type { CaseListQuery, CaseView } from './schemas.ts';

const sentenceView = (e: StoredEvent) => ({
  sentence: e.data.sentence as CaseView['defendants'][number]['sentences'][number]['sentence'],
  amountPence: (e.data.amountPence as number | undefined) ?? null,
  custodyMonths: (e.data.custodyMonths as number | undefined) ?? null,
  aggravationStated: (e.data.aggravationStated as CaseView['defendants'][number]['sentences'][number]['aggravationStated'] | undefined) ?? 'not_recorded',
  at: e.occurredAt.toISOString(),
});

/**
 * A page of case views in one query: each incident's own columns, its case and outcome code (joined), and its
 * events, suspects, officers and Victims' Code notifications as JSON (correlated subqueries on the incident's
 * indexes). It was seven round trips (the page, five batched queries and the outcome codes); at 1,000,000 incidents
 * and ten callers each one waited its turn on the database (docs/performance.md).
 */
function caseRows(q: Queryable, conditions: (SQL | undefined)[], limit: number) {
  return q
    .select({
      id: incidents.id,
      forceReference: incidents.forceReference,
      forceId: incidents.forceId,
      occurredAt: incidents.occurredAt,
      circumstances: incidents.circumstances,
      offences: incidents.offences,
      status: justiceCases.status,
      outcomeScheme: outcomeCodes.scheme,
      outcomeCode: outcomeCodes.code,
      outcomeLabel: outcomeCodes.label,
      outcomeGroup: outcomeCodes.outcomeGroup,
      events: sql<
        Record<string, unknown>[] | null
      >`(select json_agg(e order by e.occurred_at, e.id) from justice_events e where e.incident_id = ${incidents.id})`,
      suspectIds: sql<string[] | null>`(select json_agg(s.id order by s.created_at, s.id) from suspects s where s.incident_id = ${incidents.id})`,
      officers: sql<OfficerJson[] | null>`(select json_agg(json_build_object('role', v.role, 'serviceBand', v.service_band, 'staffNumber', v.staff_number,
          'federationConsent', v.federation_consent) order by v.created_at, v.id)
          from victims v where v.incident_id = ${incidents.id} and v.status = 'active')`,
      notifications: sql<
        { deadlineAt: string; toldAt: string | null }[] | null
      >`(select json_agg(json_build_object('deadlineAt', n.deadline_at, 'toldAt', n.told_at))
          from victim_notifications n join victims v on v.id = n.victim_id and v.status = 'active' where n.incident_id = ${incidents.id})`,
    })
    .from(incidents)
    .leftJoin(justiceCases, eq(justiceCases.incidentId, incidents.id))
    .leftJoin(outcomeCodes, and(eq(outcomeCodes.scheme, justiceCases.outcomeScheme), eq(outcomeCodes.code, justiceCases.outcomeCode)))
    .where(and(...conditions))
    .orderBy(desc(incidents.occurredAt), desc(incidents.id))
    .limit(limit);
}

type OfficerJson = { role: Officer['role']; serviceBand: Officer['serviceBand']; staffNumber: Officer['staffNumber']; federationConsent: boolean };
type Officer = Extract<CaseView['officers'][number], { federationConsent: true }>;
type CaseRowJson = Awaited<ReturnType<typeof caseRows>>[number];
const eventFromJson = rowFromJson(justiceEvents);
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

/** One incident's case view from its row. */
function caseView(row: CaseRowJson, now: Date): CaseView {
  const own = (row.events ?? []).map(eventFromJson);
  return {
    incidentId: row.id,
    incidentReference: row.forceReference,
    forceId: row.forceId,
    occurredAt: row.occurredAt.toISOString(),
    circumstances: row.circumstances,
    offences: row.offences,
    status: row.status ?? 'under_investigation',
    outcome:
      row.outcomeScheme !== null && row.outcomeCode !== null && row.outcomeLabel !== null && row.outcomeGroup !== null
        ? { scheme: row.outcomeScheme, code: row.outcomeCode, label: row.outcomeLabel, outcomeGroup: row.outcomeGroup }
        : null,
    defendants: defendantsOf(row.suspectIds ?? [], own),
    victimsCode: complianceOf(
      (row.notifications ?? []).map((n) => ({ deadlineAt: new Date(n.deadlineAt), toldAt: n.toldAt === null ? null : new Date(n.toldAt) })),
      now,
    ),
    officers: (row.officers ?? []).map((v) =>
      v.federationConsent
        ? { federationConsent: true as const, role: v.role, serviceBand: v.serviceBand, staffNumber: v.staffNumber }
        : { federationConsent: false as const },
    ),
  };
}

/**
 * Whether a page's best plan is the same for every force and date: with no filter on status, offence or outcome it
 * walks the force's incidents newest first and stops after a page, so the route runs it on its generic plan with the
 * page size in the text (PostgreSQL planned it at every page, 1.1-1.8 ms for 2-5 ms of work at a million incidents).
 * With such a filter the best plan depends on how common the value is (status convicted: 67 ms custom, 818 ms on a
 * forced generic plan), so the statement keeps `limit $n` and the plan is left to PostgreSQL's own choice, as before.
 */
export const fixedPlan = (query: CaseListQuery): boolean => !query.status && !query.offence && query.outcome === undefined;

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
  const rows = await selectNamed(caseRows(tx, conditions, query.limit + 1), { literalLimit: fixedPlan(query) });
  scope.audit({ action: 'list', resourceType: 'case', forceId: force ?? query.forceId ?? null });
  const result = page(rows, query.limit, (r) => ({ at: r.occurredAt.toISOString(), id: r.id }));
  return { items: result.items.map((r) => caseView(r, scope.now)), nextCursor: result.nextCursor };
}

export async function getCase(scope: Scope, incidentId: string): Promise<CaseView> {
  const [row] = await caseRows(scope.tx, [eq(incidents.id, incidentId), sql`${incidents.status} <> 'withdrawn'`], 1);
  if (!row) throw Errors.notFound('case', incidentId);
  scope.audit({ action: 'read', resourceType: 'case', resourceId: incidentId, forceId: row.forceId });
  return caseView(row, scope.now);
}
