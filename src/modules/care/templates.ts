// Care-plan templates: the national default and per-force versions; publishing adds a version.
import type { Scope } from '../../db/scope.ts';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { carePlanTemplates } from '../../db/schema/index.ts';
import { Errors } from '../../errors.ts';
import { newId } from '../../shared/ids.ts';
import { holidayWindow, MAX_WORKING_DAYS, REGION } from '../../shared/calendar.ts';
import { forceExists } from '../principals/service.ts';
import type { TemplatePut, TemplateView } from './schemas.ts';

export type TemplateRow = typeof carePlanTemplates.$inferSelect;

const scopeOf = (forceId: string | null) => (forceId === null ? isNull(carePlanTemplates.forceId) : eq(carePlanTemplates.forceId, forceId));

async function latest(q: Queryable, forceId: string | null, version?: number): Promise<TemplateRow | undefined> {
  const [row] = await q
    .select()
    .from(carePlanTemplates)
    .where(and(scopeOf(forceId), version ? eq(carePlanTemplates.version, version) : undefined))
    .orderBy(desc(carePlanTemplates.version))
    .limit(1);
  return row;
}

// One query for a force's template: its rows sort before the national ones (nulls last), newest version first.
const forceOrNational = (forceId: string) => or(eq(carePlanTemplates.forceId, forceId), isNull(carePlanTemplates.forceId));
const forceFirst = [sql`${carePlanTemplates.forceId} nulls last`, desc(carePlanTemplates.version)];

/** The template a scope uses now: the force's own latest version, else the national default's latest. */
export async function currentTemplate(q: Queryable, forceId: string | null): Promise<TemplateRow> {
  if (forceId === null) return (await latest(q, null)) ?? noNational();
  const [row] = await q
    .select()
    .from(carePlanTemplates)
    .where(forceOrNational(forceId))
    .orderBy(...forceFirst)
    .limit(1);
  return row ?? noNational();
}

/**
 * The template a force uses now and the bank holidays its steps can reach from `from`, in one query: a new
 * incident's plans need both, and this is one round trip of the POST's instead of two. The holidays cover the widest
 * window any template may have (MAX_WORKING_DAYS): a few rows more than a shorter template needs, and a due time reads
 * only the days it walks.
 */
export async function currentTemplateAndHolidays(q: Queryable, forceId: string, from: Date): Promise<{ template: TemplateRow; holidays: Set<string> }> {
  const { start, end } = holidayWindow(from, MAX_WORKING_DAYS);
  const [row] = await q
    .select({
      template: carePlanTemplates,
      holidays: sql<
        string[] | null
      >`(select json_agg(h.day) from bank_holidays h where h.region = ${REGION} and h.day between ${start}::date and ${end}::date)`,
    })
    .from(carePlanTemplates)
    .where(forceOrNational(forceId))
    .orderBy(...forceFirst)
    .limit(1);
  if (!row) noNational();
  return { template: row.template, holidays: new Set(row.holidays ?? []) };
}

function noNational(): never {
  throw new Error('no national care-plan template: migrations incomplete');
}

export function templateView(row: TemplateRow, source: 'force' | 'national'): TemplateView {
  return { forceId: row.forceId, version: row.version, source, steps: row.steps, createdAt: row.createdAt.toISOString() };
}

function scopeParam(scope: Scope, param: string): string | null {
  const forceId = param === 'national' ? null : param;
  if (forceId !== null && scope.force !== null && scope.force !== forceId) throw Errors.notFound('force', forceId);
  return forceId;
}

export async function getTemplate(scope: Scope, param: string, version?: number): Promise<TemplateView> {
  const q = scope.tx;
  const forceId = scopeParam(scope, param);
  if (forceId !== null && !(await forceExists(q, forceId))) throw Errors.notFound('force', forceId);
  if (version !== undefined) {
    const row = await latest(q, forceId, version);
    if (!row) throw Errors.notFound('care-plan-template', `${param} v${version}`);
    return templateView(row, forceId === null ? 'national' : 'force');
  }
  const row = await currentTemplate(q, forceId);
  return templateView(row, row.forceId === null ? 'national' : 'force');
}

/** Publishes a new version for a force (or the national default, for a national admin). */
export async function putTemplate(scope: Scope, param: string, body: TemplatePut): Promise<TemplateView> {
  const { tx, actor } = scope;
  const forceId = scopeParam(scope, param);
  if (forceId === null && scope.force !== null) throw Errors.forbidden('Only a national admin can change the national default.');
  if (forceId !== null && !(await forceExists(tx, forceId))) throw Errors.notFound('force', forceId);
  // Serialise publishers of the same scope so two versions never get the same number.
  await tx.execute(sql`select pg_advisory_xact_lock(7240223, hashtext(${forceId ?? 'national'}))`);
  const previous = await latest(tx, forceId);
  const [row] = await tx
    .insert(carePlanTemplates)
    .values({ id: newId(), forceId, version: (previous?.version ?? 0) + 1, steps: body.steps, createdAt: scope.now, createdBy: actor.principal.id })
    .returning();
  scope.audit({ action: 'create', resourceType: 'care_plan_template', resourceId: row!.id, forceId, changedFields: ['steps'] });
  return templateView(row!, forceId === null ? 'national' : 'force');
}
