// The webhook worker: pg-boss jobs deliver (with retries, exponential backoff and jitter), a LISTEN wakes
// the relay as events commit, and a scheduled job emits overdue and due events every minute. Safe to run
// in several processes at once: the relay locks with SKIP LOCKED and pg-boss hands each job to one worker.
// Throughput: jobs are fetched in batches as soon as the relay commits them (a notification, not the poll),
// and run side by side up to a limit overall and per subscription; the jobs of one lane (a subscription's
// events of one incident) run one after another, in event order.
import PgBoss from 'pg-boss';
import type { Database } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { PUBLIC_ONLY, type AddressPolicy } from '../../shared/address-policy.ts';
import { attemptDeliveries, type DeliverOptions } from './deliver.ts';
import { WebhookSender } from './target.ts';
import { bossDb } from './queue.ts';
import { DELIVERY_QUEUE, emitDueEvents, JOBS_CHANNEL, relayPending, type DeliveryJob } from './relay.ts';

const SWEEP_QUEUE = 'webhook-sweep';
const DAY_MS = 86_400_000;

export interface WebhookWorkerOptions {
  database: Database;
  clock: Clock;
  onError: (err: unknown, what: string) => void;
  /** The first retry waits about this long (doubling each time, with jitter). */
  retryDelaySeconds?: number;
  /** How often to look for jobs that fell due (retries) besides the notifications. */
  pollingIntervalSeconds?: number;
  /** Jobs sent at once by this process, overall and to one subscription. */
  concurrency?: number;
  concurrencyPerSubscription?: number;
  timeoutMs?: number;
  /** Deliveries are retried for this long, then given up. */
  maxAgeMs?: number;
  /** Run the every-minute check for overdue and due items (off in tests that call sweep() themselves). */
  schedule?: boolean;
  /** More work for the every-minute sweep (the statistics' stale facts), run after the due events. */
  onSweep?: () => Promise<unknown>;
  /** More work after each commit notification and each poll (the statistics' queue), one run at a time. */
  onCommit?: () => Promise<unknown>;
  /** The non-public hosts and ranges receivers may still be at (WEBHOOK_ALLOW_HOSTS); public addresses only by default. */
  targets?: AddressPolicy;
}

export interface WebhookWorker {
  /** Relays committed events now (also done on every commit notification). */
  relayNow(): Promise<void>;
  /** The scheduled check: emit overdue and due events, then relay them. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/** Enough retries for the backoff to span maxAge (then the age check gives up). */
export function retryLimitFor(retryDelaySeconds: number, maxAgeMs: number): number {
  let n = 1;
  while (retryDelaySeconds * (2 ** n - 1) * 1000 < maxAgeMs && n < 30) n++;
  return n;
}

/** pg-boss on the service's database, with the delivery queue's retry policy. */
async function startQueue(o: WebhookWorkerOptions, retryDelay: number, maxAgeMs: number, schedule: boolean): Promise<PgBoss> {
  const { database, onError } = o;
  const boss = new PgBoss({ db: bossDb(database), supervise: true, schedule, migrate: true });
  boss.on('error', (err) => onError(err, 'job queue'));
  // Instances starting together take turns creating pg-boss's schema.
  await database.exclusive(() => boss.start());
  // A job waits in this process's buffer before it is sent, and sends its deliveries one after another (up
  // to the first failure): it may be active for a while before it is lost to a crash and retried.
  const queueOptions = { name: DELIVERY_QUEUE, retryLimit: retryLimitFor(retryDelay, maxAgeMs), retryDelay, retryBackoff: true, expireInSeconds: 15 * 60 };
  await boss.createQueue(DELIVERY_QUEUE, queueOptions);
  await boss.updateQueue(DELIVERY_QUEUE, queueOptions);
  return boss;
}

/** One run at a time per process (the relay, the statistics queue); a wake-up during a run makes it go round once more. */
function serialRelay(relayOnce: () => Promise<void>) {
  let running: Promise<void> | null = null;
  let again = false;
  const relayNow = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await relayOnce();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return { relayNow, settled: () => running?.catch(() => undefined) };
}

export async function startWebhookWorker(o: WebhookWorkerOptions): Promise<WebhookWorker> {
  const { database, clock, onError } = o;
  const retryDelay = o.retryDelaySeconds ?? 30;
  const maxAgeMs = o.maxAgeMs ?? DAY_MS;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const schedule = o.schedule ?? true;
  const boss = await startQueue(o, retryDelay, maxAgeMs, schedule);

  const sender = new WebhookSender(o.targets ?? PUBLIC_ONLY);
  const deliverOptions = { db: database.db, clock, maxAgeMs, timeoutMs, sender };
  const dispatcher = new Dispatcher(boss, deliverOptions, o.concurrency ?? 64, o.concurrencyPerSubscription ?? 64, (err) => onError(err, 'webhook delivery'));

  const relay = serialRelay(async () => {
    if ((await relayPending(database.db, boss, clock)) > 0) dispatcher.pump();
  });
  const relayNow = relay.relayNow;
  const onCommit = o.onCommit;
  const follow = onCommit ? serialRelay(async () => void (await onCommit())) : null;
  const followNow = () => void follow?.relayNow().catch((err: unknown) => onError(err, 'statistics queue'));
  const wake = () => {
    void relayNow().catch((err: unknown) => onError(err, 'webhook relay'));
    followNow();
  };
  const sweep = async () => {
    await emitDueEvents(database.db, clock);
    await relayNow();
    await o.onSweep?.();
  };

  if (schedule) {
    await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: 'singleton', retryLimit: 0 });
    await boss.schedule(SWEEP_QUEUE, '* * * * *');
    await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: 5 }, sweep);
  }
  // Each (re)connection of the listener relays what was committed while it was down.
  const listener = await database.listen('oar_outbox', { onNotify: wake, onState: (up) => up && wake(), onError: (err) => onError(err, 'outbox listener') });
  // Jobs another process relayed, and (each poll) retries that fell due.
  const jobsListener = await database.listen(JOBS_CHANNEL, {
    onNotify: () => dispatcher.pump(),
    onState: (up) => up && dispatcher.pump(),
    onError: (err) => onError(err, 'jobs listener'),
  });
  const poll = setInterval(
    () => {
      dispatcher.pump();
      followNow();
    },
    (o.pollingIntervalSeconds ?? 2) * 1000,
  );
  wake();

  return {
    relayNow,
    sweep,
    stop: async () => {
      clearInterval(poll);
      await listener.close();
      await jobsListener.close();
      await dispatcher.stop(5000);
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await relay.settled();
      await follow?.settled();
      sender.close();
    },
  };
}

/** What to log of a worker error: the SQLSTATE or system code and the driver's message, never drizzle's
 * wrapper message (it carries the SQL and its parameters). */
export function workerErrorLog(err: unknown): { code?: string; reason: string } {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const inner = e.cause ?? e;
  return { ...(inner.code ? { code: inner.code } : {}), reason: String(inner.message ?? err).slice(0, 300) };
}

type FetchedJob = PgBoss.JobWithMetadata<DeliveryJob | { deliveryId: string }>;

/** A fetched job's lane and deliveries (jobs queued before lanes existed carry one deliveryId). */
function laneOf(job: FetchedJob): DeliveryJob {
  const d = job.data;
  return 'deliveryIds' in d ? d : { deliveryIds: [d.deliveryId], subscriptionId: d.deliveryId, lane: d.deliveryId };
}

/**
 * Fetches delivery jobs in batches up to a buffer of twice the concurrency, and runs them: at most
 * `concurrency` at once, at most `perSubscription` for one subscription, one at a time per lane, in the
 * order the relay created them. A job sends its deliveries in order and stops at the first that must be
 * retried (the queue retries the job with backoff; deliveries already made are skipped then).
 */
class Dispatcher {
  private readonly waiting: FetchedJob[] = [];
  private readonly busyLanes = new Set<string>();
  private readonly perSub = new Map<string, number>();
  private readonly active = new Set<Promise<void>>();
  private running = 0;
  private fetching = false;
  private fetchAgain = false;
  private moreToFetch = false;
  private stopping = false;
  private completed: string[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly boss: PgBoss,
    private readonly opts: DeliverOptions,
    private readonly concurrency: number,
    private readonly perSubscription: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Fetches what there is room for (coalesced: a call during a fetch makes it fetch once more). */
  pump(): void {
    if (this.stopping) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    void (async () => {
      try {
        do {
          this.fetchAgain = false;
          const room = Math.min(2 * this.concurrency - this.running - this.waiting.length, 200);
          if (room <= 0) {
            this.moreToFetch = true;
            break;
          }
          const jobs = await this.boss.fetch<DeliveryJob | { deliveryId: string }>(DELIVERY_QUEUE, { batchSize: room, includeMetadata: true });
          this.moreToFetch = jobs.length === room;
          if (this.moreToFetch) this.fetchAgain = true;
          jobs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          this.waiting.push(...jobs);
          this.schedule();
        } while (this.fetchAgain && !this.stopping);
      } catch (err) {
        this.onError(err);
      } finally {
        this.fetching = false;
      }
    })();
  }

  private schedule(): void {
    const blocked = new Set<string>();
    for (let i = 0; i < this.waiting.length && this.running < this.concurrency;) {
      const job = this.waiting[i]!;
      const { lane, subscriptionId } = laneOf(job);
      if (blocked.has(lane) || this.busyLanes.has(lane) || (this.perSub.get(subscriptionId) ?? 0) >= this.perSubscription) {
        blocked.add(lane);
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.start(job);
    }
  }

  private start(job: FetchedJob): void {
    const { lane, subscriptionId, deliveryIds } = laneOf(job);
    this.running++;
    this.busyLanes.add(lane);
    this.perSub.set(subscriptionId, (this.perSub.get(subscriptionId) ?? 0) + 1);
    const run = (async () => {
      try {
        const retry = (await attemptDeliveries(this.opts, deliveryIds, job.retryCount >= job.retryLimit)) === 'retry';
        if (retry) await this.boss.fail(DELIVERY_QUEUE, job.id, { reason: 'delivery failed; the queue retries it' });
        else this.complete(job.id);
      } catch (err) {
        this.onError(err);
        await this.boss.fail(DELIVERY_QUEUE, job.id, { reason: 'delivery error' }).catch(() => undefined);
      } finally {
        this.running--;
        this.busyLanes.delete(lane);
        const n = (this.perSub.get(subscriptionId) ?? 1) - 1;
        if (n === 0) this.perSub.delete(subscriptionId);
        else this.perSub.set(subscriptionId, n);
        this.schedule();
        if (this.moreToFetch) this.pump();
      }
    })();
    this.active.add(run);
    void run.finally(() => this.active.delete(run));
  }

  /** Completes finished jobs in batches: one statement for all that finished meanwhile. */
  private complete(id: string): void {
    this.completed.push(id);
    if (this.flushing) return;
    this.flushing = (async () => {
      while (this.completed.length > 0) {
        const ids = this.completed;
        this.completed = [];
        await this.boss.complete(DELIVERY_QUEUE, ids).catch((err: unknown) => this.onError(err));
      }
      this.flushing = null;
    })();
  }

  /** Lets running jobs finish (up to timeoutMs); jobs fetched but not started go back to the queue. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const unstarted = this.waiting.splice(0).map((j) => j.id);
    if (unstarted.length > 0) await this.boss.fail(DELIVERY_QUEUE, unstarted).catch(() => undefined);
    await Promise.race([Promise.all(this.active), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    await this.flushing;
  }
}
