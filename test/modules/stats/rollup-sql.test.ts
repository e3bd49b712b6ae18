// migrations/0017_stats_rollup.sql is generated from src/modules/stats/rollup-sql.ts (npm run stats:migration):
// the committed file must be exactly what the generator writes, so neither is edited without the other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { migrationsFolder } from '../../../src/db/migrate.ts';
import { ROLLUP_MIGRATION, rollupMigrationSql } from '../../../src/modules/stats/rollup-sql.ts';

t.test('the committed rollup migration is the generated one', async (t) => {
  const committed = readFileSync(join(migrationsFolder(), `${ROLLUP_MIGRATION}.sql`), 'utf8');
  t.ok(committed === rollupMigrationSql(), `migrations/${ROLLUP_MIGRATION}.sql differs from rollupMigrationSql(): run npm run stats:migration`);
});

t.test('the rollup migration is in the journal', async (t) => {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  t.ok(
    journal.entries.some((e) => e.tag === ROLLUP_MIGRATION),
    `${ROLLUP_MIGRATION} in migrations/meta/_journal.json`,
  );
});
