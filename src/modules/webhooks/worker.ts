// The webhook worker: pg-boss jobs deliver (with retries, exponential backoff and jitter), a LISTEN wakes
// the relay as events commit, and a scheduled job emits overdue and due events every minute. Safe to run
// in several processes at once: the relay locks with SKIP LOCKED and pg-boss hands each job to one worker.
import PgBoss from 'pg-boss';
import type { Database } from '../../db/client.ts';
import type { Clock } from '../../shared/clock.ts';
import { PUBLIC_ONLY, type AddressPolicy } from '../../shared/address-policy.ts';
import { attemptDelivery } from './deliver.ts';
import { WebhookSender } from './target.ts';
import { bossDb } from './queue.ts';
import { DELIVERY_QUEUE, emitDueEvents, relayPending } from './relay.ts';

const SWEEP_QUEUE = 'webhook-sweep';
const DAY_MS = 86_400_000;

export interface WebhookWorkerOptions {
  database: Database;
  clock: Clock;
  onError: (err: unknown, what: string) => void;
  /** The first retry waits about this long (doubling each time, with jitter). */
  retryDelaySeconds?: number;
  pollingIntervalSeconds?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** Deliveries are retried for this long, then given up. */
  maxAgeMs?: number;
  /** Run the every-minute check for overdue and due items (off in tests that call sweep() themselves). */
  schedule?: boolean;
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

export async function startWebhookWorker(o: WebhookWorkerOptions): Promise<WebhookWorker> {
  const { database, clock, onError } = o;
  const retryDelay = o.retryDelaySeconds ?? 30;
  const maxAgeMs = o.maxAgeMs ?? DAY_MS;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const schedule = o.schedule ?? true;
  const boss = new PgBoss({ db: bossDb(database), supervise: true, schedule, migrate: true });
  boss.on('error', (err) => onError(err, 'job queue'));
  // Instances starting together take turns creating pg-boss's schema.
  await database.exclusive(() => boss.start());
  const queueOptions = { name: DELIVERY_QUEUE, retryLimit: retryLimitFor(retryDelay, maxAgeMs), retryDelay, retryBackoff: true, expireInSeconds: Math.ceil(timeoutMs / 1000) + 60 };
  await boss.createQueue(DELIVERY_QUEUE, queueOptions);
  await boss.updateQueue(DELIVERY_QUEUE, queueOptions);

  const sender = new WebhookSender(o.targets ?? PUBLIC_ONLY);
  const deliverOptions = { db: database.db, clock, maxAgeMs, timeoutMs, sender };
  for (let i = 0; i < (o.concurrency ?? 4); i++) {
    await boss.work<{ deliveryId: string }>(DELIVERY_QUEUE, { batchSize: 1, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 2, includeMetadata: true }, async ([job]) => {
      if (!job) return;
      const outcome = await attemptDelivery(deliverOptions, job.data.deliveryId, job.retryCount >= job.retryLimit);
      if (outcome === 'retry') throw new Error('delivery failed; the queue retries it');
    });
  }

  // One relay at a time per process; a wake-up during a run makes it go round once more.
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
          await relayPending(database.db, boss, clock);
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const wake = () => void relayNow().catch((err: unknown) => onError(err, 'webhook relay'));
  const sweep = async () => {
    await emitDueEvents(database.db, clock);
    await relayNow();
  };

  if (schedule) {
    await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: 'singleton', retryLimit: 0 });
    await boss.schedule(SWEEP_QUEUE, '* * * * *');
    await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: 5 }, sweep);
  }
  // Each (re)connection of the listener relays what was committed while it was down.
  const listener = await database.listen('oar_outbox', { onNotify: wake, onState: (up) => up && wake(), onError: (err) => onError(err, 'outbox listener') });
  wake();

  return {
    relayNow,
    sweep,
    stop: async () => {
      await listener.close();
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      await running?.catch(() => undefined);
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
