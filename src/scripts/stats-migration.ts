// npm run stats:migration: writes the generated migrations from src/modules/stats/rollup-sql.ts
// (0017_stats_rollup.sql and 0021_stats_apply_plan_cached.sql).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../db/migrate.ts';
import { generatedMigrations } from '../modules/stats/rollup-sql.ts';

for (const [tag, text] of generatedMigrations()) {
  const file = join(migrationsFolder(), `${tag}.sql`);
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
