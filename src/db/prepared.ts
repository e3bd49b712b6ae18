// Named prepared statements for the hot queries: built by drizzle once per database instead of per request,
// and parsed by the server once per connection. Works on the pool, on PGlite and inside a transaction.
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
