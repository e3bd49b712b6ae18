// Keyset paging, newest first: the rows strictly older than a cursor, by (time, id).
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor } from './cursor.ts';

export function olderThanCursor(atColumn: PgColumn, idColumn: PgColumn, cursor: string | undefined): SQL | undefined {
  const after = decodeCursor(cursor);
  if (!after) return undefined;
  const at = new Date(after.at);
  return or(lt(atColumn, at), and(eq(atColumn, at), lt(idColumn, after.id)));
}
