// One page of a table, newest first: the rows that match, strictly older than the cursor by (time, id), and the
// cursor of the next page. The lists of principals, webhooks, follow-ups and the audit trail all page this way.
import { and, desc, getTableColumns, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { page } from '../shared/cursor.ts';
import { olderThanCursor } from '../shared/keyset.ts';
import type { Queryable } from './client.ts';

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

/** `at` names the row's time column (a timestamp); ties are broken by `id`. */
export async function newestFirst<T extends PgTable, K extends keyof T['$inferSelect'] & string>(
  q: Queryable,
  table: T,
  at: K,
  conditions: (SQL | undefined)[],
  query: PageQuery,
): Promise<{ items: T['$inferSelect'][]; nextCursor: string | null }> {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const atColumn = columns[at]!;
  const idColumn = columns.id!;
  const rows = (await q
    .select()
    .from(table as PgTable)
    .where(and(...conditions, olderThanCursor(atColumn, idColumn, query.cursor)))
    .orderBy(desc(atColumn), desc(idColumn))
    .limit(query.limit + 1)) as T['$inferSelect'][];
  return page(rows, query.limit, (r) => ({ at: (r[at] as Date).toISOString(), id: (r as { id: string }).id }));
}
