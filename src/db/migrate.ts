// Applies migrations/ with drizzle's migrator; the same SQL files serve Postgres and PGlite.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './client.ts';

/** Finds migrations/ by walking up from this file, so it works from src/ and from dist/src/. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('migrations/meta/_journal.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export async function migrate(database: Database): Promise<void> {
  const migrationsFolderPath = migrationsFolder();
  if (database.kind === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
    // Several instances may start at once: one migrates, the others wait for it.
    await database.exclusive(() => run(database.db as never, { migrationsFolder: migrationsFolderPath }));
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(database.db as never, { migrationsFolder: migrationsFolderPath });
  }
}

/** How many migrations the database has applied (0 when none). */
export async function appliedMigrationCount(database: Database): Promise<number> {
  const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(rows[0]?.n ?? 0);
}
