// What a validating proxy (Prism) checks of an answer against the committed contract: its status is declared for the
// operation, its media type under that status, and every header of the contract's vocabulary it carries
// (src/shared/headers.ts RESPONSE_HEADERS) is declared on that response. The bodies themselves are checked by the
// routes' zod serialisers. buildTestApp (test/helper.ts) checks every answer of every test this way.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { RESPONSE_HEADERS } from '../../src/shared/headers.ts';

type Json = Record<string, any>;

const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as Json;
const CONTRACT_HEADERS = new Set(Object.values(RESPONSE_HEADERS).map((h) => h.name.toLowerCase()));

/** An answer as the contract sees it. */
export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  /** The body's length (a stream counts as one with a body). */
  bodyLength: number;
}

/** The ways an answer to `method` on the contract's `path` (e.g. '/auth/callback') departs from the contract. */
export function contractViolations(method: string, path: string, res: Answer | LightMyRequestResponse): string[] {
  const answer = 'bodyLength' in res ? res : { statusCode: res.statusCode, headers: res.headers, bodyLength: res.rawPayload.length };
  const op = doc.paths[path]?.[method.toLowerCase()] as Json | undefined;
  if (!op) return [`${method} ${path} is not in the contract`];
  let response = (op.responses[String(answer.statusCode)] ?? op.responses.default) as Json | undefined;
  if (!response) return [`${method} ${path} answered ${answer.statusCode}, which it does not declare`];
  if (response.$ref) response = doc.components.responses[String(response.$ref).split('/').pop()!] as Json;
  const found: string[] = [];
  const where = `${method} ${path} ${answer.statusCode}`;
  const media = String(answer.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (answer.bodyLength > 0 && !response.content?.[media]) found.push(`${where}: body of type ${media || 'none'} is not declared`);
  if (answer.bodyLength === 0 && response.content && method !== 'HEAD') found.push(`${where}: no body, but the contract declares one`);
  const declared = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  for (const name of Object.keys(answer.headers)) {
    if (CONTRACT_HEADERS.has(name.toLowerCase()) && !declared.has(name.toLowerCase())) found.push(`${where}: header ${name} is not declared`);
  }
  return found;
}

/** Paths outside the contract by design: the page, the documentation, the document itself. */
const UNDOCUMENTED = /^\/(app|docs|openapi\.json)(\/|$)/;

/**
 * Checks every answer `app` gives against the contract; the teardown fails the test file when one departed from it.
 * HEAD (Fastify's automatic twin of each GET) and OPTIONS are outside the contract.
 */
export function checkAnswers(t: { teardown(fn: () => unknown): void }, app: FastifyInstance): void {
  const found = new Set<string>();
  const bodies = new WeakMap<object, number>();
  app.addHook('onSend', async (request, _reply, payload) => {
    bodies.set(request, payload == null ? 0 : typeof payload === 'string' || Buffer.isBuffer(payload) ? payload.length : 1);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const path = request.routeOptions.url?.replace(/:(\w+)/g, '{$1}');
    if (!path || UNDOCUMENTED.test(path) || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const answer = { statusCode: reply.statusCode, headers: reply.getHeaders(), bodyLength: bodies.get(request) ?? 0 };
    for (const v of contractViolations(request.method, path, answer)) found.add(v);
  });
  t.teardown(() => {
    if (found.size > 0) throw new Error(`${found.size} kinds of answer depart from openapi/openapi.json:\n${[...found].join('\n')}`);
  });
}
