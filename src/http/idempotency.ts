// Idempotency-Key on POST: the key row is inserted in the request's own transaction, so a concurrent
// retry waits on the unique key and then replays; a failed request leaves no key behind.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema/index.ts';
import type { Scope } from '../db/scope.ts';
import { Errors } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';

export const IDEMPOTENCY_TTL_HOURS = 24;

export interface Created<T> {
  body: T;
  location: string;
  version?: number;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url.split('?')[0]}\n${canonical(request.body)}`)
    .digest('hex');
}

function headersOf(created: Created<unknown>): Record<string, string> {
  return { location: created.location, ...(created.version !== undefined ? { etag: `"${created.version}"` } : {}) };
}

/** The Idempotency-Key header, checked; undefined when the request has none. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.length < 1 || raw.length > 255 || !/^[\x21-\x7e]+$/.test(raw)) {
    throw Errors.validation([{ path: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' }], 'headers');
  }
  return raw;
}

/**
 * The status a key is marked with once its kept answer is erased: the row stays (so the key still cannot run its
 * request again) but holds no answer, and a replay is a problem instead (Errors.idempotentAnswerErased).
 */
const ERASED = 410;

/**
 * Erasure (retention) reaches the answers kept for replay too: every kept answer that mentions the id (each answer
 * about an incident, its people, care, TRiM or justice carries the incident's id) loses its body, expired or not.
 */
export async function eraseStoredAnswers(q: Queryable, id: string): Promise<number> {
  const erased = await q
    .update(idempotencyKeys)
    .set({ statusCode: ERASED, responseBody: null, responseHeaders: sql`jsonb_build_object('location', ${idempotencyKeys.responseHeaders}->>'location')` })
    .where(and(isNotNull(idempotencyKeys.responseBody), sql`strpos(${idempotencyKeys.responseBody}::text, ${id}) > 0`))
    .returning({ key: idempotencyKeys.key });
  return erased.length;
}

/** The kept answer, unless erasure took it. */
function replayable(prior: typeof idempotencyKeys.$inferSelect): { status: number; body: unknown; headers: Record<string, string> } {
  if (prior.statusCode === ERASED) throw Errors.idempotentAnswerErased(prior.responseHeaders?.location ?? undefined);
  return { status: prior.statusCode ?? 500, body: prior.responseBody, headers: prior.responseHeaders ?? {} };
}

const expiresAt = (now: Date) => new Date(now.getTime() + IDEMPOTENCY_TTL_HOURS * 3600_000);
const keyRow = (principalId: string, key: string) => and(eq(idempotencyKeys.principalId, principalId), eq(idempotencyKeys.key, key));

function principalIdOf(request: FastifyRequest): string {
  const principalId = request.principal?.id;
  if (!principalId) throw Errors.unauthenticated();
  return principalId;
}

/** Runs a create in one write scope, honouring Idempotency-Key, and answers 201 with Location (and ETag). */
export async function createOnce<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  inWrite: <R>(fn: (scope: Scope) => Promise<R>) => Promise<R>,
  run: (scope: Scope) => Promise<Created<T>>,
  /** What is kept for replays; a secret shown once (an API key) must be left out. */
  keep: (body: T) => unknown = (body) => body,
): Promise<void> {
  const raw = idempotencyKeyOf(request);
  if (raw === undefined) {
    const created = await inWrite(run);
    reply.code(201).headers(headersOf(created)).send(created.body);
    return;
  }
  const principalId = principalIdOf(request);
  const hash = requestHash(request);
  const where = keyRow(principalId, raw);

  const outcome = await inWrite(async (scope) => {
    const { tx, now } = scope;
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ principalId, key: raw, requestHash: hash, createdAt: now, expiresAt: expiresAt(now) })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [prior] = await tx.select().from(idempotencyKeys).where(where);
      if (!prior || prior.statusCode === null) throw Errors.unavailable();
      if (prior.requestHash !== hash) throw Errors.idempotencyKeyReused();
      return { replayed: true as const, ...replayable(prior) };
    }
    const created = await run(scope);
    const headers = headersOf(created);
    await tx
      .update(idempotencyKeys)
      .set({ statusCode: 201, responseBody: keep(created.body), responseHeaders: headers })
      .where(where);
    return { replayed: false as const, status: 201, body: created.body as unknown, headers };
  });
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  reply.code(outcome.status).headers(outcome.headers).send(outcome.body);
}

/**
 * Answers 200 with what run returns, honouring Idempotency-Key, for work on a streamed body that commits in
 * several transactions of its own (a bulk import) and is safe to repeat. run reads the body itself, passing
 * each chunk to the digest it is given, so the request's hash is known only once the work is done. A stored
 * answer is replayed (the body is read only to hash it), a different request under the key is 422; otherwise
 * the answer is kept once the work is done. Two requests with the same key at the same moment both run (no
 * claim is held while the work commits): the first to finish is kept.
 */
export async function answerStreamOnce<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { db: Db; clock: Clock },
  run: (onChunk: (chunk: Buffer | string) => void) => Promise<T>,
): Promise<void> {
  const raw = idempotencyKeyOf(request);
  if (raw === undefined) {
    reply.code(200).send(await run(() => undefined));
    return;
  }
  const principalId = principalIdOf(request);
  const digest = createHash('sha256').update(`${request.method} ${request.url.split('?')[0]}\n`);
  const [prior] = await deps.db.select().from(idempotencyKeys).where(keyRow(principalId, raw));
  if (prior && prior.statusCode !== null) {
    for await (const chunk of request.raw) digest.update(chunk as Buffer);
    if (prior.requestHash !== digest.digest('hex')) throw Errors.idempotencyKeyReused();
    const kept = replayable(prior);
    reply.header('idempotent-replayed', 'true').code(kept.status).headers(kept.headers).send(kept.body);
    return;
  }
  const body = await run((chunk) => digest.update(chunk));
  const now = deps.clock.now();
  await deps.db
    .insert(idempotencyKeys)
    .values({
      principalId,
      key: raw,
      requestHash: digest.digest('hex'),
      statusCode: 200,
      responseBody: body,
      responseHeaders: {},
      createdAt: now,
      expiresAt: expiresAt(now),
    })
    .onConflictDoNothing();
  reply.code(200).send(body);
}
