// Forces: seeded reference data; admins record headcounts (kept as history) for rates.
import type { Scope } from '../../db/scope.ts';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { forceHeadcounts, forces } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { checkVersion } from '../../shared/etag.ts';
import type { ForceView, Headcount } from './schemas.ts';

type ForceRow = typeof forces.$inferSelect;
type HeadcountRow = typeof forceHeadcounts.$inferSelect;

function toView(row: ForceRow, history: HeadcountRow[]): ForceView {
  const headcounts = history.map((h) => ({ officers: h.officers, constables: h.constables, asOf: h.asOf }));
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    country: row.country,
    kind: row.kind,
    headcount: headcounts[0] ?? null,
    headcountHistory: headcounts,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function withHistory(q: Queryable, rows: ForceRow[]): Promise<ForceView[]> {
  if (rows.length === 0) return [];
  const history = await q
    .select()
    .from(forceHeadcounts)
    .where(
      inArray(
        forceHeadcounts.forceId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(forceHeadcounts.asOf));
  return rows.map((r) =>
    toView(
      r,
      history.filter((h) => h.forceId === r.id),
    ),
  );
}

export async function listForces(q: Queryable): Promise<ForceView[]> {
  return withHistory(q, await q.select().from(forces).orderBy(asc(forces.name)));
}

export async function getForce(q: Queryable, id: string): Promise<ForceView> {
  const rows = await q.select().from(forces).where(eq(forces.id, id));
  const [view] = await withHistory(q, rows);
  if (!view) throw Errors.notFound('force', id);
  return view;
}

export async function recordHeadcount(scope: Scope, id: string, expected: number | '*', headcount: Headcount) {
  const { tx, force } = scope;
  const [row] = await tx.select().from(forces).where(eq(forces.id, id)).for('update');
  if (!row || (force !== null && force !== id)) throw Errors.notFound('force', id);
  checkVersion(expected, row.version);
  await tx
    .insert(forceHeadcounts)
    .values({ forceId: id, ...headcount, recordedAt: scope.now })
    .onConflictDoUpdate({
      target: [forceHeadcounts.forceId, forceHeadcounts.asOf],
      set: { officers: headcount.officers, constables: headcount.constables, recordedAt: scope.now },
    });
  await tx
    .update(forces)
    .set({ version: row.version + 1, updatedAt: scope.now })
    .where(eq(forces.id, id));
  scope.audit({ action: 'update', resourceType: 'force', resourceId: id, forceId: id, changedFields: ['headcount'] });
  return getForce(tx, id);
}
