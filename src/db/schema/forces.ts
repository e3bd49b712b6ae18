// Forces of England and Wales (seeded reference data) and their headcount history, used for rates.
import { date, integer, pgTable, text, uuid, primaryKey } from 'drizzle-orm/pg-core';
import { COUNTRIES, FORCE_KINDS, type Country, type ForceKind } from '../../shared/enums.ts';
import { oneOf } from './checks.ts';
import { at, ref } from './columns.ts';

export const forces = pgTable(
  'forces',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    country: text('country').$type<Country>().notNull(),
    kind: text('kind').$type<ForceKind>().notNull(),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [oneOf('forces_country_check', t.country, COUNTRIES), oneOf('forces_kind_check', t.kind, FORCE_KINDS)],
);

/** The force a record belongs to: every domain table carries one. */
export const forceRef = () => ref('force_id', () => forces.id);

/** One row per reported headcount; the one in force on a date is the latest with asOf <= that date. */
export const forceHeadcounts = pgTable(
  'force_headcounts',
  {
    forceId: forceRef(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    officers: integer('officers').notNull(),
    constables: integer('constables').notNull(),
    recordedAt: at('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.forceId, t.asOf] })],
);
