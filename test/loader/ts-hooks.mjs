// Module hooks that run .ts files for the test suite: esbuild transpiles each file once, and the output is
// cached on disk by content, so a test process only reads files it has seen before.
//
// Why not tap's own @tapjs/typescript: it loads ts-node and the TypeScript compiler into every test process
// and transpiles every imported file again each time, about 3 s of CPU per test file on our machines
// (docs/testing.md). Why not tsx (which `npm start` uses): it prints each file on one line, so the coverage
// report counts a whole file as one covered line. Here the output keeps one statement per line and carries an
// inline source map, so coverage maps back to the TypeScript lines as it did under ts-node.
// Type errors are `npm run typecheck`'s business, as they were under tap (ts-node ran transpile-only).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = process.env.OAR_TS_CACHE || join(root, 'node_modules', '.cache', 'oar-test-ts');
const TS = /\.(ts|mts)$/;

let esbuild;
let version;
/** The cache key covers esbuild's version and these options, so an upgrade or a change here invalidates it. */
const options = (sourcefile) => ({
  loader: 'ts',
  format: 'esm',
  target: `node${process.versions.node.split('.')[0]}`,
  sourcemap: 'inline',
  sourcesContent: false,
  sourcefile,
  // As tsconfig.json: imports are kept exactly as written (`import type` is the only thing erased).
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
});

function esbuildVersion() {
  if (version) return version;
  const pkg = createRequire(import.meta.url).resolve('esbuild/package.json');
  version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  return version;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url.split('?')[0])) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256')
    .update(`${esbuildVersion()}\0${JSON.stringify(options(file))}\0${source}`)
    .digest('hex');
  const cached = join(cacheDir, key.slice(0, 2), `${key}.js`);
  let code;
  try {
    code = readFileSync(cached, 'utf8');
  } catch {
    esbuild ??= await import('esbuild');
    code = (await esbuild.transform(source, options(file))).code;
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached);
  }
  return { format: 'module', source: code, shortCircuit: true };
}
