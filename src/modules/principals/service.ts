// Principals: create (key shown once), list, revoke; the bootstrap admin at start-up.
import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../db/client.ts';
import { forces, principals } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, page } from '../../shared/cursor.ts';
import { newId } from '../../shared/ids.ts';
import { generateApiKey, hashApiKey, keyPrefix } from '../../shared/keys.ts';
import { SYSTEM_ACTOR, type Actor, type Role } from '../../shared/principal.ts';
import { recordAudit } from '../audit/record.ts';
import type { PrincipalCreate, PrincipalView } from './schemas.ts';

type Row = typeof principals.$inferSelect;

function toView(row: Row): PrincipalView {
  return {
    id: row.id,
    name: row.name,
    roles: row.roles as Role[],
    forceId: row.forceId,
    keyPrefix: row.keyPrefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedReason,
  };
}

export async function forceExists(q: Queryable, forceId: string): Promise<boolean> {
  const rows = await q.select({ id: forces.id }).from(forces).where(eq(forces.id, forceId)).limit(1);
  return rows.length > 0;
}

/** Inserts a principal with a fresh (or given) key; returns the view and the key. */
export async function insertPrincipal(
  q: Queryable,
  clock: Clock,
  input: PrincipalCreate,
  createdBy: string | null,
  key = generateApiKey(),
): Promise<PrincipalView & { key: string }> {
  const [row] = await q
    .insert(principals)
    .values({
      id: newId(),
      name: input.name,
      roles: [...new Set(input.roles)],
      forceId: input.forceId,
      keyHash: hashApiKey(key),
      keyPrefix: keyPrefix(key),
      createdAt: clock.now(),
      createdBy,
    })
    .returning();
  return { ...toView(row!), key };
}

export async function createPrincipal(tx: Tx, clock: Clock, actor: Actor, input: PrincipalCreate) {
  const scope = actor.principal.forceId;
  if (scope !== null && input.forceId !== scope) {
    throw Errors.forbidden('A force-scoped admin can only create keys for its own force.');
  }
  if (input.forceId !== null && !(await forceExists(tx, input.forceId))) {
    throw Errors.rule('The force does not exist.', [{ path: 'forceId', message: 'is not a known force id (see GET /v1/forces)' }]);
  }
  const created = await insertPrincipal(tx, clock, input, actor.principal.id);
  await recordAudit(tx, clock, actor, {
    action: 'create',
    resourceType: 'principal',
    resourceId: created.id,
    forceId: created.forceId,
    changedFields: ['name', 'roles', 'forceId'],
  });
  return created;
}

export async function listPrincipals(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  query: { forceId?: string | undefined; includeRevoked: boolean; limit: number; cursor?: string | undefined },
) {
  const scope = actor.principal.forceId;
  const conditions: (SQL | undefined)[] = [];
  if (scope !== null) conditions.push(eq(principals.forceId, scope));
  if (query.forceId) conditions.push(eq(principals.forceId, query.forceId));
  if (!query.includeRevoked) conditions.push(isNull(principals.revokedAt));
  const after = decodeCursor(query.cursor);
  if (after) {
    const at = new Date(after.at);
    conditions.push(or(lt(principals.createdAt, at), and(eq(principals.createdAt, at), lt(principals.id, after.id))));
  }
  const rows = await tx
    .select()
    .from(principals)
    .where(and(...conditions))
    .orderBy(desc(principals.createdAt), desc(principals.id))
    .limit(query.limit + 1);
  await recordAudit(tx, clock, actor, { action: 'list', resourceType: 'principal', forceId: scope });
  const result = page(rows, query.limit, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
  return { items: result.items.map(toView), nextCursor: result.nextCursor };
}

export async function revokePrincipal(tx: Tx, clock: Clock, actor: Actor, id: string, reason: string | undefined) {
  const [row] = await tx.select().from(principals).where(eq(principals.id, id)).for('update');
  const scope = actor.principal.forceId;
  if (!row || (scope !== null && row.forceId !== scope)) throw Errors.notFound('principal', id);
  if (row.revokedAt) return toView(row);
  const [updated] = await tx
    .update(principals)
    .set({ revokedAt: clock.now(), revokedReason: reason ?? null })
    .where(eq(principals.id, id))
    .returning();
  await recordAudit(tx, clock, actor, {
    action: 'revoke',
    resourceType: 'principal',
    resourceId: id,
    forceId: row.forceId,
    changedFields: ['revokedAt', 'revokedReason'],
  });
  // Other instances caching principals hear of it at once (see the auth plugin).
  await tx.execute(sql`select pg_notify('principal_revoked', ${id})`);
  return toView(updated!);
}

/**
 * At start-up: BOOTSTRAP_ADMIN_KEY makes sure an admin with exactly that key exists; otherwise, when
 * no active admin exists at all, one is created and its key returned to be printed once.
 */
export async function bootstrapAdmin(db: Db, clock: Clock, bootstrapKey: string | undefined): Promise<string | null> {
  return db.transaction(async (tx) => {
    if (bootstrapKey) {
      const [existing] = await tx.select({ id: principals.id, revokedAt: principals.revokedAt }).from(principals).where(eq(principals.keyHash, hashApiKey(bootstrapKey)));
      if (!existing) {
        const created = await insertPrincipal(tx, clock, { name: 'bootstrap admin', roles: ['admin'], forceId: null }, null, bootstrapKey);
        await auditBootstrap(tx, clock, created.id, ['name', 'roles', 'forceId']);
      } else if (existing.revokedAt) {
        // The operator asked for this key to work: an earlier revocation of it is lifted.
        await tx.update(principals).set({ revokedAt: null, revokedReason: null }).where(eq(principals.id, existing.id));
        await auditBootstrap(tx, clock, existing.id, ['revokedAt', 'revokedReason']);
      }
      return null;
    }
    const admins = await tx
      .select({ id: principals.id })
      .from(principals)
      .where(and(isNull(principals.revokedAt), sql`'admin' = any(${principals.roles})`))
      .limit(1);
    if (admins.length > 0) return null;
    const created = await insertPrincipal(tx, clock, { name: 'first admin', roles: ['admin'], forceId: null }, null);
    await auditBootstrap(tx, clock, created.id, ['name', 'roles', 'forceId']);
    return created.key;
  });
}

function auditBootstrap(tx: Tx, clock: Clock, id: string, changedFields: string[]) {
  return recordAudit(tx, clock, SYSTEM_ACTOR, { action: 'create', resourceType: 'principal', resourceId: id, forceId: null, changedFields });
}
