// A new PGlite data folder made from the template (src/db/pglite-template.ts: initdb + migrations once, in a
// child process, then copied) is the same database as one made by initdb + migrations: the same migrations
// applied, the same catalog (columns, constraints, indexes, policies, triggers, functions, roles), and the API
// answers alike. PGlite only: on Postgres there is no data folder to make.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { openDatabase, queryRows, type Database } from '../../src/db/client.ts';
import { appliedMigrationCount, expectedMigrationCount, migrate } from '../../src/db/migrate.ts';
import { copyTemplate, ensureTemplate, isInitialised, templateKey } from '../../src/db/pglite-template.ts';
import { insertPrincipal } from '../../src/modules/principals/service.ts';
import { FORCE_A, incidentBody, suspectBody, victimBody } from '../factories.ts';
import { buildTestApp, serverUrl, TestClock } from '../helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'oar-template-test-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** The schema as catalog rows, in a stable order: what `pg_dump --schema-only` would differ on. */
async function catalog(database: Database) {
  const q = <T>(query: ReturnType<typeof sql>) => queryRows<T>(database.db, query);
  return {
    migrations: await q(sql`select hash, created_at::text from drizzle.__drizzle_migrations order by id`),
    columns: await q(sql`select table_schema, table_name, column_name, ordinal_position, data_type, is_nullable, column_default
      from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2, 4`),
    constraints: await q(sql`select conrelid::regclass::text as rel, conname, pg_get_constraintdef(c.oid) as def from pg_constraint c
      join pg_namespace n on n.oid = c.connamespace where n.nspname not in ('pg_catalog', 'information_schema') order by 1, 2`),
    indexes: await q(sql`select schemaname, tablename, indexname, indexdef from pg_indexes
      where schemaname not in ('pg_catalog', 'information_schema') order by 1, 2, 3`),
    policies: await q(sql`select schemaname, tablename, policyname, permissive, roles::text, cmd, qual, with_check from pg_policies order by 1, 2, 3`),
    rls: await q(sql`select relname, relrowsecurity, relforcerowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`),
    triggers: await q(sql`select tgrelid::regclass::text as rel, tgname, pg_get_triggerdef(oid) as def from pg_trigger where not tgisinternal order by 1, 2`),
    functions: await q(sql`select p.proname, pg_get_function_identity_arguments(p.oid) as args, md5(p.prosrc) as src from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace where n.nspname not in ('pg_catalog', 'information_schema') order by 1, 2`),
    roles: await q(sql`select rolname, rolcanlogin, rolbypassrls from pg_roles where rolname not like 'pg\\_%' order by 1`),
    grants: await q(sql`select grantee, table_name, privilege_type from information_schema.role_table_grants
      where table_schema = 'public' order by 1, 2, 3`),
  };
}

// Everything in one subtest: an assertion at the top level ends tap's root test while a later await is pending.
// Skipped, not left by process.exit, on a server: the file shares its process with others (test/support/suites.ts).
const skip = serverUrl() ? 'PGlite only: the template is a PGlite data folder' : false;
t.test('a data folder from the template is the database initdb + migrations make', { skip }, async (t) => {
  // The template of the current migrations (built here, in a child process, when the cache has none yet).
  const template = await ensureTemplate();
  t.ok(template.endsWith(`pglite-${templateKey()}`), 'the template is named after the migrations it holds');
  t.ok(isInitialised(template), 'the template is a data folder');
  t.notOk(
    readdirSync(join(template, '..')).some((f) => f.endsWith('.tmp')),
    'no half-built template is left behind',
  );

  // A new data folder: openDatabase fills it from the template; nothing is left to migrate.
  const dataDir = join(dir, 'data');
  const fromTemplate = await openDatabase({ dataDir });
  t.teardown(() => fromTemplate.close());
  t.ok(isInitialised(dataDir), 'the new folder holds a database');
  t.equal(await appliedMigrationCount(fromTemplate), expectedMigrationCount(), 'every migration is applied already');
  await migrate(fromTemplate); // what the runtime does on every start: nothing to do here
  t.equal(await appliedMigrationCount(fromTemplate), expectedMigrationCount());

  // The reference: initdb + migrations (the helper's snapshot of exactly that).
  const reference = await buildTestApp(t);
  t.same(await catalog(fromTemplate), await catalog(reference.database), 'the same catalog as initdb + migrations');

  // The API answers alike on both.
  const clock = new TestClock();
  const app = await buildApp({ database: fromTemplate, clock });
  t.teardown(() => app.close());
  const key = async (database: Database, roles: ('admin' | 'force_system')[], forceId: string | null) =>
    (await insertPrincipal(database.db, clock.now(), { name: 'template test', roles, forceId }, null)).key;
  const sides = [
    { name: 'template', call: app.inject.bind(app), database: fromTemplate },
    { name: 'initdb', call: reference.app.inject.bind(reference.app), database: reference.database },
  ];
  const answers = [];
  for (const side of sides) {
    const admin = await key(side.database, ['admin'], null);
    const system = await key(side.database, ['force_system'], FORCE_A);
    const auth = (k: string) => ({ authorization: `Bearer ${k}` });
    const forces = await side.call({ method: 'GET', url: '/v1/forces', headers: auth(admin) });
    const body = incidentBody({ forceReference: 'TPL/0001', victims: [victimBody()], suspects: [suspectBody()] });
    const created = await side.call({ method: 'POST', url: '/v1/incidents', headers: auth(system), payload: body });
    const read = await side.call({ method: 'GET', url: `/v1/incidents/${created.json<{ id: string }>().id}`, headers: auth(system) });
    const shape = (x: Record<string, unknown>) => ({
      ...x,
      id: undefined,
      victims: undefined,
      suspects: undefined,
      createdAt: undefined,
      updatedAt: undefined,
    });
    answers.push({
      statuses: [forces.statusCode, created.statusCode, read.statusCode],
      forces: forces.json<{ items: { id: string; code: string }[] }>().items.map((f) => [f.id, f.code]),
      incident: shape(read.json()),
    });
  }
  t.same(answers[0]!.statuses, [200, 201, 200], `the template's database answers: ${JSON.stringify(answers[0]!.statuses)}`);
  t.same(answers[0], answers[1], 'the same answers from both');

  // A copy cut short (no PG_VERSION, written last) is not taken for a database: the next start copies again.
  const cut = join(dir, 'cut');
  copyTemplate(template, cut);
  rmSync(join(cut, 'PG_VERSION'));
  t.notOk(isInitialised(cut), 'a folder without PG_VERSION is not a database');
  const again = await openDatabase({ dataDir: cut });
  t.equal(await appliedMigrationCount(again), expectedMigrationCount(), 'and opening it copies the template again');
  await again.close();
});
