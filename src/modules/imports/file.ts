// The client side of npm run import: an NDJSON file of any length sent to POST /v1/imports in parts, reported by file line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { NDJSON } from '../../shared/ndjson.ts';
import type { ImportReport } from './schemas.ts';

/** Lines per request: well under the service's IMPORT_MAX_LINES, so each part's report stays a few megabytes. */
export const FILE_PART_LINES = 10_000;
/** Bytes per request: a part ends before it would pass this, well under the service's 16 MB body limit. */
export const FILE_PART_BYTES = 8 * 1024 * 1024;

export interface ImportFileOptions {
  file: string;
  /** The service, e.g. http://127.0.0.1:3000. */
  url: string;
  key: string;
  dryRun: boolean;
  /** Where the report goes, a line at a time. */
  write: (line: string) => void;
  /** Lines per request (default FILE_PART_LINES); the service takes at most IMPORT_MAX_LINES. */
  partLines?: number;
}

export interface ImportFileTotals {
  lines: number;
  created: number;
  valid: number;
  exists: number;
  invalid: number;
  /** Set when the service refused a part or could not be reached: the parts after it were not sent. */
  failed: string | null;
}

async function* parts(file: string, size: number): AsyncGenerator<{ fileLines: number[]; body: string }> {
  let fileLines: number[] = [];
  let texts: string[] = [];
  let n = 0;
  let bytes = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    n++;
    if (text.trim() === '') continue;
    const lineBytes = Buffer.byteLength(text) + 1;
    if (texts.length > 0 && bytes + lineBytes > FILE_PART_BYTES) {
      yield { fileLines, body: texts.join('\n') + '\n' };
      fileLines = [];
      texts = [];
      bytes = 0;
    }
    fileLines.push(n);
    texts.push(text);
    bytes += lineBytes;
    if (texts.length === size) {
      yield { fileLines, body: texts.join('\n') + '\n' };
      fileLines = [];
      texts = [];
      bytes = 0;
    }
  }
  if (texts.length > 0) yield { fileLines, body: texts.join('\n') + '\n' };
}

function describeFailure(status: number, body: string): string {
  try {
    const problem = JSON.parse(body) as { title?: string; detail?: string; errors?: { path: string; message: string }[] };
    const fields = (problem.errors ?? []).map((e) => `${e.path} ${e.message}`).join('; ');
    return `HTTP ${status} ${problem.title ?? ''}: ${problem.detail ?? ''}${fields ? ` (${fields})` : ''}`;
  } catch {
    return `HTTP ${status}`;
  }
}

/**
 * Sends the file part by part and writes one line per line that was not recorded (invalid, or already there),
 * numbered as in the file, then the totals. Stops at the first part the service refuses; the parts before it
 * stay recorded, and running the same file again records nothing twice.
 */
export async function importFile(opts: ImportFileOptions): Promise<ImportFileTotals> {
  const totals: ImportFileTotals = { lines: 0, created: 0, valid: 0, exists: 0, invalid: 0, failed: null };
  const endpoint = `${opts.url.replace(/\/+$/, '')}/v1/imports${opts.dryRun ? '?dryRun=true' : ''}`;
  for await (const part of parts(opts.file, opts.partLines ?? FILE_PART_LINES)) {
    let res: Response;
    try {
      res = await fetch(endpoint, { method: 'POST', headers: { authorization: `Bearer ${opts.key}`, 'content-type': NDJSON }, body: part.body });
    } catch (err) {
      totals.failed = `cannot reach ${opts.url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`;
      break;
    }
    const text = await res.text();
    if (res.status !== 200) {
      totals.failed = `lines ${part.fileLines[0]}-${part.fileLines.at(-1)}: ${describeFailure(res.status, text)}`;
      break;
    }
    const report = JSON.parse(text) as ImportReport;
    for (const r of report.results) {
      const at = `line ${part.fileLines[r.line - 1]}`;
      if (r.outcome === 'invalid')
        opts.write(
          `${at}: invalid${r.forceReference ? ` ${r.forceReference}` : ''}: ${r.errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join('; ')}`,
        );
      else if (r.outcome === 'exists') opts.write(`${at}: exists ${r.forceReference} (/v1/incidents/${r.incidentId}), left as it is`);
    }
    totals.lines += report.lines;
    totals.created += report.created;
    totals.valid += report.valid;
    totals.exists += report.exists;
    totals.invalid += report.invalid;
  }
  const done = opts.dryRun ? `${totals.valid} would be created` : `${totals.created} created`;
  opts.write(`${opts.dryRun ? 'Dry run: ' : ''}${totals.lines} lines read: ${done}, ${totals.exists} already there, ${totals.invalid} invalid`);
  if (totals.failed) opts.write(`Stopped: ${totals.failed}`);
  return totals;
}
