// Opaque keyset cursors: the sort value and id of the last row of a page, base64url-encoded.
import { Errors } from '../errors.ts';

function isSaneInstant(value: string): boolean {
  const year = new Date(value).getUTCFullYear();
  return !Number.isNaN(year) && year >= 1900 && year < 2200;
}

export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify([pos.at, pos.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && isSaneInstant(v[0]) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[1])) {
      return { at: v[0], id: v[1] };
    }
  } catch {
    // fall through to the problem below
  }
  throw Errors.validation([{ path: 'query.cursor', message: 'is not a cursor this service issued' }], 'query string');
}

/** Splits limit+1 fetched rows into a page and the cursor of the next one. */
export function page<T>(rows: T[], limit: number, position: (row: T) => CursorPosition): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}
