// Principals: create (key shown once), list, revoke, rotate keys (two active at most).
import { newestFirst } from '../../db/pages.ts';
import { rowById, type Scope } from '../../db/scope.ts';
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { forces, principalKeys, principals } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { newId } from '../../shared/ids.ts';
import { generateApiKey, hashApiKey, keyPrefix } from '../../shared/keys.ts';
import type { KeyView, PrincipalCreate, PrincipalView } from './schemas.ts';

type Row = typeof principals.$inferSelect;
type KeyRow = typeof principalKeys.$inferSelect;

export const MAX_ACTIVE_KEYS = 2;

const keyView = (k: KeyRow): KeyView => ({
  id: k.id,
  keyPrefix: k.keyPrefix,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

function toView(row: Row, keys: KeyRow[]): PrincipalView {
  const active = keys.filter((k) => !k.revokedAt);
  const used = keys.map((k) => k.lastUsedAt?.getTime() ?? 0);
  const lastUsed = Math.max(0, ...used);
  return {
    id: row.id,
    name: row.name,
    roles: row.roles,
    forceId: row.forceId,
    keyPrefix: (active.at(-1) ?? keys.at(-1))?.keyPrefix ?? '',
    keys: keys.map(keyView),
    lastUsedAt: lastUsed ? new Date(lastUsed).toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedReason,
  };
}

async function keysOf(q: Queryable, ids: string[]): Promise<KeyRow[]> {
  if (ids.length === 0) return [];
  return q.select().from(principalKeys).where(inArray(principalKeys.principalId, ids)).orderBy(asc(principalKeys.createdAt), asc(principalKeys.id));
}

async function insertKey(q: Queryable, at: Date, principalId: string, key: string, id = newId()): Promise<KeyRow> {
  const [row] = await q
    .insert(principalKeys)
    .values({ id, principalId, keyHash: hashApiKey(key), keyPrefix: keyPrefix(key), createdAt: at })
    .returning();
  return row!;
}

export async function forceExists(q: Queryable, forceId: string): Promise<boolean> {
  const rows = await q.select({ id: forces.id }).from(forces).where(eq(forces.id, forceId)).limit(1);
  return rows.length > 0;
}

/** Inserts a principal with a fresh (or given) key; returns the view and the key. */
export async function insertPrincipal(
  q: Queryable,
  at: Date,
  input: PrincipalCreate,
  createdBy: string | null,
  key = generateApiKey(),
): Promise<PrincipalView & { key: string }> {
  const id = newId();
  const [row] = await q
    .insert(principals)
    .values({ id, name: input.name, roles: [...new Set(input.roles)], forceId: input.forceId, createdAt: at, createdBy })
    .returning();
  const keyRow = await insertKey(q, at, id, key, id);
  return { ...toView(row!, [keyRow]), key };
}

export async function createPrincipal(scope: Scope, input: PrincipalCreate) {
  const { tx, actor, force } = scope;
  if (force !== null && input.forceId !== force) {
    throw Errors.forbidden('A force-scoped admin can only create keys for its own force.');
  }
  if (input.forceId !== null && !(await forceExists(tx, input.forceId))) {
    throw Errors.unknownForce();
  }
  const created = await insertPrincipal(tx, scope.now, input, actor.principal.id);
  scope.audit({
    action: 'create',
    resourceType: 'principal',
    resourceId: created.id,
    forceId: created.forceId,
    changedFields: ['name', 'roles', 'forceId'],
  });
  return created;
}

export async function listPrincipals(
  scope: Scope,
  query: { forceId?: string | undefined; includeRevoked: boolean; limit: number; cursor?: string | undefined },
) {
  const { tx, force } = scope;
  const conditions: (SQL | undefined)[] = [];
  if (force !== null) conditions.push(eq(principals.forceId, force));
  if (query.forceId) conditions.push(eq(principals.forceId, query.forceId));
  if (!query.includeRevoked) conditions.push(isNull(principals.revokedAt));
  const result = await newestFirst(tx, principals, 'createdAt', conditions, query);
  scope.audit({ action: 'list', resourceType: 'principal', forceId: force });
  const keys = await keysOf(
    tx,
    result.items.map((r) => r.id),
  );
  return {
    items: result.items.map((r) =>
      toView(
        r,
        keys.filter((k) => k.principalId === r.id),
      ),
    ),
    nextCursor: result.nextCursor,
  };
}

async function visiblePrincipal(scope: Scope, id: string): Promise<Row> {
  const row = await rowById(scope, principals, id, true);
  if (!row) throw Errors.notFound('principal', id);
  return row;
}

export async function revokePrincipal(scope: Scope, id: string, reason: string | undefined) {
  const { tx } = scope;
  const row = await visiblePrincipal(scope, id);
  if (row.revokedAt) return toView(row, await keysOf(tx, [id]));
  const [updated] = await tx
    .update(principals)
    .set({ revokedAt: scope.now, revokedReason: reason ?? null })
    .where(eq(principals.id, id))
    .returning();
  scope.audit({
    action: 'revoke',
    resourceType: 'principal',
    resourceId: id,
    forceId: row.forceId,
    changedFields: ['revokedAt', 'revokedReason'],
  });
  // Other instances caching principals hear of it at once (see the auth plugin).
  await tx.execute(sql`select pg_notify('principal_revoked', ${id})`);
  return toView(updated!, await keysOf(tx, [id]));
}

/** Rotation: a second key for the principal, shown once; the first keeps working until revoked. */
export async function addKey(scope: Scope, id: string) {
  const { tx } = scope;
  const row = await visiblePrincipal(scope, id);
  if (row.revokedAt) throw Errors.rule('The principal is revoked: create a new one.', [{ path: 'id', message: 'is revoked' }]);
  const active = (await keysOf(tx, [id])).filter((k) => !k.revokedAt);
  if (active.length >= MAX_ACTIVE_KEYS) {
    throw Errors.rule(`A principal holds at most ${MAX_ACTIVE_KEYS} active keys: revoke the old one first.`, [
      { path: 'keys', message: `already ${active.length} active` },
    ]);
  }
  const key = generateApiKey();
  const created = await insertKey(tx, scope.now, id, key);
  scope.audit({ action: 'create', resourceType: 'principal_key', resourceId: created.id, forceId: row.forceId, changedFields: ['key'] });
  return { ...keyView(created), principalId: id, key };
}

export async function revokeKey(scope: Scope, id: string, keyId: string) {
  const { tx } = scope;
  const row = await visiblePrincipal(scope, id);
  const [key] = await tx
    .select()
    .from(principalKeys)
    .where(and(eq(principalKeys.id, keyId), eq(principalKeys.principalId, id)));
  if (!key) throw Errors.notFound('key', keyId);
  if (key.revokedAt) return { ...keyView(key), principalId: id };
  const [updated] = await tx.update(principalKeys).set({ revokedAt: scope.now }).where(eq(principalKeys.id, keyId)).returning();
  scope.audit({ action: 'revoke', resourceType: 'principal_key', resourceId: keyId, forceId: row.forceId, changedFields: ['revokedAt'] });
  await tx.execute(sql`select pg_notify('principal_revoked', ${id})`);
  return { ...keyView(updated!), principalId: id };
}
