// Rows that come back as JSON (row_to_json, json_agg) mapped as drizzle maps a table's own rows:
// snake_case keys to the properties, each value through its column's decoder (timestamps to Dates).
import { getTableColumns, type Table } from 'drizzle-orm';

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
