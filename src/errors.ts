// The one error table: every problem the service answers with, each with a stable type URI that resolves to a page.
import type { NotFoundResource, ProblemSlug } from './problem-types.ts';

export { PROBLEM_TYPES, isProblemSlug, type ProblemSlug, type ProblemType } from './problem-types.ts';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * Problem types are relative URI references (RFC 9457 3.1.1): `/problems/<slug>`, resolved against the request's URL,
 * is the page this service serves about that kind of problem (src/modules/problems). Relative, so a type is the same
 * string in every deployment (clients switch on it) and still opens on whichever host answered.
 */
export const PROBLEM_BASE = '/problems/';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly slug: ProblemSlug,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

/** The problem document of an error; instance is the path of the request that failed. */
export function problemDocument(err: AppError, instance: string) {
  return {
    type: PROBLEM_BASE + err.slug,
    title: err.title,
    status: err.status,
    detail: err.detail,
    instance,
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

export const Errors = {
  unauthenticated: () =>
    new AppError(401, 'unauthenticated', 'Authentication required', 'Send a valid API key as "Authorization: Bearer <key>".', undefined, {
      'www-authenticate': 'Bearer',
    }),
  /** A signed OIDC token whose claims do not give a scope or lifetime we accept. */
  tokenNotAccepted: (why: string) =>
    new AppError(401, 'token-not-accepted', 'Authentication required', `The access token is not accepted: ${why}.`, undefined, {
      'www-authenticate': 'Bearer error="invalid_token"',
    }),
  /** The page's session ended: idle too long, or past its absolute lifetime (src/plugins/web-session.ts). */
  sessionExpired: (why: string) =>
    new AppError(401, 'session-expired', 'Session expired', `Your session has ended (${why}): sign in again.`, undefined, {
      'www-authenticate': 'Bearer',
    }),
  /** A write authenticated by the session cookie without the session's X-CSRF-Token. */
  csrfTokenInvalid: () =>
    new AppError(
      403,
      'csrf-token-invalid',
      'CSRF token missing or wrong',
      'A change made with the session cookie must send the X-CSRF-Token header with the csrfToken of GET /auth/session.',
    ),
  signInNotConfigured: () =>
    new AppError(
      404,
      'sign-in-not-configured',
      'Sign-in not configured',
      'This service has no identity provider for the page (OIDC_ISSUER and OIDC_CLIENT_ID): use an API key.',
    ),
  authRateLimited: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'authentication-rate-limited',
      'Too many failed authentications',
      `Too many requests with keys or tokens that were not accepted came from this address, or with this key. Retry after ${retryAfterSeconds} s.`,
      undefined,
      { 'retry-after': String(retryAfterSeconds) },
    ),
  forbidden: (detail = 'Your roles do not allow this action.') => new AppError(403, 'forbidden', 'Forbidden', detail),
  notFound: (resource: NotFoundResource, id: string) =>
    new AppError(404, `${resource}-not-found`, 'Not found', `No ${resource.replace(/-/g, ' ')} with id ${id} exists or it is outside your force.`),
  /** hint: what to send instead, when something near the path exists (without its trailing slash, say). */
  routeNotFound: (method: string, url: string, hint?: string) =>
    new AppError(404, 'route-not-found', 'Not found', `There is no route ${method} ${url.split('?')[0]}.${hint ? ` ${hint}` : ''}`),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new AppError(405, 'method-not-allowed', 'Method not allowed', `${path} does not take ${method}: it takes ${allowed.join(', ')}.`, undefined, {
      allow: allowed.join(', '),
    }),
  validation: (errors: FieldError[], where = 'request') =>
    new AppError(400, 'validation-failed', 'Invalid request', `The ${where} is not valid: ${errors.length} problem(s).`, errors),
  /** Query parameters the operation does not declare: refused as unknown body fields are, so a misspelt filter is not silently ignored. */
  unknownQueryParameters: (names: string[]) =>
    new AppError(
      400,
      'validation-failed',
      'Invalid request',
      `The query string is not valid: ${names.length === 1 ? 'a parameter this operation does not take' : `${names.length} parameters this operation does not take`} (${names.join(', ')}).`,
      names.map((name) => ({ path: `query.${name}`, message: 'is not a parameter of this operation' })),
    ),
  badUrl: (why: string) => new AppError(400, 'bad-url', 'Invalid request', `The URL is not valid: ${why}`),
  malformedJson: (why: string) => new AppError(400, 'malformed-json', 'Invalid request', `The body is not valid JSON: ${why}`),
  unsupportedMediaType: (contentType: string | undefined, accepted: readonly string[]) =>
    new AppError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `This operation does not take a body of type ${contentType ? `"${contentType.split(';')[0]!.trim()}"` : '(none given)'}: send ${accepted.join(' or ')}.`,
    ),
  bodyTooLarge: (limit: number | undefined) =>
    new AppError(
      413,
      'body-too-large',
      'Payload too large',
      `The request body is larger than this operation accepts${limit ? ` (${limit} bytes)` : ''}. Nothing was read or stored.`,
    ),
  /** A request Fastify or Node's HTTP parser could not take; status is the 4xx it was refused with. */
  badRequest: (detail: string, status = 400) => new AppError(status, 'bad-request', 'Invalid request', detail),
  headersTooLarge: () =>
    new AppError(
      431,
      'headers-too-large',
      'Request header fields too large',
      'The request line and headers are larger than this server reads. Send a shorter URL, or fewer or shorter headers.',
    ),
  requestTimeout: () => new AppError(408, 'request-timeout', 'Request timeout', 'The request was not received in full in time. Send it again.'),
  invalidUtf8: () =>
    new AppError(400, 'invalid-utf8', 'Invalid request', 'The request body is not valid UTF-8: send JSON encoded as UTF-8.', [
      { path: 'body', message: 'holds a malformed UTF-8 byte sequence' },
    ]),
  rule: (detail: string, errors?: FieldError[]) => new AppError(422, 'rule-violated', 'Unprocessable request', detail, errors),
  webhookTargetNotAllowed: (why: string) =>
    new AppError(422, 'webhook-target-not-allowed', 'Webhook target not allowed', `The URL's host ${why}.`, [{ path: 'url', message: `host ${why}` }]),
  unknownForce: () =>
    new AppError(422, 'rule-violated', 'Unprocessable request', 'The force does not exist.', [
      { path: 'forceId', message: 'is not a known force id (see GET /v1/forces)' },
    ]),
  duplicateForceReference: (forceReference: string, existingId: string) =>
    new AppError(
      409,
      'duplicate-force-reference',
      'Duplicate force reference',
      `An incident with force reference ${forceReference} already exists in this force: /v1/incidents/${existingId}.`,
      [{ path: 'forceReference', message: `already used by incident ${existingId}` }],
      { location: `/v1/incidents/${existingId}` },
    ),
  idempotencyKeyReused: () =>
    new AppError(422, 'idempotency-key-reused', 'Idempotency key reused', 'This Idempotency-Key was already used with a different request body or path.'),
  /** The answer kept for an Idempotency-Key held data since erased (retention): it is not replayed, nor the request re-run. */
  idempotentAnswerErased: (location: string | undefined) =>
    new AppError(
      422,
      'idempotent-answer-erased',
      'Stored answer erased',
      'This Idempotency-Key was used, but the answer kept for it held personal or health data that has since been erased under the retention policy, so it is not replayed. ' +
        'The request is not run again; read the resource for its current state.',
      undefined,
      location ? { location } : undefined,
    ),
  preconditionRequired: () =>
    new AppError(428, 'precondition-required', 'Precondition required', 'Send If-Match with the ETag of the version you are changing.'),
  preconditionFailed: (current: number) =>
    new AppError(
      412,
      'precondition-failed',
      'Precondition failed',
      `The resource has changed: its current version is ${current}. Read it again and retry with If-Match: "${current}".`,
    ),
  importTooLarge: (maxLines: number, recorded: number) =>
    new AppError(
      413,
      'import-too-large',
      'Payload too large',
      `An import holds at most ${maxLines} lines: the first ${maxLines} were processed (${recorded} recorded) and nothing after them was read. ` +
        'Send the rest as another import (npm run import splits a file); lines already recorded report as exists.',
    ),
  importBodyTooLarge: (maxBytes: number) =>
    new AppError(
      413,
      'import-body-too-large',
      'Payload too large',
      `An import body holds at most ${maxBytes / 1024 / 1024} MB: nothing past the limit was read (lines before it, if any were read, were processed as usual). ` +
        'Send the file in parts (npm run import splits a file).',
    ),
  importLineTooLong: (line: number, maxChars: number) =>
    new AppError(413, 'import-line-too-long', 'Payload too large', `Line ${line} is longer than ${maxChars} characters: nothing from it on was read.`),
  accessReasonRequired: () =>
    new AppError(400, 'access-reason-required', 'Access reason required', 'Reading this record requires an X-Access-Reason header saying why.'),
  unavailable: () =>
    new AppError(503, 'service-unavailable', 'Service unavailable', 'The database is not reachable just now. Retry shortly.', undefined, {
      'retry-after': '5',
    }),
  internal: () => new AppError(500, 'internal-error', 'Internal server error', 'Something went wrong on our side. It has been logged.'),
};
