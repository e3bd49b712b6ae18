// One error handler: zod failures, our AppErrors, Fastify errors and unknown errors become RFC 9457 problems; so do
// unknown routes (404, or 405 with Allow), empty path segments (a trailing slash) and what Node's HTTP parser refuses (431...).
import { createHash, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, Errors, problemDocument, type FieldError } from '../errors.ts';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  if (err.headers) reply.headers(err.headers);
  return reply
    .code(err.status)
    .type('application/problem+json')
    .send(problemDocument(err, request.url.split('?')[0] ?? request.url));
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
  if (typeof status === 'number' && status >= 400 && status < 500) return frameworkProblem(err as FastifyError, status, request);
  request.log.error({ err: loggableError(err) }, 'unhandled error');
  return Errors.internal();
}

/** Fastify's own client errors (bad JSON, wrong media type, body too large...), each as a problem type with a page. */
function frameworkProblem(err: FastifyError, status: number, request: FastifyRequest): AppError {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return Errors.malformedJson('it does not parse.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return Errors.malformedJson('it is empty, but Content-Type says JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE': {
      const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes;
      const accepted = consumes ?? (request.method === 'PATCH' ? ['application/merge-patch+json', 'application/json'] : ['application/json']);
      return Errors.unsupportedMediaType(request.headers['content-type'], accepted);
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return Errors.bodyTooLarge(request.routeOptions.bodyLimit);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return Errors.badRequest('The body is not as long as its Content-Length says.');
    default:
      // Messages of Fastify's client errors are safe to show (no data of ours is in them).
      return Errors.badRequest(`The request could not be processed: ${err.message}`, status);
  }
}

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** True when a route of this method matches the path with every named parameter filled (none empty). */
function routeMatches(app: FastifyInstance, method: HTTPMethods, path: string): boolean {
  const found = app.findRoute({ method, url: path }) as { params?: Record<string, string> } | null;
  return found !== null && Object.entries(found.params ?? {}).every(([name, value]) => name === '*' || value !== '');
}

/** 404, or 405 with Allow when the path exists for other methods; names the path without its trailing slash when that exists. */
export function noRoute(app: FastifyInstance, method: string, url: string): AppError {
  const path = url.split('?')[0] ?? url;
  const allowed = METHODS.filter((m) => routeMatches(app, m, path));
  if (allowed.length > 0 && !allowed.includes(method as HTTPMethods)) return Errors.methodNotAllowed(method, path, allowed);
  const bare = path.replace(/\/+$/, '');
  if (bare !== path && bare !== '' && METHODS.includes(method as HTTPMethods) && routeMatches(app, method as HTTPMethods, bare))
    return Errors.routeNotFound(method, url, `Paths take no trailing slash: ${method} ${bare}.`);
  return Errors.routeNotFound(method, url);
}

/** The longest path a 431's `instance` shows: the rest of an over-long URL is not echoed back. */
const MAX_INSTANCE = 1024;

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers or URL over the size it reads, a request
 * that is not HTTP, one that arrives too slowly): the answer is a problem document too, written on the socket.
 */
export function answerClientError(log: FastifyBaseLogger, err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  // A reset connection has no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? Errors.headersTooLarge()
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? Errors.requestTimeout()
        : Errors.badRequest(`The request is not valid HTTP/1.1 (${err.code ?? 'unreadable'}).`);
  const id = randomUUID();
  // The path, when the data read holds the request line: an over-long one is cut, never echoed whole.
  const head = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 8 + MAX_INSTANCE).toString('latin1') : '';
  const target = /^[A-Z]+ (\/[^ ?\r\n]*)/.exec(head)?.[1];
  const instance = target ? target.slice(0, MAX_INSTANCE) : `urn:uuid:${id}`;
  log.info({ reqId: id, code: err.code, status: problem.status }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const body = JSON.stringify(problemDocument(problem, instance));
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        `X-Request-Id: ${id}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

export default fp(
  async function problemsPlugin(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError | AppError, request, reply) => sendProblem(request, reply, toProblem(err, request)));
    app.setNotFoundHandler((request, reply) => sendProblem(request, reply, noRoute(app, request.method, request.url)));
    // Text no database column can hold is refused at the edge, in bodies and query strings alike.
    app.addHook('preValidation', async (request) => {
      const bad = findUnstorable(request.body, 'body') ?? findUnstorable(request.query, 'query');
      if (bad) throw Errors.validation([{ path: bad, message: 'contains a NUL character or an unpaired surrogate' }], bad.split('.')[0]);
    });
  },
  { name: 'problems' },
);
