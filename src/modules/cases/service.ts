// Builds the federation's case views from incidents, justice events and Victims' Code notifications.
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.ts';
import { incidents, justiceCases, justiceEvents, outcomeCodes, suspects, victimNotifications, victims } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { page } from '../../shared/cursor.ts';
import { olderThanCursor } from '../../shared/keyset.ts';
import { canSeeForce, type Actor } from '../../shared/principal.ts';
import { recordAudit } from '../audit/record.ts';
import { chargesOf, resultsOf, type StoredEvent } from '../justice/derive.ts';
import { complianceOf } from '../justice/service.ts';
import type { CaseListQuery, CaseView } from './schemas.ts';

type IncidentRow = typeof incidents.$inferSelect;
type CaseRow = typeof justiceCases.$inferSelect;
type ConsentedOfficer = Extract<CaseView['officers'][number], { federationConsent: true }>;

const sentenceView = (e: StoredEvent) => ({
  sentence: e.data.sentence as CaseView['defendants'][number]['sentences'][number]['sentence'],
  amountPence: (e.data.amountPence as number | undefined) ?? null,
  custodyMonths: (e.data.custodyMonths as number | undefined) ?? null,
  at: e.occurredAt.toISOString(),
});

/** Assembles the case views of a set of incidents with a handful of batched queries. */
async function assemble(q: Queryable, rows: { incident: IncidentRow; justice: CaseRow | null }[], now: Date): Promise<CaseView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.incident.id);
  const [events, suspectRows, victimRows, notifications, codes] = [
    await q.select().from(justiceEvents).where(inArray(justiceEvents.incidentId, ids)).orderBy(asc(justiceEvents.occurredAt), asc(justiceEvents.id)),
    await q.select({ id: suspects.id, incidentId: suspects.incidentId }).from(suspects).where(inArray(suspects.incidentId, ids)).orderBy(asc(suspects.createdAt), asc(suspects.id)),
    await q
      .select({ incidentId: victims.incidentId, role: victims.role, serviceBand: victims.serviceBand, staffNumber: victims.staffNumber, federationConsent: victims.federationConsent })
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
  return rows.map(({ incident, justice }) => {
    const own: StoredEvent[] = events.filter((e) => e.incidentId === incident.id);
    const charges = chargesOf(own);
    const results = resultsOf(own);
    const code = justice?.outcomeCode ? codes.find((c) => c.scheme === justice.outcomeScheme && c.code === justice.outcomeCode) : undefined;
    return {
      incidentId: incident.id,
      incidentReference: incident.forceReference,
      forceId: incident.forceId,
      occurredAt: incident.occurredAt.toISOString(),
      circumstances: incident.circumstances as CaseView['circumstances'],
      offences: incident.offences as CaseView['offences'],
      status: (justice?.status ?? 'under_investigation') as CaseView['status'],
      outcome: code ? { scheme: code.scheme, code: code.code, label: code.label, outcomeGroup: code.outcomeGroup } : null,
      defendants: suspectRows
        .filter((s) => s.incidentId === incident.id)
        .map((s, i) => {
          const mine = own.filter((e) => e.suspectId === s.id);
          return {
            label: `Defendant ${i + 1}`,
            decisions: mine.filter((e) => e.type === 'charging_decision').map((e) => ({ decision: e.data.decision as CaseView['defendants'][number]['decisions'][number]['decision'], at: e.occurredAt.toISOString() })),
            charges: charges
              .filter((c) => c.suspectId === s.id)
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
        .filter((d) => d.decisions.length > 0 || d.charges.length > 0),
      victimsCode: complianceOf(notifications.filter((n) => n.incidentId === incident.id), now),
      officers: victimRows
        .filter((v) => v.incidentId === incident.id)
        .map((v) =>
          v.federationConsent
            ? { federationConsent: true as const, role: v.role as ConsentedOfficer['role'], serviceBand: v.serviceBand as ConsentedOfficer['serviceBand'], staffNumber: v.staffNumber }
            : { federationConsent: false as const },
        ),
    };
  });
}

export async function listCases(tx: Tx, clock: Clock, actor: Actor, query: CaseListQuery) {
  const scope = actor.principal.forceId;
  const conditions: (SQL | undefined)[] = [];
  if (scope !== null) conditions.push(eq(incidents.forceId, scope));
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
  await recordAudit(tx, clock, actor, { action: 'list', resourceType: 'case', forceId: scope ?? query.forceId ?? null });
  const result = page(rows, query.limit, (r) => ({ at: r.incident.occurredAt.toISOString(), id: r.incident.id }));
  return { items: await assemble(tx, result.items, clock.now()), nextCursor: result.nextCursor };
}

export async function getCase(tx: Tx, clock: Clock, actor: Actor, incidentId: string): Promise<CaseView> {
  const [row] = await tx.select({ incident: incidents, justice: justiceCases }).from(incidents).leftJoin(justiceCases, eq(justiceCases.incidentId, incidents.id)).where(eq(incidents.id, incidentId));
  if (!row || row.incident.status === 'withdrawn' || !canSeeForce(actor.principal, row.incident.forceId)) throw Errors.notFound('case', incidentId);
  await recordAudit(tx, clock, actor, { action: 'read', resourceType: 'case', resourceId: incidentId, forceId: row.incident.forceId });
  const [view] = await assemble(tx, [row], clock.now());
  return view!;
}
