// The process as a newcomer meets it: bad config, first-start admin key, logs without secrets, SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const root = new URL('../..', import.meta.url).pathname;

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.TEST_DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...base, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function listening(r: Running): Promise<string> {
  // Up to 120 s: under CI's two passes at once a start has taken over 30 s.
  for (let i = 0; i < 1200; i++) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(r.out());
    if (m) return m[1]!;
    if (r.child.exitCode !== null) throw new Error(`exited: ${r.err()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('did not start');
}

t.test('a bad variable stops start-up with one line naming it', async (t) => {
  const r = start({ PORT: 'abc' });
  t.equal(await r.exited, 1);
  const lines = r
    .err()
    .trim()
    .split('\n')
    .filter((l) => !/^npm warn/i.test(l));
  t.equal(lines.length, 1, r.err());
  t.match(lines[0], /PORT/);
  t.notMatch(r.err(), /\n\s+at /, 'no stack trace');
});

t.test('first start prints an admin key once; logs hold no secrets; SIGTERM exits cleanly', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oar-server-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));

  const first = start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const url = await listening(first);
  const key = /\n\s+(oar_[\w-]{43})\n/.exec(first.out())?.[1];
  t.ok(key, 'the first start prints an admin key');
  t.equal((await fetch(`${url}/health/ready`)).status, 200);
  t.equal((await fetch(`${url}/v1/forces`, { headers: { authorization: `Bearer ${key}` } })).status, 200);
  const secret = 'oar_this_secret_must_never_be_logged_0123456789';
  t.equal((await fetch(`${url}/v1/incidents`, { headers: { authorization: `Bearer ${secret}`, 'x-access-reason': 'a private reason' } })).status, 401);

  // A request in flight when SIGTERM arrives still gets its answer; then the process exits 0.
  const inflight = fetch(`${url}/v1/forces`, { headers: { authorization: `Bearer ${key}` } });
  await new Promise((res) => setTimeout(res, 5));
  first.child.kill('SIGTERM');
  t.equal((await inflight).status, 200, 'in-flight request finished');
  t.equal(await first.exited, 0, 'clean exit');
  const logs = first.out();
  t.match(logs, /"reqId":/, 'log lines carry request ids');
  // One line per request at info: on completion, with its status and time; the arrival is at debug only.
  const completed = logs.split('\n').filter((l) => l.includes('"msg":"request completed"'));
  t.ok(
    completed.some((l) => /"method":"GET","url":"\/v1\/incidents","statusCode":401,"responseTime":[\d.]+/.test(l)),
    'the refused request is one completed line with its status',
  );
  t.notMatch(logs, /incoming request/, 'no arrival line at info');
  t.notOk(logs.includes(secret), 'the Authorization header is not logged');
  t.notOk(logs.includes('a private reason'), 'the access reason is not logged');

  const second = start({ DATA_DIR: dataDir });
  const url2 = await listening(second);
  t.notMatch(second.out(), /First start/, 'no new key on the second start');
  t.equal((await fetch(`${url2}/v1/forces`, { headers: { authorization: `Bearer ${key}` } })).status, 200, 'the key still works');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});
