// Helpers for the justice and federation-case tests (not a test file itself): problem assertions, recording
// incidents with people, posting justice events, reading the timeline and the audit rows of one request.
import type { LightMyRequestResponse } from 'fastify';
import type t from 'tap';
import { asc, eq } from 'drizzle-orm';
import { auditEvents } from '../../../src/db/schema/index.ts';
import { incidentBody, suspectBody, victimBody } from '../../factories.ts';
import type { TestApp } from '../../helper.ts';

export type T = Parameters<Parameters<typeof t.test>[0]>[0];

/** More seeded forces (migrations/0002_seed_forces.sql), so a test can own a force and see only its own queue. */
export const FORCE_C = '019b76da-a802-7262-a7a5-fddcc0ac7a65'; // cambridgeshire
export const FORCE_D = '019b76da-a803-7157-ba14-a97280c8dff5'; // cheshire
export const FORCE_E = '019b76da-a804-73db-a6a4-facae3dac256'; // city-of-london

export const PROBLEMS = '/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { path: string; message: string }[];
}

/** Asserts an RFC 9457 problem with this status (and type slug) and returns it. */
export function problem(t: T, res: LightMyRequestResponse, status: number, slug?: string): Problem {
  t.equal(res.statusCode, status, `HTTP ${status}`, { body: res.body });
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem content type');
  const body = res.json() as Problem;
  t.equal(body.status, status, 'problem status matches');
  if (slug) t.equal(body.type, PROBLEMS + slug, `problem type ${slug}`);
  t.notMatch(res.body, /\bselect\b.*\bfrom\b|node_modules|\.ts:\d+|\n\s+at /i, 'no SQL or stack trace');
  return body;
}

/** A 422 rule problem whose errors name exactly these paths. */
export function rule(t: T, res: LightMyRequestResponse, ...expected: string[]): Problem {
  const p = problem(t, res, 422, 'rule-violated');
  t.same(paths(p), expected, `errors[].path is ${expected.join(', ')}`);
  return p;
}

export const paths = (p: Problem) => (p.errors ?? []).map((e) => e.path);

export function ok<B = any>(t: T, res: LightMyRequestResponse, status = 200): B {
  t.equal(res.statusCode, status, `HTTP ${status}`, { body: res.body });
  return res.json() as B;
}

export interface Recorded {
  id: string;
  forceId: string;
  version: number;
  victims: string[];
  suspects: string[];
  body: any;
}

/** Records an incident with the given people (default one standard victim and one suspect). */
export async function recordIncident(
  t: T,
  h: TestApp,
  key: string,
  opts: { victims?: Record<string, unknown>[]; suspects?: Record<string, unknown>[]; incident?: Record<string, unknown> } = {},
): Promise<Recorded> {
  const payload = incidentBody({
    ...opts.incident,
    victims: (opts.victims ?? [{}]).map((v) => victimBody(v)),
    suspects: (opts.suspects ?? [{}]).map((s) => suspectBody(s)),
  });
  const res = await h.call(key, { method: 'POST', url: '/v1/incidents', payload });
  const body = ok(t, res, 201);
  return {
    id: body.id,
    forceId: body.forceId,
    version: body.version,
    victims: body.victims.map((v: { id: string }) => v.id),
    suspects: body.suspects.map((s: { id: string }) => s.id),
    body,
  };
}

export function postEvent(h: TestApp, key: string, incidentId: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  return h.call(key, { method: 'POST', url: `/v1/incidents/${incidentId}/justice-events`, payload, headers });
}

/** Posts an event that must be accepted (201) and returns it. */
export async function event(t: T, h: TestApp, key: string, incidentId: string, payload: Record<string, unknown>): Promise<any> {
  const res = await postEvent(h, key, incidentId, payload);
  const body = ok(t, res, 201);
  t.equal(res.headers.location, `/v1/incidents/${incidentId}/justice`, `${String(payload.type)}: Location is the timeline`);
  return body;
}

export interface Notification {
  eventId: string;
  victimId: string;
  decisionType: string;
  decidedAt: string;
  workingDays: number;
  deadlineAt: string;
  toldAt: string | null;
  status: string;
}

export interface Justice {
  incidentId: string;
  status: string;
  outcome: { scheme: string; code: number; label: string; outcomeGroup: string } | null;
  events: any[];
  victimsCode: { summary: { onTime: number; late: number; notYetDue: number; overdue: number }; notifications: Notification[] };
}

export async function justice(t: T, h: TestApp, key: string, incidentId: string): Promise<Justice> {
  return ok<Justice>(t, await h.call(key, { method: 'GET', url: `/v1/incidents/${incidentId}/justice` }));
}

/** The audit rows one request appended, read straight from the table. */
export function auditOf(h: TestApp, res: LightMyRequestResponse) {
  const requestId = res.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') throw new Error('response has no x-request-id');
  return h.database.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.occurredAt), asc(auditEvents.id));
}
