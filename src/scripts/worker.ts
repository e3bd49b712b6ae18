// npm run worker: the webhook worker alone (relay, deliveries, scheduled overdue check), for deployments that
// run it apart from the API instances (set WEBHOOK_WORKER=false on those). Needs DATABASE_URL: an embedded
// PGlite data folder belongs to the one service process that opened it.
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { ConfigError } from '../config.ts';
import { loggerOptions } from '../logger.ts';
import { workerErrorLog } from '../modules/webhooks/worker.ts';
import { openRuntime, startConfiguredWorker } from '../runtime.ts';
import { systemClock } from '../shared/clock.ts';
import { configOrExit } from './cli.ts';

const config = configOrExit((c) => {
  if (!c.databaseUrl)
    throw new ConfigError('Invalid configuration: DATABASE_URL is required for npm run worker (the embedded database runs the worker inside npm start)');
});
const logger = pino(loggerOptions(config.logLevel));
const runtime = await openRuntime(config, systemClock, (err) => logger.warn(workerErrorLog(err), 'idle database connection lost'), { bootstrap: false });
const worker = await startConfiguredWorker(config, runtime.database, systemClock, logger);
logger.info('webhook worker ready');
closeWithGrace({ delay: 10_000, logger }, async ({ err }) => {
  if (err) logger.error({ err }, 'closing after an error');
  await worker.stop();
  await runtime.close();
});
