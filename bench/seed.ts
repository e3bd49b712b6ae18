// The benchmark's database: create it, migrate it with the project's migrations, fill it through COPY
// (one stream per table, in parallel) and create the API keys the load uses. Importable by tests.
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../src/db/client.ts';
import type { TemplateStep } from '../src/db/schema/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { insertPrincipal } from '../src/modules/principals/service.ts';
import { emitDueEvents } from '../src/modules/webhooks/relay.ts';
import type { Role } from '../src/shared/principal.ts';
import { COLUMNS, Generator, type Context, type ForceInfo, type Out, type Table } from './seed-data.ts';

const DAY = 86_400_000;
const NATIONAL_TEMPLATE = '019b76da-a900-7000-8000-000000000001';

export const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs fn on one short-lived connection to the URL. */
export async function onServer<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database on the server; returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe database name: ${name}`);
  await onServer(serverUrl, (c) => c.query(`create database ${name}`));
  return databaseUrl(serverUrl, name);
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  return onServer(serverUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/** Applies migrations/ exactly as the service does at start. */
export async function migrateDatabase(url: string): Promise<void> {
  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 2 });
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
}

export interface SeedOptions {
  incidents: number;
  /** "Now" for the data: due dates, what is settled and what is pending are relative to it. */
  now?: Date;
  seed?: number;
  /** Incidents generated per batch written to the COPY streams. */
  chunk?: number;
  /** Write the audit trail (default true); tests that never read it may leave it out to seed faster. */
  auditTrail?: boolean;
  /** Drop the secondary indexes of the seeded tables for the load and build them after (default true). */
  rebuildIndexes?: boolean;
  /** VACUUM (ANALYZE) and CHECKPOINT after loading, so no autovacuum or checkpoint lands in a measurement. */
  vacuum?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedReport {
  incidents: number;
  rows: Record<Table, number>;
  loadSeconds: number;
  analyzeSeconds: number;
  totalRows: number;
}

/** Relative sizes of forces: the Metropolitan Police is by far the largest; the others vary. */
function weightOf(code: string, i: number): number {
  if (code === 'metropolitan') return 14;
  if (['west-midlands', 'greater-manchester', 'west-yorkshire', 'thames-valley', 'merseyside', 'kent', 'hampshire'].includes(code)) return 4;
  return 1 + ((i * 7) % 5) / 2;
}

async function loadContext(c: pg.Client, now: Date): Promise<Context> {
  const forces = (await c.query<{ id: string; code: string }>('select id, code from forces order by code')).rows;
  const template = (await c.query<{ id: string; steps: TemplateStep[] }>('select id, steps from care_plan_templates where id = $1', [NATIONAL_TEMPLATE]))
    .rows[0];
  if (!template) throw new Error('the national care-plan template is missing: were migrations applied?');
  const holidays = new Set(
    (await c.query<{ day: string }>("select day::text as day from bank_holidays where region = 'england-and-wales'")).rows.map((r) => r.day),
  );
  const codes = (
    await c.query<{ code: number; label: string; outcome_group: string }>("select code, label, outcome_group from outcome_codes where scheme = '2021-04'")
  ).rows;
  // One force system and one welfare officer per force act in the seeded audit trail (no keys: nobody can log in as them).
  const infos: ForceInfo[] = [];
  const gen = new Generator({ now, forces: [], template, holidays, outcomeCodes: new Map() }, 7);
  for (const [i, f] of forces.entries())
    infos.push({
      id: f.id,
      code: f.code,
      weight: weightOf(f.code, i),
      systemId: gen.id(now.getTime() - 3700 * DAY),
      welfareId: gen.id(now.getTime() - 3700 * DAY),
    });
  const created = new Date(now.getTime() - 3700 * DAY);
  await c.query(
    `insert into principals (id, name, roles, force_id, created_at)
     select id, name, array[role], force_id, created_at
       from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[]) as p(id, name, role, force_id, created_at)`,
    [
      infos.flatMap((f) => [f.systemId, f.welfareId]),
      infos.flatMap((f) => [`Synthetic ${f.code} force system`, `Synthetic ${f.code} welfare officer`]),
      infos.flatMap(() => ['force_system', 'welfare_officer']),
      infos.flatMap((f) => [f.id, f.id]),
      infos.flatMap(() => [created, created]),
    ],
  );
  // A headcount per force for every year of the data, so rates per 1,000 officers have denominators.
  const years = Array.from({ length: 12 }, (_, k) => now.getUTCFullYear() - 11 + k);
  await c.query(
    `insert into force_headcounts (force_id, as_of, officers, constables, recorded_at)
     select force_id, as_of, officers, (officers * 0.78)::int, now() from unnest($1::uuid[], $2::date[], $3::int[]) as h(force_id, as_of, officers)`,
    [
      infos.flatMap((f) => years.map(() => f.id)),
      infos.flatMap(() => years.map((y) => `${y}-03-31`)),
      infos.flatMap((f) => years.map((_, k) => Math.round(f.weight * 1400 + k * 11))),
    ],
  );
  return {
    now,
    forces: infos,
    template,
    holidays,
    outcomeCodes: new Map(codes.map((r) => [Number(r.code), { label: r.label, outcomeGroup: r.outcome_group }])),
  };
}

interface Stream {
  client: pg.Client;
  stream: NodeJS.WritableStream;
  done: Promise<void>;
}

async function openStream(url: string, table: Table): Promise<Stream> {
  const client = new pg.Client({ connectionString: url, application_name: 'oar-bench-seed' });
  await client.connect();
  // Replica mode skips the foreign-key triggers: the rows are consistent by construction, and the tables
  // are filled by parallel COPY streams whose rows are not visible to each other until they commit.
  try {
    await client.query('set session_replication_role = replica');
  } catch (err) {
    await client.end();
    throw new Error(`the seeder needs a superuser on BENCH_DATABASE_URL (set session_replication_role): ${(err as Error).message}`, { cause: err });
  }
  await client.query('set synchronous_commit = off');
  const stream = client.query(copyFrom(`copy ${table} (${COLUMNS[table].join(', ')}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', () => resolve());
    stream.on('error', (err: Error) => reject(new Error(`COPY ${table}: ${err.message}`)));
  });
  done.catch(() => undefined);
  return { client, stream, done };
}

const emptyOut = (): Out => Object.fromEntries(Object.keys(COLUMNS).map((t) => [t, []])) as unknown as Out;

/** Fills a migrated database with `incidents` incidents over 10 years and all that hangs off them. */
export async function seedDatabase(url: string, opts: SeedOptions): Promise<SeedReport> {
  const now = opts.now ?? new Date();
  const chunk = opts.chunk ?? 2000;
  const started = performance.now();
  const control = new pg.Client({ connectionString: url });
  await control.connect();
  try {
    const ctx = await loadContext(control, now);
    const gen = new Generator(ctx, opts.seed ?? 20261123);
    gen.auditTrail = opts.auditTrail ?? true;
    const tables = Object.keys(COLUMNS) as Table[];
    // Secondary indexes are dropped for the load and built again after it (from their own definitions in
    // the catalog, so the schema ends exactly as the migrations made it): sorting once beats growing
    // each index row by row. Indexes behind constraints (primary keys, unique constraints) stay.
    const secondary = (
      await control.query<{ name: string; def: string }>(
        `select i.relname as name, pg_get_indexdef(i.oid) as def
           from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
          where t.relname = any($1) and t.relnamespace = 'public'::regnamespace
            and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`,
        [tables],
      )
    ).rows;
    if (opts.rebuildIndexes ?? true) for (const ix of secondary) await control.query(`drop index ${ix.name}`);
    const streams = new Map<Table, Stream>();
    for (const t of tables) streams.set(t, await openStream(url, t));
    const rows = Object.fromEntries(tables.map((t) => [t, 0])) as Record<Table, number>;
    const start = now.getTime() - 3652 * DAY;
    const span = now.getTime() - 2 * 3_600_000 - start;
    try {
      for (let done = 0; done < opts.incidents;) {
        const out = emptyOut();
        const end = Math.min(opts.incidents, done + chunk);
        // Incidents come in time order, as they would have been recorded: ids and the audit chain follow time.
        for (let i = done; i < end; i++) gen.incident(out, new Date(start + ((i + gen.random()) * span) / opts.incidents));
        const writes: Promise<void>[] = [];
        for (const t of tables) {
          if (out[t].length === 0) continue;
          rows[t] += out[t].length;
          const { stream } = streams.get(t)!;
          if (!stream.write(out[t].join(''))) writes.push(new Promise((r) => stream.once('drain', () => r())));
        }
        // A failed COPY stops the run at once (its stream would never drain).
        await Promise.race([Promise.all(writes), ...[...streams.values()].map((s) => s.done.then(() => new Promise<void>(() => undefined)))]);
        done = end;
        opts.onProgress?.(done, opts.incidents);
      }
      for (const s of streams.values()) s.stream.end();
      await Promise.all([...streams.values()].map((s) => s.done));
    } finally {
      await Promise.all([...streams.values()].map((s) => s.client.end().catch(() => undefined)));
    }
    if (opts.rebuildIndexes ?? true) {
      // Two at a time: one per core.
      const queue = [...secondary];
      const builders = await Promise.all(
        [0, 1].map(async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          return c;
        }),
      );
      try {
        await Promise.all(
          builders.map(async (c) => {
            for (let ix = queue.shift(); ix; ix = queue.shift()) await c.query(ix.def);
          }),
        );
      } finally {
        await Promise.all(builders.map((c) => c.end()));
      }
    }
    // The chain the seeder computed must be the one the database computes (audit_event_digest).
    const broken = await control.query<{ n: number }>(
      'select count(*)::int as n from audit_events a where a.seq <= 500 and a.hash is distinct from audit_event_digest(a.prev_hash, a)',
    );
    if (Number(broken.rows[0]?.n) !== 0) throw new Error('seeded audit hashes differ from audit_event_digest(): the canonical form changed');
    const loadSeconds = (performance.now() - started) / 1000;
    const a = performance.now();
    if (opts.vacuum ?? true) {
      await control.query('vacuum (analyze)');
      await control.query('checkpoint');
    } else {
      await control.query('analyze');
    }
    const analyzeSeconds = (performance.now() - a) / 1000;
    return { incidents: opts.incidents, rows, loadSeconds, analyzeSeconds, totalRows: Object.values(rows).reduce((x, y) => x + y, 0) };
  } finally {
    await control.end();
  }
}

export interface BenchKeys {
  forceSystem: string;
  nationalSystem: string;
  welfare: string;
  federation: string;
  analyst: string;
}

/**
 * The every-minute check's history: what fell due in the last week is reported (its events in the outbox, relayed),
 * as a running system's would be. Without it the first check of a new seed emits thousands of events at once, in the
 * middle of whichever run is measuring. Answers how many it emitted.
 */
export async function catchUpDueEvents(url: string, now = new Date()): Promise<number> {
  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 1 });
  try {
    let total = 0;
    for (let n = -1; n !== 0; total += n) n = await emitDueEvents(database.db, { now: () => now });
    await onServer(url, (c) => c.query('update outbox_events set relayed_at = $1 where relayed_at is null and dedupe_key is not null', [now]));
    return total;
  } finally {
    await database.close();
  }
}

/** API keys straight in the database, as `npm run keys` or the admin API would make them. */
export async function createBenchKeys(url: string, forceId: string, now = new Date()): Promise<BenchKeys> {
  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 1 });
  const clock = { now: () => now };
  const make = async (name: string, roles: Role[], scope: string | null) =>
    (await insertPrincipal(database.db, clock.now(), { name, roles, forceId: scope }, null)).key;
  try {
    return {
      forceSystem: await make('Bench force system', ['force_system'], forceId),
      nationalSystem: await make('Bench national force system', ['force_system'], null),
      welfare: await make('Bench welfare officer', ['welfare_officer'], forceId),
      federation: await make('Bench federation rep', ['federation_rep'], forceId),
      analyst: await make('Bench analyst', ['analyst'], null),
    };
  } finally {
    await database.close();
  }
}
