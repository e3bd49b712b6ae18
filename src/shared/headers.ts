// The HTTP headers the service reads and sets, as the contract declares them once (components/headers and
// components/parameters of the OpenAPI document): routes name them, src/plugins/openapi-contract.ts writes them.

/** The longest If-Match the routes take (a longer one is a 400). */
export const IF_MATCH_MAX = 64;
/** The longest X-Access-Reason the routes that declare it take; the audit trail keeps its first 500 characters. */
export const ACCESS_REASON_MAX = 4000;

interface HeaderDefinition {
  /** The header as sent on the wire. */
  readonly name: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
  readonly example: unknown;
}

const integer = { type: 'integer', minimum: 0 } as const;
const text = { type: 'string' } as const;

/** Headers the service sets on answers, by their component name. */
export const RESPONSE_HEADERS = {
  Location: {
    name: 'Location',
    description:
      'The path of what was created: the record itself, or for a follow-up or a justice event the list or timeline it joined. ' +
      'On a 409 about a duplicate force reference: the incident that already has it. On a 422 idempotent-answer-erased: what the erased answer had created.',
    schema: text,
    example: '/v1/incidents/01963a5e-4c2a-7b1e-9f3d-2a4b6c8d0e1f',
  },
  RedirectLocation: {
    name: 'Location',
    description: "Where the browser goes next: the identity provider's sign-in page, or back to the page (/app/...).",
    schema: text,
    example: '/app/',
  },
  ETag: {
    name: 'ETag',
    description: 'The version of the record as an entity tag, e.g. "3": send it back as If-Match to change the record.',
    schema: text,
    example: '"1"',
  },
  IdempotentReplayed: {
    name: 'Idempotent-Replayed',
    description:
      '"true" when this answer is the one kept for an earlier request with the same Idempotency-Key and body: nothing was done again. ' +
      'Absent on a first answer.',
    schema: { type: 'string', enum: ['true'] },
    example: 'true',
  },
  NextCursor: {
    name: 'X-Next-Cursor',
    description: 'With Accept: text/csv, the cursor of the next page (send it as ?cursor=); absent on the last page. The JSON answer carries it as nextCursor.',
    schema: text,
    example: 'eyJhdCI6IjIwMjYtMDItMjdUMjM6NDA6MDAuMDAwWiJ9',
  },
  StatsNotice: {
    name: 'X-Statistics-Notice',
    description:
      "The statistics' notice (the JSON answer's notice): recorded assaults only, and, in the protected view, how disclosure control changed the figures. " +
      'Sent with the CSV too, so the file stays one tidy table (docs/statistics.md, Quarterly table).',
    schema: text,
    example: 'Recorded assaults only: assaults that are not reported are not counted. Definitions: docs/statistics.md.',
  },
  RetryAfter: { name: 'Retry-After', description: 'Seconds to wait before sending the request again.', schema: integer, example: 30 },
  RateLimitLimit: {
    name: 'X-RateLimit-Limit',
    description: 'The requests this API key may make in a window, where the service runs with a rate limit (RATE_LIMIT_MAX, RATE_LIMIT_WINDOW_MS).',
    schema: integer,
    example: 1200,
  },
  RateLimitRemaining: {
    name: 'X-RateLimit-Remaining',
    description: 'The requests this API key has left in the window (0 on a 429).',
    schema: integer,
    example: 1199,
  },
  RateLimitReset: { name: 'X-RateLimit-Reset', description: 'Seconds until the window ends and the count starts again.', schema: integer, example: 42 },
  RequestId: {
    name: 'X-Request-Id',
    description:
      "The request's id in the service's logs: the X-Request-Id the client sent when it is 1-128 letters, digits, '.', '_', ':' or '-', else a new UUID. " +
      'Quote it when reporting a problem.',
    schema: text,
    example: '5f0c2a8e-3b1d-4e6f-9a7c-8d2e4f6a0b1c',
  },
  CacheControl: {
    name: 'Cache-Control',
    description:
      'Always no-store: answers under /v1 can hold personal and health data, and a problem can say what exists; those of /auth carry sessions. ' +
      'No cache may keep them.',
    schema: { type: 'string', enum: ['no-store'] },
    example: 'no-store',
  },
  SetCookie: {
    name: 'Set-Cookie',
    description:
      "The page's cookies, HttpOnly and SameSite=Lax (Secure and __Host- prefixed over https): the sign-in in progress (oar_login, 10 minutes) " +
      'and the session (oar_session, for its absolute lifetime); an ended or unknown session cookie is cleared (Max-Age=0).',
    schema: text,
    example: 'oar_session=3q2bXk9vR1mT6yW0pZ8cL5nH4dF7sJ2a; Max-Age=36000; Path=/; HttpOnly; SameSite=Lax',
  },
  WwwAuthenticate: {
    name: 'WWW-Authenticate',
    description: 'Bearer (with error="invalid_token" when an OpenID Connect access token is not accepted).',
    schema: text,
    example: 'Bearer',
  },
} as const satisfies Record<string, HeaderDefinition>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

interface ParameterDefinition extends HeaderDefinition {
  readonly required: boolean;
}

const accessReason = (description: string, required: boolean, maxLength?: number): ParameterDefinition => ({
  name: 'X-Access-Reason',
  required,
  description: `${description} The reason is kept with every audit event of the request (its first 500 characters).`,
  schema: { type: 'string', ...(maxLength ? { maxLength } : {}) },
  example: 'Welfare check after the assault of 27 February',
});

/** Headers the service reads from requests, by their component name. */
export const REQUEST_HEADERS = {
  IfMatch: {
    name: 'If-Match',
    required: true,
    description:
      'The ETag of the version you are changing, e.g. "3" (the ETag header of the answer that gave you the record, or its version in quotes); ' +
      '* matches any version. Without it the answer is 428; when the record has changed since, 412 and nothing is changed.',
    schema: { type: 'string', maxLength: IF_MATCH_MAX },
    example: '"1"',
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    required: false,
    description:
      'A key of your choosing (1-255 visible ASCII characters; a UUID, say) that makes a retry safe: for at least 24 hours the same key with the ' +
      'same request replays the first answer (with Idempotent-Replayed: true) and does nothing again; with a different request it is a 422. ' +
      'Keys are per API key.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    example: '6c1f1d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f',
  },
  RequestId: {
    name: 'X-Request-Id',
    required: false,
    description:
      "An id for this request, kept in the service's logs and answered back as X-Request-Id (1-128 letters, digits, '.', '_', ':' or '-'; " +
      'otherwise the service makes one), so one id follows a request across systems.',
    schema: { type: 'string', maxLength: 128, pattern: '^[\\w.:-]{1,128}$' },
    example: 'crime-system-7f3a9c',
  },
  AccessReason: accessReason('Why you are making this request: optional here.', false),
  AccessReasonForHealthFields: accessReason(
    "Why you are reading health data. Health fields (such as a victim's injuryDetail, a care step's note) are in the answer only for welfare " +
      'officers and admins who send it; without it they are omitted.',
    false,
    ACCESS_REASON_MAX,
  ),
  AccessReasonRequired: accessReason(
    'Why you are reading health data: required for every role that may call this operation (400 access-reason-required without it).',
    true,
    ACCESS_REASON_MAX,
  ),
} as const satisfies Record<string, ParameterDefinition>;

export type RequestHeader = keyof typeof REQUEST_HEADERS;

/** X-Access-Reason where only some of the roles that may call the operation must send it (src/policy.ts REASON_REQUIRED). */
export function accessReasonForRoles(roles: readonly string[]): ParameterDefinition {
  return accessReason(
    `Why you are reading health data: required for the roles ${roles.join(' and ')} (400 access-reason-required without it); ` +
      'other roles may leave it out and see no health data.',
    false,
    ACCESS_REASON_MAX,
  );
}
