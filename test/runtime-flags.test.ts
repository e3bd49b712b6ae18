// The service's Node flags (docs/performance.md, "On the supported runtimes"): npm start, npm run
// start:prod and the Docker image start it with the same ones, and this Node accepts them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t from 'tap';

const root = new URL('../', import.meta.url);
const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;
const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(new URL('Dockerfile', root), 'utf8'))![1]!;
const flagsOf = (args: string[]) => args.filter((a) => a.startsWith('--') && a !== '--import');

const startFlags = flagsOf(scripts.start!.split(' '));
const prodFlags = flagsOf(scripts['start:prod']!.split(' '));
const dockerArgs = JSON.parse(cmd) as string[];

t.test('every way of starting the service passes the same Node flags', async (t) => {
  t.same(
    startFlags,
    ['--liftoff-only', '--max-semi-space-size=16', '--heap-growing-percent=50'],
    'npm start: baseline WebAssembly code, a 16 MB young generation, the old one grown by half its live data at most',
  );
  t.same(prodFlags, startFlags, 'npm run start:prod');
  t.same(flagsOf(dockerArgs), startFlags, 'the Dockerfile');
  t.equal(dockerArgs.at(-1), 'dist/src/server.js');
  t.match(scripts.start!, / --import tsx src\/server\.ts$/);
  t.match(scripts['start:prod']!, / dist\/src\/server\.js$/);
});

t.test('this Node accepts the flags', async (t) => {
  // A flag Node or V8 does not know stops the process with "bad option" (exit 9), which execFileSync throws.
  const out = execFileSync(process.execPath, [...startFlags, '-p', 'JSON.stringify(process.execArgv)'], { encoding: 'utf8' });
  t.same((JSON.parse(out) as string[]).slice(0, startFlags.length), startFlags);
  t.throws(() => execFileSync(process.execPath, ['--liftoff-only-not-a-flag', '-e', '0'], { stdio: 'ignore' }), 'an unknown one fails');
});
