// The service's configuration: one zod schema over the environment; the Config type is inferred from it.
import { z } from 'zod';
import { ROLES, type Role } from './shared/principal.ts';
import { parseAllowList, type AddressPolicy } from './shared/address-policy.ts';

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: LogLevel.default('info'),
  BOOTSTRAP_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').max(256).optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DB_PREPARED_STATEMENTS: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  STATS_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  CORS_ORIGINS: z
    .string()
    .refine((v) => v.split(',').every((o) => /^https?:\/\/[^\s/]+$/.test(o.trim())), 'must be a comma-separated list of origins like https://app.example')
    .optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  OIDC_FORCE_CLAIM: z.string().min(1).default('force'),
  OIDC_NAME_CLAIM: z.string().min(1).default('name'),
  OIDC_NATIONAL_ROLES: z
    .string()
    .refine((v) => v.split(',').every((r) => (ROLES as readonly string[]).includes(r.trim())), `must be a comma-separated list of roles (${ROLES.join(', ')})`)
    .optional(),
  OIDC_NATIONAL_SUBJECTS: z.string().min(1).optional(),
  OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  OIDC_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(1024).optional(),
  OIDC_SCOPES: z
    .string()
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'must be scopes separated by single spaces')
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .default('openid profile'),
  PUBLIC_BASE_URL: z
    .url()
    .regex(/^https?:\/\/[^/?#]+\/?$/, 'must be an origin like https://register.force.example (no path)')
    .optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(720).default(15),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(10),
  WEB_API_KEY_SIGN_IN: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  RETENTION_PERSONAL_YEARS: z.coerce.number().int().min(6).max(100).default(7),
  RETENTION_HEALTH_YEARS: z.coerce.number().int().min(1).max(100).default(7),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  AUTH_FAILURE_LIMIT_MAX: z.coerce.number().int().min(0).max(1_000_000).default(30),
  AUTH_FAILURE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
  WEBHOOK_WORKER: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  WEBHOOK_ALLOW_HOSTS: z
    .string()
    .superRefine((v, ctx) => {
      try {
        parseAllowList(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of host names, addresses and CIDR ranges: ${(err as Error).message}` });
      }
    })
    .optional(),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: z.coerce.number().int().min(1).max(1000).default(64),
  SQL_CAPTURE_FILE: z.string().min(1).optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** A read replica for statistics, the federation list and list reads (docs/scaling.md); needs DATABASE_URL. */
  databaseReadUrl: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof LogLevel>;
  bootstrapAdminKey: string | undefined;
  dbPoolSize: number;
  /**
   * Named (server-side) prepared statements for the hot queries; off for a pooler in transaction mode that
   * cannot carry them (PgBouncer before 1.21, docs/scaling.md).
   */
  dbPreparedStatements: boolean;
  auditSealIntervalMs: number;
  /** Statistics answers computed at once per instance (the others wait their turn); unset: the routes' default. */
  statsConcurrency: number | undefined;
  corsOrigins: string[];
  /** null when RATE_LIMIT_MAX is 0 (no limit). */
  rateLimit: { max: number; windowMs: number } | null;
  /** Failed authentications per client address and per credential; null when AUTH_FAILURE_LIMIT_MAX is 0. */
  authFailureLimit: { max: number; windowMs: number } | null;
  /** Set when OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL are all given. */
  retention: { personalDataYears: number; healthDataYears: number };
  /** Run the webhook worker inside the service (else run `npm run worker` beside it). */
  /**
   * allow: the non-public hosts and ranges webhooks may still go to (WEBHOOK_ALLOW_HOSTS; public addresses only
   * by default). concurrency: requests in flight per worker process, overall and per subscription.
   */
  webhooks: { worker: boolean; retryDelaySeconds: number; allow: AddressPolicy; concurrency: number; concurrencyPerSubscription: number };
  /**
   * nationalRoles / nationalSubjects: who may act nationally with a token that has no force claim (nobody by
   * default); clockSkewSeconds: allowed for exp, iat and nbf; maxLifetimeSeconds: the cap on exp - iat.
   */
  oidc: {
    issuer: string;
    audience: string;
    jwksUrl: string;
    rolesClaim: string;
    forceClaim: string;
    nameClaim: string;
    nationalRoles: Role[];
    nationalSubjects: string[];
    clockSkewSeconds: number;
    maxLifetimeSeconds: number;
  } | null;
  /**
   * The page's sign-in (OpenID Connect code flow with PKCE): set when OIDC_ISSUER and OIDC_CLIENT_ID are given (with
   * PUBLIC_BASE_URL). The claims are read as for access tokens (oidc's claim settings).
   */
  signIn: {
    issuer: string;
    clientId: string;
    /** Only for a confidential client (client_secret_basic). */
    clientSecret: string | undefined;
    scopes: string;
    /** The origin people reach the service at: the redirect URL is <it>/auth/callback; https makes cookies Secure. */
    publicBaseUrl: string;
    rolesClaim: string;
    forceClaim: string;
    nameClaim: string;
    nationalRoles: Role[];
    nationalSubjects: string[];
  } | null;
  /** The page's sessions: idle time, absolute lifetime, and whether the page may offer pasting an API key (development). */
  session: { idleMinutes: number; maxHours: number; apiKeySignIn: boolean };
  /** Benchmark only: append every SQL statement and its parameters to this file (docs/performance.md). */
  sqlCaptureFile: string | undefined;
};

export class ConfigError extends Error {}

/** A comma-separated list, trimmed, without empty entries. */
const list = (v: string | undefined): string[] =>
  v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

type Parsed = z.infer<typeof ConfigSchema>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The page's sign-in settings hang together: a client id needs the issuer and the public base URL. */
function checkSignIn(c: Parsed): void {
  if (!c.OIDC_CLIENT_ID) {
    if (c.OIDC_CLIENT_SECRET) throw new ConfigError('Invalid configuration: OIDC_CLIENT_SECRET needs OIDC_CLIENT_ID');
    return;
  }
  if (!c.OIDC_ISSUER) throw new ConfigError('Invalid configuration: OIDC_CLIENT_ID needs OIDC_ISSUER');
  if (!c.PUBLIC_BASE_URL)
    throw new ConfigError('Invalid configuration: OIDC_CLIENT_ID needs PUBLIC_BASE_URL (the redirect URL is <PUBLIC_BASE_URL>/auth/callback)');
  const issuer = new URL(c.OIDC_ISSUER);
  if (issuer.protocol !== 'https:' && !LOOPBACK.has(issuer.hostname)) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER must be https (plain http only on this machine, for development)');
  }
}

function signInConfig(c: Parsed): Config['signIn'] {
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID || !c.PUBLIC_BASE_URL) return null;
  return {
    issuer: c.OIDC_ISSUER,
    clientId: c.OIDC_CLIENT_ID,
    clientSecret: c.OIDC_CLIENT_SECRET,
    scopes: c.OIDC_SCOPES,
    publicBaseUrl: c.PUBLIC_BASE_URL.replace(/\/$/, ''),
    rolesClaim: c.OIDC_ROLES_CLAIM,
    forceClaim: c.OIDC_FORCE_CLAIM,
    nameClaim: c.OIDC_NAME_CLAIM,
    nationalRoles: list(c.OIDC_NATIONAL_ROLES) as Role[],
    nationalSubjects: list(c.OIDC_NATIONAL_SUBJECTS),
  };
}

/** Reads the environment; an invalid value throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as a shell user would expect from `FOO= npm start`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}`);
  }
  const c = parsed.data;
  if (c.DATABASE_READ_URL && !c.DATABASE_URL)
    throw new ConfigError('Invalid configuration: DATABASE_READ_URL needs DATABASE_URL (a replica of an embedded database is not possible)');
  const oidcParts = [c.OIDC_ISSUER, c.OIDC_AUDIENCE, c.OIDC_JWKS_URL].filter(Boolean).length;
  // The issuer alone is the page's sign-in (with a client id); access tokens need all three.
  if (oidcParts !== 0 && oidcParts !== 3 && !(oidcParts === 1 && c.OIDC_ISSUER && c.OIDC_CLIENT_ID)) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL must be set together');
  }
  checkSignIn(c);
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    databaseReadUrl: c.DATABASE_READ_URL,
    dataDir: c.DATA_DIR,
    logLevel: c.LOG_LEVEL,
    bootstrapAdminKey: c.BOOTSTRAP_ADMIN_KEY,
    dbPoolSize: c.DB_POOL_SIZE,
    dbPreparedStatements: c.DB_PREPARED_STATEMENTS === 'on',
    auditSealIntervalMs: c.AUDIT_SEAL_INTERVAL_MS,
    statsConcurrency: c.STATS_CONCURRENCY,
    corsOrigins: c.CORS_ORIGINS ? c.CORS_ORIGINS.split(',').map((o) => o.trim()) : [],
    rateLimit: c.RATE_LIMIT_MAX > 0 ? { max: c.RATE_LIMIT_MAX, windowMs: c.RATE_LIMIT_WINDOW_MS } : null,
    authFailureLimit: c.AUTH_FAILURE_LIMIT_MAX > 0 ? { max: c.AUTH_FAILURE_LIMIT_MAX, windowMs: c.AUTH_FAILURE_LIMIT_WINDOW_MS } : null,
    retention: { personalDataYears: c.RETENTION_PERSONAL_YEARS, healthDataYears: c.RETENTION_HEALTH_YEARS },
    webhooks: {
      worker: c.WEBHOOK_WORKER === 'true',
      retryDelaySeconds: c.WEBHOOK_RETRY_DELAY_SECONDS,
      allow: parseAllowList(c.WEBHOOK_ALLOW_HOSTS),
      concurrency: c.WEBHOOK_CONCURRENCY,
      concurrencyPerSubscription: c.WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION,
    },
    sqlCaptureFile: c.SQL_CAPTURE_FILE,
    signIn: signInConfig(c),
    session: { idleMinutes: c.SESSION_IDLE_MINUTES, maxHours: c.SESSION_MAX_HOURS, apiKeySignIn: c.WEB_API_KEY_SIGN_IN === 'true' },
    oidc:
      c.OIDC_ISSUER && c.OIDC_AUDIENCE && c.OIDC_JWKS_URL
        ? {
            issuer: c.OIDC_ISSUER,
            audience: c.OIDC_AUDIENCE,
            jwksUrl: c.OIDC_JWKS_URL,
            rolesClaim: c.OIDC_ROLES_CLAIM,
            forceClaim: c.OIDC_FORCE_CLAIM,
            nameClaim: c.OIDC_NAME_CLAIM,
            nationalRoles: list(c.OIDC_NATIONAL_ROLES) as Role[],
            nationalSubjects: list(c.OIDC_NATIONAL_SUBJECTS),
            clockSkewSeconds: c.OIDC_CLOCK_SKEW_SECONDS,
            maxLifetimeSeconds: c.OIDC_MAX_TOKEN_LIFETIME_SECONDS,
          }
        : null,
  };
}
