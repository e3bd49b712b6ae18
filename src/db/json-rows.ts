// Rows that come back as JSON (row_to_json, json_agg) mapped as drizzle maps a table's own rows:
// snake_case keys to the properties, each value through its column's decoder (timestamps to Dates).
import { getTableColumns, is, SQL, sql, type Table } from 'drizzle-orm';

export function rowFromJson<T extends Table>(table: T): (json: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)).map(([property, column]) => [property, column.name, column] as const);
  return (json) => {
    const row: Record<string, unknown> = {};
    for (const [property, name, column] of columns) {
      const value = json[name];
      row[property] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}

/**
 * An INSERT of any number of rows from one JSON parameter: `insert into t (every column) select ... from
 * jsonb_populate_recordset(null::t, $n::jsonb) r`. Its text depends only on the table, so it can go as a named
 * statement (parsed and planned once per connection) however many rows a request has, and drizzle builds no
 * placeholder per value (a new incident's 14 care steps were 238 of them). A column a row leaves out takes its
 * default as with drizzle's insert: a value default is written into the JSON, an SQL one comes from coalesce.
 * Values go as JSON.stringify writes them (a Date as its ISO string; jsonb columns as nested JSON).
 */
export function jsonInsert<T extends Table>(table: T) {
  const columns = Object.entries(getTableColumns(table)).map(([property, column]) => {
    const sqlDefault = column.hasDefault && is(column.default, SQL) ? column.default : undefined;
    const valueDefault = column.hasDefault && !sqlDefault ? (column.default ?? null) : null;
    return { property, name: column.name, sqlDefault, valueDefault };
  });
  const names = sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  const selected = sql.join(
    columns.map((c) => (c.sqlDefault ? sql`coalesce(r.${sql.identifier(c.name)}, ${c.sqlDefault})` : sql`r.${sql.identifier(c.name)}`)),
    sql`, `,
  );
  return {
    /** The INSERT of the rows in `json` (a parameter made by `json`), to be followed by ON CONFLICT or RETURNING. */
    statement: (json: string): SQL => sql`insert into ${table} (${names}) select ${selected} from jsonb_populate_recordset(null::${table}, ${json}::jsonb) r`,
    /** The rows as the statement's parameter: keyed by column name, every column present. */
    json: (rows: Partial<T['$inferInsert']>[]): string =>
      JSON.stringify(
        rows.map((row) => {
          const out: Record<string, unknown> = {};
          for (const c of columns) {
            const value = (row as Record<string, unknown>)[c.property];
            out[c.name] = value === undefined ? c.valueDefault : value;
          }
          return out;
        }),
      ),
  };
}
