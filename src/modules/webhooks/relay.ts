// The relay: turns committed outbox events into one delivery (and one queued job) per matching
// subscription; and the scheduled check that emits overdue and due events, each once.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { queryRows, type Db, type Tx } from '../../db/client.ts';
import { outboxEvents, webhookDeliveries, webhookSubscriptions } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { insertOutbox } from '../../db/scope.ts';
import type { DomainEvent } from '../../shared/events.ts';
import { bossDbIn } from './queue.ts';

export const DELIVERY_QUEUE = 'webhook-delivery';
/** Notified when delivery jobs commit: every worker process fetches at once instead of at its next poll. */
export const JOBS_CHANNEL = 'oar_webhook_jobs';
const BATCH = 200;

/**
 * A delivery job: one subscription's deliveries of one resource (incident) from one relay batch, in event
 * order. A worker sends them one after another and stops at the first failure, so a receiver gets the events
 * of an incident in the order they happened; `lane` names the (subscription, resource) pair so that the
 * jobs of one lane never run side by side in a process.
 */
export interface DeliveryJob {
  deliveryIds: string[];
  subscriptionId: string;
  lane: string;
}

/** Groups deliveries (given in event order) into jobs, one per subscription and resource, each in order. */
function jobsFor(rows: { id: string; subscriptionId: string; resource: string }[]): DeliveryJob[] {
  const byLane = new Map<string, DeliveryJob>();
  for (const r of rows) {
    const lane = `${r.subscriptionId}:${r.resource}`;
    const job = byLane.get(lane) ?? { deliveryIds: [], subscriptionId: r.subscriptionId, lane };
    job.deliveryIds.push(r.id);
    byLane.set(lane, job);
  }
  return [...byLane.values()];
}

/** The events of a batch not yet relayed become one delivery per active subscription that wants them. */
async function relayEvents(tx: Tx, now: Date): Promise<{ count: number; jobs: DeliveryJob[] }> {
  const events = await tx
    .select({
      id: outboxEvents.id,
      forceId: outboxEvents.forceId,
      type: outboxEvents.type,
      incidentId: sql<string | null>`${outboxEvents.data}->>'incidentId'`,
    })
    .from(outboxEvents)
    .where(isNull(outboxEvents.relayedAt))
    .orderBy(asc(outboxEvents.id))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  if (events.length === 0) return { count: 0, jobs: [] };
  const forceIds = [...new Set(events.map((e) => e.forceId))];
  const subscriptions = await tx
    .select({ id: webhookSubscriptions.id, forceId: webhookSubscriptions.forceId, eventTypes: webhookSubscriptions.eventTypes })
    .from(webhookSubscriptions)
    .where(and(inArray(webhookSubscriptions.forceId, forceIds), eq(webhookSubscriptions.status, 'active')));
  const rows = events.flatMap((e) =>
    subscriptions
      .filter((s) => s.forceId === e.forceId && s.eventTypes.includes(e.type))
      .map((s) => ({ id: newId(), subscriptionId: s.id, eventId: e.id, forceId: e.forceId, resource: e.incidentId ?? e.id })),
  );
  // One statement whatever the batch (drizzle's builder costs CPU per value; each column goes as one
  // parameter here, a list of UUIDs).
  const list = (pick: (r: (typeof rows)[number]) => string) => rows.map(pick).join(',');
  if (rows.length > 0)
    await tx.execute(sql`insert into ${webhookDeliveries} (id, subscription_id, event_id, force_id, status, created_at)
      select id, subscription_id, event_id, force_id, 'pending', ${now}::timestamptz
      from unnest(string_to_array(${list((r) => r.id)}, ',')::uuid[], string_to_array(${list((r) => r.subscriptionId)}, ',')::uuid[],
                  string_to_array(${list((r) => r.eventId)}, ',')::uuid[], string_to_array(${list((r) => r.forceId)}, ',')::uuid[])
        as r(id, subscription_id, event_id, force_id)`);
  const eventIds = events.map((e) => e.id);
  await tx.update(outboxEvents).set({ relayedAt: now }).where(inArray(outboxEvents.id, eventIds));
  return { count: events.length, jobs: jobsFor(rows) };
}

/** Replays waiting (queued deliveries) become pending, each a lane of its own: sent again whatever else is under way. */
async function relayReplays(tx: Tx): Promise<{ count: number; jobs: DeliveryJob[] }> {
  const queued = await tx
    .select({ id: webhookDeliveries.id, subscriptionId: webhookDeliveries.subscriptionId })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.status, 'queued'))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  if (queued.length === 0) return { count: 0, jobs: [] };
  const queuedIds = queued.map((q) => q.id);
  await tx.update(webhookDeliveries).set({ status: 'pending' }).where(inArray(webhookDeliveries.id, queuedIds));
  return { count: queued.length, jobs: queued.map((q) => ({ deliveryIds: [q.id], subscriptionId: q.subscriptionId, lane: q.id })) };
}

/** One batch: events not yet relayed and replays waiting, locked so several workers share the work. */
async function relayBatch(db: Db, boss: PgBoss, clock: Clock): Promise<number> {
  return db.transaction(async (tx) => {
    const events = await relayEvents(tx, clock.now());
    const replays = await relayReplays(tx);
    const jobs = [...events.jobs, ...replays.jobs];
    // The jobs commit with the deliveries: a delivery never lacks its job, a job never outlives a rollback.
    // Job ids are UUIDv7 in creation order, so workers can take a fetched batch in event order.
    if (jobs.length > 0) {
      await boss.insert(
        jobs.map((data) => ({ id: newId(), name: DELIVERY_QUEUE, data })),
        { db: bossDbIn(tx) },
      );
      await tx.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
    }
    return events.count + replays.count;
  });
}

/** Relays until nothing is left; answers how many events and replays it handled. */
export async function relayPending(db: Db, boss: PgBoss, clock: Clock): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await relayBatch(db, boss, clock);
    total += n;
    if (n < BATCH) return total;
  }
}

interface DueRow {
  id: string;
  force_id: string;
  incident_id: string;
  victim_id: string;
  detail: string;
  due_at: Date | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

const notEmitted = (key: SQL) => sql`not exists (select 1 from outbox_events o where o.dedupe_key = ${key})`;

/**
 * What fell due in (since, now] and was not reported yet. Care steps and Victims' Code updates are read force by
 * force: their open-item indexes lead with the force (the queues people work are per force), so one range per
 * force instead of the whole index (at 1,000,000 incidents the notifications' scan went from 66 ms to 6 ms).
 */
async function dueItems(tx: Tx, now: Date, since: Date) {
  const steps = await queryRows<DueRow>(
    tx,
    sql`select s.id, s.force_id, s.incident_id, s.victim_id, s.key as detail, s.due_at
        from forces f cross join lateral (
          select s.* from care_steps s
          where s.force_id = f.id and s.status = 'pending' and s.due_at <= ${now} and s.due_at > ${since}
            and ${notEmitted(sql`'care_step.overdue:' || s.id`)}
        ) s
        limit 5000`,
  );
  const trim = await queryRows<DueRow>(
    tx,
    sql`select t.id, t.force_id, t.incident_id, t.victim_id, m.milestone as detail, m.due_at
        from trim_referrals t
        cross join lateral (values
          ('planning_meeting', t.planning_meeting_due_at, t.planning_meeting_at),
          ('initial_assessment', t.initial_assessment_due_at, t.initial_assessment_at),
          ('follow_up', t.follow_up_due_at, t.follow_up_at)
        ) as m(milestone, due_at, done_at)
        where t.status = 'open' and m.done_at is null and m.due_at <= ${now} and m.due_at > ${since}
          and ${notEmitted(sql`'trim.referral_due:' || t.id || ':' || m.milestone`)}
        limit 5000`,
  );
  const updates = await queryRows<DueRow & { event_id: string }>(
    tx,
    sql`select n.id, n.force_id, n.incident_id, n.victim_id, n.decision_type as detail, n.deadline_at as due_at, n.event_id
        from forces f cross join lateral (
          select n.* from victim_notifications n
          where n.force_id = f.id and n.told_at is null and n.deadline_at <= ${now} and n.deadline_at > ${since}
            and ${notEmitted(sql`'victim_update.overdue:' || n.id`)}
        ) n
        join victims v on v.id = n.victim_id and v.status = 'active'
        limit 5000`,
  );
  return { steps, trim, updates };
}

/**
 * Emits care_step.overdue, trim.referral_due and victim_update.overdue for what fell due in the last
 * `lookbackDays` (the check runs every minute; older items were reported when they fell due). Each is
 * emitted once: the event's dedupe key names its subject, and a second insert of it does nothing.
 */
export async function emitDueEvents(db: Db, clock: Clock, lookbackDays = 7): Promise<number> {
  const now = clock.now();
  const since = new Date(now.getTime() - lookbackDays * 86_400_000);
  return db.transaction(async (tx) => {
    const { steps, trim, updates } = await dueItems(tx, now, since);
    const events: DomainEvent[] = [
      ...steps.map((r): DomainEvent => ({
        type: 'care_step.overdue',
        forceId: r.force_id,
        data: { incidentId: r.incident_id, victimId: r.victim_id, careStepId: r.id, step: r.detail, dueAt: iso(r.due_at) },
        dedupeKey: `care_step.overdue:${r.id}`,
      })),
      ...trim.map((r): DomainEvent => ({
        type: 'trim.referral_due',
        forceId: r.force_id,
        data: { incidentId: r.incident_id, victimId: r.victim_id, trimReferralId: r.id, milestone: r.detail, dueAt: iso(r.due_at) },
        dedupeKey: `trim.referral_due:${r.id}:${r.detail}`,
      })),
      ...updates.map((r): DomainEvent => ({
        type: 'victim_update.overdue',
        forceId: r.force_id,
        data: { incidentId: r.incident_id, victimId: r.victim_id, justiceEventId: r.event_id, decisionType: r.detail, deadlineAt: iso(r.due_at) },
        dedupeKey: `victim_update.overdue:${r.id}`,
      })),
    ];
    await insertOutbox(tx, clock.now(), events);
    return events.length;
  });
}
