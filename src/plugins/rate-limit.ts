// Per-principal rate limit (@fastify/rate-limit) with its counters in Postgres, so every instance shares them.
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.ts';
import { AppError } from '../errors.ts';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** A store for @fastify/rate-limit: one fixed window per key, counted atomically by an upsert. */
export function postgresStore(db: Db) {
  return class PostgresRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      const window = sql`make_interval(secs => ${timeWindow / 1000})`;
      queryRows<{ hits: number; ttl: number }>(
        db,
        sql`insert into rate_limits as r (key, window_start, hits) values (${key}, now(), 1)
            on conflict (key) do update set
              hits = case when r.window_start <= now() - ${window} then 1 else r.hits + 1 end,
              window_start = case when r.window_start <= now() - ${window} then now() else r.window_start end
            returning hits, greatest(0, extract(epoch from (window_start + ${window} - now())) * 1000)::int as ttl`,
      ).then(
        ([row]) => cb(null, { current: Number(row!.hits), ttl: Number(row!.ttl) }),
        (err: Error) => cb(err),
      );
    }

    child(): this {
      return this;
    }
  };
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions & { db: Db }) {
    await app.register(rateLimit, {
      max: opts.max,
      timeWindow: opts.windowMs,
      // After authentication, so the limit is per principal rather than per address.
      hook: 'preHandler',
      keyGenerator: (request) => (request.principal ? `principal:${request.principal.id}` : `ip:${request.ip}`),
      store: postgresStore(opts.db),
      errorResponseBuilder: (_request, context) =>
        new AppError(
          429,
          'rate-limited',
          'Too many requests',
          `This key may make ${context.max} requests per ${Math.round(opts.windowMs / 1000)} s. Retry after ${Math.ceil(context.ttl / 1000)} s.`,
        ),
    });
  },
  { name: 'rate-limit' },
);

export interface AuthFailureLimitOptions {
  /** Failed authentications allowed per client address, and per presented credential, in a window. */
  max: number;
  windowMs: number;
}

/**
 * Failed authentication, counted in Postgres (the same rate_limits table, so every instance shares the counts)
 * per client address and per presented credential (a digest of the whole key or token, never the key itself).
 * check() runs before the key lookup: an address, or a credential, over the limit is refused without one.
 * A valid key is never counted against: its own lookups succeed, and other clients' failures count against their
 * addresses and their own wrong keys only.
 */
export function authFailureLimiter(db: Db, opts: AuthFailureLimitOptions) {
  const window = sql`make_interval(secs => ${opts.windowMs / 1000})`;
  const keys = (ip: string, credential: string) => [
    `authfail:ip:${ip}`,
    `authfail:key:${createHash('sha256').update(credential, 'utf8').digest('hex').slice(0, 32)}`,
  ];
  return {
    /** The seconds to wait when this address or credential is over the limit, else null. */
    async check(ip: string, credential: string): Promise<number | null> {
      const rows = await queryRows<{ ttl: number }>(
        db,
        sql`select greatest(1, ceil(extract(epoch from (window_start + ${window} - now()))))::int as ttl
              from rate_limits
             where key in (${sql.join(
               keys(ip, credential).map((k) => sql`${k}`),
               sql`, `,
             )})
               and window_start > now() - ${window} and hits >= ${opts.max}`,
      );
      return rows.length ? Math.max(...rows.map((r) => Number(r.ttl))) : null;
    },
    /** Counts one failure against the address and the credential. */
    async fail(ip: string, credential: string): Promise<void> {
      const values = keys(ip, credential).map((k) => sql`(${k}, now(), 1)`);
      await queryRows(
        db,
        sql`insert into rate_limits as r (key, window_start, hits) values ${sql.join(values, sql`, `)}
            on conflict (key) do update set
              hits = case when r.window_start <= now() - ${window} then 1 else r.hits + 1 end,
              window_start = case when r.window_start <= now() - ${window} then now() else r.window_start end`,
      );
    },
  };
}

export type AuthFailureLimiter = ReturnType<typeof authFailureLimiter>;
