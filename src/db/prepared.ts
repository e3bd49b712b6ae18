// Named prepared statements for the hot queries: built by drizzle once per database instead of per request,
// and parsed by the server once per connection. Works on the pool, on PGlite and inside a transaction.
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import type { Queryable } from './client.ts';

interface Executable {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

interface DrizzleInternals {
  /** Shared by a database and every transaction opened on it: one set of statements per database. */
  dialect: object;
  /** The pool, PGlite, or (in a transaction) the transaction's own connection. */
  session: { client: unknown };
}

const built = new WeakMap<object, Map<string, Executable>>();

/**
 * A statement built once per database by build(q) (which ends in .prepare(name)), run on whatever q is given:
 * drizzle binds a prepared query to the client it was prepared on, so each use rebinds it to q's client
 * (a transaction's connection), keeping the statement inside the caller's transaction.
 */
export function preparedStatement<P extends Executable>(name: string, build: (q: Queryable) => P): (q: Queryable) => P {
  return (q) => {
    const { dialect, session } = q as unknown as DrizzleInternals;
    let statements = built.get(dialect);
    if (!statements) built.set(dialect, (statements = new Map()));
    let statement = statements.get(name) as P | undefined;
    if (!statement) statements.set(name, (statement = build(q)));
    return Object.create(statement, { client: { value: session.client } }) as P;
  };
}

interface SessionInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: false): Executable };
}

/**
 * queryRows for a large statement whose text is one of a few shapes (the statistics' sums): sent as a named statement,
 * its name taken from its text, so each connection parses it once and PostgreSQL can keep a generic plan of it
 * instead of planning it at every request (about 15 ms for the summary's sums over every column at a million
 * incidents, against 6 ms to run them). With DB_PREPARED_STATEMENTS=off the pool sends it unnamed, like any other.
 */
export async function queryRowsNamed<T>(q: Queryable, query: SQL): Promise<T[]> {
  const { dialect, session } = q as unknown as SessionInternals;
  const built = dialect.sqlToQuery(query);
  const result = (await session.prepareQuery(built, undefined, statementName(built.sql), false).execute()) as { rows: T[] };
  return result.rows;
}

/** A statement's name taken from its text: the same text, the same name, on every connection and instance. */
const statementName = (text: string) => `q_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;

interface SelectInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  getSQL(): SQL;
}

/**
 * A drizzle select (rows mapped by drizzle, as awaiting it would) sent as a named statement, named after its text as
 * queryRowsNamed does. For the lists read at every page: their text is one of a few shapes (the filters given), and
 * parsing and planning it anew cost the database about as long as running it (the incident list 0.6 ms against 0.8
 * at a million incidents; the federation's case list 2.5 ms against 2.4 at 100,000: docs/performance.md). The SQL is
 * built once: drizzle's prepare() would build it again from the builder to get the text the name was taken from (a
 * profile of the federation's list put drizzle's building at a tenth of the service's time).
 */
export function selectNamed<T>(select: { prepare(name: string): { execute(): Promise<T> } }, opts: { literalLimit?: boolean } = {}): Promise<T> {
  const { dialect } = select as unknown as SelectInternals;
  const tree = (select as unknown as SelectInternals).getSQL();
  const built = dialect.sqlToQuery(tree);
  const query = opts.literalLimit ? withLiteralLimit(built) : built;
  const builtOnce = Object.create(select, {
    getSQL: { value: () => tree },
    dialect: { value: Object.assign(Object.create(dialect) as object, { sqlToQuery: () => query }) },
  }) as typeof select;
  return builtOnce.prepare(statementName(query.sql)).execute();
}

/**
 * The statement with its closing `limit $n` (its last parameter, an integer) written into the text. PostgreSQL plans a
 * generic `limit $n` for a tenth of the rows (a full range of the force's incidents, 28 ms at a million), so a named
 * statement with it never gets a generic plan worth keeping; with the page size in the text (one statement per page
 * size), it can.
 */
export function withLiteralLimit(query: { sql: string; params: unknown[] }): { sql: string; params: unknown[] } {
  const match = / limit \$(\d+)$/.exec(query.sql);
  const limit = query.params.at(-1);
  if (!match || Number(match[1]) !== query.params.length || !Number.isSafeInteger(limit)) return query;
  return { sql: `${query.sql.slice(0, match.index)} limit ${limit as number}`, params: query.params.slice(0, -1) };
}
