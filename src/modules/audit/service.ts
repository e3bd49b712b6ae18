// The audit trail: listing, chain verification (set-based, in SQL) and the sealer that chains events.
import { newestFirst } from '../../db/pages.ts';
import type { Scope } from '../../db/scope.ts';
import { eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { AuditListQuery, AuditVerification } from './schemas.ts';

export async function listAuditEvents(scope: Scope, query: AuditListQuery) {
  const { tx, force } = scope;
  const conditions: (SQL | undefined)[] = [];
  if (force !== null) conditions.push(eq(auditEvents.forceId, force));
  if (query.resourceType) conditions.push(eq(auditEvents.resourceType, query.resourceType));
  if (query.resourceId) conditions.push(eq(auditEvents.resourceId, query.resourceId));
  if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.requestId) conditions.push(eq(auditEvents.requestId, query.requestId));
  if (query.occurredFrom) conditions.push(gte(auditEvents.occurredAt, new Date(query.occurredFrom)));
  if (query.occurredTo) conditions.push(lt(auditEvents.occurredAt, new Date(query.occurredTo)));
  const result = await newestFirst(tx, auditEvents, 'occurredAt', conditions, query);
  scope.audit({ action: 'list', resourceType: 'audit_event', forceId: force });
  return {
    items: result.items.map(({ sealedAt: _s, ...r }) => ({ ...r, occurredAt: r.occurredAt.toISOString() })),
    nextCursor: result.nextCursor,
  };
}

/** Recomputes every sealed event's hash and link in one pass over the table. */
export async function verifyChain(db: Db): Promise<AuditVerification> {
  const counts = await queryRows<{ sealed: number; unsealed: number; head_seq: number | null }>(
    db,
    sql`
    select count(seq)::int as sealed, (count(*) - count(seq))::int as unsealed, max(seq)::int as head_seq from audit_events`,
  );
  const broken = await queryRows<{ seq: number }>(
    db,
    sql`
    select seq::int as seq from (
      select a.seq, a.hash, a.prev_hash,
             lag(a.hash) over (order by a.seq) as expected_prev,
             lag(a.seq) over (order by a.seq) as prev_seq,
             audit_event_digest(a.prev_hash, a) as recomputed
      from audit_events a where a.seq is not null
    ) x
    where x.hash is distinct from x.recomputed
       or x.prev_hash is distinct from x.expected_prev
       or x.seq <> coalesce(x.prev_seq, 0) + 1
    order by x.seq limit 1`,
  );
  const c = counts[0]!;
  const headSeq = c.head_seq === null ? null : Number(c.head_seq);
  const head = headSeq === null ? [] : await queryRows<{ hash: string }>(db, sql`select hash from audit_events where seq = ${headSeq}`);
  const firstBroken = broken[0];
  return {
    intact: !firstBroken,
    sealed: Number(c.sealed),
    unsealed: Number(c.unsealed),
    firstBrokenSeq: firstBroken ? Number(firstBroken.seq) : null,
    headSeq,
    headHash: head[0]?.hash ?? null,
  };
}

/** Seals everything committed so far (repeats batches until none is left). Returns how many it sealed. */
export async function sealPending(db: Db, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const [result] = await queryRows<{ n: number }>(db, sql`select audit_seal(${batch}) as n`);
    const n = Number(result?.n ?? 0);
    if (n <= 0) return total;
    total += n;
    if (n < batch) return total;
  }
}

/**
 * Runs the sealer every intervalMs. Every instance runs one; a transaction-level advisory lock inside
 * audit_seal() lets one of them chain at a time. Also drops expired idempotency keys and rate windows.
 */
export function startSealer(db: Db, intervalMs: number, onError: (err: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let ticks = 0;
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        await sealPending(db);
        if (ticks++ % 60 === 0) {
          await db.execute(sql`delete from idempotency_keys where expires_at < now()`);
          await db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`);
        }
      } catch (err) {
        onError(err);
      }
    });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
