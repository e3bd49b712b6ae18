// Forces: seeded reference data; admins record headcounts (kept as history) for rates.
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.ts';
import { forceHeadcounts, forces } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { checkVersion } from '../../shared/etag.ts';
import type { Actor } from '../../shared/principal.ts';
import { recordAudit } from '../audit/record.ts';
import type { ForceView, Headcount } from './schemas.ts';

type ForceRow = typeof forces.$inferSelect;
type HeadcountRow = typeof forceHeadcounts.$inferSelect;

function toView(row: ForceRow, history: HeadcountRow[]): ForceView {
  const headcounts = history.map((h) => ({ officers: h.officers, constables: h.constables, asOf: h.asOf }));
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    country: row.country as ForceView['country'],
    kind: row.kind as ForceView['kind'],
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
    .where(inArray(forceHeadcounts.forceId, rows.map((r) => r.id)))
    .orderBy(desc(forceHeadcounts.asOf));
  return rows.map((r) => toView(r, history.filter((h) => h.forceId === r.id)));
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

export async function recordHeadcount(tx: Tx, clock: Clock, actor: Actor, id: string, expected: number | '*', headcount: Headcount) {
  const scope = actor.principal.forceId;
  const [row] = await tx.select().from(forces).where(eq(forces.id, id)).for('update');
  if (!row || (scope !== null && scope !== id)) throw Errors.notFound('force', id);
  checkVersion(expected, row.version);
  await tx
    .insert(forceHeadcounts)
    .values({ forceId: id, ...headcount, recordedAt: clock.now() })
    .onConflictDoUpdate({
      target: [forceHeadcounts.forceId, forceHeadcounts.asOf],
      set: { officers: headcount.officers, constables: headcount.constables, recordedAt: clock.now() },
    });
  await tx.update(forces).set({ version: row.version + 1, updatedAt: clock.now() }).where(eq(forces.id, id));
  await recordAudit(tx, clock, actor, { action: 'update', resourceType: 'force', resourceId: id, forceId: id, changedFields: ['headcount'] });
  return getForce(tx, id);
}
