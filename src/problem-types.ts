// What each kind of problem means: the catalogue behind every problem `type` and the pages at /problems/<slug>.
// An AppError can only name a slug listed here (src/errors.ts types it so), so every type the service emits has a page.

export interface ProblemType {
  /** The HTTP status the problem comes with. */
  readonly status: number;
  /** The problem's `title`, the same on every occurrence. */
  readonly title: string;
  /** What it means and what to do about it: the page's text. */
  readonly description: string;
}

/** The records a 404 can be about: `<resource>-not-found`, with the words its page uses. */
export const NOT_FOUND_RESOURCES = {
  incident: 'incident',
  victim: 'victim (an assaulted officer or member of staff)',
  suspect: 'suspect',
  'care-plan': "victim's care plan",
  'care-plan-template': 'care plan template of the force',
  'care-step': 'care step',
  'trim-referral': 'TRiM referral',
  case: 'case (the federation view of an incident)',
  force: 'force',
  principal: 'principal (API key holder)',
  key: 'API key of the principal',
  webhook: 'webhook subscription',
  'webhook-delivery': 'delivery of the webhook subscription',
} as const;

export type NotFoundResource = keyof typeof NOT_FOUND_RESOURCES;

const BASE_TYPES = {
  'validation-failed': {
    status: 400,
    title: 'Invalid request',
    description:
      "A part of the request (path, query string, headers or body) does not match the operation's schema. `errors` lists every failing field as `path` (for example `body.occurredAt`, `query.limit`) and `message`. " +
      'Unknown query parameters and unknown body fields are refused too, so a misspelt filter is never silently ignored. Fix the fields named and send the request again.',
  },
  'bad-url': {
    status: 400,
    title: 'Invalid request',
    description: 'The URL could not be read: a malformed percent-encoding, or a path segment longer than 200 characters. Encode the URL correctly.',
  },
  'malformed-json': {
    status: 400,
    title: 'Invalid request',
    description:
      'The body was sent as JSON (`Content-Type: application/json` or `application/merge-patch+json`) but is empty or is not valid JSON. Send a complete JSON document.',
  },
  'invalid-utf8': {
    status: 400,
    title: 'Invalid request',
    description: 'The JSON body holds a byte sequence that is not valid UTF-8. Encode the body as UTF-8; nothing was stored.',
  },
  'bad-request': {
    status: 400,
    title: 'Invalid request',
    description:
      'The request could not be read as HTTP: for example a body shorter or longer than its Content-Length, or a malformed request line or header. ' +
      'Other statuses of the 4xx range that have no type of their own use this type too: `status` says which. Check the client or proxy that sends the request.',
  },
  'access-reason-required': {
    status: 400,
    title: 'Access reason required',
    description:
      'This record holds health data: your role may read it only with an `X-Access-Reason` header saying why (for example the welfare task you are doing). The reason is kept in the audit trail with the read.',
  },
  unauthenticated: {
    status: 401,
    title: 'Authentication required',
    description:
      'No valid API key was sent. Send `Authorization: Bearer <key>` with a key that has not been revoked. Keys are created by an admin (POST /v1/principals).',
  },
  'token-not-accepted': {
    status: 401,
    title: 'Authentication required',
    description:
      'An OpenID Connect access token was sent but is not accepted: its issuer, audience, signature, lifetime, roles or force claim is not one this service takes. `detail` says which. Get a new token.',
  },
  'session-expired': {
    status: 401,
    title: 'Session expired',
    description:
      "The page's sign-in session has ended: nothing was done with it for longer than the idle time (15 minutes by default), or it reached its absolute lifetime. " +
      'The session is deleted and its cookie cleared. Sign in again (GET /auth/login).',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description:
      "The key is valid, but its roles do not allow this operation, or it asks for another force's data. `detail` names the roles the operation needs.",
  },
  'csrf-token-invalid': {
    status: 403,
    title: 'CSRF token missing or wrong',
    description:
      'A request that changes something and is authenticated by the session cookie must carry the `X-CSRF-Token` header with the `csrfToken` of GET /auth/session. ' +
      'Nothing was changed. Requests authenticated with an API key or access token are not affected.',
  },
  'sign-in-not-configured': {
    status: 404,
    title: 'Sign-in not configured',
    description:
      'This deployment has no identity provider configured for the page (`OIDC_ISSUER` and `OIDC_CLIENT_ID`), so there is no sign-in or session. Use an API key.',
  },
  'route-not-found': {
    status: 404,
    title: 'Not found',
    description:
      'No operation has this path. Paths have no trailing slash (`/v1/incidents`, not `/v1/incidents/`) and no empty segments. The operations are listed in /docs and /openapi.json.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description:
      'The path exists but does not take this HTTP method. The `Allow` header lists the methods it takes. Nothing is deleted through the API: records are closed or withdrawn with a PATCH.',
  },
  'request-timeout': {
    status: 408,
    title: 'Request timeout',
    description: 'The request was not received in full in time, so the connection was closed. Send it again.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description: 'Another request wrote a conflicting record at the same moment. Read the record and retry.',
  },
  'duplicate-force-reference': {
    status: 409,
    title: 'Duplicate force reference',
    description:
      'The force already has an incident with this `forceReference`. The `Location` header and `detail` name it: read or amend that incident instead of creating another.',
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    description:
      'The `If-Match` version is not the current version of the record: someone changed it since you read it. Nothing was changed. Read the record again (its `ETag` is the current version), re-apply your change and retry.',
  },
  'body-too-large': {
    status: 413,
    title: 'Payload too large',
    description: 'The request body is larger than the service accepts (1 MB by default). Send less; large numbers of incidents go through POST /v1/imports.',
  },
  'import-too-large': {
    status: 413,
    title: 'Payload too large',
    description:
      'An import holds more lines than one request may: the lines up to the limit were processed, nothing after. Send the rest as another import (`npm run import` splits a file).',
  },
  'import-body-too-large': {
    status: 413,
    title: 'Payload too large',
    description: 'An import body is larger than one request may be: nothing past the limit was read. Send the file in parts (`npm run import` splits a file).',
  },
  'import-line-too-long': {
    status: 413,
    title: 'Payload too large',
    description: 'A line of an import is longer than a line may be: nothing from that line on was read. Check the file has one incident per line.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    description:
      'The operation does not take a body of this `Content-Type`. Bodies are `application/json`; PATCH takes `application/merge-patch+json` too, and POST /v1/imports takes `application/x-ndjson`.',
  },
  'rule-violated': {
    status: 422,
    title: 'Unprocessable request',
    description:
      'The request is well-formed but breaks a rule of the register (for example an event before the assault, or an unknown force). `detail` and `errors` say which rule and which fields.',
  },
  'webhook-target-not-allowed': {
    status: 422,
    title: 'Webhook target not allowed',
    description:
      "Webhooks are sent only to hosts that resolve to public addresses (no loopback, private, link-local or reserved ranges) unless the operator's allow-list names them. `detail` says what the host resolved to.",
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency key reused',
    description:
      'This `Idempotency-Key` was already used with a different body or path. A key names one request: use a new key for a new request; the same key with the same body replays the first answer.',
  },
  'idempotent-answer-erased': {
    status: 422,
    title: 'Stored answer erased',
    description:
      'This `Idempotency-Key` was used, but the answer kept for it held personal or health data since erased under the retention policy, so it is not replayed and the request is not run again. Read the resource for its current state.',
  },
  'precondition-required': {
    status: 428,
    title: 'Precondition required',
    description:
      'A PATCH must say which version it changes: send `If-Match` with the `ETag` of the version you read (`"3"`, or `*` to change whatever version is current).',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    description: 'This key made more requests than its window allows. Wait for the seconds in `Retry-After`, then continue.',
  },
  'authentication-rate-limited': {
    status: 429,
    title: 'Too many failed authentications',
    description:
      "Too many requests with keys or tokens that were not accepted came from this address, or with this key. Wait for the seconds in `Retry-After`. A valid key is not held back by other clients' failures.",
  },
  'headers-too-large': {
    status: 431,
    title: 'Request header fields too large',
    description:
      'The request line and headers together are larger than the server reads (16 KB by default). Send a shorter URL or fewer and shorter headers (cookies, tokens).',
  },
  'internal-error': {
    status: 500,
    title: 'Internal server error',
    description:
      'Something went wrong on our side. It has been logged with the request id (`X-Request-Id` of the answer): quote it when you report the problem.',
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
    description: 'The database is not reachable just now. Retry after the seconds in `Retry-After`.',
  },
} as const satisfies Record<string, ProblemType>;

/** The last segment of every problem `type` the service emits. */
export type ProblemSlug = keyof typeof BASE_TYPES | `${NotFoundResource}-not-found`;

function notFoundType(words: string): ProblemType {
  return {
    status: 404,
    title: 'Not found',
    description:
      `No ${words} with the id in the path exists, or it belongs to another force: a key scoped to one force gets 404, not 403, ` +
      "for another force's records, so that their existence does not leak. Check the id and the key's force.",
  };
}

/** Every problem type, by slug. */
export const PROBLEM_TYPES: Readonly<Record<ProblemSlug, ProblemType>> = {
  ...BASE_TYPES,
  ...(Object.fromEntries(Object.entries(NOT_FOUND_RESOURCES).map(([resource, words]) => [`${resource}-not-found`, notFoundType(words)])) as Record<
    `${NotFoundResource}-not-found`,
    ProblemType
  >),
};

export const isProblemSlug = (value: string): value is ProblemSlug => Object.hasOwn(PROBLEM_TYPES, value);
