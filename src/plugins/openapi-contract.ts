// What @fastify/swagger and the zod transforms leave out of the OpenAPI document, put in once for every operation:
// the examples and headers the route schemas declare, the headers the service's hooks read and set on every request,
// header parameters and response headers as shared components, and one component schema per shape.
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { POLICY, REASON_REQUIRED } from '../policy.ts';
import { accessReasonForRoles, REQUEST_HEADERS, RESPONSE_HEADERS, type RequestHeader, type ResponseHeader } from '../shared/headers.ts';
import { EXAMPLE_INSTANCE, exampleOf } from '../shared/http.ts';

type Json = Record<string, any>;

/** The operation field that carries a route's examples and response headers from the transform to the document. */
const CARRIER = 'x-oar-contract';

interface RouteExtras {
  /** Request body example by media type. */
  request: Record<string, unknown>;
  /** By status: the headers the route declares, and an example by media type. */
  responses: Record<string, { headers: ResponseHeader[]; examples: Record<string, unknown> }>;
}

interface DocumentedResponse {
  headers?: ResponseHeader[];
  content?: Record<string, { example?: unknown }>;
}

/** What a URL parameter stands for in a problem example's `instance`. */
const EXAMPLE_PARAMETERS: Record<string, string> = { slug: 'validation-failed', forceId: '019b76da-a800-71a8-a40e-525f8a6c036b' };
const EXAMPLE_ID = '01963a5e-4c2a-7b1e-9f3d-2a4b6c8d0e1f';

function routeExtras(schema: FastifySchema & { consumes?: readonly string[] }, url: string): RouteExtras {
  const instance = url.replace(/:(\w+)/g, (_, name: string) => EXAMPLE_PARAMETERS[name] ?? EXAMPLE_ID);
  const request: Record<string, unknown> = {};
  const body = schema.body instanceof z.ZodType ? exampleOf(schema.body) : undefined;
  if (body !== undefined) for (const media of schema.consumes ?? ['application/json']) request[media] = body;
  const responses: RouteExtras['responses'] = {};
  for (const [status, response] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
    if (response instanceof z.ZodType) {
      responses[status] = { headers: [], examples: { 'application/json': exampleOf(response) } };
      continue;
    }
    const { headers = [], content = {} } = response as DocumentedResponse;
    const examples = Object.fromEntries(
      Object.entries(content).map(([media, { example }]) => {
        const isProblem = media === 'application/problem+json' && (example as { instance?: unknown } | undefined)?.instance === EXAMPLE_INSTANCE;
        return [media, isProblem ? { ...(example as object), instance } : example];
      }),
    );
    responses[status] = { headers, examples };
  }
  return { request, responses };
}

/**
 * The per-route transform: the zod schemas become JSON schemas (fastify-type-provider-zod), and the examples and
 * response headers, which that drops, ride along in CARRIER for finishContract.
 */
export const contractTransform: typeof jsonSchemaTransform = (input) => {
  const result = jsonSchemaTransform(input);
  if (!input.schema || (result.schema as { hide?: boolean }).hide) return result;
  const responses = (result.schema as { response?: Record<string, Json> }).response ?? {};
  // A redirect declares `content: {}` (src/shared/http.ts redirect); @fastify/swagger writes no content for type null.
  for (const [status, response] of Object.entries(responses)) {
    if (response.content && Object.keys(response.content).length === 0) responses[status] = { type: 'null', description: response.description };
  }
  return { ...result, schema: { ...result.schema, [CARRIER]: routeExtras(input.schema, input.url) } };
};

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
const headerRef = (name: ResponseHeader) => ({ $ref: `#/components/headers/${name}` });
const parameterRef = (name: RequestHeader) => ({ $ref: `#/components/parameters/${name}` });

/** X-Access-Reason as the policy has it on this operation: required of every caller, of some roles, or of none. */
function accessReason(method: string, path: string, declared: boolean): Json {
  const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
  const mustSend = REASON_REQUIRED[key] ?? [];
  const allowed = POLICY[key] ?? [];
  if (mustSend.length > 0 && allowed.every((role) => mustSend.includes(role))) return parameterRef('AccessReasonRequired');
  if (mustSend.length > 0) {
    const { example, ...parameter } = accessReasonForRoles(mustSend);
    return { in: 'header', ...parameter, example };
  }
  // A route declares it only where it shows health fields to those who send it.
  return parameterRef(declared ? 'AccessReasonForHealthFields' : 'AccessReason');
}

function finishOperation(op: Json, method: string, path: string): void {
  const extras = op[CARRIER] as RouteExtras | undefined;
  delete op[CARRIER];
  // The routes of /v1 sit behind the bearer key (the document's default security); public ones say security: [].
  const authenticated = op.security === undefined || op.security.length > 0;

  const parameters: Json[] = [];
  let reasonDeclared = false;
  for (const parameter of (op.parameters ?? []) as Json[]) {
    const name = parameter.in === 'header' ? String(parameter.name).toLowerCase() : undefined;
    if (name === 'if-match') parameters.push(parameterRef('IfMatch'));
    else if (name === 'x-access-reason') reasonDeclared = true;
    else parameters.push(parameter);
  }
  if (authenticated) parameters.push(accessReason(method, path, reasonDeclared));
  if (method === 'post') parameters.push(parameterRef('IdempotencyKey'));
  parameters.push(parameterRef('RequestId'));
  op.parameters = parameters;

  for (const [media, example] of Object.entries(extras?.request ?? {})) {
    const content = op.requestBody?.content?.[media];
    if (content && example !== undefined) content.example = example;
  }

  for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
    const declared = extras?.responses[status];
    for (const [media, example] of Object.entries(declared?.examples ?? {})) {
      const content = response.content?.[media];
      if (content && example !== undefined) content.example = example;
    }
    const success = status.startsWith('2');
    const names: ResponseHeader[] = [
      ...(declared?.headers ?? []),
      // Set by the rate limiter on every answer it lets through, where the service runs with one.
      ...(authenticated && success ? (['RateLimitLimit', 'RateLimitRemaining', 'RateLimitReset'] as const) : []),
      // Set by the auth plugin on every answer under /v1 and by the sign-in routes on theirs; by the app on every answer.
      ...(authenticated || path.startsWith('/auth/') ? (['CacheControl'] as const) : []),
      'RequestId',
    ];
    response.headers = Object.fromEntries([...new Set(names)].map((name) => [RESPONSE_HEADERS[name].name, headerRef(name)]));
  }
}

/** Every `#/components/<kind>/<name>` reference in a value. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.add(v);
      else refsIn(v, found);
    }
  }
  return found;
}

/** Rewrites `#/components/schemas/<from>` references by the map, in place. */
function renameRefs(value: unknown, renames: Map<string, string>): void {
  if (Array.isArray(value)) for (const v of value) renameRefs(v, renames);
  else if (value && typeof value === 'object') {
    const obj = value as Json;
    for (const [k, v] of Object.entries(obj)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const to = renames.get(v.slice('#/components/schemas/'.length));
        if (to) obj[k] = `#/components/schemas/${to}`;
      } else renameRefs(v, renames);
    }
  }
}

/** zod's bounds of a plain integer (the safe-integer range) say nothing to a reader: dropped. */
function dropSafeIntegerBounds(value: unknown): void {
  if (Array.isArray(value)) for (const v of value) dropSafeIntegerBounds(v);
  else if (value && typeof value === 'object') {
    const obj = value as Json;
    if (obj.type === 'integer' && obj.minimum === Number.MIN_SAFE_INTEGER) delete obj.minimum;
    if (obj.type === 'integer' && obj.maximum === Number.MAX_SAFE_INTEGER) delete obj.maximum;
    for (const [k, v] of Object.entries(obj)) if (k !== 'example') dropSafeIntegerBounds(v);
  }
}

/**
 * One component schema per shape. fastify-type-provider-zod writes every registered schema twice, as the answer
 * has it (X) and as a request takes it (XInput, where defaults make fields optional): those no operation uses go, a
 * request variant that is the only one left takes the plain name, and one that came out identical to its answer
 * variant is merged into it. What stays as XInput differs from X and is what requests send.
 */
function tidySchemas(doc: Json): void {
  const schemas = doc.components.schemas as Record<string, Json>;
  for (const schema of Object.values(schemas)) delete schema.examples;
  const { schemas: _, ...rest } = doc.components;
  const used = new Set<string>();
  const visit = (refs: Set<string>) => {
    for (const ref of refs) {
      const name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
      if (name && !used.has(name) && schemas[name]) {
        used.add(name);
        visit(refsIn(schemas[name]));
      }
    }
  };
  visit(refsIn({ paths: doc.paths, webhooks: doc.webhooks, rest }));
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];

  const renames = new Map<string, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const name of Object.keys(schemas)) {
      if (!name.endsWith('Input')) continue;
      const base = name.slice(0, -'Input'.length);
      const candidate = structuredClone(schemas[name]!);
      renameRefs(candidate, renames);
      if (schemas[base] && JSON.stringify(candidate) !== JSON.stringify(schemas[base])) continue;
      if (!schemas[base]) schemas[base] = candidate;
      delete schemas[name];
      for (const [from, to] of renames) if (to === name) renames.set(from, base);
      renames.set(name, base);
      changed = true;
    }
  }
  renameRefs(doc, renames);
  doc.components.schemas = Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((name) => [name, schemas[name]]),
  );
}

/** The headers and parameters the document refers to, as components. */
function headerComponents(doc: Json): void {
  const refs = refsIn({ paths: doc.paths, webhooks: doc.webhooks, responses: doc.components.responses });
  const headers = (Object.keys(RESPONSE_HEADERS) as ResponseHeader[]).filter((n) => refs.has(`#/components/headers/${n}`));
  const parameters = (Object.keys(REQUEST_HEADERS) as RequestHeader[]).filter((n) => refs.has(`#/components/parameters/${n}`));
  doc.components.headers = Object.fromEntries(headers.map((n) => [n, (({ name: _name, ...header }) => header)(RESPONSE_HEADERS[n])]));
  doc.components.parameters = Object.fromEntries(parameters.map((n) => [n, { in: 'header', ...REQUEST_HEADERS[n] }]));
}

/** Answers many operations give alike, by status: declared once in components/responses. */
const SHARED_RESPONSES: Record<string, string> = {
  '401': 'Unauthenticated',
  '403': 'Forbidden',
  '429': 'TooManyRequests',
  '500': 'InternalError',
  '503': 'Unavailable',
};

/**
 * The answers of a shared status that are the same on every operation under /v1 but for the path in their example's
 * `instance` become one component (the first operation's, as the document lists them); the others stay inline.
 */
function shareResponses(doc: Json): void {
  const shared: Record<string, Json> = {};
  const alike = (a: Json, b: Json) => {
    const strip = (r: Json) => JSON.stringify(r, (k, v) => (k === 'instance' ? undefined : v));
    return strip(a) === strip(b);
  };
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      // Public operations answer without the headers of /v1 (Cache-Control, rate limits): they keep their own.
      if (!HTTP_METHODS.has(method) || op.security?.length === 0) continue;
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        const name = SHARED_RESPONSES[status];
        if (!name) continue;
        shared[name] ??= response;
        if (alike(shared[name], response)) op.responses[status] = { $ref: `#/components/responses/${name}` };
      }
    }
  }
  doc.components.responses = shared;
}

/** The document-level transform: the zod components, then what finishContract adds to every operation. */
export const contractTransformObject: typeof jsonSchemaTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as Json;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) if (HTTP_METHODS.has(method)) finishOperation(op as Json, method, path);
  }
  shareResponses(doc);
  headerComponents(doc);
  tidySchemas(doc);
  dropSafeIntegerBounds(doc.components.schemas);
  dropSafeIntegerBounds(doc.paths);
  return doc as ReturnType<typeof jsonSchemaTransformObject>;
};
