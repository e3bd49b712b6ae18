// Schemas and helpers every route shares: the problem document, ids, list envelopes, and the response maps the contract
// is made from (descriptions, headers and examples).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, Errors, problemDocument } from '../errors.ts';
import { ACCESS_REASON_MAX, IF_MATCH_MAX, type ResponseHeader } from './headers.ts';
import { NDJSON } from './ndjson.ts';

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });

export const ProblemSchema = z
  .object({
    type: z
      .string()
      .describe(
        'A URI reference identifying the kind of problem, e.g. `/problems/validation-failed`; stable, safe to switch on. Resolved against the request URL it is a page explaining it (GET /problems/{slug}).',
      ),
    title: z.string().describe('A short summary of the kind of problem.'),
    status: z.number().int().min(400).max(599).describe('The HTTP status code.'),
    detail: z.string().describe('What went wrong with this request, in words.'),
    instance: z.string().describe('The path of the request that failed.'),
    errors: z.array(FieldErrorSchema).optional().describe('Every failing field, when the problem is about the request content.'),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem details document.' });

export const IdSchema = z.uuid().describe('A UUIDv7 identifier.');
export const IdParamsSchema = z.object({ id: IdSchema });
/** The keys of a record about one assaulted officer (a care step, a follow-up, a TRiM referral). */
export const VictimRecordKeys = { id: IdSchema, victimId: IdSchema, incidentId: IdSchema, forceId: IdSchema };
export const Timestamp = z.iso.datetime({ offset: true });

/** A timestamp sent by a client: RFC 3339 with offset, within years 1900-2199 (what the database stores safely). */
export const DateTimeInput = z.iso.datetime({ offset: true }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  // An unparseable value already failed the format check: report that once, not twice.
  return Number.isNaN(year) || (year >= 1900 && year < 2200);
}, 'must be between the years 1900 and 2199');

/** A calendar date sent by a client: YYYY-MM-DD, within years 1900-2199 (the range DateTimeInput allows too). */
export const DateInput = z.iso.date().refine((v) => {
  const year = Number(v.slice(0, 4));
  return year >= 1900 && year < 2200;
}, 'must be between the years 1900 and 2199');

/** Where a problem example's `instance` goes: the contract's transform puts the operation's own path there. */
export const EXAMPLE_INSTANCE = '/v1/…';

/** A problem document as the service answers it (src/errors.ts problemDocument), for the contract's examples. */
const problemExample = (err: AppError, instance = EXAMPLE_INSTANCE) => problemDocument(err, instance);

/** Headers a problem of this status carries (set by the error table, the rate limiter and the auth plugin). */
const PROBLEM_HEADERS: Partial<Record<number, ResponseHeader[]>> = {
  401: ['WwwAuthenticate', 'SetCookie'],
  409: ['Location'],
  422: ['Location'],
  429: ['RetryAfter', 'RateLimitLimit', 'RateLimitRemaining', 'RateLimitReset'],
  503: ['RetryAfter'],
};

/** A problem answer as the contract declares it, with the error as its example (instance: the operation's path unless given). */
export const problemResponse = (description: string, example: AppError, instance?: string) => ({
  description,
  headers: PROBLEM_HEADERS[example.status] ?? [],
  content: { 'application/problem+json': { schema: ProblemSchema, example: problemExample(example, instance) } },
});

const PROBLEMS = {
  400: [
    'The request is malformed: every failing field is listed.',
    Errors.validation([{ path: 'query.limit', message: 'Too big: expected number to be <=500' }], 'query string'),
  ],
  401: ['No valid API key was sent.', Errors.unauthenticated()],
  403: ['The key is valid but its roles do not allow this.', Errors.forbidden()],
  404: ['No such record, or it belongs to another force.', Errors.notFound('incident', '01963a5e-4c2a-7b1e-9f3d-2a4b6c8d0e1f')],
  409: [
    'The request conflicts with an existing record (Location names it).',
    Errors.duplicateForceReference('CRIME-2026-02-0415', '01963a5e-4c2a-7b1e-9f3d-2a4b6c8d0e1f'),
  ],
  412: ['If-Match does not match the current version; nothing was changed.', Errors.preconditionFailed(2)],
  413: ['The request body is too large.', Errors.bodyTooLarge(1_048_576)],
  415: ['The request body is not of a media type this operation takes.', Errors.unsupportedMediaType('text/plain', ['application/json'])],
  422: [
    'The request is well-formed but breaks a rule.',
    Errors.rule('Events are recorded after they happen.', [{ path: 'occurredAt', message: 'is in the future' }]),
  ],
  428: ['If-Match is required.', Errors.preconditionRequired()],
  429: [
    'Too many requests from this key (or failed authentications from this address): wait for Retry-After seconds.',
    new AppError(429, 'rate-limited', 'Too many requests', 'This key may make 1200 requests per 60 s. Retry after 42 s.'),
  ],
  500: ['Unexpected error; details are logged, never returned.', Errors.internal()],
  503: ['The database is unreachable; retry later.', Errors.unavailable()],
} as const satisfies Record<number, readonly [string, AppError]>;

export type ProblemStatus = keyof typeof PROBLEMS;

/** The contract's standard answer for one problem status (for routes outside /v1 that declare their own). */
export const problemOf = (status: ProblemStatus) => problemResponse(PROBLEMS[status][0], PROBLEMS[status][1]);

/** A body that fails its schema: the 400 example of routes that read one. */
const BODY_INVALID = Errors.validation([{ path: 'body.occurredAt', message: 'Invalid ISO datetime' }], 'body');

/**
 * Problem responses for a route: the ones every authenticated route can answer, plus those named, by status or as
 * the error the route answers with (its example: `Errors.notFound('victim', id)` for a 404 about a victim).
 */
export function problems(...extra: (ProblemStatus | AppError)[]) {
  const examples = new Map<number, AppError>();
  for (const code of [400, 401, 403, 429, 500, 503, ...extra] as (ProblemStatus | AppError)[]) {
    const err = code instanceof AppError ? code : PROBLEMS[code][1];
    if (!(code instanceof AppError) && examples.has(err.status)) continue;
    examples.set(err.status, err);
  }
  const codes = [...examples.keys()].sort() as ProblemStatus[];
  return Object.fromEntries(codes.map((c) => [c, problemResponse(PROBLEMS[c][0], examples.get(c)!)])) as Record<
    ProblemStatus,
    ReturnType<typeof problemResponse>
  >;
}

/** Problem responses of routes that read a body: also 413, 415 and 422, and a 400 about the body. */
export function bodyProblems(...extra: (ProblemStatus | AppError)[]) {
  return problems(BODY_INVALID, 413, 415, 422, ...extra);
}

export const PublicProblems = {
  400: problemResponse('The URL is malformed.', Errors.badUrl('a path segment is longer than 200 characters.')),
  500: problemResponse(PROBLEMS[500][0], Errors.internal()),
  503: problemResponse(PROBLEMS[503][0], Errors.unavailable()),
};

/** Registers the example the contract shows for a schema, keeping what the schema is registered with (its id). */
function register(schema: z.ZodType, example: unknown): void {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), examples: [example] });
}

/** The example of a request schema: what a client sends (defaults may be left out). */
export function requestExample<T extends z.ZodType>(schema: T, example: z.input<T>): void {
  register(schema, example);
}

/** The example of an answer's schema: what the service sends. */
export function responseExample<T extends z.ZodType>(schema: T, example: z.output<T>): void {
  register(schema, example);
}

/**
 * The example a schema carries (`.meta({ examples: [...] })`, requestExample, responseExample): what the contract shows
 * for it. test/openapi-contract.test.ts checks every example of the document against the schema it illustrates.
 */
export function exampleOf<T extends z.ZodType>(schema: T): z.output<T> | undefined {
  return (schema.meta()?.examples as z.output<T>[] | undefined)?.[0];
}

/**
 * A JSON answer as the contract declares it: what it is, the headers it carries (beyond those every answer has) and
 * its example (the schema's own unless given).
 */
export function json<T extends z.ZodType>(schema: T, description: string, headers: ResponseHeader[] = [], example: unknown = exampleOf(schema)) {
  return { description, headers, content: { 'application/json': { schema, example } } };
}

/** A redirect (no body): Location says where, with the other headers it sets. */
export const redirect = (description: string, headers: ResponseHeader[] = []) => ({
  description,
  headers: ['RedirectLocation', ...headers] as ResponseHeader[],
  content: {},
});

/** A record read or changed under optimistic concurrency: ETag "<version>" on the answer. */
export const versioned = <T extends z.ZodType>(schema: T, description: string) => json(schema, description, ['ETag']);

/** A create's 201: Location, ETag for a versioned record, and Idempotent-Replayed when it replays an earlier answer. */
export const created = <T extends z.ZodType>(schema: T, description: string, { etag }: { etag: boolean }, example?: unknown) =>
  json(schema, description, ['Location', ...(etag ? (['ETag'] as const) : []), 'IdempotentReplayed'], example ?? exampleOf(schema));

export function listOf<T extends z.ZodType>(item: T) {
  const example = exampleOf(item);
  const list = z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page.'),
  });
  return example === undefined ? list : list.meta({ examples: [{ items: [example], nextCursor: null }] });
}

const CsvSchema = z.string().describe('CSV (RFC 4180) with a header row; cells a spreadsheet would run as a formula are escaped.');
const NdjsonSchema = z.string().describe('NDJSON: one JSON object per line.');
/** The media type of an SVG image (jsonOrCsv's `svg`). */
export const SVG = 'image/svg+xml';
const SvgSchema = z.string().describe('An SVG 1.1 document (image/svg+xml) drawn from the JSON answer.');

/**
 * A 200 offered as JSON and as CSV (Accept: text/csv), and with `ndjson` also as a stream of NDJSON lines (Accept:
 * application/x-ndjson), each line one item of the list. `csv` turns the JSON answer into the CSV the route sends,
 * so the CSV example is the JSON example's. A cursor-paged list names its next page in X-Next-Cursor as CSV.
 * `svg` (a chart of the JSON answer) offers it as image/svg+xml too, its example drawn from the JSON example.
 * `headers`: what the answer carries beyond those every answer has.
 */
export function jsonOrCsv<T extends z.ZodType>(
  schema: T,
  description: string,
  csv: (body: z.output<T>) => string,
  {
    ndjson = false,
    paged = false,
    svg,
    headers = [],
  }: { ndjson?: boolean; paged?: boolean; svg?: (body: z.output<T>) => string; headers?: ResponseHeader[] } = {},
) {
  const example = exampleOf(schema);
  const lines = (body: unknown) => ((body as { items?: unknown[] } | undefined)?.items ?? []).map((item) => JSON.stringify(item)).join('\n') + '\n';
  return {
    description,
    headers: [...(paged ? (['NextCursor'] as ResponseHeader[]) : []), ...headers],
    content: {
      'application/json': { schema, example },
      'text/csv': { schema: CsvSchema, example: example === undefined ? undefined : csv(example) },
      // OpenAPI 3.1 cannot type the lines of a stream: each line is one item of the JSON answer's list.
      ...(ndjson ? { [NDJSON]: { schema: NdjsonSchema, example: example === undefined ? undefined : lines(example) } } : {}),
      ...(svg ? { [SVG]: { schema: SvgSchema, example: example === undefined ? undefined : svg(example) } } : {}),
    },
  };
}

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size, 1–500 (default 50).'),
  cursor: z.string().max(512).optional().describe('The nextCursor of the previous page.'),
});

export const IfMatchHeadersSchema = z.looseObject({
  'if-match': z
    .string()
    .max(IF_MATCH_MAX)
    .optional()
    .describe('The ETag of the version being changed, e.g. "3". Required: 428 without it (checked by the route helper).'),
});

/** X-Access-Reason: any length a header may have; the audit trail keeps its first 500 characters (src/http/route.ts). */
const accessReason = (description: string) =>
  z.string().max(ACCESS_REASON_MAX).optional().describe(`${description} Audited; its first 500 characters are kept.`);

/** X-Access-Reason, declared by the routes that return health data (src/policy.ts REASON_REQUIRED says who must send it). */
export const AccessReasonHeadersSchema = z.looseObject({
  'x-access-reason': accessReason('Why you are reading health data (required for welfare officers and admins where the route says so).'),
});

/**
 * X-Access-Reason where it is optional: the answer carries health fields (src/policy.ts FIELD_POLICY) only for a
 * role that may see them and that sent it; without it they are omitted.
 */
export const OptionalReasonHeadersSchema = z.looseObject({
  'x-access-reason': accessReason('Why you are reading health data. Without it, health fields are omitted from the answer.'),
});

/** If-Match on a PATCH whose answer may carry health fields: with X-Access-Reason as on OptionalReasonHeadersSchema. */
export const IfMatchReasonHeadersSchema = IfMatchHeadersSchema.extend(OptionalReasonHeadersSchema.shape);

/** The offered media type the client names first in Accept; the first offered when it names none. */
export function preferredType<T extends string>(request: FastifyRequest, offered: readonly [T, ...T[]]): T {
  // Quality values are not weighed: whichever the client names first wins.
  const accept = (request.headers.accept ?? '').toLowerCase();
  let best = offered[0];
  let at = Infinity;
  for (const type of offered) {
    const i = accept.indexOf(type);
    if (i >= 0 && i < at) [best, at] = [type, i];
  }
  return best;
}
