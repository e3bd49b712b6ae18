// Opens the database: drizzle over a pg Pool when DATABASE_URL is set, else over PGlite under DATA_DIR.
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { setBeginWith } from './begin.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: repos accept both. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  /** The read replica (DATABASE_READ_URL) when there is one: statistics, federation and list reads only. */
  readDb?: Db | undefined;
  kind: 'postgres' | 'pglite';
  /** Runs fn while holding a cluster-wide advisory lock (instances starting together take turns). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Listens on a NOTIFY channel: on Postgres over a dedicated connection (not the pool) that reconnects
   * when it drops, on PGlite with its own listen(). onState(false) while the connection is down,
   * onState(true) each time it is (re)established: notifications sent meanwhile are lost.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string): void;
  onState?(listening: boolean): void;
  onError?(err: Error): void;
}

export interface Listener {
  close(): Promise<void>;
}

const STARTUP_LOCK = 7240220;

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** A read replica's URL (Postgres only): a second pool of the same size. */
  readUrl?: string | undefined;
  /** PGlite data folder; 'memory://' keeps it in memory. */
  dataDir: string;
  poolSize?: number;
  /**
   * Named prepared statements (default on). Off: every statement goes unnamed (parsed each time), for a
   * pooler in transaction mode that cannot carry names across server connections (PgBouncer before 1.21).
   */
  preparedStatements?: boolean;
  /** A PGlite data dump (from dumpDataDir) to start from, used by tests to skip migrating. */
  loadDataDir?: Blob | File;
  /**
   * PGlite only: a new data folder starts as a copy of the migrated template (src/db/pglite-template.ts)
   * instead of initdb + every migration in this process. Default on; the template's builder turns it off.
   */
  fromTemplate?: boolean;
  onPoolError?: (err: Error) => void;
  /** Append every statement sent (with parameters) to this file, for the benchmark's pgbench scripts. */
  sqlCaptureFile?: string | undefined;
}

/**
 * Drops the name of every statement a connection sends (drizzle's .prepare(name) hands it to pg as the query's
 * name), so the server gets unnamed statements only. Plain query objects only: a Submittable is passed as is.
 */
function unnameStatements(client: { query: (...args: unknown[]) => unknown }): void {
  const query = client.query.bind(client);
  client.query = (config: unknown, ...rest: unknown[]) => {
    const named = typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit !== 'function' && 'name' in config;
    return query(named ? { ...config, name: undefined } : config, ...rest);
  };
}

/**
 * PGlite's Postgres settings beyond its defaults. initdb's shared_buffers of 128MB is memset at start-up inside
 * the WebAssembly memory, which never shrinks: 130 MB of resident memory for a cache an embedded database of
 * this size does not need (buffers missed are read from the operating system's page cache, or from memory).
 * PGlite runs one backend: shared memory sized for initdb's 100 connections (lock table, process slots) is
 * another 5-10 MB for nothing (5, not fewer: 3 are reserved for superusers and must stay below it). The lock
 * table is sized by both: max_locks_per_transaction 256 keeps room for a migration (all pending ones run in one
 * transaction, locking every relation they create) at two thirds of the default's table, about 1.5 MB.
 */
const PGLITE_SETTINGS = ['shared_buffers=16MB', 'max_connections=5', 'max_locks_per_transaction=256'];

/** Closing twice is harmless (tests and shutdown paths may both close). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= fn());
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // Drivers load lazily so the pg path never loads PGlite's WASM.
    const { default: pg } = await import('pg');
    const { drizzle, NodePgSession, NodePgTransaction } = await import('drizzle-orm/node-postgres');
    const newPool = (connectionString: string, name: string) => {
      const p = new pg.Pool({ connectionString, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000, application_name: name });
      // A client dying (server restart, pg_terminate_backend) must not crash the process: idle clients
      // report on the pool, clients in use on themselves; the request using one fails with a 503.
      p.on('error', (err) => opts.onPoolError?.(err));
      p.on('connect', (client) => client.on('error', (err) => opts.onPoolError?.(err)));
      if (opts.preparedStatements === false) p.on('connect', unnameStatements);
      return p;
    };
    const pool = newPool(opts.databaseUrl, 'officer-assault-register');
    // Loaded only when asked for: with capture off, nothing wraps the driver.
    if (opts.sqlCaptureFile) (await import('./capture.ts')).installSqlCapture(pool, opts.sqlCaptureFile);
    const db = drizzle(pool, { schema }) as unknown as Db;
    setBeginWith(db, pool, { NodePgSession, NodePgTransaction });
    const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => undefined);
        client.release();
      }
    };
    const listen = async (channel: string, handlers: ListenHandlers): Promise<Listener> => {
      const { listenPostgres } = await import('./listen.ts');
      return listenPostgres(pg, opts.databaseUrl!, channel, handlers);
    };
    let readDb: Db | undefined;
    let readPool: InstanceType<typeof pg.Pool> | undefined;
    if (opts.readUrl) {
      readPool = newPool(opts.readUrl, 'officer-assault-register read');
      readDb = drizzle(readPool, { schema }) as unknown as Db;
      setBeginWith(readDb, readPool, { NodePgSession, NodePgTransaction });
    }
    const close = once(async () => {
      await Promise.all([pool.end(), readPool?.end()]);
    });
    return { db, readDb, kind: 'postgres', exclusive, listen, close };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (!opts.dataDir.startsWith('memory://')) {
    mkdirSync(opts.dataDir, { recursive: true });
    if (opts.fromTemplate !== false && !opts.loadDataDir) await (await import('./pglite-template.ts')).seedFromTemplate(opts.dataDir);
  }
  const client = await PGlite.create(opts.dataDir, {
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  // PGlite is one connection inside this process: nothing else can run beside it.
  const listen = async (channel: string, handlers: ListenHandlers): Promise<Listener> => {
    const unlisten = await client.listen(channel, (payload) => handlers.onNotify(payload));
    handlers.onState?.(true);
    return { close: once(async () => (client.closed ? undefined : unlisten())) };
  };
  return { db, kind: 'pglite', exclusive: (fn) => fn(), listen, close: once(() => client.close()) };
}

/** Runs raw SQL and returns its rows typed; both drivers answer with { rows }. */
export async function queryRows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
