// The job queue (pg-boss) over the service's own database connections, and a LISTEN for the relay's wake-ups.
import PgBoss from 'pg-boss';
import type { Database, Queryable } from '../../db/client.ts';

interface RawResult {
  rows: unknown[];
}
interface PgPoolLike {
  query(text: string, values?: unknown[]): Promise<RawResult>;
  options: { connectionString?: string };
}
interface PgliteLike {
  query(text: string, values?: unknown[]): Promise<RawResult>;
  exec(text: string): Promise<RawResult[]>;
  listen(channel: string, cb: () => void): Promise<() => Promise<void>>;
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

/**
 * Calls onNotify on each notification of the channel until the returned stop is called. On Postgres a
 * dedicated connection, reopened after a second if it drops (the scheduled sweep covers the gap).
 */
export async function listen(database: Database, channel: string, onNotify: () => void, onError: (err: Error) => void): Promise<() => Promise<void>> {
  if (database.kind === 'pglite') return (clientOf(database) as PgliteLike).listen(channel, onNotify);
  const { default: pg } = await import('pg');
  const { connectionString } = (clientOf(database) as PgPoolLike).options;
  let stopped = false;
  let client: InstanceType<typeof pg.Client> | undefined;
  let retry: NodeJS.Timeout | undefined;
  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: 'officer-assault-register-listen' });
    c.on('notification', onNotify);
    c.on('error', (err) => {
      onError(err);
      reopen();
    });
    c.on('end', reopen);
    client = c;
    await c.connect();
    await c.query(`listen ${channel}`);
  };
  const reopen = () => {
    if (stopped || retry) return;
    client?.removeAllListeners().on('error', () => undefined);
    retry = setTimeout(() => {
      retry = undefined;
      open().catch((err: Error) => {
        onError(err);
        reopen();
      });
    }, 1000);
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    client?.removeAllListeners().on('error', () => undefined);
    await client?.end().catch(() => undefined);
  };
}
