// npm run stats:migration: writes migrations/0017_stats_rollup.sql from src/modules/stats/rollup-sql.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../db/migrate.ts';
import { ROLLUP_MIGRATION, rollupMigrationSql } from '../modules/stats/rollup-sql.ts';

const file = join(migrationsFolder(), `${ROLLUP_MIGRATION}.sql`);
writeFileSync(file, rollupMigrationSql());
process.stdout.write(`wrote ${file}\n`);
