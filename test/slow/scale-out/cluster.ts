// A throw-away primary, a streaming replica of it and a PgBouncer in front of the primary, from Debian's
// packages (PostgreSQL under /usr/lib/postgresql/<n>/bin, /usr/sbin/pgbouncer). PostgreSQL and PgBouncer
// refuse to run as root: as root, every server process runs as the postgres OS user.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

export const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
export const PG_BIN = ['15', ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : [])]
  .map((v) => `/usr/lib/postgresql/${v}/bin`)
  .find((dir) => ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((b) => existsSync(join(dir, b))));

/** Why this machine cannot run the cluster, or null when it can. */
export function missing(): string | null {
  if (!PG_BIN) return 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)';
  if (!PGBOUNCER) return 'no pgbouncer binary (apt-get install pgbouncer)';
  if (asRoot && !existsSync('/usr/sbin/runuser')) return 'running as root without runuser to drop to the postgres user';
  return null;
}

/** Runs a server binary, as the postgres OS user when this process is root. */
function asPostgres(cmd: string, args: string[]) {
  return asRoot ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  primary: number;
  replica: number;
  bouncer: number;
  pgVersion: string;
  bouncerVersion: string;
  url(port: number, db: string): string;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const SERVER_CONF = [
  "listen_addresses = '127.0.0.1'",
  "unix_socket_directories = ''",
  'wal_level = replica',
  'max_wal_senders = 4',
  'hot_standby = on',
  'max_connections = 60',
  'shared_buffers = 32MB',
  'fsync = off',
];

/** Starts the three; t.teardown stops them and deletes their folders, whatever happened. */
export async function startCluster(t: Teardown): Promise<Cluster> {
  const bin = (name: string) => join(PG_BIN!, name);
  const root = mkdtempSync(join(tmpdir(), 'oar-scale-out-'));
  const [primary, replica, bouncer] = [await freePort(), await freePort(), await freePort()];
  const dirs = { primary: join(root, 'primary'), replica: join(root, 'replica') };
  const pidfile = join(root, 'pgbouncer.pid');
  t.teardown(async () => {
    if (existsSync(pidfile)) {
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8').trim()), 'SIGINT');
      } catch {
        // already gone
      }
    }
    for (const dir of [dirs.replica, dirs.primary])
      if (existsSync(join(dir, 'postmaster.pid'))) await asPostgres(bin('pg_ctl'), ['-D', dir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });
  if (asRoot) await run('chown', ['postgres:postgres', root]);

  await asPostgres(bin('initdb'), ['-D', dirs.primary, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  appendFileSync(join(dirs.primary, 'postgresql.conf'), [...SERVER_CONF, `port = ${primary}`, ''].join('\n'));
  // The replication user's own line, first: streaming replication from 127.0.0.1 only.
  const hba = join(dirs.primary, 'pg_hba.conf');
  writeFileSync(hba, `host replication replicator 127.0.0.1/32 trust\n${readFileSync(hba, 'utf8')}`);
  await asPostgres(bin('pg_ctl'), ['-D', dirs.primary, '-l', join(root, 'primary.log'), '-w', '-t', '30', 'start']);
  const admin = `postgres://postgres@127.0.0.1:${primary}/postgres`;
  await query(admin, 'create role replicator with replication login');
  await query(admin, 'create database oar');

  await asPostgres(bin('pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary),
    '-U',
    'replicator',
    '-D',
    dirs.replica,
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  appendFileSync(join(dirs.replica, 'postgresql.conf'), `port = ${replica}\n`);
  await asPostgres(bin('pg_ctl'), ['-D', dirs.replica, '-l', join(root, 'replica.log'), '-w', '-t', '30', 'start']);
  await waitFor('the replica to stream', async () => (await query(admin, "select 1 from pg_stat_replication where state = 'streaming'")).length === 1);

  const oar = `host=127.0.0.1 port=${primary} dbname=oar`;
  writeFileSync(join(root, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    join(root, 'pgbouncer.ini'),
    [
      '[databases]',
      `oar = ${oar}`,
      `oar_one = ${oar} pool_size=1`,
      `oar_session = ${oar} pool_mode=session pool_size=10`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${bouncer}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(root, 'userlist.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 4',
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(root, 'pgbouncer.log')}`,
      `pidfile = ${pidfile}`,
      '',
    ].join('\n'),
  );
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', root]);
  await asPostgres(PGBOUNCER!, ['-d', join(root, 'pgbouncer.ini')]);
  const url = (port: number, db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  await waitFor('PgBouncer', async () => (await query(url(bouncer, 'oar'), 'select 1')).length === 1);

  const pgVersion = (await query<{ v: string }>(admin, 'select version() as v'))[0]!.v;
  const bouncerVersion = (await run(PGBOUNCER!, ['--version'])).stdout.split('\n')[0]!.trim();
  return { primary, replica, bouncer, pgVersion, bouncerVersion, url };
}
