// npm run keys -- create|list|revoke: manage API keys from the shell (service stopped, or on Postgres).
import { parseArgs } from 'node:util';
import { eq, or } from 'drizzle-orm';
import { forces } from '../db/schema/index.ts';
import { inScope } from '../db/scope.ts';
import { PrincipalCreateSchema } from '../modules/principals/schemas.ts';
import { createPrincipal, listPrincipals, revokePrincipal } from '../modules/principals/service.ts';
import { openRuntime } from '../runtime.ts';
import { systemClock } from '../shared/clock.ts';
import type { Actor } from '../shared/principal.ts';
import { configOrExit } from './cli.ts';

const USAGE = `Usage:
  npm run keys -- create --name NAME --roles ROLE[,ROLE] [--force FORCE_ID_OR_CODE]   prints the new key on one line
  npm run keys -- list
  npm run keys -- revoke PRINCIPAL_ID [--reason TEXT]
Roles: admin, force_system, welfare_officer, federation_rep, analyst. Without --force the key is national.`;

const CLI_ACTOR: Actor = {
  principal: { id: '00000000-0000-0000-0000-000000000000', name: 'npm run keys', roles: ['admin'], forceId: null },
  requestId: 'cli',
  reason: null,
};

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, roles: { type: 'string' }, force: { type: 'string' }, reason: { type: 'string' }, help: { type: 'boolean' } },
  });
  const [command, arg] = positionals;
  if (values.help || !command) fail(USAGE);
  const config = configOrExit();
  const runtime = await openRuntime(config, systemClock, () => undefined, { bootstrap: false });
  const { db } = runtime.database;
  const deps = { db, clock: systemClock };
  try {
    if (command === 'create') {
      let forceId: string | null = null;
      if (values.force) {
        const [force] = await db
          .select({ id: forces.id })
          .from(forces)
          .where(
            or(eq(forces.code, values.force), eq(forces.id, /^[0-9a-f-]{36}$/i.test(values.force) ? values.force : '00000000-0000-0000-0000-000000000000')),
          );
        if (!force) fail(`No force "${values.force}": use a force id or code from GET /v1/forces (e.g. west-midlands).`);
        forceId = force.id;
      }
      const input = PrincipalCreateSchema.safeParse({ name: values.name, roles: (values.roles ?? '').split(',').filter(Boolean), forceId });
      if (!input.success) fail(`Invalid: ${input.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}\n${USAGE}`);
      const created = await inScope('write', deps, CLI_ACTOR, (scope) => createPrincipal(scope, input.data));
      process.stdout.write(`${created.key}\n`);
    } else if (command === 'list') {
      const page = await inScope('read', deps, CLI_ACTOR, (scope) => listPrincipals(scope, { includeRevoked: true, limit: 500 }));
      for (const p of page.items) {
        process.stdout.write(`${p.id}  ${p.keyPrefix}…  ${p.roles.join(',')}  ${p.forceId ?? 'national'}  ${p.revokedAt ? 'revoked' : 'active'}  ${p.name}\n`);
      }
    } else if (command === 'revoke' && arg) {
      const revoked = await inScope('write', deps, CLI_ACTOR, (scope) => revokePrincipal(scope, arg, values.reason));
      process.stdout.write(`revoked ${revoked.id} (${revoked.name})\n`);
    } else {
      fail(USAGE);
    }
  } finally {
    await runtime.close();
  }
}

main().catch((err: unknown) => fail(`keys: ${(err as Error).message}`));
