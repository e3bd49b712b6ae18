// Process entry: config -> database (migrated, seeded) -> app -> listen; graceful close on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp, type AppOptions } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { loggerOptions } from './logger.ts';
import { remoteKeys } from './plugins/oidc.ts';
import { sealPending, startSealer } from './modules/audit/service.ts';
import { openRuntime, startConfiguredWorker } from './runtime.ts';
import { systemClock } from './shared/clock.ts';

/** The page's sign-in settings as the app takes them. */
function signInOptions(c: NonNullable<Config['signIn']>) {
  const { issuer, clientId, clientSecret, scopes, publicBaseUrl, ...claims } = c;
  return { issuer, clientId, clientSecret, scopes, publicBaseUrl, claims };
}

/** The app's settings that come from the configuration alone. */
function appSettings(config: Config): Omit<AppOptions, 'database' | 'clock' | 'logger' | 'oidc'> {
  return {
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit ?? false,
    authFailureLimit: config.authFailureLimit ?? false,
    webhookTargets: config.webhooks.allow,
    ...(config.signIn ? { signIn: signInOptions(config.signIn) } : {}),
    session: {
      idleMs: config.session.idleMinutes * 60_000,
      maxMs: config.session.maxHours * 3_600_000,
      secure: (config.signIn?.publicBaseUrl ?? '').startsWith('https:'),
    },
    apiKeySignIn: config.session.apiKeySignIn,
    statsConcurrency: config.statsConcurrency,
  };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
  const logger = pino(loggerOptions(config.logLevel));
  const runtime = await openRuntime(config, systemClock, (err) => logger.warn({ code: (err as { code?: string }).code }, 'idle database connection lost'));
  const { database } = runtime;
  if (runtime.firstAdminKey) {
    process.stdout.write(
      `\nFirst start: an admin API key was created. It is shown once, now; store it safely.\n\n  ${runtime.firstAdminKey}\n\n` +
        'Use it as "Authorization: Bearer <key>" to create keys for force systems (POST /v1/principals).\n\n',
    );
  }
  const oidc = config.oidc ? { ...config.oidc, keys: remoteKeys(config.oidc.jwksUrl) } : undefined;
  const app = await buildApp({
    database,
    clock: systemClock,
    logger,
    ...(oidc ? { oidc } : {}),
    ...appSettings(config),
  });
  const webhooks = config.webhooks.worker ? await startConfiguredWorker(config, database, systemClock, logger) : null;
  const stopSealer = startSealer(database.db, config.auditSealIntervalMs, (err) =>
    logger.warn({ code: (err as { code?: string }).code }, 'audit sealer failed; will retry'),
  );

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'closing after an error');
    else logger.info({ signal }, 'closing: finishing requests in flight');
    // A keep-alive client holds its connection open after its last answer: close each connection as soon
    // as its request in flight is answered, or app.close() would wait for the client to hang up.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
    }
    await webhooks?.stop();
    await stopSealer();
    await sealPending(database.db).catch(() => undefined);
    await runtime.close();
  });

  await app.listen({ port: config.port, host: config.host });
  logger.info({ database: database.kind, docs: `http://${config.host}:${config.port}/docs` }, 'officer assault register ready');
}

main().catch((err: unknown) => {
  process.stderr.write(`Start-up failed: ${(err as Error).message}\n`);
  process.exit(1);
});
