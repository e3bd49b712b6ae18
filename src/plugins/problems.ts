// One error handler: zod failures, our AppErrors, Fastify errors and unknown errors become RFC 9457 problems.
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, Errors, PROBLEM_BASE, type FieldError } from '../errors.ts';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  if (err.headers) reply.headers(err.headers);
  return reply
    .code(err.status)
    .type('application/problem+json')
    .send({
      type: PROBLEM_BASE + err.slug,
      title: err.title,
      status: err.status,
      detail: err.detail,
      instance: request.url.split('?')[0] ?? request.url,
      ...(err.errors ? { errors: err.errors } : {}),
    });
}

// Connection-level failures: the database is gone or restarting, so the answer is 503, not 500.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '53300',
  '55000',
  '3D000',
]);
// Text the database cannot hold (a NUL byte, a lone surrogate) that slipped past the edge checks.
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message))
      return true;
  }
  return false;
}

// eslint-disable-next-line no-control-regex -- a NUL character is exactly what this looks for
const UNSTORABLE = new RegExp('\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]');

/** The path of the first string (value or key) that Postgres cannot store, if any. */
export function findUnstorable(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (!value || typeof value !== 'object' || depth > 64) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (UNSTORABLE.test(k)) return `${path}.${k.replace(UNSTORABLE, '?')}`;
    const found = findUnstorable(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * What a 500 logs: the error's class, its code (SQLSTATE or Node's), a short hash of the failing statement's
 * text (the same statement always gives the same hash) and the stack frames. Never a message: a driver's carries
 * the SQL and its parameters (personal data), and a multi-line one would spill it into the frames.
 */
export function loggableError(err: Error): Record<string, unknown> {
  const cause = (err as { cause?: { code?: string; name?: string } }).cause;
  const query = (err as { query?: unknown }).query;
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 5)
    .map((line) => line.trim());
  return {
    type: err.name,
    ...(cause?.name ? { causeType: cause.name } : {}),
    code: (err as { code?: string }).code ?? cause?.code,
    ...(typeof query === 'string' ? { statement: createHash('sha256').update(query).digest('hex').slice(0, 12) } : {}),
    frames,
  };
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const inner = instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = context === 'querystring' ? 'query' : (context ?? 'request');
  return inner ? `${where}.${inner}` : where;
}

function toProblem(err: FastifyError | AppError | Error, request: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    const errors: FieldError[] = err.validation.map((v) => ({ path: fieldPath(context, v.instancePath), message: v.message ?? 'is invalid' }));
    return Errors.validation(errors, context === 'querystring' ? 'query string' : context);
  }
  if (isResponseSerializationError(err)) {
    request.log.error({ issues: err.cause.issues, url: err.url }, 'response does not match its schema');
    return Errors.internal();
  }
  if (isDatabaseUnavailable(err)) {
    request.log.warn({ code: (err as { code?: string }).code }, 'database unavailable');
    return Errors.unavailable();
  }
  const sqlState = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
  if (sqlState && UNSTORABLE_TEXT.has(sqlState)) {
    return Errors.validation([{ path: 'body', message: 'contains characters that cannot be stored (NUL or unpaired surrogates)' }], 'body');
  }
  // A unique index caught a race the service's own checks could not see (two writers at once).
  if ((err as { cause?: { code?: string } }).cause?.code === '23505' || (err as { code?: string }).code === '23505') {
    return new AppError(409, 'conflict', 'Conflict', 'The request conflicts with a record written at the same moment. Read it and retry.');
  }
  const status = (err as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, wrong media type, body too large): their messages are safe.
    const code = (err as FastifyError).code ?? 'FST_ERR';
    const slug = code
      .replace(/^FST_ERR_/, '')
      .toLowerCase()
      .replace(/_/g, '-');
    const title = status === 413 ? 'Payload too large' : status === 415 ? 'Unsupported media type' : 'Invalid request';
    return new AppError(status, slug, title, err.message);
  }
  request.log.error({ err: loggableError(err) }, 'unhandled error');
  return Errors.internal();
}

export default fp(
  async function problemsPlugin(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError | AppError, request, reply) => sendProblem(request, reply, toProblem(err, request)));
    app.setNotFoundHandler((request, reply) => sendProblem(request, reply, Errors.routeNotFound(request.method, request.url)));
    // Text no database column can hold is refused at the edge, in bodies and query strings alike.
    app.addHook('preValidation', async (request) => {
      const bad = findUnstorable(request.body, 'body') ?? findUnstorable(request.query, 'query');
      if (bad) throw Errors.validation([{ path: bad, message: 'contains a NUL character or an unpaired surrogate' }], bad.split('.')[0]);
    });
  },
  { name: 'problems' },
);
