// Care-plan templates: the national default and per-force versions; publishing adds a version.
import type { Scope } from '../../db/scope.ts';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client.ts';
import { rowFromJson } from '../../db/json-rows.ts';
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

/** What a new victim's plan is made from: the force's current template and the bank holidays its steps can reach. */
export interface CarePlanSource {
  template: TemplateRow;
  holidays: Set<string>;
}

type Json = Record<string, unknown>;

/** The force's own latest template, else the national default's latest, as JSON: its rows sort first (nulls last). */
const templateSql = (forceId: string) =>
  sql<Json | null>`(select row_to_json(t) from (select * from care_plan_templates c where c.force_id = ${forceId} or c.force_id is null order by c.force_id nulls last, c.version desc limit 1) t)`;

/**
 * The force's current template (its own latest version, else the national default's, as JSON) and the bank holidays
 * its steps can reach from `from`, as two SQL expressions: selected alone, or returned by the new incident's insert
 * (one round trip of the POST's instead of two). The holidays cover the widest window any template may have
 * (MAX_WORKING_DAYS): a few rows more than a shorter template needs, and a due time reads only the days it walks.
 * Plain SQL text: a RETURNING list would unqualify drizzle's columns.
 */
export function carePlanSourceSql(forceId: string, from: Date) {
  const { start, end } = holidayWindow(from, MAX_WORKING_DAYS);
  return {
    template: templateSql(forceId),
    holidays: sql<string[] | null>`(select json_agg(h.day) from bank_holidays h where h.region = ${REGION} and h.day between ${start}::date and ${end}::date)`,
  };
}

const templateFromJson = rowFromJson(carePlanTemplates);

/** The source from the two expressions' values. */
export function carePlanSource(row: { template: Json | null; holidays: string[] | null }): CarePlanSource {
  if (!row.template) noNational();
  return { template: templateFromJson(row.template), holidays: new Set(row.holidays ?? []) };
}

/** The template a scope uses now: the force's own latest version, else the national default's latest. */
export async function currentTemplate(q: Queryable, forceId: string | null): Promise<TemplateRow> {
  if (forceId === null) return (await latest(q, null)) ?? noNational();
  const [row] = await queryRows<{ template: Json | null }>(q, sql`select ${templateSql(forceId)} as template`);
  return row?.template ? templateFromJson(row.template) : noNational();
}

/** The template a force uses now and the holidays its steps can reach, in one query. */
export async function currentTemplateAndHolidays(q: Queryable, forceId: string, from: Date): Promise<CarePlanSource> {
  const { template, holidays } = carePlanSourceSql(forceId, from);
  const [row] = await queryRows<{ template: Json | null; holidays: string[] | null }>(q, sql`select ${template} as template, ${holidays} as holidays`);
  return carePlanSource(row!);
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
