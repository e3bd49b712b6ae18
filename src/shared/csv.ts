// CSV for lists (Accept: text/csv): RFC 4180 quoting, a header row, and spreadsheet-formula neutralising.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredType } from './http.ts';

export function wantsCsv(request: FastifyRequest): boolean {
  return preferredType(request, ['application/json', 'text/csv']) === 'text/csv';
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = Array.isArray(value) ? value.join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell starting with = + - @ (or a tab or carriage return) is run as a formula by spreadsheets: prefix it so
  // it stays text. Only a cell that is wholly a plain number (-12, -0.5) is exempt: "-1+1+HYPERLINK(...)" is not.
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
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
