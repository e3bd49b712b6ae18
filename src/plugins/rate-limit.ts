// Per-principal rate limit (@fastify/rate-limit) with its counters in Postgres, so every instance shares them.
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
        new AppError(429, 'rate-limited', 'Too many requests', `This key may make ${context.max} requests per ${Math.round(opts.windowMs / 1000)} s. Retry after ${Math.ceil(context.ttl / 1000)} s.`),
    });
  },
  { name: 'rate-limit' },
);
