// Property-based fuzzing (fast-check) of every operation in openapi/openapi.json: params, query, headers and
// bodies generated from the operation's own schema, plus hostile variants (wrong types, ~100 kB strings, ~1000
// levels of nesting, NUL bytes, SQL and HTML metacharacters, unicode, forged cursors, wrong content types,
// invalid JSON), sent with app.inject as an admin, a force_system key of one force and a welfare_officer key of
// that force (so the welfare routes are fuzzed past authorisation too). Every answer: never a 5xx; every 4xx/5xx
// an application/problem+json with type/title/status/detail/instance; the status one the operation declares.
// Then: metacharacters and unicode come back verbatim (JSON, the database row, and CSV quoted correctly).
// Prints one line "RELIABILITY {...}" with its figures (docs/reliability.md). Runs are deterministic:
// FUZZ_RUNS=<n> random cases per operation (5 by default, 20 in CI), FUZZ_SEED=<n> picks another seed,
// FUZZ_ONLY=<regex> fuzzes only matching "METHOD /path" operations, FUZZ_PROFILE=1 prints where the time went.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { queryRows } from '../../src/db/client.ts';
import { FORCE_A, FORCE_B, incidentBody, suspectBody, victimBody } from '../factories.ts';
import { buildTestApp } from '../helper.ts';

// ---------------------------------------------------------------------------------------------------------
// The contract

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | undefined;
  declared: Set<number>;
}

const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, Schema> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody ? Object.values(op.requestBody.content)[0]?.schema : undefined,
      declared: new Set(Object.keys(op.responses).map(Number)),
    })),
);

function resolve(input: Schema): Schema {
  let s = input;
  for (let guard = 0; s.$ref && guard < 20; guard++) {
    const { $ref, ...rest } = s;
    s = { ...doc.components.schemas[$ref.replace('#/components/schemas/', '')], ...rest };
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Values: valid ones from a schema, and hostile ones

/** Metacharacters and unicode that are valid text (no NUL, no lone surrogate): must be stored verbatim. */
const META = [
  "'; drop table incidents; --",
  "1' or '1'='1",
  '"; delete from audit_events; --',
  "Robert'); DROP TABLE victims;--",
  '$$; select pg_sleep(5); $$',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '&amp; &lt;b&gt; <b>bold</b>',
  '{{7*7}} ${7*7} %s %n',
  '..\\..\\windows ../../etc/passwd',
  'Ünïcödé ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚓👮‍♀️ مرحبا 中文 עברית',
  '\u202eevil\u202c \u200b zero width \ufeff bom',
  "=cmd|' /c calc'!A1",
  'quote " comma , newline \r\n end',
];

const HUGE = 'A'.repeat(100_000);
const HUGE_UNICODE = '🚓'.repeat(25_000); // 50,000 UTF-16 units, 100 kB of UTF-8

function nest(depth: number, kind: 'array' | 'object'): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

const HOSTILE_STRINGS = [
  ...META,
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '',
  ' ',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '%00',
  '%',
  HUGE,
  HUGE_UNICODE,
];

const HOSTILE_VALUES: Json[] = [
  ...HOSTILE_STRINGS,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  true,
  false,
  null,
  [],
  {},
  [1, 2, 3],
  { a: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}') as Json,
  { constructor: { prototype: { polluted: true } } },
  nest(1000, 'array'),
  nest(1000, 'object'),
];

const deepText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const RAW_BODIES = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[1,2,',
  'nul',
  '{"a":1} trailing',
  '',
  'null',
  '[]',
  '"a string"',
  '0',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  deepText(1000),
  '['.repeat(1000) + ']'.repeat(1000),
  deepText(10_000),
  JSON.stringify({ a: 'x'.repeat(1_100_000) }), // over the 1 MiB body limit: 413
];

const CONTENT_TYPES = [
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/jsonx',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  '',
];

/** Forged "opaque" cursors: base64url JSON that looks almost right. */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
const FORGED_CURSORS = [
  b64(['2026-01-01T00:00:00.000Z', '-'.repeat(36)]),
  b64(['2026-01-01T00:00:00.000Z', 'a'.repeat(36)]),
  b64(['2026-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']),
  b64(['1899-12-31T23:59:59.000Z', '019b76da-a800-71a8-a40e-525f8a6c036b']),
  b64(['Jan 1 2026', '019b76da-a800-71a8-a40e-525f8a6c036b']),
  b64(["'; drop table incidents; --", '019b76da-a800-71a8-a40e-525f8a6c036b']),
  b64({ at: '2026-01-01T00:00:00Z', id: '019b76da-a800-71a8-a40e-525f8a6c036b' }),
  b64([1, 2]),
  'not base64 !!',
  '',
];

const PATH_HOSTILE = [
  '',
  '..',
  '-1',
  "1'; drop table incidents; <script>alert(1)</script> --",
  'Ünïcödé🚓',
  'a\u0000b',
  'a/b',
  'x'.repeat(200),
  'x'.repeat(100_000),
  '00000000-0000-0000-0000-00000000000g',
];
const PATH_RAW = ['%', '%E0%A4%A', '%00', '..%2F..%2F', '%C0%AF'];

/** A header value as it would arrive over the wire: UTF-8 bytes read as latin1, no control characters, <= 8 kB. */
const wire = (s: string) =>
  [...Buffer.from(s, 'utf8').toString('latin1')]
    .filter((c) => c === '\t' || (c >= ' ' && c !== '\x7f'))
    .join('')
    .slice(0, 8000);

const clampInt = (n: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, n));

interface IdPools {
  forces: string[];
  incidents: string[];
  victims: string[];
  suspects: string[];
  careSteps: string[];
  trimReferrals: string[];
  principals: string[];
  all: string[];
}

const ids: IdPools = { forces: [], incidents: [], victims: [], suspects: [], careSteps: [], trimReferrals: [], principals: [], all: [] };

function poolFor(name: string, path = ''): string[] {
  const byName: Record<string, string[]> = {
    forceId: ids.forces,
    incidentId: ids.incidents,
    victimId: ids.victims,
    suspectId: ids.suspects,
    stepId: ids.careSteps,
    referralId: ids.trimReferrals,
    actorId: ids.principals,
    resourceId: ids.all,
  };
  if (byName[name]) return byName[name]!;
  if (name === 'id') {
    const bySegment: Record<string, string[]> = {
      incidents: ids.incidents,
      victims: ids.victims,
      suspects: ids.suspects,
      'care-steps': ids.careSteps,
      'trim-referrals': ids.trimReferrals,
      principals: ids.principals,
    };
    const pool = bySegment[path.split('/')[2] ?? ''];
    if (pool) return pool;
  }
  return ids.all;
}

function stringArb(s: Schema, name: string): fc.Arbitrary<string> {
  if (s.format === 'uuid') {
    const pool = poolFor(name);
    return pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 }) : fc.uuid();
  }
  if (s.format === 'date-time' || s.format === 'date') {
    const iso = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    return s.format === 'date' ? iso.map((v) => v.slice(0, 10)) : iso;
  }
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 10_000;
  const fits = (v: string) => v.length >= min && v.length <= max;
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  const cap = Math.min(max, 80);
  const meta = META.filter(fits);
  const options: fc.Arbitrary<string>[] = [
    fc.string({ minLength: Math.min(min, cap), maxLength: cap }),
    fc.string({ unit: 'grapheme', minLength: Math.min(min, cap), maxLength: cap }),
  ];
  if (meta.length) options.push(fc.constantFrom(...meta));
  return fc.oneof(...options).filter(fits);
}

/** A value the schema accepts (mostly: rules beyond the schema, and unknown ids, still say no). */
function validArb(input: Schema, name = '', depth = 0, full = false): fc.Arbitrary<unknown> {
  const s = resolve(input);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  // full: optional fields present and, where null is allowed, given a value, so a catalogue base has a value
  // in every field to vary.
  const isNull = (a: Schema) => resolve(a).type === 'null';
  const alternatives = (s.anyOf ?? s.oneOf)?.filter((a, _, all) => !(full && isNull(a) && all.some((b) => !isNull(b))));
  if (alternatives) return fc.oneof(...alternatives.map((a) => validArb(a, name, depth + 1, full)));
  const declared = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : [];
  const types = full && declared.length > 1 ? declared.filter((ty) => ty !== 'null') : declared;
  if (types.length > 1) return fc.oneof(...types.map((type) => validArb({ ...s, type }, name, depth, full)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = clampInt(s.minimum ?? -1000);
      return fc.integer({ min, max: clampInt(Math.min(s.maximum ?? 1000, min + 100_000)) });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArb(s, name);
    case 'array': {
      const itemSchema = resolve(s.items ?? {});
      const item = validArb(itemSchema, name, depth + 1, full);
      const maxLength = Math.min(s.maxItems ?? 3, 3);
      const minLength = Math.min(s.minItems ?? 0, maxLength);
      return itemSchema.enum ? fc.uniqueArray(item, { minLength, maxLength }) : fc.array(item, { minLength, maxLength });
    }
    case 'object': {
      if (depth > 8) return fc.constant({});
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validArb(v, k, depth + 1, full)]));
      return fc.record(model, { requiredKeys: full ? Object.keys(props) : (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Requests

interface FuzzRequest {
  variant: string;
  pathParams: Record<string, { value: string; raw?: boolean }>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: { contentType: string; payload: string };
}

const asQueryValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function validRequestArb(op: Operation, full = false): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const pool = poolFor(p.name, op.path);
        return [
          p.name,
          (pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 5 }, { arbitrary: fc.uuid(), weight: 1 }) : fc.uuid()).map((value) => ({
            value,
          })),
        ];
      }),
    ),
  );
  const queryArb = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(
        validArb(p.schema ?? {}, p.name).map((v) => [p.name, asQueryValue(v)] as [string, string]),
        { freq: 2 },
      ),
    ),
  );
  const headerValue = (name: string): fc.Arbitrary<string> =>
    name === 'if-match'
      ? fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '1')
      : name === 'x-access-reason'
        ? fc.constantFrom('welfare review', 'fuzzing: a reason')
        : fc.constant('x');
  const headerArb = fc.tuple(
    ...headerParams.map((p) =>
      fc.option(
        headerValue(p.name).map((v) => [p.name, v] as [string, string]),
        { freq: 4 },
      ),
    ),
  );
  const extraHeaders = fc.record(
    {
      accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'application/problem+json'),
      'idempotency-key': fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/),
      'x-access-reason': fc.constantFrom('welfare review', 'fuzzing'),
    },
    { requiredKeys: [] },
  );
  const bodyArb: fc.Arbitrary<FuzzRequest['body']> = op.body
    ? validArb(op.body, '', 0, full).map((v) => ({
        contentType: op.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
        payload: JSON.stringify(v),
      }))
    : fc.constant(undefined);
  return fc.record({ pathArb, queryArb, headerArb, extraHeaders, bodyArb }).map(({ pathArb: p, queryArb: q, headerArb: h, extraHeaders: x, bodyArb: b }) => {
    const headers: Record<string, string> = { ...x };
    if (op.method !== 'POST') delete headers['idempotency-key'];
    for (const pair of h) if (pair) headers[pair[0]] = pair[1];
    return { variant: 'valid', pathParams: p, query: q.filter((x): x is [string, string] => x !== null), headers, ...(b ? { body: b } : {}) };
  });
}

/** Whether the schema at this path of a value is free text (a string without enum, format or pattern). */
function isFreeText(root: Schema, at: (string | number)[]): boolean {
  let candidates: Schema[] = [root];
  for (const k of at) {
    candidates = candidates
      .flatMap((c) => {
        const r = resolve(c);
        return [r, ...(r.anyOf ?? []), ...(r.oneOf ?? [])].map(resolve);
      })
      .flatMap((c) => (typeof k === 'number' ? (c.items ? [c.items] : []) : c.properties?.[k] ? [c.properties[k]] : []));
  }
  return candidates
    .flatMap((c) => {
      const r = resolve(c);
      return [r, ...(r.anyOf ?? []), ...(r.oneOf ?? [])].map(resolve);
    })
    .some((c) => (c.type === 'string' || (Array.isArray(c.type) && c.type.includes('string'))) && !c.enum && !c.format && !c.pattern && c.const === undefined);
}

/** Every path in a JSON value (the root is []). */
function pathsOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

/**
 * The payload as a value a mutation can edit and write back. Not when it is not JSON, nor when it is JSON too deep
 * to write back (a raw hostile body such as 100,000 nested objects parses, but JSON.stringify overflows the stack):
 * such a body is sent as it is, it is not a base to build on.
 */
function parseOr(payload: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const value = JSON.parse(payload) as unknown;
    JSON.stringify(value);
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
  return copy;
}

type Mutation = (r: FuzzRequest) => FuzzRequest;

function mutationArb(op: Operation): fc.Arbitrary<Mutation> {
  const hostileValue = fc.oneof(
    { arbitrary: fc.constantFrom(...HOSTILE_VALUES), weight: 4 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, weight: 1 },
  );
  const hostileString = fc.oneof(
    { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  );
  const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const headerNames = [
    ...op.parameters.filter((p) => p.in === 'header').map((p) => p.name),
    'accept',
    'x-request-id',
    'x-access-reason',
    'if-match',
    'content-type',
    ...(op.method === 'POST' ? ['idempotency-key'] : []),
  ];
  const out: fc.Arbitrary<Mutation>[] = [];
  if (op.body) {
    out.push(
      fc.tuple(fc.nat(), hostileValue).map(([n, v]): Mutation => (r) => {
        const parsed = r.body ? parseOr(r.body.payload) : { ok: false as const };
        if (!r.body || !parsed.ok) return r;
        const value = parsed.value;
        const paths = pathsOf(value);
        const at = paths[n % paths.length]!;
        return { ...r, variant: `body ${at.join('.') || '(root)'} = hostile`, body: { ...r.body, payload: JSON.stringify(setAt(value, at, v)) } };
      }),
      fc
        .tuple(fc.constantFrom('unknownField', '__proto__', 'constructor', 'id', 'version', 'forceId', 'status'), hostileValue)
        .map(([k, v]): Mutation => (r) => {
          const parsed = r.body ? parseOr(r.body.payload) : { ok: false as const };
          if (!r.body || !parsed.ok) return r;
          const value = parsed.value;
          if (!value || typeof value !== 'object' || Array.isArray(value)) return r;
          const payload = JSON.stringify(value).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v)}${Object.keys(value).length ? ',' : ''}`);
          return { ...r, variant: `body extra field ${k}`, body: { ...r.body, payload } };
        }),
      fc
        .constantFrom(...RAW_BODIES.map((_, i) => i))
        .map((i): Mutation => (r) => ({ ...r, variant: `raw body #${i}`, body: { contentType: 'application/json', payload: RAW_BODIES[i]! } })),
      fc
        .constantFrom(...CONTENT_TYPES)
        .map((ct): Mutation => (r) => ({ ...r, variant: `content-type ${ct || '(none)'}`, body: { contentType: ct, payload: r.body?.payload ?? '{}' } })),
    );
  }
  if (pathParams.length) {
    out.push(
      fc.tuple(fc.constantFrom(...pathParams), fc.oneof(fc.constantFrom(...PATH_HOSTILE), hostileString)).map(([name, v]): Mutation => (r) => ({
        ...r,
        variant: `path ${name} = hostile`,
        pathParams: { ...r.pathParams, [name]: { value: v } },
      })),
      fc.tuple(fc.constantFrom(...pathParams), fc.constantFrom(...PATH_RAW)).map(([name, v]): Mutation => (r) => ({
        ...r,
        variant: `path ${name} = raw ${v}`,
        pathParams: { ...r.pathParams, [name]: { value: v, raw: true } },
      })),
    );
  }
  if (queryParams.length) {
    out.push(
      fc.tuple(fc.constantFrom(...queryParams), fc.oneof(hostileString, hostileValue.map(asQueryValue))).map(([name, v]): Mutation => (r) => ({
        ...r,
        variant: `query ${name} = hostile`,
        query: [...r.query.filter(([k]) => k !== name), [name, v]],
      })),
      fc
        .constantFrom(...queryParams)
        .map((name): Mutation => (r) => ({ ...r, variant: `query ${name} repeated`, query: [...r.query, [name, '1'], [name, '2']] })),
    );
  }
  if (queryParams.includes('cursor')) {
    out.push(
      fc
        .constantFrom(...FORGED_CURSORS)
        .map((c): Mutation => (r) => ({ ...r, variant: 'forged cursor', query: [...r.query.filter(([k]) => k !== 'cursor'), ['cursor', c]] })),
    );
  }
  out.push(
    fc
      .tuple(fc.constantFrom('unknown', 'limit', '__proto__', 'constructor', 'a[b]', 'a.b'), hostileString)
      .map(([k, v]): Mutation => (r) => ({ ...r, variant: `query extra ${k}`, query: [...r.query, [k, v]] })),
    fc
      .tuple(fc.constantFrom(...headerNames), hostileString)
      .map(([name, v]): Mutation => (r) => ({ ...r, variant: `header ${name} = hostile`, headers: { ...r.headers, [name]: v } })),
  );
  return fc.oneof(...out);
}

function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  const valid = validRequestArb(op);
  const mutated = fc.tuple(valid, fc.array(mutationArb(op), { minLength: 1, maxLength: 2 })).map(([r, ms]) =>
    ms.reduce((acc, m) => {
      const next = m(acc);
      return { ...next, variant: acc.variant === 'valid' ? next.variant : `${acc.variant} + ${next.variant}` };
    }, r),
  );
  return fc.oneof({ arbitrary: valid, weight: 1 }, { arbitrary: mutated, weight: 3 });
}

/** Every hostile kind at least once per operation, from one valid request: run before the random cases. */
function catalogue(op: Operation, base: FuzzRequest): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  if (op.body && base.body) {
    const value = JSON.parse(base.body.payload) as unknown;
    // Every free-text field (up to 16) gets a NUL byte and a lone surrogate; every top-level field gets two of the
    // other kinds, in rotation.
    const textPaths = pathsOf(value)
      .filter(
        (at) =>
          at.length > 0 && typeof at.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value) === 'string' && isFreeText(op.body!, at),
      )
      .slice(0, 16);
    for (const at of textPaths) {
      for (const v of ['a\u0000b', 'x\ud800y'])
        out.push({ ...base, variant: `body ${at.join('.')} = ${JSON.stringify(v)}`, body: { ...base.body, payload: JSON.stringify(setAt(value, at, v)) } });
    }
    const kinds = [HUGE, nest(1000, 'object'), 12345, "'; drop table incidents; <script>alert(1)</script> --"] as Json[];
    const top = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    for (const [i, key] of top.entries()) {
      for (const v of [kinds[i % kinds.length]!, kinds[(i + 1) % kinds.length]!]) {
        out.push({
          ...base,
          variant: `body ${key} = ${typeof v === 'string' ? JSON.stringify(v.slice(0, 12)) : Array.isArray(v) ? 'array' : typeof v}`,
          body: { ...base.body, payload: JSON.stringify(setAt(value, [key], v)) },
        });
      }
    }
    RAW_BODIES.forEach((payload, i) => out.push({ ...base, variant: `raw body #${i}`, body: { contentType: 'application/json', payload } }));
    for (const ct of CONTENT_TYPES) out.push({ ...base, variant: `content-type ${ct || '(none)'}`, body: { contentType: ct, payload: base.body.payload } });
    out.push({ ...base, variant: 'body omitted', body: undefined as never });
  }
  for (const name of pathParams) {
    for (const v of PATH_HOSTILE)
      out.push({ ...base, variant: `path ${name} = ${JSON.stringify(v.slice(0, 12))}`, pathParams: { ...base.pathParams, [name]: { value: v } } });
    for (const v of PATH_RAW) out.push({ ...base, variant: `path ${name} = raw ${v}`, pathParams: { ...base.pathParams, [name]: { value: v, raw: true } } });
  }
  for (const name of queryParams) {
    for (const v of ['a\u0000b', HUGE, "'; drop table incidents; <script>alert(1)</script> \ud800 -1"]) {
      out.push({ ...base, variant: `query ${name} = ${JSON.stringify(v.slice(0, 12))}`, query: [...base.query.filter(([k]) => k !== name), [name, v]] });
    }
    out.push({ ...base, variant: `query ${name} repeated`, query: [...base.query, [name, '1'], [name, '2']] });
  }
  if (queryParams.includes('cursor')) {
    FORGED_CURSORS.forEach((c, i) =>
      out.push({ ...base, variant: `forged cursor #${i}`, query: [...base.query.filter(([k]) => k !== 'cursor'), ['cursor', c]] }),
    );
  }
  const headerNames = [
    ...new Set([...op.parameters.filter((p) => p.in === 'header').map((p) => p.name), 'accept', 'x-request-id', 'if-match', 'x-access-reason']),
  ];
  const headerValues = ['x'.repeat(8000), "'; drop table incidents; <script>alert(1)</script> Ünïcödé🚓", ''];
  for (const [i, name] of headerNames.entries()) {
    for (const v of [headerValues[i % headerValues.length]!])
      out.push({ ...base, variant: `header ${name} = ${JSON.stringify(v.slice(0, 12))}`, headers: { ...base.headers, [name]: v } });
  }
  if (op.method === 'POST') {
    for (const v of ['', 'x'.repeat(300), 'key with spaces', 'Ünïcödé🚓'])
      out.push({ ...base, variant: `idempotency-key ${JSON.stringify(v.slice(0, 12))}`, headers: { ...base.headers, 'idempotency-key': v } });
  }
  return out;
}

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) 3-byte UTF-8 form instead of throwing. */
function encodeComponent(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff)
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

function urlOf(op: Operation, r: FuzzRequest): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = r.pathParams[name];
    if (!p) return '';
    return p.raw ? p.value : encodeComponent(p.value);
  });
  const qs = r.query.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
  return qs ? `${path}?${qs}` : path;
}

const describeRequest = (op: Operation, r: FuzzRequest) =>
  `${op.method} ${urlOf(op, r).slice(0, 160)} headers=${JSON.stringify(r.headers).slice(0, 160)} body=${r.body ? `${r.body.contentType} ${r.body.payload.slice(0, 160)}` : '-'}`;

// ---------------------------------------------------------------------------------------------------------
// Verdicts

function answerKind(res: LightMyRequestResponse): string {
  try {
    const body = res.json() as { type?: unknown; code?: unknown };
    return String(body.type ?? body.code ?? '?').replace(/^https:\/\/[^/]+\/problems\//, '');
  } catch {
    return 'not JSON';
  }
}

/**
 * A 405 for a URL that, its dot segments resolved (a path id of ".."), names another resource: the answer is that
 * resource's, not this operation's (POST /v1/incidents/../victims is POST /v1/victims).
 */
function elsewhere(op: Operation, res: LightMyRequestResponse): boolean {
  if (res.statusCode !== 405) return false;
  const template = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]*')}$`);
  try {
    return !template.test(String((res.json() as { instance?: unknown }).instance ?? '').split('?')[0]!);
  } catch {
    return false;
  }
}

function verdict(op: Operation, res: LightMyRequestResponse): string[] {
  const reasons: string[] = [];
  const status = res.statusCode;
  if (status >= 500) reasons.push(`${status}: a 5xx`);
  if (!op.declared.has(status) && !elsewhere(op, res)) reasons.push(`${status}: a status the operation does not declare`);
  if (status >= 400) {
    const wrong: string[] = [];
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json')) wrong.push(`content-type ${type || '(none)'}`);
    let body: Record<string, unknown> | null = null;
    try {
      body = res.json() as Record<string, unknown>;
    } catch {
      wrong.push('body is not JSON');
    }
    if (body) {
      const missing = ['type', 'title', 'detail', 'instance'].filter((field) => typeof body[field] !== 'string');
      if (missing.length) wrong.push(`no ${missing.join('/')}`);
      if (body.status !== status) wrong.push(`status field ${String(body.status)}`);
    }
    if (/node_modules|\.ts:\d+|\n\s+at\s/.test(res.body)) wrong.push('a stack trace');
    if (wrong.length) reasons.push(`${status}: not a problem document (${wrong.join(', ')})`);
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Random cases per operation and principal: FUZZ_RUNS, 5 by default so `npm test` stays quick; CI runs
 * 20 (.ci/run). The catalogue of hostile cases runs in full either way.
 */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 5);
/** Random cases for a principal the route refuses: authorisation answers before anything is read. */
const REFUSED_RUNS = Math.min(5, NUM_RUNS);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const figures = {
  seed: SEED,
  operations: operations.length,
  principals: 0,
  casesRun: 0,
  catalogueCases: 0,
  randomCases: 0,
  fiveXX: 0,
  undeclaredStatus: 0,
  malformedProblems: 0,
  violations: 0,
  operationsReachedPastAuth: 0,
  operationsWithSuccessfulBase: 0,
  statuses: {} as Record<string, number>,
  verbatim: { fieldsChecked: 0, csvCellsChecked: 0, propertyRuns: 0, mismatches: 0 },
};
t.teardown(() => {
  console.log('RELIABILITY ' + JSON.stringify({ test: 'test/reliability/fuzz.test.ts', ...figures }));
});

const h = await buildTestApp(t);
const systemA = await h.key(['force_system'], FORCE_A, 'fuzz force A system');
const welfareA = await h.key(['welfare_officer'], FORCE_A, 'fuzz force A welfare');
const systemB = await h.key(['force_system'], FORCE_B, 'fuzz force B system');

const principals = [
  { name: 'admin', key: h.adminKey },
  { name: 'force_system A', key: systemA },
  { name: 'welfare_officer A', key: welfareA },
];
figures.principals = principals.length;

async function must(res: LightMyRequestResponse, status: number): Promise<Record<string, unknown>> {
  if (res.statusCode !== status) throw new Error(`setup: expected ${status}, got ${res.statusCode} ${res.body.slice(0, 500)}`);
  return res.json() as Record<string, unknown>;
}

// Records for the fuzz to aim at: ours (force A), another force's, and principals it may revoke.
{
  for (const [key, n] of [
    [systemA, 3],
    [systemB, 1],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const inc = await must(
        await h.call(key, {
          method: 'POST',
          url: '/v1/incidents',
          payload: incidentBody({ victims: [victimBody(), victimBody()], suspects: [suspectBody()] }),
        }),
        201,
      );
      ids.incidents.push(inc.id as string);
      ids.victims.push(...(inc.victims as { id: string }[]).map((v) => v.id));
      ids.suspects.push(...(inc.suspects as { id: string }[]).map((s) => s.id));
    }
  }
  const firstSuspect = ids.suspects[0]!;
  await must(
    await h.call(systemA, {
      method: 'POST',
      url: `/v1/incidents/${ids.incidents[0]}/justice-events`,
      payload: { type: 'arrest', occurredAt: '2026-02-28T01:00:00Z', suspectId: firstSuspect },
    }),
    201,
  );
  const referral = await must(
    await h.call(welfareA, {
      method: 'POST',
      url: `/v1/victims/${ids.victims[0]}/trim-referrals`,
      payload: { referredBy: 'Synthetic sergeant', consent: 'given' },
    }),
    201,
  );
  ids.trimReferrals.push(referral.id as string);
  ids.careSteps.push(...(await queryRows<{ id: string }>(h.database.db, sql`select id from care_steps order by created_at limit 4`)).map((r) => r.id));
  for (let i = 0; i < 4; i++) {
    const p = await must(
      await h.call(h.adminKey, { method: 'POST', url: '/v1/principals', payload: { name: `fuzz target ${i}`, roles: ['analyst'], forceId: null } }),
      201,
    );
    ids.principals.push(p.id as string);
  }
  ids.forces.push(FORCE_A, FORCE_B, '019b76da-a802-7262-a7a5-fddcc0ac7a65');
  ids.all.push(...ids.incidents, ...ids.victims, ...ids.suspects, ...ids.careSteps, ...ids.trimReferrals, ...ids.forces);
}

// ---------------------------------------------------------------------------------------------------------
// Verbatim: metacharacters and unicode are stored and returned as sent, in JSON and in CSV.

/** RFC 4180, strictly: a quote only opens a cell, a bare CR or LF only ends a row. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        cell += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new Error(`a quote inside an unquoted cell at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`a bare line break in an unquoted cell at ${i}`);
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('an unterminated quoted cell');
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** What the CSV promises for a text cell: formula starters prefixed with ' (README), the text otherwise intact. */
const csvText = (s: string) => (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s);

let verbatimCounter = 0;

async function roundTrip(t: Test, fields: { forceReference: string; narrative: string; description: string; staffNumber: string }): Promise<boolean> {
  const v = figures.verbatim;
  let ok = true;
  const same = (actual: unknown, expected: string, what: string) => {
    v.fieldsChecked++;
    if (actual !== expected) {
      ok = false;
      v.mismatches++;
      t.equal(actual, expected, `${what} verbatim`);
    }
  };
  const created = await h.call(systemA, {
    method: 'POST',
    url: '/v1/incidents',
    payload: incidentBody({
      forceReference: fields.forceReference,
      narrative: fields.narrative,
      location: { description: fields.description, locationType: 'street' },
      victims: [victimBody({ staffNumber: fields.staffNumber })],
    }),
  });
  if (created.statusCode !== 201) {
    t.equal(created.statusCode, 201, `create ${created.body.slice(0, 300)}`);
    v.mismatches++;
    return false;
  }
  const id = (created.json() as { id: string }).id;
  for (const [label, res] of [
    ['POST answer', created],
    ['GET', await h.call(systemA, { method: 'GET', url: `/v1/incidents/${id}` })],
  ] as const) {
    const body = res.json() as { forceReference: string; narrative: string; location: { description: string }; victims: { id: string; staffNumber: string }[] };
    same(body.forceReference, fields.forceReference, `${label} forceReference`);
    same(body.narrative, fields.narrative, `${label} narrative`);
    same(body.location.description, fields.description, `${label} location.description`);
    same(body.victims[0]?.staffNumber, fields.staffNumber, `${label} victims[0].staffNumber`);
    // Byte for byte: the JSON text holds each value exactly as JSON.stringify writes it (no HTML escaping).
    for (const value of Object.values(fields)) {
      v.fieldsChecked++;
      if (!res.rawPayload.includes(Buffer.from(JSON.stringify(value), 'utf8'))) {
        ok = false;
        v.mismatches++;
        t.fail(`${label}: the raw JSON does not hold ${JSON.stringify(value)} byte for byte`);
      }
    }
  }
  const victimId = ((created.json() as { victims: { id: string }[] }).victims[0] as { id: string }).id;
  same(
    ((await h.call(systemA, { method: 'GET', url: `/v1/victims/${victimId}` })).json() as { staffNumber: string }).staffNumber,
    fields.staffNumber,
    'GET victim staffNumber',
  );
  // Stored as sent: the database row, not an escaped form of it.
  const [row] = await queryRows<{ force_reference: string; narrative: string; description: string; staff_number: string }>(
    h.database.db,
    sql`select i.force_reference, i.narrative, i.location->>'description' as description, v.staff_number
          from incidents i join victims v on v.incident_id = i.id where i.id = ${id}`,
  );
  same(row?.force_reference, fields.forceReference, 'stored force_reference');
  same(row?.narrative, fields.narrative, 'stored narrative');
  same(row?.description, fields.description, 'stored location description');
  same(row?.staff_number, fields.staffNumber, 'stored staff_number');
  // CSV: one header row and one data row, as many cells as headers, the reference cell intact.
  const csv = await h.call(systemA, {
    method: 'GET',
    url: `/v1/incidents?forceReference=${encodeURIComponent(fields.forceReference)}`,
    headers: { accept: 'text/csv' },
  });
  let rows: string[][] = [];
  try {
    rows = parseCsv(csv.body);
  } catch (err) {
    ok = false;
    t.fail(`CSV does not parse: ${(err as Error).message}: ${csv.body.slice(0, 300)}`);
  }
  const header = rows[0] ?? [];
  const refColumn = header.indexOf('forceReference');
  v.csvCellsChecked++;
  if (csv.statusCode !== 200 || rows.length !== 2 || rows[1]?.length !== header.length || rows[1]?.[refColumn] !== csvText(fields.forceReference)) {
    ok = false;
    v.mismatches++;
    t.same(
      { status: csv.statusCode, rows: rows.length, cells: rows[1]?.length, ref: rows[1]?.[refColumn] },
      { status: 200, rows: 2, cells: header.length, ref: csvText(fields.forceReference) },
      `CSV row: ${csv.body.slice(0, 400)}`,
    );
  }
  return ok;
}

t.test('metacharacters and unicode come back verbatim: JSON, the stored row, CSV', async (t) => {
  const tag = randomBytes(3).toString('hex');
  t.ok(
    await roundTrip(t, {
      forceReference: `V${tag} '; drop table incidents; -- "q", <b>&amp; 🚓`,
      narrative: META.join('\n'),
      description: `<script>alert(1)</script> '; drop table incidents; -- Ünïcödé ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👮‍♀️ مرحبا 中文`,
      staffNumber: `'";<b>&amp;🚓,\r\n${tag}`,
    }),
    'hand-picked metacharacters',
  );
  t.ok(
    await roundTrip(t, {
      forceReference: `=HYPERLINK("http://x.example","y"),'${tag}`,
      narrative: '+SUM(A1) @cmd -x',
      description: 'quote " comma , cr \r lf \n tab \t end',
      staffNumber: `@${tag}"x"`,
    }),
    'formula starters are neutralised in CSV and kept verbatim in JSON',
  );
  const char = fc.oneof(
    { arbitrary: fc.constantFrom("'", '"', ';', '-', '<', '>', '&', '\\', ',', '\r', '\n', '%', '$', '=', '@', '+', '`', '/', '*'), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 2 },
  );
  const text = (max: number) => fc.string({ unit: char, maxLength: max }).filter((s) => s.length <= max);
  await fc.assert(
    fc.asyncProperty(fc.record({ ref: text(40), narrative: text(300), description: text(200), staff: text(20) }), async (f) => {
      figures.verbatim.propertyRuns++;
      // The reference is trimmed by the contract (and unique): a fixed, non-blank frame around the generated text.
      return roundTrip(t, {
        forceReference: `P${tag}-${++verbatimCounter}|${f.ref}|`,
        narrative: f.narrative,
        description: f.description,
        staffNumber: `${verbatimCounter}${f.staff}`.slice(0, 32),
      });
    }),
    { numRuns: NUM_RUNS, seed: SEED },
  );
  t.equal(figures.verbatim.mismatches, 0, 'no value changed on the way');
});

// ---------------------------------------------------------------------------------------------------------
// The fuzz: every operation, every principal

function seedOf(s: string): number {
  let x = SEED;
  for (const c of s) x = (Math.imul(x, 31) + c.charCodeAt(0)) | 0;
  return x;
}

const reachedPastAuth = new Set<string>();
const withSuccessfulBase = new Set<string>();
const withoutSuccessfulBase = new Set<string>();

/** A catalogue base: no idempotency key (each variant is its own request), If-Match "*", a reason, JSON. */
function asBase(op: Operation, r: FuzzRequest): FuzzRequest {
  const headers: Record<string, string> = { ...r.headers, accept: 'application/json', 'x-access-reason': 'fuzz catalogue' };
  delete headers['idempotency-key'];
  if (op.parameters.some((p) => p.in === 'header' && p.name === 'if-match')) headers['if-match'] = '*';
  return { ...r, headers };
}

let freshCounter = 0;
/** Each catalogue variant gets its own force reference (unique per force), unless that is the field under test. */
function freshen(r: FuzzRequest): FuzzRequest {
  if (!r.body || r.variant.startsWith('body forceReference')) return r;
  const parsed = parseOr(r.body.payload);
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return r;
  const value = parsed.value as Record<string, unknown>;
  if (typeof value.forceReference !== 'string') return r;
  return { ...r, body: { ...r.body, payload: JSON.stringify({ ...value, forceReference: `F${++freshCounter}-${value.forceReference}`.slice(0, 64) }) } };
}

/** FUZZ_PROFILE=1: the time of every case, summed by kind of variation, and the slowest cases. */
const PROFILE: [number, string][] = [];
t.teardown(() => {
  if (!process.env.FUZZ_PROFILE) return;
  const total = PROFILE.reduce((a, [ms]) => a + ms, 0);
  const byKind = new Map<string, number>();
  for (const [ms, what] of PROFILE) {
    const kind = what
      .replace(/^\S+ \S+ /, '')
      .replace(/ \d+$/, '')
      .replace(/= .*$/, '');
    byKind.set(kind, (byKind.get(kind) ?? 0) + ms);
  }
  console.log('PROFILE total', Math.round(total), 'cases', PROFILE.length);
  console.log(
    [...byKind]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, ms]) => `${Math.round(ms)} ${k}`)
      .join('\n'),
  );
  console.log(
    PROFILE.sort((a, b) => b[0] - a[0])
      .slice(0, 15)
      .map(([ms, w]) => `${Math.round(ms)} ${w.slice(0, 150)}`)
      .join('\n'),
  );
});

// FUZZ_ONLY=<regex> fuzzes only the operations whose "METHOD /path" matches (to replay one).
const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
const fuzzed = operations.filter((op) => !only || only.test(`${op.method} ${op.path}`));

for (const op of fuzzed) {
  const opName = `${op.method} ${op.path}`;
  t.test(`fuzz ${opName}`, async (t) => {
    const violations = new Map<string, { count: number; examples: Map<string, string> }>();
    const note = (key: string, variant: string, example: string) => {
      const seen = violations.get(key) ?? { count: 0, examples: new Map<string, string>() };
      seen.count++;
      // Up to three examples per cause, of different kinds of variation.
      const kind = variant.replace(/ = .*| #\d+$/, '');
      if (seen.examples.size < 3 && !seen.examples.has(kind)) seen.examples.set(kind, example);
      violations.set(key, seen);
    };
    // Candidates for the catalogue's base, alternating: every field filled in, and only some.
    const full = fc.sample(validRequestArb(op, true), { numRuns: 7, seed: seedOf(`${opName} full`) });
    const some = fc.sample(validRequestArb(op), { numRuns: 7, seed: seedOf(opName) });
    const bases = full.flatMap((f, i) => [f, some[i]!]).map((r) => asBase(op, r));
    const send = async (who: { name: string; key: string }, r: FuzzRequest, kind: 'catalogueCases' | 'randomCases'): Promise<number> => {
      figures.casesRun++;
      figures[kind]++;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) headers[k] = wire(v);
      headers.authorization = `Bearer ${who.key}`;
      if (r.body) headers['content-type'] = r.body.contentType;
      let res: LightMyRequestResponse;
      const began = performance.now();
      try {
        res = await h.app.inject({ method: op.method as 'GET', url: urlOf(op, r), headers, ...(r.body ? { payload: r.body.payload } : {}) });
      } catch (err) {
        note(`inject threw ${(err as Error).message.slice(0, 80)}`, r.variant, `${who.name}: ${r.variant}: ${describeRequest(op, r)}`);
        return 0;
      }
      if (process.env.FUZZ_PROFILE) PROFILE.push([performance.now() - began, `${opName} ${who.name} ${r.variant} ${res.statusCode}`]);
      figures.statuses[res.statusCode] = (figures.statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode !== 401 && res.statusCode !== 403) reachedPastAuth.add(opName);
      const reasons = verdict(op, res);
      if (res.statusCode >= 500) figures.fiveXX++;
      if (!op.declared.has(res.statusCode) && !elsewhere(op, res)) figures.undeclaredStatus++;
      if (reasons.some((x) => x.includes('not a problem document'))) figures.malformedProblems++;
      if (reasons.length) figures.violations++;
      for (const reason of reasons) {
        // Grouped by cause: the reason and what the answer names itself (its problem type or Fastify code).
        note(`${reason} <${answerKind(res)}>`, r.variant, `${who.name}: ${r.variant}: ${describeRequest(op, r)} -> ${res.body.slice(0, 200)}`);
      }
      return res.statusCode;
    };

    // The catalogue of hostile kinds runs once per operation, as the first principal the route lets in, varying
    // one part at a time of a request that succeeded, so that no other fault hides the one under test. A
    // principal refused on every base candidate (401/403) is decided by authorisation before anything is read:
    // the random cases cover it.
    const refused = new Set<string>();
    let catalogueBase: { who: { name: string; key: string }; base: FuzzRequest } | null = null;
    let baseSucceeded = false;
    for (const who of principals) {
      let fallback: FuzzRequest | null = null;
      let refusals = 0;
      for (const candidate of bases) {
        const status = await send(who, candidate, 'catalogueCases');
        if (status >= 200 && status <= 299) {
          catalogueBase = { who, base: candidate };
          baseSucceeded = true;
          break;
        }
        if (status !== 401 && status !== 403) fallback ??= candidate;
        // Four refusals in a row and nothing else: this principal is not let in.
        else if (++refusals >= 4 && !fallback) break;
      }
      if (baseSucceeded) break;
      if (fallback) catalogueBase ??= { who, base: fallback };
      else refused.add(who.name);
    }
    (baseSucceeded ? withSuccessfulBase : withoutSuccessfulBase).add(opName);
    if (catalogueBase) {
      const { who, base } = catalogueBase;
      for (const example of catalogue(op, base).map(freshen)) await send(who, example, 'catalogueCases');
    }
    for (const who of principals) {
      await fc.assert(
        fc.asyncProperty(requestArb(op), async (r) => {
          await send(who, r, 'randomCases');
          // Recorded, not thrown: every case runs, and every distinct violation is reported below.
          return true;
        }),
        { numRuns: refused.has(who.name) ? REFUSED_RUNS : NUM_RUNS, seed: seedOf(`${opName} ${who.name}`) },
      );
    }
    const found = [...violations.entries()].map(([reason, { count, examples }]) => `${reason} x${count}, e.g. ${[...examples.values()].join(' | ')}`);
    t.same(found, [], `no 5xx, problems well-formed, statuses declared (${op.declared.size} declared)`);
  });
}

t.test('fuzz totals', async (t) => {
  figures.operationsReachedPastAuth = reachedPastAuth.size;
  figures.operationsWithSuccessfulBase = withSuccessfulBase.size;
  t.comment(
    `operations whose catalogue ran without a succeeding base request: ${[...withoutSuccessfulBase].filter((o) => !withSuccessfulBase.has(o)).join(', ') || 'none'}`,
  );
  t.ok(
    figures.operations > 0 && (only !== null || fuzzed.length === figures.operations),
    `every operation of the document was fuzzed (${fuzzed.length} of ${figures.operations})`,
  );
  t.equal(
    figures.operationsReachedPastAuth,
    fuzzed.length,
    `every operation was reached past authorisation by some principal: missing ${fuzzed
      .map((o) => `${o.method} ${o.path}`)
      .filter((n) => !reachedPastAuth.has(n))
      .join(', ')}`,
  );
  t.ok(figures.randomCases >= fuzzed.length * NUM_RUNS, `random cases: ${figures.randomCases}, at least ${NUM_RUNS} per operation`);
  t.equal(figures.fiveXX, 0, '5xx seen');
  t.equal(figures.undeclaredStatus, 0, 'statuses the operation does not declare');
  t.equal(figures.malformedProblems, 0, 'malformed problem answers');
});
