// Opaque keyset cursors: the sort value and id of the last row of a page, base64url-encoded.
import { Errors } from '../errors.ts';
import { isUuid } from './ids.ts';

// The only shape a cursor's instant may have: RFC 3339 with an offset, as toISOString() writes it. JavaScript's
// Date parser is lenient (it rolls 2024-02-30 over to 1 March and skips "(comments)"), so it alone cannot judge.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2}):(\d{2}))$/;

/** A real calendar instant the database stores safely (years 1900-2199), written as RFC 3339. */
function isSaneInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
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
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && isSaneInstant(v[0]) && isUuid(v[1])) {
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
