// Assertions shared by test files: an answer is an RFC 9457 problem document, and its failing field paths.
import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';

type T = Test;

/** Asserts an RFC 9457 problem document and returns it. */
export function problem(t: T, res: LightMyRequestResponse, status: number, slug?: string) {
  t.equal(res.statusCode, status, `HTTP ${status}`, { body: res.body });
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem content type');
  const body = res.json() as { type: string; title: string; status: number; detail: string; instance: string; errors?: { path: string; message: string }[] };
  for (const field of ['type', 'title', 'detail', 'instance'] as const) t.type(body[field], 'string', `problem has ${field}`);
  t.equal(body.status, status, 'problem status matches');
  t.equal(body.instance, res.raw.req.url?.split('?')[0], 'instance is the request path');
  if (slug) t.equal(body.type, `/problems/${slug}`);
  t.notMatch(res.body, /\b(select|insert|update) .*\bfrom\b|node_modules|\.ts:\d+|\n\s+at /i, 'no SQL or stack trace');
  return body;
}

export const paths = (body: { errors?: { path: string; message: string }[] }) => (body.errors ?? []).map((e) => e.path);
