// A new PGlite data folder starts as a copy of a template: a data folder initialised (initdb) and migrated
// once per version of migrations/ and of PGlite, by a child process that then exits. So a new folder is
// ready in well under 2 s, and neither initdb nor the migrations run in the serving process, whose
// WebAssembly memory would otherwise keep their peak for good (WebAssembly memory never shrinks).
// The template's name carries a hash of every migration file, the journal and PGlite's version: a template
// of other migrations is never used (a new one is built), so it cannot be stale.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsFolder } from './migrate.ts';

/** The file PGlite (and Postgres) look for to tell an initialised data folder. */
const MARKER = 'PG_VERSION';

/** Hash of migrations/ (every .sql file and the journal) and of the PGlite package's version. */
export function templateKey(): string {
  const dir = migrationsFolder();
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.sql')) h.update(f).update(readFileSync(join(dir, f)));
  h.update(readFileSync(join(dir, 'meta', '_journal.json')));
  const pgliteDist = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  h.update(readFileSync(join(pgliteDist, '..', 'package.json')));
  return h.digest('hex').slice(0, 16);
}

/** Where templates live: node_modules/.cache of this package (git-ignored, rebuilt by npm ci), else the temp folder. */
export function templateCache(): string {
  const preferred = process.env.PGLITE_TEMPLATE_CACHE || join(dirname(migrationsFolder()), 'node_modules', '.cache', 'officer-assault-register');
  try {
    mkdirSync(preferred, { recursive: true });
    return preferred;
  } catch {
    return tmpdir();
  }
}

export const isInitialised = (dataDir: string): boolean => existsSync(join(dataDir, MARKER));

/** The child's entry point: the same file name as this one's sibling, .ts from src/ and .js from dist/. */
function builderPath(): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), `pglite-template-build${self.slice(self.lastIndexOf('.'))}`);
}

function runBuilder(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The child keeps this process's loader flags (tsx under src/), so it runs from src/ and dist/ alike, but
    // not those that would profile it, open an inspector port or apply only to an --eval string.
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|inspect|cpu-prof|heap-prof|prof)/.test(a));
    const child = fork(builderPath(), [target], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the PGlite template failed (exit ${code}): ${stderr}`))));
  });
}

/** The template folder for the current migrations, built (in a child process) when missing. */
export async function ensureTemplate(cache = templateCache()): Promise<string> {
  const path = join(cache, `pglite-${templateKey()}`);
  if (isInitialised(path)) return path;
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await runBuilder(tmp);
    try {
      renameSync(tmp, path);
    } catch (err) {
      // Another process built the same template meanwhile: theirs is as good as ours.
      if (!isInitialised(path)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return path;
}

/**
 * Fills a data folder that holds no database yet (other files, such as the pid file, may be there) with a copy
 * of the template. PG_VERSION is copied last: a copy cut short is not taken for a database on the next start.
 */
export function copyTemplate(template: string, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  for (const name of readdirSync(template)) {
    if (name !== MARKER) cpSync(join(template, name), join(dataDir, name), { recursive: true, force: true });
  }
  cpSync(join(template, MARKER), join(dataDir, MARKER));
}

/** Makes a new data folder a migrated database from the template; a folder already initialised is left alone. */
export async function seedFromTemplate(dataDir: string): Promise<boolean> {
  if (isInitialised(dataDir)) return false;
  copyTemplate(await ensureTemplate(), dataDir);
  return true;
}
