// TRiM referrals: due times from the later of the incident and the referral, consent, planning meeting, assessments, closing with an outcome.
import { rowById, type Scope } from '../../db/scope.ts';
import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { incidents, trimAssessments, trimReferrals } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { checkVersion } from '../../shared/etag.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../../shared/principal.ts';
import { visibleVictimRef } from '../care/service.ts';
import type { TrimAssessmentCreate, TrimReferralCreate, TrimReferralPatch, TrimReferralView } from './schemas.ts';

type Row = typeof trimReferrals.$inferSelect;
type AssessmentRow = typeof trimAssessments.$inferSelect;

const HOUR = 3_600_000;
export const PLANNING_FROM_HOURS = 24;
export const PLANNING_DUE_HOURS = 48;
export const INITIAL_DUE_HOURS = 72;
export const FOLLOW_UP_DAYS = 28;

/**
 * Domain note: TRiM milestones run from the traumatic event (planning meeting 24–48 hours after, initial assessment
 * about 72 hours after, follow-up about 28 days after that). A referral made later than the event cannot have met
 * times already past when it was made, so the clock starts at the later of the assault and the referral; the
 * answer says which (clock), so reports can still measure from the assault.
 */
const clockStart = (occurredAt: Date, referredAt: Date): Date => (referredAt > occurredAt ? referredAt : occurredAt);

/** The milestone due times from the clock's start; the follow-up moves to the initial assessment once done. */
const dueTimes = (start: Date) => ({
  planningMeetingDueAt: new Date(start.getTime() + PLANNING_DUE_HOURS * HOUR),
  initialAssessmentDueAt: new Date(start.getTime() + INITIAL_DUE_HOURS * HOUR),
  followUpDueAt: new Date(start.getTime() + INITIAL_DUE_HOURS * HOUR + FOLLOW_UP_DAYS * 24 * HOUR),
});

function stage(r: Row): TrimReferralView['stage'] {
  if (r.status === 'closed') return 'closed';
  if (r.status === 'declined') return 'declined';
  if (r.consent === 'pending') return 'awaiting_consent';
  if (!r.planningMeetingAt) return 'awaiting_planning_meeting';
  if (!r.initialAssessmentAt) return 'awaiting_initial_assessment';
  if (!r.followUpAt) return 'awaiting_follow_up';
  return 'ready_to_close';
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Where the due times run from: the planning meeting is always due PLANNING_DUE_HOURS after the clock's start. */
function clockView(r: Row): TrimReferralView['clock'] {
  const startsAt = new Date(r.planningMeetingDueAt.getTime() - PLANNING_DUE_HOURS * HOUR);
  // The later of the two: on a tie (a referral at the moment of the assault) it is the referral's time too.
  return { startsAt: startsAt.toISOString(), startsFrom: startsAt.getTime() === r.referredAt.getTime() ? 'referral' : 'incident' };
}

function view(r: Row, assessments: AssessmentRow[]): TrimReferralView {
  return {
    id: r.id,
    victimId: r.victimId,
    incidentId: r.incidentId,
    forceId: r.forceId,
    referredAt: r.referredAt.toISOString(),
    referredBy: r.referredBy,
    consent: r.consent,
    status: r.status,
    stage: stage(r),
    clock: clockView(r),
    planningMeeting: {
      dueFrom: new Date(r.planningMeetingDueAt.getTime() - (PLANNING_DUE_HOURS - PLANNING_FROM_HOURS) * HOUR).toISOString(),
      dueAt: r.planningMeetingDueAt.toISOString(),
      doneAt: iso(r.planningMeetingAt),
    },
    initialAssessment: { dueAt: r.initialAssessmentDueAt.toISOString(), doneAt: iso(r.initialAssessmentAt) },
    followUp: { dueAt: r.followUpDueAt.toISOString(), doneAt: iso(r.followUpAt) },
    outcome: r.outcome,
    closedAt: iso(r.closedAt),
    closeReason: r.closeReason,
    note: r.note,
    assessments: assessments.map((a) => ({
      id: a.id,
      referralId: a.referralId,
      kind: a.kind,
      assessedAt: a.assessedAt.toISOString(),
      score: a.score,
      outcome: a.outcome,
      note: a.note,
      createdAt: a.createdAt.toISOString(),
    })),
    history: r.history,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function visibleReferral(scope: Scope, id: string, lock: boolean): Promise<Row> {
  const row = await rowById(scope, trimReferrals, id, lock);
  if (!row) throw Errors.notFound('trim-referral', id);
  return row;
}

const assessmentsOf = (tx: Tx, id: string) =>
  tx.select().from(trimAssessments).where(eq(trimAssessments.referralId, id)).orderBy(asc(trimAssessments.assessedAt), asc(trimAssessments.id));

const entry = (actor: Actor, at: Date, event: string, detail: string | null = null) => ({ event, at: at.toISOString(), by: actor.principal.name, detail });

export async function createReferral(scope: Scope, victimId: string, input: TrimReferralCreate): Promise<TrimReferralView> {
  const { tx, actor } = scope;
  const victim = await visibleVictimRef(scope, victimId, true);
  const [open] = await tx
    .select({ id: trimReferrals.id })
    .from(trimReferrals)
    .where(and(eq(trimReferrals.victimId, victimId), eq(trimReferrals.status, 'open')));
  if (open)
    throw Errors.rule(`The officer already has an open TRiM referral: /v1/trim-referrals/${open.id}.`, [
      { path: 'victimId', message: `has open referral ${open.id}` },
    ]);
  const [incident] = await tx.select({ occurredAt: incidents.occurredAt }).from(incidents).where(eq(incidents.id, victim.incidentId));
  const now = scope.now;
  const referredAt = input.referredAt ? new Date(input.referredAt) : now;
  if (referredAt > now) throw Errors.rule('referredAt cannot be in the future.', [{ path: 'referredAt', message: 'is in the future' }]);
  const due = dueTimes(clockStart(incident!.occurredAt, referredAt));
  const history = [entry(actor, now, 'referred', `consent ${input.consent}`)];
  const [row] = await tx
    .insert(trimReferrals)
    .values({
      id: newId(),
      victimId,
      incidentId: victim.incidentId,
      forceId: victim.forceId,
      referredAt,
      referredBy: input.referredBy,
      consent: input.consent,
      status: input.consent === 'declined' ? 'declined' : 'open',
      ...due,
      note: input.note,
      history,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  scope.audit({ action: 'create', resourceType: 'trim_referral', resourceId: row!.id, forceId: victim.forceId, changedFields: Object.keys(input) });
  return view(row!, []);
}

export async function getReferral(scope: Scope, id: string): Promise<TrimReferralView> {
  const row = await visibleReferral(scope, id, false);
  scope.audit({ action: 'read', resourceType: 'trim_referral', resourceId: id, forceId: row.forceId });
  return view(row, await assessmentsOf(scope.tx, id));
}

function assertOpen(row: Row) {
  if (row.status !== 'open') throw Errors.rule(`The referral is ${row.status}; it cannot change any more.`, [{ path: 'status', message: `is ${row.status}` }]);
}

async function save(scope: Scope, row: Row, changes: Partial<Row>, changed: string[]): Promise<TrimReferralView> {
  const { tx } = scope;
  const [updated] = await tx
    .update(trimReferrals)
    .set({ ...changes, version: row.version + 1, updatedAt: scope.now })
    .where(and(eq(trimReferrals.id, row.id), eq(trimReferrals.version, row.version)))
    .returning();
  if (!updated) throw Errors.preconditionFailed(row.version + 1);
  scope.audit({ action: 'update', resourceType: 'trim_referral', resourceId: row.id, forceId: row.forceId, changedFields: changed });
  return view(updated, await assessmentsOf(tx, row.id));
}

export async function patchReferral(scope: Scope, id: string, expected: number | '*', patch: TrimReferralPatch): Promise<TrimReferralView> {
  const { tx, actor } = scope;
  const row = await visibleReferral(scope, id, true);
  checkVersion(expected, row.version);
  assertOpen(row);
  const now = scope.now;
  const changes: Partial<Row> = {};
  const history = [...row.history];
  if (patch.note !== undefined) changes.note = patch.note;
  if (patch.outcome !== undefined) changes.outcome = patch.outcome;
  if (patch.consent !== undefined && patch.consent !== row.consent) {
    changes.consent = patch.consent;
    history.push(entry(actor, now, `consent ${patch.consent}`));
    if (patch.consent === 'declined') {
      changes.status = 'declined';
      changes.closedAt = now;
    }
  }
  if (patch.planningMeetingAt !== undefined) {
    const at = patch.planningMeetingAt === null ? null : new Date(patch.planningMeetingAt);
    if (at && at > now) throw Errors.rule('planningMeetingAt cannot be in the future.', [{ path: 'planningMeetingAt', message: 'is in the future' }]);
    changes.planningMeetingAt = at;
    history.push(entry(actor, now, 'planning meeting', at?.toISOString() ?? 'cleared'));
  }
  if (patch.status === 'closed') {
    const outcome = patch.outcome ?? row.outcome;
    if (!outcome) throw Errors.rule('Closing a TRiM referral needs an outcome.', [{ path: 'outcome', message: 'is required to close' }]);
    Object.assign(changes, { status: 'closed', outcome, closedAt: now, closeReason: patch.closeReason ?? null });
    history.push(entry(actor, now, 'closed', outcome));
  } else if (patch.closeReason !== undefined) {
    throw Errors.rule('closeReason goes with status closed.', [{ path: 'closeReason', message: 'only when closing' }]);
  }
  const changed = Object.keys(changes);
  if (changed.length === 0) return view(row, await assessmentsOf(tx, id));
  if ((changes.consent ?? row.consent) !== 'given' && (changes.planningMeetingAt || changes.status === 'closed')) {
    throw Errors.rule('The officer has not given consent to TRiM.', [{ path: 'consent', message: 'must be given first' }]);
  }
  return save(scope, row, { ...changes, history }, changed);
}

export async function addAssessment(scope: Scope, id: string, input: TrimAssessmentCreate): Promise<TrimReferralView> {
  const { tx, actor } = scope;
  const row = await visibleReferral(scope, id, true);
  assertOpen(row);
  if (row.consent !== 'given') throw Errors.rule('The officer has not given consent to TRiM.', [{ path: 'consent', message: 'must be given first' }]);
  const now = scope.now;
  const assessedAt = new Date(input.assessedAt);
  if (assessedAt > now) throw Errors.rule('assessedAt cannot be in the future.', [{ path: 'assessedAt', message: 'is in the future' }]);
  const changes: Partial<Row> = { outcome: input.outcome };
  if (input.kind === 'initial') {
    if (row.initialAssessmentAt)
      throw Errors.rule('The initial assessment is already recorded; use kind additional.', [{ path: 'kind', message: 'initial already recorded' }]);
    changes.initialAssessmentAt = assessedAt;
    changes.followUpDueAt = new Date(assessedAt.getTime() + FOLLOW_UP_DAYS * 24 * HOUR);
  } else if (input.kind === 'follow_up') {
    if (!row.initialAssessmentAt) throw Errors.rule('Record the initial assessment first.', [{ path: 'kind', message: 'needs an initial assessment' }]);
    changes.followUpAt = assessedAt;
  }
  await tx.insert(trimAssessments).values({
    id: newId(),
    referralId: id,
    forceId: row.forceId,
    kind: input.kind,
    assessedAt,
    score: input.score,
    outcome: input.outcome,
    note: input.note,
    createdBy: actor.principal.id,
    createdAt: now,
  });
  const history = [...row.history, entry(actor, now, `${input.kind} assessment`, input.outcome)];
  return save(scope, row, { ...changes, history }, [...Object.keys(changes), 'assessments']);
}

/** When an incident's time is corrected, open referrals' milestones not yet reached move with it. */
export async function recomputeTrimDueTimes({ tx }: Scope, incident: { id: string; occurredAt: Date }): Promise<void> {
  const open = await tx
    .select({ id: trimReferrals.id, referredAt: trimReferrals.referredAt, initialAssessmentAt: trimReferrals.initialAssessmentAt })
    .from(trimReferrals)
    .where(and(eq(trimReferrals.incidentId, incident.id), eq(trimReferrals.status, 'open')));
  for (const r of open) {
    const { followUpDueAt, ...due } = dueTimes(clockStart(incident.occurredAt, r.referredAt));
    // The follow-up runs from the initial assessment once it happened; before that, from the clock's start.
    await tx
      .update(trimReferrals)
      .set(r.initialAssessmentAt ? due : { ...due, followUpDueAt })
      .where(eq(trimReferrals.id, r.id));
  }
}
