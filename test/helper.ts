// buildTestApp(t): one app and one fresh database per test file. PGlite in memory from a migrated
// snapshot by default; with TEST_DATABASE_URL (or DATABASE_URL) a new database on that server, dropped after.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type AppOptions } from '../src/app.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrate, migrationsFolder } from '../src/db/migrate.ts';
import { sealPending } from '../src/modules/audit/service.ts';
import { insertPrincipal } from '../src/modules/principals/service.ts';
import type { Clock } from '../src/shared/clock.ts';
import type { Role } from '../src/shared/principal.ts';

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
  const snapshot = join(tmpdir(), `oar-pglite-${migrationsHash()}.tar`);
  if (existsSync(snapshot)) {
    return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(snapshot)]) });
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  const client = (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  const tmp = `${snapshot}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, snapshot);
  return database;
}

/** A new database on the Postgres server for this test file; dropped at teardown. */
async function openPostgres(t: Teardown, url: string): Promise<Database> {
  const name = `oar_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  // A test database needs no durability: commits need not wait for the WAL to reach the disk.
  await admin.query(`alter database ${name} set synchronous_commit = off`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: target.toString(), dataDir: 'unused', poolSize: 10 });
  await migrate(database);
  t.teardown(async () => {
    const dropper = new pg.Client({ connectionString: url });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
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

export async function buildTestApp(
  t: Teardown,
  opts: { clock?: TestClock } & Omit<AppOptions, 'database' | 'clock' | 'logger'> = {},
): Promise<TestApp> {
  const url = serverUrl();
  const database = url ? await openPostgres(t, url) : await openPglite();
  const clock = opts.clock ?? new TestClock();
  const { clock: _c, ...appOptions } = opts;
  const app = await buildApp({ database, clock, ...appOptions });
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
