// Transactions: one per request. Reads that only add an audit event may commit asynchronously.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { deferAuditOf, insertDeferredAudit } from '../modules/audit/record.ts';

export function inWrite<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/**
 * A read whose only write is its audit event. synchronous_commit = off: a crash can lose the last
 * instant of read logs, never a write or its event (documented in the README).
 */
export function inRead<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    return fn(tx);
  });
}

/**
 * Selected by the first query of a read run with inReadFolded: the same effect as inRead's
 * `set local synchronous_commit = off`, without its own round trip.
 */
export const ASYNC_COMMIT = sql<string>`set_config('synchronous_commit', 'off', true)`;

/** inRead for a hot read whose first query selects ASYNC_COMMIT (GET /v1/incidents/:id). */
export function inReadFolded<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/**
 * A read sent to the read replica when there is one (statistics, the federation list, lists and queues):
 * run in a read-only transaction there; its audit events are then written on the primary in a short
 * transaction of their own (asynchronous commit, as inRead's). The answer is given only once they are
 * written. Trade-offs in docs/scaling.md. Without a replica, the same as inRead.
 */
export async function inReplicaRead<T>(db: Db, replica: Db | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!replica) return inRead(db, fn);
  const audit: Record<string, unknown>[] = [];
  const result = await replica.transaction(
    async (tx) => {
      deferAuditOf(tx, audit);
      return fn(tx);
    },
    { accessMode: 'read only' },
  );
  if (audit.length > 0) await inRead(db, (tx) => insertDeferredAudit(tx, audit));
  return result;
}
