// Helpers shared by the care and TRiM tests (not a test file itself): problem assertions, recording incidents
// with victims, reading plans, working steps and reading the audit trail.
import type { LightMyRequestResponse } from 'fastify';
import type t from 'tap';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/db/client.ts';
import { incidentBody, victimBody } from '../../factories.ts';
import type { TestApp } from '../../helper.ts';

export type T = Parameters<Parameters<typeof t.test>[0]>[0];

/** More seeded forces (migrations/0002_seed_forces.sql), so a test can own a force and see only its own queue. */
export const FORCE_C = '019b76da-a802-7262-a7a5-fddcc0ac7a65'; // cambridgeshire
export const FORCE_D = '019b76da-a803-7157-ba14-a97280c8dff5'; // cheshire
export const FORCE_E = '019b76da-a804-73db-a6a4-facae3dac256'; // city-of-london
export const FORCE_F = '019b76da-a805-7074-a980-7d11ad516d96'; // cleveland
export const FORCE_G = '019b76da-a806-7057-b91f-4c2897efe5e3'; // cumbria
export const FORCE_H = '019b76da-a807-701c-bc2e-906859f454ea'; // derbyshire
export const FORCE_I = '019b76da-a808-75c9-b8ae-33fcadee2ecf'; // devon-and-cornwall
export const FORCE_J = '019b76da-a809-7689-91b9-91e40783a298'; // dorset

export const REASON = 'Synthetic welfare review (test)';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { path: string; message: string }[];
}

/** Asserts an RFC 9457 problem document with the given status (and type slug) and returns it. */
export function problem(t: T, res: LightMyRequestResponse, status: number, slug?: string): Problem {
  t.equal(res.statusCode, status, `HTTP ${status}`, { body: res.body });
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem content type');
  const body = res.json() as Problem;
  t.equal(body.status, status, 'problem status matches');
  if (slug) t.equal(body.type, `/problems/${slug}`, `problem type ${slug}`);
  t.notMatch(res.body, /\bselect\b.*\bfrom\b|node_modules|\.ts:\d+|\n\s+at /i, 'no SQL or stack trace');
  return body;
}

export const paths = (p: Problem) => (p.errors ?? []).map((e) => e.path);

export function ok(t: T, res: LightMyRequestResponse, status = 200) {
  t.equal(res.statusCode, status, `HTTP ${status}`, { body: res.body });
  return res.json();
}

export interface StepView {
  id: string;
  victimId: string;
  incidentId: string;
  forceId: string;
  position: number;
  key: string;
  title: string;
  ownerRole: string;
  due: { hours: number } | { workingDays: number };
  dueAt: string;
  status: string;
  statusReason?: string | null;
  note?: string | null;
  completedAt: string | null;
  completedBy: string | null;
  history?: { status: string; reason: string | null; at: string; by: string }[];
  version: number;
  updatedAt: string;
}

export interface PlanView {
  victimId: string;
  incidentId: string;
  forceId: string;
  templateForceId: string | null;
  templateVersion: number;
  complete: boolean;
  steps: StepView[];
}

export interface IncidentView {
  id: string;
  forceId: string;
  forceReference: string;
  occurredAt: string;
  version: number;
  victims: { id: string; version: number; staffNumber: string | null; role: string }[];
}

/** Records an incident with `victims` victims through a force-system key; throws unless 201. */
export async function recordIncident(h: TestApp, key: string, overrides: Record<string, unknown> = {}, victims = 1): Promise<IncidentView> {
  const payload = incidentBody({ victims: Array.from({ length: victims }, () => victimBody()), ...overrides });
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload });
  if (res.statusCode !== 201) throw new Error(`incident not recorded: ${res.statusCode} ${res.body}`);
  return res.json() as IncidentView;
}

export async function readPlan(h: TestApp, key: string, victimId: string, reason: string | null = REASON): Promise<PlanView> {
  const res = await h.call(key, { method: 'GET', url: `/v1/victims/${victimId}/care-plan`, headers: reason ? { 'x-access-reason': reason } : {} });
  if (res.statusCode !== 200) throw new Error(`plan not read: ${res.statusCode} ${res.body}`);
  return res.json() as PlanView;
}

/** The plan's steps by key. */
export const byKey = (plan: PlanView) => Object.fromEntries(plan.steps.map((s) => [s.key, s])) as Record<string, StepView>;

/** PATCH a step; with X-Access-Reason unless reason is null (the answer then omits the health fields). */
export const patchStep = (
  h: TestApp,
  key: string | null,
  id: string,
  payload: Record<string, unknown>,
  ifMatch?: string | number,
  reason: string | null = 'Synthetic: working the plan',
) =>
  h.call(key, {
    method: 'PATCH',
    url: `/v1/care-steps/${id}`,
    payload,
    headers: {
      ...(ifMatch === undefined ? {} : { 'if-match': typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch }),
      ...(reason === null ? {} : { 'x-access-reason': reason }),
    },
  });

/** Marks a step done (or another status) at its current version; throws unless 200. */
export async function completeStep(
  h: TestApp,
  key: string,
  step: { id: string; version: number },
  payload: Record<string, unknown> = { status: 'done' },
): Promise<StepView> {
  const res = await patchStep(h, key, step.id, payload, step.version);
  if (res.statusCode !== 200) throw new Error(`step not updated: ${res.statusCode} ${res.body}`);
  return res.json() as StepView;
}

export interface QueueItem {
  kind: 'care_step' | 'follow_up' | 'trim_referral';
  id: string;
  forceId: string;
  incidentId: string;
  incidentReference: string;
  victimId: string;
  victimRole: string;
  staffNumber: string | null;
  stepKey: string | null;
  title: string;
  ownerRole: string | null;
  dueAt: string;
  overdueSeconds: number;
  version: number | null;
}

/** Every item of the queue for a query, walking all pages. */
export async function queueAll(h: TestApp, key: string, query: Record<string, string | number>): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams(Object.entries({ ...query, ...(cursor ? { cursor } : {}) }).map(([k, v]): [string, string] => [k, String(v)]));
    const res = await h.call(key, { method: 'GET', url: `/v1/care-steps?${q.toString()}` });
    if (res.statusCode !== 200) throw new Error(`queue not read: ${res.statusCode} ${res.body}`);
    const body = res.json() as { items: QueueItem[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('queue paging did not end');
}

export interface AuditRow {
  action: string;
  resource_type: string;
  resource_id: string | null;
  force_id: string | null;
  reason: string | null;
  actor_name: string;
  changed_fields: string[] | null;
}

/** Audit events about one resource, oldest first. */
export const auditFor = (h: TestApp, resourceId: string) =>
  queryRows<AuditRow>(
    h.database.db,
    sql`select action, resource_type, resource_id::text as resource_id, force_id::text as force_id, reason, actor_name, changed_fields
          from audit_events where resource_id = ${resourceId} order by occurred_at, id`,
  );

export const iso = (ms: number) => new Date(ms).toISOString();
