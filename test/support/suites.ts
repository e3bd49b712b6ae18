// The fast tier runs its test files in a few test processes, not one each (docs/testing.md, "Suites"): a test
// process pays 2-3 CPU seconds before its first test (tap, importing src/ and its packages, compiling PGlite's
// WebAssembly), and 81 files paid that 81 times. Each file in test/suites/ is named after a suite of this table and
// imports its test files one after another into one process; every test file still runs alone too
// (`npx tap test/plugins/auth.test.ts`).
import { readdirSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

const testDir = fileURLToPath(new URL('../', import.meta.url));

/**
 * Each suite's folders (ending in `/`) and files, relative to test/. A test file belongs to the suite with the longest
 * entry that starts its path; `rest`'s empty entry starts every path, so a test file in a new folder runs there rather
 * than nowhere. The suites are cut to take a similar time, and test/suites/ numbers them longest first (tap starts
 * them in name order, so the longest do not start last).
 */
export const suites: Record<string, readonly string[]> = {
  'stats-property': ['modules/stats/rollup-property.test.ts'],
  stats: ['modules/stats/'],
  fuzz: ['reliability/'],
  cases: ['modules/care/', 'modules/justice/', 'modules/trim/', 'modules/cases/', 'modules/audit/'],
  incidents: ['modules/incidents/'],
  plugins: ['plugins/'],
  imports: ['modules/imports/', 'modules/webhooks/'],
  'stats-series': ['modules/stats/series.test.ts', 'modules/stats/suppression.test.ts'],
  data: ['db/', 'shared/', 'http/', 'security/', 'web/'],
  rest: [''],
};

/** The fast tier's test files, relative to test/, in name order: everything but the slow tier and the suites. */
export function fastTestFiles(): string[] {
  return readdirSync(testDir, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split(sep).join('/'))
    .filter((path) => path.endsWith('.test.ts') && !path.startsWith('slow/') && !path.startsWith('suites/'))
    .sort();
}

/** The suite a test file (relative to test/) runs in. */
export function suiteOf(file: string): string {
  let best = { suite: 'rest', length: -1 };
  for (const [suite, entries] of Object.entries(suites)) {
    for (const entry of entries) {
      if (file.startsWith(entry) && entry.length > best.length) best = { suite, length: entry.length };
    }
  }
  return best.suite;
}

/** The suite a file of test/suites/ runs: its name without the number and `.test.ts`. */
const suiteName = (file: string) => file.replace(/^\d+-/, '').replace(/\.test\.ts$/, '');

/**
 * Every suite of the table has its file in test/suites/ (`<nn>-<suite>.test.ts`: two digits, so that tap's name
 * order is the numbers' order), no file there names another, and every entry still starts some test file's path.
 */
function checkTable(files: readonly string[]) {
  const named = readdirSync(join(testDir, 'suites'))
    .filter((f) => f.endsWith('.test.ts'))
    .map(suiteName);
  const missing = Object.keys(suites).filter((s) => !named.includes(s));
  const unknown = named.filter((s) => !(s in suites));
  if (missing.length || unknown.length) {
    throw new Error(`test/suites/ and test/support/suites.ts disagree: no file for ${missing.join(', ') || '-'}; no suite for ${unknown.join(', ') || '-'}`);
  }
  const stale = Object.values(suites)
    .flat()
    .filter((entry) => !files.some((file) => file.startsWith(entry)));
  if (stale.length) throw new Error(`test/support/suites.ts names what no test file is: ${stale.join(', ')}`);
}

/**
 * Runs a suite's test files one after another in this process, each as it would run alone: a subtest of tap's root
 * test imports the file (its top-level code queues its tests on the root), then its tests run, then what its
 * top-level code gave the root's `t.teardown` (its databases, above all: last registered first, as tap does), and only
 * then is the next file imported. The root always has the next step queued, so it is never idle between two files: tap
 * ends its root test once it is idle for two timer ticks after a top-level `t.teardown`, which would otherwise happen
 * while the next file's top-level code awaits its database, leaving the process to hang on it. `suiteFile` is the
 * calling suite file's `import.meta.url`: the suite is the one its name gives, so a file cannot run another's.
 */
export function runSuite(suiteFile: string): void {
  const suite = suiteName(basename(fileURLToPath(suiteFile)));
  const all = fastTestFiles();
  checkTable(all);
  // As any top-level t.teardown would: tap ends the root test when it is idle, i.e. after the last file, rather than
  // waiting for the process to have nothing left to do (a pool's idle timer, say).
  t.teardown(() => {});
  queueFile(all.filter((f) => suiteOf(f) === suite));
}

function queueFile([file, ...rest]: readonly string[]): void {
  if (!file) return;
  t.test(`${file}: its top-level code`, async (st) => {
    const teardowns: TeardownFn[] = [];
    try {
      await importCollectingTeardowns(file, teardowns);
      st.pass('imported');
    } finally {
      // Queued on the root behind the tests the file queued while it was imported; and if its top-level code threw
      // (this subtest fails), what it had opened is still closed and the suite's other files still run.
      if (teardowns.length) t.test(`${file}: its top-level teardowns`, () => runTeardowns(teardowns));
      queueFile(rest);
    }
  });
}

type TeardownFn = () => unknown;

async function importCollectingTeardowns(file: string, teardowns: TeardownFn[]): Promise<void> {
  const root = t as unknown as { teardown: (fn: TeardownFn) => void };
  const own = root.teardown;
  root.teardown = (fn) => void teardowns.push(fn);
  try {
    await import(pathToFileURL(join(testDir, file)).href);
  } finally {
    root.teardown = own;
  }
}

/** Every teardown runs, last registered first, even after one throws; the first error is thrown at the end. */
async function runTeardowns(teardowns: TeardownFn[]): Promise<void> {
  const errors: unknown[] = [];
  for (const fn of teardowns.reverse()) {
    try {
      await fn();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length) throw errors[0];
}
