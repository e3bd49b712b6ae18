// Opt-in SQL capture (SQL_CAPTURE_FILE): every statement a pool connection sends, with its parameters as
// the driver sends them, one JSON line each. For the benchmark's pgbench scripts; never on in production.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type pg from 'pg';

// pg's own text encoding of parameters (dates, arrays, JSON), so the log holds exactly what the server got.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };

export interface CapturedStatement {
  /** Milliseconds since the epoch when the statement was sent. */
  at: number;
  /** Which pool connection sent it (1, 2, ...): a transaction's statements share one. */
  connection: number;
  /** A prepared statement's name, when the driver was given one. */
  name: string | null;
  sql: string;
  params: (string | null)[];
}

type QueryArgs = [unknown, unknown?, unknown?];

/** Wraps the query method of every connection the pool opens, so nothing costs anything when off. */
export function installSqlCapture(pool: pg.Pool, file: string): void {
  let connections = 0;
  pool.on('connect', (client) => {
    const connection = ++connections;
    const original = client.query.bind(client) as (...args: QueryArgs) => unknown;
    (client as unknown as { query: (...args: QueryArgs) => unknown }).query = (...args: QueryArgs) => {
      const [first, second] = args;
      const config = typeof first === 'string' ? { text: first } : ((first ?? {}) as { text?: string; name?: string; values?: unknown[] });
      const values = Array.isArray(second) ? second : (config.values ?? []);
      if (typeof config.text === 'string') {
        const entry: CapturedStatement = {
          at: Date.now(),
          connection,
          name: config.name ?? null,
          sql: config.text,
          params: values.map((v) => {
            const prepared = prepareValue(v) as unknown;
            return prepared === null || prepared === undefined ? null : Buffer.isBuffer(prepared) ? prepared.toString('hex') : String(prepared);
          }),
        };
        appendFileSync(file, JSON.stringify(entry) + '\n');
      }
      return original(...args);
    };
  });
}
