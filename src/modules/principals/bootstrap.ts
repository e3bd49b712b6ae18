// The first admin: created on first start (key printed once) or from BOOTSTRAP_ADMIN_KEY for automation.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { principalKeys, principals } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { hashApiKey } from '../../shared/keys.ts';
import { SYSTEM_ACTOR } from '../../shared/principal.ts';
import { inScope, type Scope } from '../../db/scope.ts';
import { insertPrincipal } from './service.ts';

/**
 * At start-up: BOOTSTRAP_ADMIN_KEY makes sure an admin with exactly that key exists; otherwise, when
 * no active admin exists at all, one is created and its key returned to be printed once.
 */
export async function bootstrapAdmin(db: Db, clock: Clock, bootstrapKey: string | undefined): Promise<string | null> {
  return inScope('write', { db, clock }, SYSTEM_ACTOR, async (scope) => {
    const { tx } = scope;
    if (bootstrapKey) {
      const [existing] = await tx
        .select({ id: principals.id, revokedAt: principals.revokedAt, keyId: principalKeys.id, keyRevokedAt: principalKeys.revokedAt })
        .from(principalKeys)
        .innerJoin(principals, eq(principals.id, principalKeys.principalId))
        .where(eq(principalKeys.keyHash, hashApiKey(bootstrapKey)));
      if (!existing) {
        const created = await insertPrincipal(tx, scope.now, { name: 'bootstrap admin', roles: ['admin'], forceId: null }, null, bootstrapKey);
        auditBootstrap(scope, created.id, ['name', 'roles', 'forceId']);
      } else if (existing.revokedAt || existing.keyRevokedAt) {
        // The operator asked for this key to work: an earlier revocation of it is lifted.
        await tx.update(principals).set({ revokedAt: null, revokedReason: null }).where(eq(principals.id, existing.id));
        await tx.update(principalKeys).set({ revokedAt: null }).where(eq(principalKeys.id, existing.keyId));
        auditBootstrap(scope, existing.id, ['revokedAt', 'revokedReason']);
      }
      return null;
    }
    const admins = await tx
      .select({ id: principals.id })
      .from(principals)
      .where(and(isNull(principals.revokedAt), sql`'admin' = any(${principals.roles})`))
      .limit(1);
    if (admins.length > 0) return null;
    const created = await insertPrincipal(tx, scope.now, { name: 'first admin', roles: ['admin'], forceId: null }, null);
    auditBootstrap(scope, created.id, ['name', 'roles', 'forceId']);
    return created.key;
  });
}

function auditBootstrap(scope: Scope, id: string, changedFields: string[]) {
  scope.audit({ action: 'create', resourceType: 'principal', resourceId: id, forceId: null, changedFields });
}
