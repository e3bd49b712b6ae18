// Transactions: one per request. Reads that only add an audit event may commit asynchronously.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';

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
