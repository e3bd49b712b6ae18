// buildTestApp(t): one app and one fresh database per test file. PGlite in memory from a migrated
// snapshot by default; with TEST_DATABASE_URL (or DATABASE_URL) a new database on that server, dropped after.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type AppOptions } from '../src/app.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrate, migrationsFolder } from '../src/db/migrate.ts';
import { sealPending } from '../src/modules/audit/service.ts';
import { insertPrincipal } from '../src/modules/principals/service.ts';
import type { Clock } from '../src/shared/clock.ts';
import type { Role } from '../src/shared/principal.ts';
import { checkAnswers } from './support/contract.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const serverUrl = (): string | undefined => process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;

/** A clock tests can set and move. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-03-02T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string | Date): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

function migrationsHash(): string {
  const dir = migrationsFolder();
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.sql')) h.update(f).update(readFileSync(join(dir, f)));
  h.update(readFileSync(join(dir, 'meta', '_journal.json')));
  return h.digest('hex').slice(0, 16);
}

/** A migrated PGlite, from a snapshot cached per migrations version (initdb + migrate once per machine). */
async function openPglite(): Promise<Database> {
  // Uncompressed: loading it is a third of the time a gzipped one takes, and every test file loads it.
  const snapshot = join(tmpdir(), `oar-pglite-v2-${migrationsHash()}.tar`);
  if (existsSync(snapshot)) {
    const marker = await fastSnapshotLoad(snapshotEntries(snapshot));
    const opened = await openDatabase({ dataDir: 'memory://', loadDataDir: marker }).catch((error: unknown) => error);
    if (!snapshotUsed.has(marker)) throw new Error('test/helper.ts: PGlite.create was not called as fastSnapshotLoad expects (did openDatabase change?)');
    if (opened instanceof Error) throw opened;
    return opened as Database;
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  const client = (database.db as unknown as { $client: PGlite }).$client;
  // A checkpoint first: a snapshot taken after one opens without replaying the migrations' WAL.
  await client.exec('checkpoint');
  const dump = await client.dumpDataDir('none');
  const tmp = `${snapshot}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, snapshot);
  return database;
}

// The snapshot's files, read and untarred once per process: several test files share one (test/suites), and a Blob
// marker is held by Node until the process ends, so a WeakMap entry per database kept 40 MB each.
let snapshotRead: { path: string; entries: TarEntry[] } | undefined;
function snapshotEntries(path: string): TarEntry[] {
  if (snapshotRead?.path !== path) snapshotRead = { path, entries: untar(readFileSync(path)) };
  return snapshotRead.entries;
}

// Loading the snapshot through PGlite's loadDataDir untars 40 MB in JavaScript, byte by byte: 1.3-2 s of
// every test file's start. The snapshot's files are written straight into PGlite's in-memory file system
// instead (under 0.1 s); PGlite then finds a data folder and starts on it. openDatabase (src/db/client.ts)
// calls PGlite.create with a Blob as loadDataDir: for exactly that Blob (an empty marker: copying the 40 MB into a
// real one took 0.2 s of each file's start), the call gets a file system already holding the files. If the call
// ever changes shape, openPglite says so.
const snapshotFiles = new WeakMap<Blob, TarEntry[]>();
const snapshotUsed = new WeakSet<Blob>();
let createPatched = false;

async function fastSnapshotLoad(entries: TarEntry[]): Promise<Blob> {
  const marker = new Blob([]);
  snapshotFiles.set(marker, entries);
  if (createPatched) return marker;
  createPatched = true;
  const { PGlite: Pglite, MemoryFS } = await import('@electric-sql/pglite');
  class SnapshotFS extends MemoryFS {
    constructor(private readonly entries: TarEntry[]) {
      super();
    }
    override async initialSyncFs(): Promise<void> {
      const fs = (this.pg as unknown as { Module: { FS: EmscriptenFS } }).Module.FS;
      for (const entry of this.entries) {
        const path = `${PGDATA}/${entry.name}`.replace(/\/+$/, '');
        if (entry.dir) {
          fs.mkdirTree(path);
        } else {
          fs.mkdirTree(path.slice(0, path.lastIndexOf('/')));
          // A copy each: two databases opened from one snapshot must not write into the same bytes.
          fs.writeFile(path, new Uint8Array(entry.data), { canOwn: true });
        }
      }
    }
  }
  const create = Pglite.create.bind(Pglite) as (...args: unknown[]) => Promise<unknown>;
  (Pglite as unknown as { create: (...args: unknown[]) => Promise<unknown> }).create = async (...args: unknown[]) => {
    const [first, second] = args as [unknown, { loadDataDir?: Blob } | undefined];
    const entries = second?.loadDataDir ? snapshotFiles.get(second.loadDataDir) : undefined;
    if (first !== 'memory://' || !entries) return create(...args);
    const { loadDataDir: marker, ...rest } = second!;
    snapshotUsed.add(marker!);
    return create({ ...rest, fs: new SnapshotFS(entries), pgliteWasmModule: await pgliteWasm() });
  };
  return marker;
}

// PGlite compiles its 9 MB WebAssembly module on every create: once per process is enough (files that build
// several apps open several databases).
// (The project's lib setting, ES2023, has no WebAssembly types: the module is passed through as is.)
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } };
let wasmModule: Promise<object> | undefined;
function pgliteWasm(): Promise<object> {
  wasmModule ??= wasm.compile(readFileSync(new URL('./pglite.wasm', import.meta.resolve('@electric-sql/pglite'))));
  return wasmModule;
}

/** PGlite's data folder inside its own file system. */
const PGDATA = '/pglite/data';

interface EmscriptenFS {
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void;
}

interface TarEntry {
  name: string;
  dir: boolean;
  data: Buffer;
}

/** The ustar archives PGlite's dumpDataDir writes: 512-byte headers, names with an optional prefix. */
function untar(buf: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const field = (at: number, len: number) => {
    const raw = buf.subarray(at, at + len);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? len : end).toString('utf8');
  };
  for (let at = 0; at + 512 <= buf.length;) {
    if (buf[at] === 0) break; // the two zero blocks at the end
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(buf[at + 156] ?? 48);
    const prefix = field(at + 257, 6).startsWith('ustar') ? field(at + 345, 155) : '';
    const name = (prefix ? `${prefix}/` : '') + field(at, 100);
    if (type !== '0' && type !== '\0' && type !== '5') throw new Error(`snapshot: unexpected tar entry type ${type} for ${name}`);
    entries.push({ name: name.replace(/^\/+/, ''), dir: type === '5', data: buf.subarray(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** A database created from a migrated template (made once per migrations version on that server). */
async function openPostgres(t: Teardown, url: string): Promise<Database> {
  const template = await postgresTemplate(url);
  const name = `oar_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Copying a migrated database is one file copy; migrating a new one is ~30 files of SQL.
    await admin.query(`create database ${name} template ${template} strategy file_copy`);
    // A test database needs no durability: commits need not wait for the WAL to reach the disk.
    await admin.query(`alter database ${name} set synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: target.toString(), dataDir: 'unused', poolSize: 10 });
  // Applies nothing (the template has every migration) but checks exactly that, as the service does at start.
  await migrate(database);
  t.teardown(async () => {
    const dropper = new pg.Client({ connectionString: url });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  return database;
}

/**
 * The name of a migrated template database for the current migrations, created if missing. Test files
 * starting together take turns on an advisory lock, so it is made once; nobody ever connects to it
 * afterwards (CREATE DATABASE ... TEMPLATE needs it idle).
 */
async function postgresTemplate(url: string): Promise<string> {
  const template = `oar_template_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = async () => (await admin.query('select 1 from pg_database where datname = $1', [template])).rowCount === 1;
    if (await exists()) return template;
    await admin.query('select pg_advisory_lock(7240221)');
    try {
      if (await exists()) return template;
      const building = `${template}_building_${process.pid}`;
      await admin.query(`create database ${building}`);
      const target = new URL(url);
      target.pathname = `/${building}`;
      const database = await openDatabase({ databaseUrl: target.toString(), dataDir: 'unused', poolSize: 2 });
      try {
        await migrate(database);
      } finally {
        await database.close();
      }
      // Renamed only once complete: a template that exists is always fully migrated.
      await admin.query(`alter database ${building} rename to ${template}`);
      return template;
    } finally {
      await admin.query('select pg_advisory_unlock(7240221)');
    }
  } finally {
    await admin.end();
  }
}

/** A migrated database of its own with nothing in it (no app, no principal), closed (on a server, dropped) at teardown. */
export async function openTestDatabase(t: Teardown): Promise<Database> {
  const url = serverUrl();
  const database = url ? await openPostgres(t, url) : await openPglite();
  t.teardown(() => database.close());
  return database;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: TestClock;
  adminKey: string;
  /** Creates a principal straight in the database and returns its key. */
  key(roles: Role[], forceId: string | null, name?: string): Promise<string>;
  /** app.inject with a Bearer key. */
  call(key: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Chains every committed audit event now (the sealer does it every second in the service). */
  seal(): Promise<number>;
}

export async function buildTestApp(t: Teardown, opts: { clock?: TestClock } & Omit<AppOptions, 'database' | 'clock' | 'logger'> = {}): Promise<TestApp> {
  const url = serverUrl();
  const database = url ? await openPostgres(t, url) : await openPglite();
  const clock = opts.clock ?? new TestClock();
  const { clock: _c, ...appOptions } = opts;
  const app = await buildApp({ database, clock, checkAnswers: true, ...appOptions });
  checkAnswers(t, app);
  await app.ready();
  // Whatever order teardowns run in, the drop uses WITH (FORCE), so an open pool cannot block it.
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  const key = async (roles: Role[], forceId: string | null, name = `test ${roles.join('+')}`) =>
    (await insertPrincipal(database.db, clock.now(), { name, roles, forceId }, null)).key;
  const adminKey = await key(['admin'], null, 'test admin');
  return {
    app,
    database,
    clock,
    adminKey,
    key,
    call: (k, o) => app.inject({ ...o, headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), ...(o.headers ?? {}) } }),
    seal: () => sealPending(database.db),
  };
}
