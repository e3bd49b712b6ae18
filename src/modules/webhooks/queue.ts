// The job queue (pg-boss) over the service's own database connections.
import PgBoss from 'pg-boss';
import type { Database, Queryable } from '../../db/client.ts';

interface RawResult {
  rows: unknown[];
}
interface PgPoolLike {
  query(text: string, values?: unknown[]): Promise<RawResult>;
}
interface PgliteLike {
  query(text: string, values?: unknown[]): Promise<RawResult>;
  exec(text: string): Promise<RawResult[]>;
}

const clientOf = (database: Database) => (database.db as unknown as { $client: PgPoolLike | PgliteLike }).$client;

/** pg-boss's executor over our pool (Postgres) or our PGlite (one connection, queries take turns). */
export function bossDb(database: Database): PgBoss.Db {
  if (database.kind === 'postgres') {
    const pool = clientOf(database) as PgPoolLike;
    return { executeSql: (text, values) => pool.query(text, values) as Promise<{ rows: never[] }> };
  }
  const pglite = clientOf(database) as PgliteLike;
  return {
    // pg-boss sends its schema as several statements in one string: PGlite runs those only through exec.
    executeSql: async (text, values) => (values?.length ? pglite.query(text, values) : ((await pglite.exec(text)).at(-1) ?? { rows: [] })) as { rows: never[] },
  };
}

/** pg-boss's executor inside an open drizzle transaction, so jobs are created (or not) with the rest of it. */
export function bossDbIn(tx: Queryable): PgBoss.Db {
  const client = (tx as unknown as { session: { client: { query(text: string, values?: unknown[]): Promise<{ rows: never[] }> } } }).session.client;
  return { executeSql: (text, values) => client.query(text, values) };
}
