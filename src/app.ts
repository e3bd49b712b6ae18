// buildApp: the whole service as one Fastify instance. Never listens, never reads process.env.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ScopeDeps } from './db/scope.ts';
import type { Database } from './db/client.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { careStepRoutes, templateRoutes, victimCareRoutes } from './modules/care/routes.ts';
import { caseRoutes } from './modules/cases/routes.ts';
import { forceRoutes } from './modules/forces/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { incidentRoutes } from './modules/incidents/routes.ts';
import { suspectRoutes, victimRoutes } from './modules/incidents/people-routes.ts';
import { incidentJusticeRoutes, victimUpdateRoutes } from './modules/justice/routes.ts';
import { meRoutes } from './modules/me/routes.ts';
import { principalRoutes } from './modules/principals/routes.ts';
import { problemTypeRoutes } from './modules/problems/routes.ts';
import { statsRoutes } from './modules/stats/routes.ts';
import { trimRoutes, victimTrimRoutes } from './modules/trim/routes.ts';
import fastifyCookie from '@fastify/cookie';
import { authRoutes } from './modules/auth/routes.ts';
import type { SignInOptions } from './modules/auth/service.ts';
import type { SessionSettings } from './plugins/web-session.ts';
import authPlugin from './plugins/auth.ts';
import { PrincipalCache } from './plugins/principal-cache.ts';
import type { OidcOptions } from './plugins/oidc.ts';
import problemsPlugin, { answerClientError, sendProblem } from './plugins/problems.ts';
import { Errors } from './errors.ts';
import rateLimitPlugin, { authFailureLimiter, type AuthFailureLimitOptions, type RateLimitOptions } from './plugins/rate-limit.ts';
import securityPlugin from './plugins/security.ts';
import strictRequestsPlugin from './plugins/strict-requests.ts';
import { compiledSerializerCompiler } from './http/serializer.ts';
import swaggerPlugin from './plugins/swagger.ts';
import type { Clock } from './shared/clock.ts';
import { RequestLog } from './logger.ts';
import { webRoutes } from './web/routes.ts';
import { webhookRoutes } from './modules/webhooks/routes.ts';
import { openapiWebhooks } from './modules/webhooks/schemas.ts';
import { PUBLIC_ONLY, type AddressPolicy } from './shared/address-policy.ts';

export interface AppOptions {
  database: Database;
  clock: Clock;
  /** A pino logger; without one the app logs nothing (tests). */
  logger?: FastifyBaseLogger;
  bodyLimit?: number;
  /** Origins allowed by CORS; none by default (CORS closed). */
  corsOrigins?: string[];
  /** Per-principal rate limit; off unless given (the server passes the configured one). */
  rateLimit?: RateLimitOptions | false;
  /** Failed authentications per client address and per credential; off unless given (the server passes the configured one). */
  authFailureLimit?: AuthFailureLimitOptions | false;
  /** Accept OIDC access tokens besides API keys. */
  oidc?: OidcOptions;
  /** The non-public hosts and ranges webhook subscriptions may still name (public addresses only by default). */
  webhookTargets?: AddressPolicy;
  /** The page's sign-in through the identity provider (OpenID Connect code flow); none unless given. */
  signIn?: SignInOptions;
  /** The page's sessions: idle time and lifetime, Secure cookies (default: 15 minutes, 10 hours, not Secure). */
  session?: SessionSettings;
  /** Whether the page may offer pasting an API key (development). */
  apiKeySignIn?: boolean;
  /** Statistics answers computed at once (default: the stats routes' STATS_CONCURRENCY default). */
  statsConcurrency?: number | undefined;
  /** Check every answer with zod against its response schema besides serialising it compiled, and fail on a difference (tests). */
  checkAnswers?: boolean;
}

const DEFAULT_SESSION: SessionSettings = { idleMs: 15 * 60_000, maxMs: 10 * 3_600_000, secure: false };

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The Fastify instance every part of the service sits on: request ids, the zod validator and serialiser, the
 * body parsers, problem answers and security headers. The benchmark's framework ceiling builds on it too.
 */
export async function baseApp({
  logger,
  bodyLimit = 1_048_576,
  corsOrigins = [],
  checkAnswers = false,
}: Pick<AppOptions, 'logger' | 'bodyLimit' | 'corsOrigins' | 'checkAnswers'>) {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // One line per request at info (on completion) instead of Fastify's two; arrival is logged at debug.
    logController: new RequestLog(),
    bodyLimit,
    // A caller's X-Request-Id is kept when it is sane, so one id follows a request across systems.
    // Fastify's own URL errors (bad percent-encoding, over-long path parameters) answer as problems too.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(request, reply, Errors.badUrl(error.message));
    },
    // What Node's HTTP parser refuses before Fastify sees a request (headers or URL too large: 431; not HTTP: 400;
    // too slow: 408) is a problem document too, not Fastify's own JSON.
    clientErrorHandler(this: FastifyInstance, error, socket) {
      answerClientError(this.log, error as unknown as Error & { code?: string; rawPacket?: unknown }, socket);
    },
    routerOptions: { maxParamLength: 200 },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializerCompiler({ check: checkAnswers }));
  // Bodies are JSON only: a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  // JSON bodies must be valid UTF-8: a malformed sequence is a 400, not silently stored as U+FFFD. The bytes are
  // decoded strictly, then parsed as Fastify does (prototype poisoning refused). PATCH bodies are JSON merge
  // patches: their media type is parsed the same way.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  const parseStrictJson = (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    let text: string;
    try {
      text = strictUtf8.decode(body);
    } catch {
      done(Errors.invalidUtf8());
      return;
    }
    parseJson(request, text, done);
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseStrictJson);
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'buffer' }, parseStrictJson);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(problemsPlugin);
  await app.register(securityPlugin, { corsOrigins });
  await app.register(strictRequestsPlugin);
  return app;
}

export async function buildApp({
  database,
  clock,
  logger,
  bodyLimit,
  corsOrigins,
  rateLimit = false,
  authFailureLimit = false,
  oidc,
  webhookTargets = PUBLIC_ONLY,
  signIn,
  session = DEFAULT_SESSION,
  apiKeySignIn = false,
  statsConcurrency,
  checkAnswers,
}: AppOptions): Promise<FastifyInstance> {
  const app = await baseApp({ logger, bodyLimit, corsOrigins, checkAnswers });
  await app.register(swaggerPlugin, { webhooks: openapiWebhooks() });

  const { db, readDb } = database;
  await app.register(fastifyCookie);
  await app.register(authRoutes, { prefix: '/auth', db, clock, signIn, session, apiKeySignIn });
  await app.register(healthRoutes, { prefix: '/health', database });
  await app.register(webRoutes, { prefix: '/app' });
  await app.register(problemTypeRoutes, { prefix: '/problems' });

  // Everything under /v1 needs a key: one encapsulated context adds authentication to all of it.
  await app.register(async (api) => {
    // Key lookups cached per instance; revocations evict here at once and elsewhere by NOTIFY.
    const principalCache = new PrincipalCache();
    const failures = authFailureLimit ? authFailureLimiter(db, authFailureLimit) : undefined;
    await api.register(authPlugin, { db, clock, oidc, failures, cache: principalCache, listen: database.listen, session });
    if (rateLimit) await api.register(rateLimitPlugin, { ...rateLimit, db });
    await api.register(principalRoutes, { prefix: '/v1/principals', db, clock, principalCache });
    // The modules under /v1 at their prefixes, each given the database, the read replica (lists, queues and
    // statistics read from it), the clock and the statistics' concurrency bound (the other modules ignore it). The order
    // is the order of the paths in openapi/openapi.json.
    const modules: [FastifyPluginAsyncZod<ScopeDeps & { concurrency?: number | undefined }>, string][] = [
      [meRoutes, '/v1/me'],
      [forceRoutes, '/v1/forces'],
      [incidentRoutes, '/v1/incidents'],
      [importRoutes, '/v1/imports'],
      [victimRoutes, '/v1/victims'],
      [suspectRoutes, '/v1/suspects'],
      [templateRoutes, '/v1/care-plan-templates'],
      [victimCareRoutes, '/v1/victims'],
      [careStepRoutes, '/v1/care-steps'],
      [victimTrimRoutes, '/v1/victims'],
      [trimRoutes, '/v1/trim-referrals'],
      [incidentJusticeRoutes, '/v1/incidents'],
      [victimUpdateRoutes, '/v1/justice'],
      [caseRoutes, '/v1/cases'],
      [statsRoutes, '/v1/stats'],
      [auditRoutes, '/v1/audit-events'],
    ];
    const concurrency = statsConcurrency;
    for (const [plugin, prefix] of modules) await api.register(plugin, { prefix, db, readDb, clock, concurrency });
    await api.register(webhookRoutes, { prefix: '/v1/webhooks', db, clock, targets: webhookTargets });
  });

  return app;
}
