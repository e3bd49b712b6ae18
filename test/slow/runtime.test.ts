// openRuntime over PGlite in a data folder: migrate, first admin once, and the pid lock that keeps a second process out.
// PGlite-specific on purpose: it runs the same with or without TEST_DATABASE_URL.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { claimDataDir, holderOf } from '../../src/db/pglite-lock.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { TestClock } from '../helper.ts';

const tempDir = (t: { teardown(fn: () => unknown): void }) => {
  const dir = mkdtempSync(join(tmpdir(), 'oar-runtime-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** A pid that is alive and is not this process: the test runner that spawned us. */
const livePid = () => process.ppid;
/** A pid no process can have (above the kernel's pid_max). */
const DEAD_PID = 2 ** 22 + 12345;

t.test('a fresh data folder: migrated, one first admin, locked while open', async (t) => {
  const dataDir = join(tempDir(t), 'data'); // not there yet: openRuntime makes it
  const config = loadConfig({ DATA_DIR: dataDir });
  const clock = new TestClock();
  const poolErrors: Error[] = [];
  let runtime: Runtime | null = await openRuntime(config, clock, (e) => poolErrors.push(e));
  t.teardown(() => runtime?.close());

  t.equal(runtime.database.kind, 'pglite');
  t.type(runtime.firstAdminKey, 'string', 'a first admin was created');
  t.match(runtime.firstAdminKey, /^oar_[A-Za-z0-9_-]{43,}$/);
  t.equal(readFileSync(join(dataDir, 'oar.pid'), 'utf8').trim(), String(process.pid), 'the folder is claimed by this process');

  const app = await buildApp({ database: runtime.database, clock });
  t.teardown(() => app.close());
  const firstKey = runtime.firstAdminKey!;
  const forces = await app.inject({ method: 'GET', url: '/v1/forces', headers: { authorization: `Bearer ${firstKey}` } });
  t.equal(forces.statusCode, 200, 'migrated and seeded; the first admin key works');
  t.equal(forces.json().items.length, 44);
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);

  t.test('another live process holding the folder keeps a second opener out', async (t) => {
    const pidFile = join(dataDir, 'oar.pid');
    const mine = readFileSync(pidFile, 'utf8');
    writeFileSync(pidFile, String(livePid()));
    t.teardown(() => writeFileSync(pidFile, mine));
    t.equal(holderOf(dataDir), livePid());
    t.throws(() => claimDataDir(dataDir), { message: /in use by process \d+/ });
    t.throws(() => claimDataDir(dataDir), { message: new RegExp(dataDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) }, 'names the folder');
    await t.rejects(
      openRuntime(config, clock, () => undefined),
      { message: /in use/ },
    );
    t.equal(readFileSync(pidFile, 'utf8'), String(livePid()), "a refused opener leaves the holder's pid file alone");
  });

  t.test('closing releases the folder; reopening creates no second admin', async (t) => {
    await runtime!.close();
    runtime = null;
    t.notOk(existsSync(join(dataDir, 'oar.pid')), 'pid file removed on close');
    await app.close();

    const again = await openRuntime(config, clock, () => undefined);
    t.teardown(() => again.close());
    t.equal(again.firstAdminKey, null, 'the first admin already exists: no key to print');
    const app2 = await buildApp({ database: again.database, clock });
    t.teardown(() => app2.close());
    const list = await app2.inject({ method: 'GET', url: '/v1/principals', headers: { authorization: `Bearer ${firstKey}` } });
    t.equal(list.statusCode, 200, 'data persisted in the folder');
    t.equal(list.json().items.length, 1, 'still exactly one admin');
  });

  t.same(poolErrors, []);
});

t.test('BOOTSTRAP_ADMIN_KEY: that exact key is the admin, nothing printed', async (t) => {
  const dataDir = tempDir(t);
  const chosen = 'operator-chosen-key-for-runtime-test-0123';
  const config = loadConfig({ DATA_DIR: dataDir, BOOTSTRAP_ADMIN_KEY: chosen });
  const clock = new TestClock();
  const runtime = await openRuntime(config, clock, () => undefined);
  t.teardown(() => runtime.close());
  t.equal(runtime.firstAdminKey, null);
  const app = await buildApp({ database: runtime.database, clock });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/v1/principals', headers: { authorization: `Bearer ${chosen}` } });
  t.equal(res.statusCode, 200, res.body);
  t.same(
    res.json().items.map((p: { name: string; roles: string[]; forceId: string | null }) => [p.name, p.roles, p.forceId]),
    [['bootstrap admin', ['admin'], null]],
  );
});

t.test('the pid lock', async (t) => {
  t.test('an empty folder is claimed, and released', async (t) => {
    const dir = tempDir(t);
    t.equal(holderOf(dir), null);
    const release = claimDataDir(dir);
    t.equal(readFileSync(join(dir, 'oar.pid'), 'utf8'), String(process.pid));
    t.equal(holderOf(dir), null, 'its own pid does not count as another holder');
    release();
    t.notOk(existsSync(join(dir, 'oar.pid')));
    release(); // twice is harmless
  });

  t.test('a live other process blocks the claim and its pid file is kept', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'oar.pid'), `${livePid()}\n`);
    t.throws(() => claimDataDir(dir), { message: new RegExp(`${dir}.*in use by process ${livePid()}`) });
    t.equal(readFileSync(join(dir, 'oar.pid'), 'utf8').trim(), String(livePid()));
  });

  t.test('a stale pid file (dead process) or garbage is taken over', async (t) => {
    for (const content of [String(DEAD_PID), 'not a pid', '', '-5', '0']) {
      const dir = tempDir(t);
      writeFileSync(join(dir, 'oar.pid'), content);
      t.equal(holderOf(dir), null, `"${content}" is no holder`);
      const release = claimDataDir(dir);
      t.equal(readFileSync(join(dir, 'oar.pid'), 'utf8'), String(process.pid));
      release();
    }
  });

  t.test('a live process of another user (kill answers EPERM) still holds the folder', async (t) => {
    // kill(pid, 0) fails with EPERM when the process exists but belongs to someone else: it is alive.
    const dir = tempDir(t);
    const other = livePid();
    writeFileSync(join(dir, 'oar.pid'), String(other));
    const realKill = process.kill.bind(process);
    t.intercept(process, 'kill', {
      value: (pid: number, signal?: string | number) => {
        if (pid === other && signal === 0) throw Object.assign(new Error('kill EPERM'), { code: 'EPERM', errno: -1, syscall: 'kill' });
        return realKill(pid, signal);
      },
    });
    t.throws(() => process.kill(other, 0), { code: 'EPERM' }, 'the stand-in for another user is in place');
    t.equal(holderOf(dir), other);
    t.throws(() => claimDataDir(dir), { message: /in use/ });
  });
});
