// CSV for lists (Accept: text/csv): RFC 4180 quoting, a header row, and spreadsheet-formula neutralising.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredType } from './http.ts';

export function wantsCsv(request: FastifyRequest): boolean {
  return preferredType(request, ['application/json', 'text/csv']) === 'text/csv';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = Array.isArray(value) ? value.join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheets: prefix it so it stays text.
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(rows: T[], columns: { header: string; value: (row: T) => unknown }[]): string {
  const lines = [columns.map((c) => c.header).join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function sendCsv(reply: FastifyReply, csv: string, nextCursor: string | null): void {
  if (nextCursor) reply.header('x-next-cursor', nextCursor);
  reply.type('text/csv; charset=utf-8').send(csv);
}
