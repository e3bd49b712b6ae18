// CHECK constraints that keep enum-like columns to their value lists (src/shared/enums.ts), so the
// union types the schema gives those columns hold for every row, whoever wrote it.
import { sql, type SQL } from 'drizzle-orm';
import { check, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** The values as SQL string literals (inlined: drizzle-kit writes the check into the migration as text). */
const literals = (values: readonly string[]) => sql.raw(values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', '));

/** The values as one jsonb array literal. */
const jsonArray = (values: readonly string[]) => sql.raw(`'${JSON.stringify(values).replaceAll("'", "''")}'::jsonb`);

/** The column (or text expression) is one of the values; null passes, as in any SQL check. */
export const oneOf = (name: string, column: AnyPgColumn | SQL, values: readonly string[]) => check(name, sql`${column} in (${literals(values)})`);

/** Every element of the text[] column is one of the values. */
export const allOf = (name: string, column: AnyPgColumn, values: readonly string[]) => check(name, sql`${column} <@ array[${literals(values)}]::text[]`);

/** A jsonb array of strings (a jsonb expression) whose elements are all among the values; null passes. */
export const jsonbWithin = (json: SQL, values: readonly string[]): SQL => sql`${json} <@ ${jsonArray(values)}`;
