// The route helper: every handler reaches the database through one request scope built here (the actor, the
// caller's force for row-level security, the transaction, the audit and outbox buffers), and creates and
// versioned changes answer the same way everywhere (Idempotency-Key, Location, If-Match, ETag).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { inScope, type Scope, type ScopeDeps, type ScopeMode, type ScopeOptions } from '../db/scope.ts';
import { Errors } from '../errors.ts';
import { expectedVersion, setEtag } from '../shared/etag.ts';
import type { Actor } from '../shared/principal.ts';
import { createOnce, type Created } from './idempotency.ts';

export type { Created } from './idempotency.ts';
export type { Scope } from '../db/scope.ts';

/** The actor of an authenticated request; X-Access-Reason becomes the audit reason. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.principal) throw Errors.unauthenticated();
  const reason = request.headers['x-access-reason'];
  return {
    principal: request.principal,
    requestId: request.id,
    reason: typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 500) : null,
  };
}

export interface ScopedRoutes {
  /** A read whose only write is its audit trail. */
  read<T>(request: FastifyRequest, fn: (scope: Scope) => Promise<T>): Promise<T>;
  /** A read that may be served by the read replica (lists, queues, statistics); `options`: inScope's (no opening). */
  replica<T>(request: FastifyRequest, fn: (scope: Scope) => Promise<T>, options?: Omit<ScopeOptions, 'opening'>): Promise<T>;
  /** A change that answers 200. */
  write<T>(request: FastifyRequest, fn: (scope: Scope) => Promise<T>): Promise<T>;
  /** A versioned read: ETag "<version>" on the answer; `opening`, a first read sent with BEGIN (inScope). */
  readVersioned<T extends { version: number }>(request: FastifyRequest, reply: FastifyReply, fn: (scope: Scope) => Promise<T>, opening?: string): Promise<T>;
  /** A create: 201 with Location (and ETag), honouring Idempotency-Key; keep says what a replay may show. */
  create<T>(request: FastifyRequest, reply: FastifyReply, fn: (scope: Scope) => Promise<Created<T>>, keep?: (body: T) => unknown): Promise<void>;
  /** A PATCH: If-Match read (428 without it), the change, the new ETag on the answer. */
  patch<T extends { version: number }>(request: FastifyRequest, reply: FastifyReply, fn: (scope: Scope, expected: number | '*') => Promise<T>): Promise<T>;
}

/** The scoped handlers of a module, over its database, replica and clock. */
export function scoped(deps: ScopeDeps): ScopedRoutes {
  const run = <T>(mode: ScopeMode, request: FastifyRequest, fn: (scope: Scope) => Promise<T>, options?: ScopeOptions) =>
    inScope(mode, deps, actorOf(request), fn, options);
  return {
    read: (request, fn) => run('read', request, fn),
    replica: (request, fn, options) => run('replica', request, fn, options),
    write: (request, fn) => run('write', request, fn),
    readVersioned: async (request, reply, fn, opening) => {
      const result = await run('read', request, fn, { opening });
      setEtag(reply, result.version);
      return result;
    },
    create: (request, reply, fn, keep) => createOnce(request, reply, (work) => run('write', request, work), fn, keep),
    patch: async (request, reply, fn) => {
      const header = request.headers['if-match'];
      const expected = expectedVersion(typeof header === 'string' ? header : undefined);
      const result = await run('write', request, (scope) => fn(scope, expected));
      setEtag(reply, result.version);
      return result;
    },
  };
}

/** What the contract says of an operation: its operationId, the module's tags, a summary and a description. */
export function operation(operationId: string, tags: string[], summary: string, description: string) {
  return { operationId, tags, summary, description };
}

type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

/**
 * A module's routes: a Fastify plugin over the database, the read replica and the clock, whose routes reach the
 * database through the scoped handlers `r` (and any options of its own, such as the principal cache).
 */
export function scopedRoutes<Extra extends object = object>(
  define: (app: ZodApp, r: ScopedRoutes, opts: ScopeDeps & Extra) => void | Promise<void>,
): FastifyPluginAsyncZod<ScopeDeps & Extra> {
  return async (app, opts) => {
    await define(app, scoped(opts), opts);
  };
}
