// The README's walk, run as written: every `sh` block marked <!-- walk --> in README.md, in order, in one `sh`
// (set -e), against a fresh service process (tsx src/server.ts) on a new PGlite folder, or on a new PostgreSQL
// database when TEST_DATABASE_URL is set. curl runs with --fail-with-body, so a 4xx or 5xx answer stops the walk.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { serverUrl } from '../helper.ts';

const root = new URL('../..', import.meta.url).pathname;
/** The address the README uses; the test's service listens elsewhere (a free port), and the walk is pointed there. */
const README_URL = 'http://127.0.0.1:3000';
const WALK = '<!-- walk -->';
const NOT_WALKED = '<!-- not walked';

t.setTimeout(300_000);

interface Block {
  line: number;
  text: string;
}

/**
 * The walk's blocks, in order. Every `sh` block of the walk's section (from "## Walk through it with curl" to the
 * next "## " heading) must be marked: <!-- walk --> (run here) or <!-- not walked: why --> (so none is skipped by
 * accident).
 */
function walkBlocks(readme: string): Block[] {
  const lines = readme.split('\n');
  const start = lines.indexOf('## Walk through it with curl');
  if (start < 0) throw new Error('README.md has no "## Walk through it with curl" section');
  const after = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const end = after < 0 ? lines.length : after;
  const blocks: Block[] = [];
  for (let i = start; i < end; i++) {
    if (!lines[i]!.startsWith('```sh')) continue;
    let before = i - 1;
    while (before > start && lines[before]!.trim() === '') before--;
    const marker = lines[before]!.trim();
    const close = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (marker === WALK) blocks.push({ line: i + 1, text: lines.slice(i + 1, close).join('\n') });
    else if (!marker.startsWith(NOT_WALKED)) throw new Error(`README.md line ${i + 1}: a sh block of the walk without ${WALK} or ${NOT_WALKED}: why -->`);
    i = close;
  }
  return blocks;
}

const blocks = walkBlocks(readFileSync(join(root, 'README.md'), 'utf8'));

// ---------------------------------------------------------------------------------------------------------
// The service, as a newcomer starts it (WEBHOOK_ALLOW_HOSTS=127.0.0.1 npm start), on a database of its own.

const work = mkdtempSync(join(tmpdir(), 'oar-readme-walk-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const env: Record<string, string | undefined> = { ...process.env };
delete env.DATABASE_URL;
delete env.TEST_DATABASE_URL;
delete env.DATA_DIR;
delete env.BOOTSTRAP_ADMIN_KEY;
Object.assign(env, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });

const pgServer = serverUrl();
if (pgServer) {
  const name = `oar_walk_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgServer });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  t.teardown(async () => {
    const dropper = new pg.Client({ connectionString: pgServer });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  const url = new URL(pgServer);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
  env.DATA_DIR = join(work, 'data');
  mkdirSync(env.DATA_DIR);
}

const service = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
let serviceOut = '';
let serviceErr = '';
service.stdout!.on('data', (d) => (serviceOut += d));
service.stderr!.on('data', (d) => (serviceErr += d));
const serviceExited = new Promise<void>((resolve) => service.on('exit', () => resolve()));
t.teardown(async () => {
  if (service.exitCode === null && service.signalCode === null) service.kill('SIGTERM');
  await serviceExited;
});

async function listening(): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(serviceOut);
    if (m) return m[1]!;
    if (service.exitCode !== null) throw new Error(`the service exited at start-up: ${serviceErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the service did not start within 120 s: ${serviceErr}`);
}
const base = await listening();
const adminKey = /\n\s+(oar_[\w-]{43})\n/.exec(serviceOut)?.[1];
if (!adminKey) throw new Error('the first start printed no admin key');

// ---------------------------------------------------------------------------------------------------------
// The walk in one shell. curl is the machine's own, with --fail-with-body added: an error answer fails the step
// (and its problem still shows in the output).

const realCurl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();
if (!realCurl) throw new Error('curl is not installed: the README walk uses it');
const bin = join(work, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'curl'), `#!/bin/sh\nexec ${realCurl} --fail-with-body "$@"\n`);
chmodSync(join(bin, 'curl'), 0o755);

const MARK = '::: walk block';
const script = [
  'set -ex',
  ...blocks.map((b, i) => `echo '${MARK} ${i} (README.md line ${b.line})'\n${b.text.replaceAll(README_URL, base)}`),
  `echo '${MARK} end'`,
].join('\n');
writeFileSync(join(work, 'walk.sh'), script);

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function runWalk(): Promise<Run> {
  return new Promise((resolve) => {
    // Its own process group, so whatever the walk left running (a receiver) is ended with it.
    const child: ChildProcess = spawn('sh', [join(work, 'walk.sh')], {
      cwd: root,
      detached: true,
      env: { ...process.env, ADMIN: adminKey!, OAR_URL: base, PATH: `${bin}:${process.env.PATH}`, TMPDIR: work },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // nothing left of the group
      }
      resolve({ code, out, err });
    });
  });
}

// (Tests are registered only now: tap ends the file once its registered tests are done, and the service had to start first.)
t.test('the walk is complete as written: no placeholder to fill in', async (t) => {
  t.ok(blocks.length >= 10, `${blocks.length} walk blocks`);
  for (const b of blocks) {
    // Comments may show an answer with "..." in it; commands may not hold anything to fill in.
    const commands = b.text.replace(/^\s*#.*$|\s#\s.*$/gm, '');
    t.notMatch(commands, /<[a-z][a-z ]*>/i, `README.md line ${b.line}: no <placeholder>`);
    t.notMatch(commands, /\.\.\./, `README.md line ${b.line}: no "..." to fill in`);
  }
});

t.test('the README walk runs top to bottom against a fresh service', async (t) => {
  const run = await runWalk();
  const tail = (s: string) => s.split('\n').slice(-40).join('\n');
  t.equal(run.code, 0, 'every step succeeded', { stdout: tail(run.out), stderr: tail(run.err), service: tail(serviceErr) });
  t.match(run.out, `${MARK} end`, 'the walk reached its end');

  // What each block printed, by the block's source.
  const printed = (needle: string): string => {
    const i = blocks.findIndex((b) => b.text.includes(needle));
    if (i < 0) throw new Error(`no walk block contains ${needle}`);
    const from = run.out.indexOf(`${MARK} ${i} `);
    const to = run.out.indexOf(`${MARK} ${i + 1} `) >= 0 ? run.out.indexOf(`${MARK} ${i + 1} `) : run.out.indexOf(`${MARK} end`);
    return from < 0 ? '' : run.out.slice(from, to < 0 ? undefined : to);
  };
  t.match(printed('/v1/forces'), /^019b76da-a824-778f-affe-f220eaae29b3$/m, 'the force id is West Midlands');
  t.match(printed('curl -s -i -X POST'), /^HTTP\/1\.1 201 /m, 'the incident is recorded');
  const cases = printed('cases?status=convicted');
  t.match(cases, /"incidentReference":"WM\/\d+"/, "the federation rep sees the walk's case");
  t.match(cases, /"status":"convicted"/, 'as convicted');
  t.match(cases, /"federationConsent":true,"role":"constable"/, 'the consenting officer is named');
  t.match(cases, /"incidents":[1-9]/, "the statistics count the walk's incident");
  t.match(printed('$HOOKS_LOG'), /"type":"victim\.created"/, 'the local receiver got the victim.created event');
  t.match(printed('npm run import'), /^Dry run: 3 lines read: 3 would be created, 0 already there, 0 invalid$/m, 'the sample file is checked');
  t.match(printed('npm run import'), /^3 lines read: 3 created, 0 already there, 0 invalid$/m, 'then imported');
  t.match(printed('--data-binary @examples/incidents.ndjson'), /"exists":3/, 'and then reported as already there');
});
