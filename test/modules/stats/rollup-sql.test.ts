// The rollup's migrations (0017_stats_rollup.sql, 0021_stats_apply_plan_cached.sql) are generated from
// src/modules/stats/rollup-sql.ts (npm run stats:migration): each committed file must be exactly what the generator
// writes, so neither is edited without the other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { migrationsFolder } from '../../../src/db/migrate.ts';
import {
  APPLY_CACHED_MIGRATION,
  applyCachedMigrationSql,
  generatedMigrations,
  ROLLUP_MIGRATION,
  rollupMigrationSql,
} from '../../../src/modules/stats/rollup-sql.ts';

const generated = generatedMigrations();
t.same(
  generated.map(([tag]) => tag),
  [ROLLUP_MIGRATION, APPLY_CACHED_MIGRATION],
  'both generated migrations are checked',
);
const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };

for (const [tag, text] of generated) {
  t.test(`the committed ${tag} is the generated one, in the journal`, async (t) => {
    const committed = readFileSync(join(migrationsFolder(), `${tag}.sql`), 'utf8');
    t.ok(committed === text, `migrations/${tag}.sql differs from the generator's: run npm run stats:migration`);
    t.ok(
      journal.entries.some((e) => e.tag === tag),
      `${tag} in migrations/meta/_journal.json`,
    );
  });
}

t.test('stats_apply is the same statement in both, and PL/pgSQL (its plan cached) in the later one', async (t) => {
  const body = (text: string) =>
    /CREATE (?:OR REPLACE )?FUNCTION stats_apply\(ids uuid\[\]\) RETURNS void LANGUAGE (\w+) AS \$\$\n(?:BEGIN\n)?([\s\S]*?);?\n(?:END\n)?\$\$;/.exec(text);
  const first = body(rollupMigrationSql());
  const later = body(applyCachedMigrationSql());
  t.equal(first?.[1], 'sql');
  t.equal(later?.[1], 'plpgsql');
  t.ok(first?.[2] && first[2] === later?.[2], 'the same statement');
});
