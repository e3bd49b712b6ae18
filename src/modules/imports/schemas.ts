// The API contract of bulk imports: an NDJSON body of incidents, read and checked line by line, and its report.
import { z } from 'zod';
import type { FieldError } from '../../errors.ts';
import { findUnstorable } from '../../plugins/problems.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { exampleOf, FieldErrorSchema, IdSchema, requestExample, responseExample } from '../../shared/http.ts';
import { IncidentCreateSchema, type IncidentCreate } from '../incidents/schemas.ts';

/** Incident lines per import (blank lines not counted): a larger file is sent in parts (npm run import splits it). */
export const IMPORT_MAX_LINES = 100_000;
/** The most bytes one import body may hold (16 MB), counted as the body streams in. */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;
/** The longest line: the most a single POST /v1/incidents body may hold. */
export const IMPORT_MAX_LINE_CHARS = 1_048_576;

export const ImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('true: check every line as a real import would, record nothing, and report what would happen.'),
});

export const ImportBodySchema = z
  .string()
  .describe(
    `NDJSON: one incident per line, each what POST /v1/incidents takes (IncidentCreate), read as it arrives; blank lines are skipped; at most ${IMPORT_MAX_LINES} lines of at most ${IMPORT_MAX_LINE_CHARS} characters each, and at most 16 MB in all.`,
  );

export const IMPORT_OUTCOMES = ['created', 'valid', 'exists', 'invalid'] as const;

export const ImportLineSchema = z.object({
  line: z.number().int().describe('The line of the body (1-based; blank lines count).'),
  outcome: z
    .enum(IMPORT_OUTCOMES)
    .describe(
      'created: recorded now. valid (dry run): would be recorded. exists: the force already has an incident with this reference; nothing changed. invalid: see errors; nothing recorded.',
    ),
  forceReference: z.string().nullable().describe("The line's forceReference, when it has a usable one."),
  incidentId: IdSchema.nullable().describe('The incident created, or the one that already has the reference.'),
  errors: z.array(FieldErrorSchema).describe('Why the line is invalid, with paths inside the line; empty otherwise.'),
});

export const ImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    lines: z.number().int().describe('Lines read (blank lines not counted).'),
    created: z.number().int(),
    valid: z.number().int().describe('Dry run only: lines that would be created.'),
    exists: z.number().int(),
    invalid: z.number().int(),
    results: z.array(ImportLineSchema).describe('One entry per line read, in order.'),
  })
  .meta({ id: 'ImportReport' });

/** Two incidents as an import takes them: POST /v1/incidents bodies, one per line. */
const lines = ['CRIME-2026-02-0416', 'CRIME-2026-02-0417'].map((forceReference) => ({ ...exampleOf(IncidentCreateSchema), forceReference }));
requestExample(ImportBodySchema, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
responseExample(ImportReportSchema, {
  dryRun: false,
  lines: 2,
  created: 2,
  valid: 0,
  exists: 0,
  invalid: 0,
  results: [
    { line: 1, outcome: 'created', forceReference: 'CRIME-2026-02-0416', incidentId: EXAMPLE_IDS.incident, errors: [] },
    { line: 2, outcome: 'created', forceReference: 'CRIME-2026-02-0417', incidentId: '01963a5e-4c33-7a85-8e55-7f9a1b3c5d64', errors: [] },
  ],
});

export type ImportLine = z.infer<typeof ImportLineSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;

/** A line as read at the edge: a checked incident, or why it is not one. */
export type ReadLine = { line: number; input: IncidentCreate } | { line: number; forceReference: string | null; errors: FieldError[] };

function referenceOf(value: unknown): string | null {
  const ref = value && typeof value === 'object' ? (value as { forceReference?: unknown }).forceReference : undefined;
  return typeof ref === 'string' && ref.length <= 64 && findUnstorable(ref, '') === null ? ref : null;
}

/** One non-blank line of an import, parsed and checked against IncidentCreate on its own. */
export function readImportLine(line: number, text: string): ReadLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, forceReference: null, errors: [{ path: '', message: 'is not valid JSON' }] };
  }
  // Text no column can hold (an escaped NUL, a lone surrogate) is refused here, as the edge does for bodies.
  const unstorable = findUnstorable(value, '');
  if (unstorable !== null) {
    return { line, forceReference: null, errors: [{ path: unstorable.replace(/^\./, ''), message: 'contains a NUL character or an unpaired surrogate' }] };
  }
  const parsed = IncidentCreateSchema.safeParse(value);
  if (parsed.success) return { line, input: parsed.data };
  return { line, forceReference: referenceOf(value), errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}
