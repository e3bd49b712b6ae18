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

/** Removes what is due, one incident per transaction, with an audit event for every record changed. */
export async function applyRetention(db: Db, clock: Clock, policy: RetentionPolicy): Promise<{ personal: number; health: number; auditEvents: number }> {
  const due = await dueForRetention(db, policy, clock.now());
  let events = 0;
  const audit = (scope: Scope, resourceType: string, resourceId: string, forceId: string, changedFields: string[]) => {
    scope.audit({ action: 'erase', resourceType, resourceId, forceId, changedFields });
    events++;
  };
  // Copies of the erased values outside the records: the answers kept for Idempotency-Key replays (exports are
  // streamed, never stored; webhook events carry ids only). Audited when there were any.
  const eraseCopies = async (scope: Scope, r: DueRecord) => {
    const answers = await eraseStoredAnswers(scope.tx, r.incidentId);
    if (answers > 0) audit(scope, 'idempotent_answers', r.incidentId, r.forceId, ['responseBody']);
  };
  // A national scope of its own: the erasure runs under the same row-level security as any request.
  const erase = (fn: (scope: Scope) => Promise<void>) => inScope('write', { db, clock }, RETENTION_ACTOR, fn);
  for (const r of due.personal) {
    await erase(async (scope) => {
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
      audit(scope, 'incident', r.incidentId, r.forceId, ['narrative', 'location.description', 'location.latitude', 'location.longitude']);
      const people = await tx
        .update(victims)
        .set({ staffNumber: null, injuryDetail: null, version: sql`${victims.version} + 1`, updatedAt: now })
        .where(eq(victims.incidentId, r.incidentId))
        .returning({ id: victims.id });
      for (const v of people) audit(scope, 'victim', v.id, r.forceId, ['staffNumber', 'injuryDetail']);
      const accused = await tx
        .update(suspects)
        .set({ reference: null, version: sql`${suspects.version} + 1`, updatedAt: now })
        .where(eq(suspects.incidentId, r.incidentId))
        .returning({ id: suspects.id });
      for (const s of accused) audit(scope, 'suspect', s.id, r.forceId, ['reference']);
      await eraseCopies(scope, r);
    });
  }
  for (const r of due.health) {
    await erase(async (scope) => {
      const { tx, now } = scope;
      await tx
        .update(careSteps)
        .set({
          note: null,
          statusReason: null,
          history: sql`coalesce((select jsonb_agg(e || '{"reason": null}'::jsonb) from jsonb_array_elements(${careSteps.history}) e), '[]'::jsonb)`,
        })
        .where(eq(careSteps.incidentId, r.incidentId));
      await tx.update(followUps).set({ note: null }).where(eq(followUps.incidentId, r.incidentId));
      const referrals = await tx
        .update(trimReferrals)
        .set({ note: null, closeReason: null })
        .where(eq(trimReferrals.incidentId, r.incidentId))
        .returning({ id: trimReferrals.id });
      if (referrals.length)
        await tx
          .update(trimAssessments)
          .set({ note: null })
          .where(
            inArray(
              trimAssessments.referralId,
              referrals.map((x) => x.id),
            ),
          );
      await tx.update(incidents).set({ healthDataErasedAt: now }).where(eq(incidents.id, r.incidentId));
      const people = await tx.select({ id: victims.id }).from(victims).where(eq(victims.incidentId, r.incidentId));
      for (const v of people)
        audit(scope, 'victim_health_data', v.id, r.forceId, [
          'careSteps.note',
          'careSteps.statusReason',
          'followUps.note',
          'trimReferrals.note',
          'trimAssessments.note',
        ]);
      await eraseCopies(scope, r);
    });
  }
  return { personal: due.personal.length, health: due.health.length, auditEvents: events };
}
