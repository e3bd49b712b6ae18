// npm run import -- [--dry-run] [--url URL] FILE: sends an NDJSON file of incidents to a running service.
import { parseArgs } from 'node:util';
import { importFile } from '../modules/imports/file.ts';

const USAGE = `Usage: OAR_API_KEY=<force_system key> npm run import -- [--dry-run] [--url URL] FILE
  FILE is NDJSON: one incident per line, as POST /v1/incidents takes it (blank lines are skipped).
  It is sent to POST /v1/imports in parts of 10,000 lines; every line not recorded is listed with its line number.
  --dry-run   check every line and record nothing
  --url       the service (default: OAR_URL, else http://127.0.0.1:$PORT or :3000)
The key is read from OAR_API_KEY, not from the command line, where other users of the machine could see it.
Exit status: 0 every line recorded or already there, 1 some lines invalid, 2 the service refused a part or could not be reached.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, url: { type: 'string' }, help: { type: 'boolean' } },
  });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
const { positionals, values } = parsed;
const key = process.env.OAR_API_KEY;
if (values.help || positionals.length !== 1) fail(USAGE);
if (!key) fail(`OAR_API_KEY is not set.\n${USAGE}`);

const totals = await importFile({
  file: positionals[0]!,
  url: values.url ?? process.env.OAR_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`,
  key,
  dryRun: values['dry-run'],
  write: (line) => process.stdout.write(`${line}\n`),
}).catch((err: unknown) => fail(`import: ${(err as Error).message}`));
process.exit(totals.failed ? 2 : totals.invalid > 0 ? 1 : 0);
