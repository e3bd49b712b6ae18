// Retention: after the configured periods, personal fields and health data are removed from old records.
// The records stay (statistics keep counting them); each removal is audited; the audit trail is never touched.
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { careSteps, followUps, incidents, suspects, trimAssessments, trimReferrals, victims } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Actor } from '../../shared/principal.ts';
import { inScope, type Scope } from '../../db/scope.ts';
import { eraseStoredAnswers } from '../../http/idempotency.ts';

export interface RetentionPolicy {
  /** Years after the incident before the personal fields of a closed or withdrawn incident are removed. */
  personalDataYears: number;
  /** Years after the incident before care notes, follow-up notes and TRiM notes are removed. */
  healthDataYears: number;
}

export interface DueRecord {
  incidentId: string;
  forceId: string;
  forceReference: string;
  occurredAt: string;
}

const RETENTION_ACTOR: Actor = {
  principal: { id: '00000000-0000-0000-0000-000000000000', name: 'retention', roles: [], forceId: null },
  requestId: 'retention',
  reason: 'retention period elapsed',
};

const yearsBefore = (now: Date, years: number) => {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
};

export async function dueForRetention(db: Db, policy: RetentionPolicy, now: Date): Promise<{ personal: DueRecord[]; health: DueRecord[] }> {
  const pick = { incidentId: incidents.id, forceId: incidents.forceId, forceReference: incidents.forceReference, occurredAt: incidents.occurredAt };
  const personal = await db
    .select(pick)
    .from(incidents)
    .where(
      and(
        inArray(incidents.status, ['closed', 'withdrawn']),
        lt(incidents.occurredAt, yearsBefore(now, policy.personalDataYears)),
        isNull(incidents.personalDataErasedAt),
      ),
    )
    .orderBy(incidents.occurredAt);
  const health = await db
    .select(pick)
    .from(incidents)
    .where(and(lt(incidents.occurredAt, yearsBefore(now, policy.healthDataYears)), isNull(incidents.healthDataErasedAt)))
    .orderBy(incidents.occurredAt);
  const view = (r: (typeof personal)[number]): DueRecord => ({ ...r, occurredAt: r.occurredAt.toISOString() });
  return { personal: personal.map(view), health: health.map(view) };
}

/** Audits one erasure (and counts it for the run's report). */
type Erased = (scope: Scope, resourceType: string, resourceId: string, forceId: string, changedFields: string[]) => void;

/** The personal fields of a closed or withdrawn incident, its victims and its suspects. */
async function erasePersonal(scope: Scope, r: DueRecord, erased: Erased) {
  const { tx, now } = scope;
  await tx
    .update(incidents)
    .set({
      narrative: null,
      location: sql`${incidents.location} || '{"description": null, "latitude": null, "longitude": null}'::jsonb`,
      personalDataErasedAt: now,
      version: sql`${incidents.version} + 1`,
      updatedAt: now,
    })
    .where(eq(incidents.id, r.incidentId));
  erased(scope, 'incident', r.incidentId, r.forceId, ['narrative', 'location.description', 'location.latitude', 'location.longitude']);
  const people = await tx
    .update(victims)
    .set({ staffNumber: null, injuryDetail: null, version: sql`${victims.version} + 1`, updatedAt: now })
    .where(eq(victims.incidentId, r.incidentId))
    .returning({ id: victims.id });
  for (const v of people) erased(scope, 'victim', v.id, r.forceId, ['staffNumber', 'injuryDetail']);
  const accused = await tx
    .update(suspects)
    .set({ reference: null, version: sql`${suspects.version} + 1`, updatedAt: now })
    .where(eq(suspects.incidentId, r.incidentId))
    .returning({ id: suspects.id });
  for (const s of accused) erased(scope, 'suspect', s.id, r.forceId, ['reference']);
}

const HEALTH_FIELDS = ['careSteps.note', 'careSteps.statusReason', 'followUps.note', 'trimReferrals.note', 'trimAssessments.note'];

/** The health data of an incident's victims: care notes and reasons, follow-up notes, TRiM notes. */
async function eraseHealth(scope: Scope, r: DueRecord, erased: Erased) {
  const { tx, now } = scope;
  // Each history entry keeps its status and time; only the reason (free text) goes.
  const history = sql`coalesce((select jsonb_agg(e || '{"reason": null}'::jsonb) from jsonb_array_elements(${careSteps.history}) e), '[]'::jsonb)`;
  await tx.update(careSteps).set({ note: null, statusReason: null, history }).where(eq(careSteps.incidentId, r.incidentId));
  await tx.update(followUps).set({ note: null }).where(eq(followUps.incidentId, r.incidentId));
  const referrals = await tx
    .update(trimReferrals)
    .set({ note: null, closeReason: null })
    .where(eq(trimReferrals.incidentId, r.incidentId))
    .returning({ id: trimReferrals.id });
  const referralIds = referrals.map((x) => x.id);
  if (referralIds.length) await tx.update(trimAssessments).set({ note: null }).where(inArray(trimAssessments.referralId, referralIds));
  await tx.update(incidents).set({ healthDataErasedAt: now }).where(eq(incidents.id, r.incidentId));
  const people = await tx.select({ id: victims.id }).from(victims).where(eq(victims.incidentId, r.incidentId));
  for (const v of people) erased(scope, 'victim_health_data', v.id, r.forceId, HEALTH_FIELDS);
}

/**
 * Copies of the erased values outside the records: the answers kept for Idempotency-Key replays (exports are
 * streamed, never stored; webhook events carry ids only). Audited when there were any.
 */
async function eraseCopies(scope: Scope, r: DueRecord, erased: Erased) {
  const answers = await eraseStoredAnswers(scope.tx, r.incidentId);
  if (answers > 0) erased(scope, 'idempotent_answers', r.incidentId, r.forceId, ['responseBody']);
}

/** Removes what is due, one incident per transaction, with an audit event for every record changed. */
export async function applyRetention(db: Db, clock: Clock, policy: RetentionPolicy): Promise<{ personal: number; health: number; auditEvents: number }> {
  const due = await dueForRetention(db, policy, clock.now());
  let events = 0;
  const erased: Erased = (scope, resourceType, resourceId, forceId, changedFields) => {
    scope.audit({ action: 'erase', resourceType, resourceId, forceId, changedFields });
    events++;
  };
  // A national scope of its own per incident: the erasure runs under the same row-level security as any request.
  const eraseEach = async (records: DueRecord[], erase: typeof erasePersonal) => {
    for (const r of records) {
      await inScope('write', { db, clock }, RETENTION_ACTOR, async (scope) => {
        await erase(scope, r, erased);
        await eraseCopies(scope, r, erased);
      });
    }
  };
  await eraseEach(due.personal, erasePersonal);
  await eraseEach(due.health, eraseHealth);
  return { personal: due.personal.length, health: due.health.length, auditEvents: events };
}
