// Opening the configured database for a process (the server or a CLI): migrate, seed, bootstrap admin.
import { mkdirSync } from 'node:fs';
import { setTimeout } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { claimDataDir } from './db/pglite-lock.ts';
import { bootstrapAdmin } from './modules/principals/bootstrap.ts';
import { drainRollup, sweepStats } from './modules/stats/rollup.ts';
import { startWebhookWorker, workerErrorLog } from './modules/webhooks/worker.ts';
import type { Clock } from './shared/clock.ts';

/**
 * The pause after each drain of the statistics' queue by the worker: the commits heard meanwhile go in the next drain
 * together. A statistics read drains first whatever the worker does (its own writes are counted); others' figures lag
 * by this much more.
 */
const DRAIN_PAUSE_MS = 100;

export interface Runtime {
  database: Database;
  /** The key of a first admin created by this start, to print once; null otherwise. */
  firstAdminKey: string | null;
  close(): Promise<void>;
}

export async function openRuntime(
  config: Config,
  clock: Clock,
  onPoolError: (err: Error) => void,
  opts: { bootstrap: boolean } = { bootstrap: true },
): Promise<Runtime> {
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const releaseLock = config.databaseUrl ? () => undefined : claimDataDir(config.dataDir);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    readUrl: config.databaseReadUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    preparedStatements: config.dbPreparedStatements,
    onPoolError,
    sqlCaptureFile: config.sqlCaptureFile,
  });
  try {
    await migrate(database);
    // Forces are seeded by a migration; the first admin is made here, once, whoever starts first.
    const firstAdminKey = opts.bootstrap ? await database.exclusive(() => bootstrapAdmin(database.db, clock, config.bootstrapAdminKey)) : null;
    return {
      database,
      firstAdminKey,
      close: async () => {
        await database.close();
        releaseLock();
      },
    };
  } catch (err) {
    await database.close().catch(() => undefined);
    releaseLock();
    throw err;
  }
}

/** The webhook worker as configured, its failures logged as warnings (the service runs one, `npm run worker` another). */
export function startConfiguredWorker(config: Config, database: Database, clock: Clock, logger: Logger) {
  return startWebhookWorker({
    database,
    clock,
    retryDelaySeconds: config.webhooks.retryDelaySeconds,
    targets: config.webhooks.allow,
    concurrency: config.webhooks.concurrency,
    concurrencyPerSubscription: config.webhooks.concurrencyPerSubscription,
    onError: (err, what) => logger.warn(workerErrorLog(err), `${what} failed; will retry`),
    // The statistics' queue: applied after every commit notification and poll, so the figures lag by moments; then a
    // pause, so the commits heard meanwhile are applied together, in one transaction, rather than one or two each.
    onCommit: async () => {
      await drainRollup(database.db);
      await setTimeout(DRAIN_PAUSE_MS);
    },
    onSweep: () => sweepStats(database.db, clock.now()),
  });
}
