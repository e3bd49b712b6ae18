// Schemas and helpers every route shares: the problem document, ids, list envelopes, response maps.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });

export const ProblemSchema = z
  .object({
    type: z
      .string()
      .describe(
        'A URI reference identifying the kind of problem, e.g. `/problems/validation-failed`; stable, safe to switch on. Resolved against the request URL it is a page explaining it (GET /problems/{slug}).',
      ),
    title: z.string().describe('A short summary of the kind of problem.'),
    status: z.number().int().describe('The HTTP status code.'),
    detail: z.string().describe('What went wrong with this request, in words.'),
    instance: z.string().describe('The path of the request that failed.'),
    errors: z.array(FieldErrorSchema).optional().describe('Every failing field, when the problem is about the request content.'),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem details document.' });

export const IdSchema = z.uuid().describe('A UUIDv7 identifier.');
export const IdParamsSchema = z.object({ id: IdSchema });
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

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

const PROBLEM_DESCRIPTIONS = {
  400: 'The request is malformed: every failing field is listed.',
  401: 'No valid API key was sent.',
  403: 'The key is valid but its roles do not allow this.',
  404: 'No such record, or it belongs to another force.',
  409: 'The request conflicts with an existing record.',
  412: 'If-Match does not match the current version; nothing was changed.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  422: 'The request is well-formed but breaks a rule.',
  428: 'If-Match is required.',
  429: 'Too many requests from this key: wait for Retry-After seconds.',
  500: 'Unexpected error; details are logged, never returned.',
  503: 'The database is unreachable; retry later.',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** Problem responses for a route: the ones every authenticated route can answer, plus those named. */
export function problems(...extra: ProblemStatus[]) {
  const codes = new Set<ProblemStatus>([400, 401, 403, 429, 500, 503, ...extra]);
  return Object.fromEntries([...codes].sort().map((c) => [c, problemResponse(PROBLEM_DESCRIPTIONS[c])])) as Record<
    ProblemStatus,
    ReturnType<typeof problemResponse>
  >;
}

/** Problem responses of routes that read a body: also 413, 415 and 422. */
export function bodyProblems(...extra: ProblemStatus[]) {
  return problems(413, 415, 422, ...extra);
}

export const PublicProblems = {
  400: problemResponse('The URL is malformed.'),
  500: problemResponse(PROBLEM_DESCRIPTIONS[500]),
  503: problemResponse(PROBLEM_DESCRIPTIONS[503]),
};

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page.'),
  });
}

/**
 * A 200 response offered as JSON and as CSV (Accept: text/csv); with ndjsonItem also as a stream of
 * NDJSON lines (Accept: application/x-ndjson), each line one item.
 */
export function jsonOrCsv<T extends z.ZodType>(schema: T, description: string, ndjsonItem?: z.ZodType) {
  return {
    description,
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string().describe('CSV with a header row.') },
      // OpenAPI 3.1 cannot say "a sequence of": the schema shown is that of one line.
      ...(ndjsonItem ? { 'application/x-ndjson': { schema: ndjsonItem } } : {}),
    },
  };
}

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size, 1–500 (default 50).'),
  cursor: z.string().max(512).optional().describe('The nextCursor of the previous page.'),
});

export const IfMatchHeadersSchema = z.looseObject({
  'if-match': z.string().max(64).optional().describe('The ETag of the version being changed, e.g. "3". Required.'),
});

/** X-Access-Reason: any length a header may have; the audit trail keeps its first 500 characters (src/http/route.ts). */
const accessReason = (description: string) => z.string().max(4000).optional().describe(`${description} Audited; its first 500 characters are kept.`);

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
