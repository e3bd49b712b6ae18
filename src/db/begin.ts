// BEGIN and a transaction's first statement in one round trip on PostgreSQL. drizzle's transaction sends BEGIN
// alone and the scope's settings (role, force, synchronous_commit) follow as a second statement: two round trips
// before any work, on every request. Sent together as one simple-protocol query (no parameters, so the statement
// must hold its values as literals), they cost one. The same at the other end: the scope's last statements (its audit rows,
// and a write's outbox rows) can go with COMMIT. PGlite runs in this process and pays no round trip, so it keeps drizzle's
// transaction (src/db/scope.ts).
import type pg from 'pg';
import type { Db, Tx } from './client.ts';

/**
 * How a transaction may end in the same round trip as its COMMIT: fn calls `withCommit` with SQL that holds its
 * values as literals, quoted by `literal` (the driver's escapeLiteral), and that SQL goes as `<sql>; commit`.
 */
export interface Finish {
  literal(value: string): string;
  withCommit(sql: string): void;
}

/**
 * A statement committed in a transaction of its own just before a scope's begins (the statistics queue drained before
 * a read): on PostgreSQL in the same round trip as BEGIN, as `begin; <sql>; commit; begin ...`.
 */
export interface Prelude {
  /** Statements with no parameters. */
  sql: string;
  /** Its failure (or that of the round trip it went in): the scope begins all the same, without it. */
  failed(err: unknown): void;
}

/**
 * Runs fn in a transaction opened by `begin[ read only]; <first>[; <opening>]`: SQL with no parameters. The rows of
 * `opening` (a read the request needs first, sent in the same round trip) are given to fn; `prelude` goes first.
 */
export type BeginWith = <T>(
  first: string,
  readOnly: boolean,
  fn: (tx: Tx, finish: Finish, opened?: Record<string, unknown>[]) => Promise<T>,
  opening?: string,
  prelude?: Prelude,
) => Promise<T>;

type Results = pg.QueryResult<Record<string, unknown>>[];

/** Sends `head` (BEGIN and what goes with it) after the prelude; without it if the two together fail. */
async function beginAfter(client: pg.PoolClient, head: string, prelude: Prelude | undefined): Promise<Results> {
  if (!prelude) return (await client.query(head)) as unknown as Results;
  try {
    return (await client.query(`begin; ${prelude.sql}; commit; ${head}`)) as unknown as Results;
  } catch (err) {
    await client.query('rollback');
    prelude.failed(err);
    return (await client.query(head)) as unknown as Results;
  }
}

const byDb = new WeakMap<Db, BeginWith>();

/** The one-trip transaction of a pg database, if it has one (the PostgreSQL path of openDatabase sets it). */
export const beginWithOf = (db: Db): BeginWith | undefined => byDb.get(db);

type Drivers = typeof import('drizzle-orm/node-postgres');
type SessionArgs = ConstructorParameters<Drivers['NodePgSession']>;

/** Gives db (drizzle over pool) its one-trip transaction, built from drizzle's own session and transaction classes. */
export function setBeginWith(db: Db, pool: pg.Pool, classes: Pick<Drivers, 'NodePgSession' | 'NodePgTransaction'>): void {
  const { dialect, schema, options } = (db as unknown as { session: { dialect: SessionArgs[1]; schema: SessionArgs[2]; options: SessionArgs[3] } }).session;
  // A transaction object holds no state of its own beyond its connection, and building one builds a query builder
  // per table (1.8% of GET by id's CPU): each pooled connection keeps one, used by one request at a time.
  const txOf = new WeakMap<pg.PoolClient, Tx>();
  const txFor = (client: pg.PoolClient): Tx => {
    let tx = txOf.get(client);
    if (!tx) {
      tx = new classes.NodePgTransaction(dialect, new classes.NodePgSession(client, dialect, schema, options), schema) as unknown as Tx;
      txOf.set(client, tx);
    }
    return tx;
  };
  byDb.set(db, async (first, readOnly, fn, opening, prelude) => {
    const client = await pool.connect();
    const tx = txFor(client);
    let broken: Error | undefined;
    let last = '';
    const finish: Finish = { literal: (value) => client.escapeLiteral(value), withCommit: (sql) => (last = `${sql}; `) };
    try {
      const opened = await beginAfter(client, `begin${readOnly ? ' read only' : ''}; ${first}${opening ? `; ${opening}` : ''}`, prelude);
      // Several statements answer with a result each: the opening's is the last.
      const result = await fn(tx, finish, opening ? opened.at(-1)!.rows : undefined);
      // A statement that fails here skips the commit; the catch rolls back.
      await client.query(`${last}commit`);
      return result;
    } catch (err) {
      // A connection that cannot even roll back is not given back to the pool.
      await client.query('rollback').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  });
}
