// Column builders the tables share, so each table lists only what is its own (the SQL names are unchanged:
// the migrations in migrations/ are the schema of record).
import { sql } from 'drizzle-orm';
import { integer, jsonb, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** A timestamp with time zone: every time in this schema is one. */
export const at = (name: string) => timestamp(name, { withTimezone: true });

/** A required reference to another table's row. */
export const ref = (name: string, target: () => AnyPgColumn) => uuid(name).notNull().references(target);

/** A list of values (text[]) that starts empty. */
export const textList = <T extends string>(name: string) =>
  text(name)
    .array()
    .$type<T[]>()
    .notNull()
    .default(sql`'{}'::text[]`);

/** The status history of a record (a JSON array, oldest first), empty when it is created. */
export const historyOf = <Entry>() =>
  jsonb('history')
    .$type<Entry[]>()
    .notNull()
    .default(sql`'[]'::jsonb`);

/** The If-Match version and the create and change times of a record that is amended. */
export const versioned = () => ({
  version: integer('version').notNull().default(1),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** Who made an append-only record, and when. */
export const createdBy = () => ({
  createdBy: uuid('created_by').notNull(),
  createdAt: at('created_at').notNull(),
});
