// Bulk import: each line of an NDJSON file recorded as POST /v1/incidents would, on its own, with a per-line report.
import { inScope, type ScopeDeps } from '../../db/scope.ts';
import { AppError, Errors, type FieldError } from '../../errors.ts';
import type { Actor } from '../../shared/principal.ts';
import type { IncidentCreate } from '../incidents/schemas.ts';
import { createIncident, incidentForce, incidentIdByReference } from '../incidents/service.ts';
import type { NdjsonLine } from '../../shared/ndjson.ts';
import { IMPORT_MAX_LINES, readImportLine, type ImportLine, type ImportReport } from './schemas.ts';

/** Thrown to roll a dry run's line back, carrying what the line would have done. */
class DryRun extends Error {
  constructor(readonly result: ImportLine) {
    super('dry run');
  }
}

const report = (
  line: number,
  outcome: ImportLine['outcome'],
  forceReference: string | null,
  incidentId: string | null = null,
  errors: FieldError[] = [],
): ImportLine => ({
  line,
  outcome,
  forceReference,
  incidentId,
  errors,
});
const invalid = (line: number, forceReference: string | null, errors: FieldError[]) => report(line, 'invalid', forceReference, null, errors);

/**
 * One line, in its own transaction so a failure undoes only that line. A reference the force already has
 * is reported, never changed (amend with PATCH); a reference repeated within the file is invalid on the later line.
 */
async function importLine(deps: ScopeDeps, actor: Actor, line: number, input: IncidentCreate, seen: Map<string, number>, dryRun: boolean): Promise<ImportLine> {
  const ref = input.forceReference;
  let forceId: string;
  try {
    forceId = incidentForce(actor, input.forceId);
  } catch (err) {
    if (err instanceof AppError) return invalid(line, ref, [{ path: 'forceId', message: err.detail }]);
    throw err;
  }
  const key = `${forceId} ${ref}`;
  const first = seen.get(key);
  if (first !== undefined) return invalid(line, ref, [{ path: 'forceReference', message: `repeats line ${first}` }]);
  seen.set(key, line);
  try {
    const incident = await inScope('write', deps, actor, async (scope) => {
      const created = await createIncident(scope, input);
      // A dry run does all the work, then rolls it back.
      if (dryRun) throw new DryRun(report(line, 'valid', ref));
      return created;
    });
    return report(line, 'created', ref, incident.id);
  } catch (err) {
    if (err instanceof DryRun) return err.result;
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    // The force has the reference already (from an earlier import, say): the line's transaction did nothing.
    if (err.slug === 'duplicate-force-reference') {
      const id = await inScope('read', deps, actor, (scope) => incidentIdByReference(scope.tx, forceId, ref));
      if (id) return report(line, 'exists', ref, id);
    }
    // A rule without field detail is reported on the whole line.
    return invalid(line, ref, err.errors ?? [{ path: '', message: err.detail }]);
  }
}

/**
 * Reads the lines as they arrive and records each valid one in its own transaction (victims, suspects, care
 * plans, audit events and all), reporting on every line. A dry run does the same work and rolls each line back,
 * so it finds what a real run would. Lines are independent: an invalid line does not stop the others, and
 * sending the same file again records nothing twice (its lines report exists). Should the database fail, or the
 * body pass IMPORT_MAX_LINES, part-way, the lines before stay recorded and the request fails.
 */
export async function runImport(deps: ScopeDeps, actor: Actor, lines: AsyncIterable<NdjsonLine>, dryRun: boolean): Promise<ImportReport> {
  const results: ImportLine[] = [];
  const counts = { created: 0, valid: 0, exists: 0, invalid: 0 };
  const seen = new Map<string, number>();
  for await (const { line, text } of lines) {
    if (text.trim() === '') continue;
    if (results.length === IMPORT_MAX_LINES) throw Errors.importTooLarge(IMPORT_MAX_LINES, counts.created);
    const read = readImportLine(line, text);
    const result = 'input' in read ? await importLine(deps, actor, line, read.input, seen, dryRun) : invalid(line, read.forceReference, read.errors);
    counts[result.outcome]++;
    results.push(result);
  }
  if (results.length === 0) throw Errors.validation([{ path: 'body', message: 'holds no incident lines' }], 'body');
  return { dryRun, lines: results.length, ...counts, results };
}
