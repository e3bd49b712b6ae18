// The committed build of the web page (src/web/public/, served at /app) is what its sources (web/) build to now:
// built again into a temporary folder, every file byte for byte. After changing web/, run
// `npx vite build --config web/vite.config.ts` and commit src/web/public/ with the change (README, "The web page").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import t from 'tap';

const ROOT = new URL('../../', import.meta.url).pathname;
const COMMITTED = join(ROOT, 'src/web/public');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

t.test('src/web/public is the build of web/', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'oar-web-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', join(ROOT, 'web/vite.config.ts'), '--outDir', out, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  t.same(files(out), files(COMMITTED), 'the same files');
  for (const file of files(out)) {
    t.ok(readFileSync(join(out, file)).equals(readFileSync(join(COMMITTED, file))), `${file}: rebuild web/ and commit src/web/public/`);
  }
});
