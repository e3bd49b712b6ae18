// Keyset paging, newest first: the rows strictly older than a cursor, by (time, id).
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { decodeCursor, type CursorPosition } from './cursor.ts';

/** The rows strictly older than a position; no condition without one. */
export function olderThan(atColumn: PgColumn, idColumn: PgColumn, after: CursorPosition | undefined): SQL | undefined {
  if (!after) return undefined;
  const at = new Date(after.at);
  return or(lt(atColumn, at), and(eq(atColumn, at), lt(idColumn, after.id)));
}

export function olderThanCursor(atColumn: PgColumn, idColumn: PgColumn, cursor: string | undefined): SQL | undefined {
  return olderThan(atColumn, idColumn, decodeCursor(cursor));
}
