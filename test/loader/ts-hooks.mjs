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

const require = createRequire(import.meta.url);

function esbuildVersion() {
  version ??= JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  return version;
}

/** The JavaScript of a .ts file: from the cache, else transpiled (esbuild's synchronous API) and cached. */
function transpiled(url) {
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256')
    .update(`${esbuildVersion()}\0${JSON.stringify(options(file))}\0${source}`)
    .digest('hex');
  const cached = join(cacheDir, key.slice(0, 2), `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const code = require('esbuild').transformSync(source, options(file)).code;
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached);
    return code;
  }
}

const isTs = (url) => url.startsWith('file:') && TS.test(url.split('?')[0]);

/** For module.registerHooks (in the loading thread): see register.mjs. */
export function loadSync(url, context, nextLoad) {
  return isTs(url) ? { format: 'module', source: transpiled(url), shortCircuit: true } : nextLoad(url, context);
}

/** For module.register (a hooks thread). */
export async function load(url, context, nextLoad) {
  return isTs(url) ? { format: 'module', source: transpiled(url), shortCircuit: true } : nextLoad(url, context);
}
