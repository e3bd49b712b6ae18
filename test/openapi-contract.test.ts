// The contract a client is generated from: every operation and webhook named, described and tagged; every header the
// service reads or sets declared; and examples of every request and answer, each one the service's own validators
// take: the zod schema the route validates a request with (safeParse) or serialises an answer with (safeEncode), as
// fastify-type-provider-zod does at run time.
import t from 'tap';
import { z } from 'zod';
import { readImportLine } from '../src/modules/imports/schemas.ts';
import { eventPayloadSchema } from '../src/modules/webhooks/schemas.ts';
import { contractApp } from '../src/openapi.ts';
import { POLICY, REASON_REQUIRED } from '../src/policy.ts';
import type { ContractOperation } from '../src/plugins/swagger.ts';
import { EVENT_TYPES, type EventType } from '../src/shared/events.ts';
import { contractViolations } from './support/contract.ts';

type Json = Record<string, any>;

const app = await contractApp();
t.teardown(() => app.close());
// The document as it is written to openapi/openapi.json.
const doc = JSON.parse(JSON.stringify(app.swagger())) as Json;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.has(method))
    .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op: op as Json })),
);

/** A response, or the components/responses entry it refers to. */
const resolve = (response: Json): Json => (response.$ref ? doc.components.responses[String(response.$ref).split('/').pop()!] : response);

/** The zod schema a route serialises an answer of this status and media type with. */
function responseSchema(route: ContractOperation, status: string, media: string): z.ZodType | undefined {
  const declared = (route.schema.response as Record<string, unknown> | undefined)?.[status];
  if (declared instanceof z.ZodType) return declared;
  return (declared as { content?: Record<string, { schema: z.ZodType }> } | undefined)?.content?.[media]?.schema;
}

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

const webhookOperations = Object.entries(doc.webhooks as Record<string, Json>).map(([type, item]) => ({ name: `webhook ${type}`, op: item.post as Json }));

t.test('the document names its servers, licence and contact', async (t) => {
  t.same(doc.servers, [{ url: '/', description: 'The host that serves this document' }]);
  t.ok(doc.info.license?.name && (doc.info.license.identifier || doc.info.license.url), 'info.license');
  t.ok(doc.info.contact?.name, 'info.contact');
});

t.test('every operation and webhook has a stable camelCase operationId, a summary, a description, tags, described answers', async (t) => {
  const ids = new Set<string>();
  for (const { name, op } of [...operations, ...webhookOperations]) {
    t.match(op.operationId, /^[a-z]+(?:[A-Z][a-z0-9]*)+$/, `${name}: operationId ${op.operationId}`);
    t.notOk(ids.has(op.operationId), `${name}: operationId is unique`);
    ids.add(op.operationId);
    t.ok(op.summary, `${name}: summary`);
    t.ok(op.description, `${name}: description`);
    t.ok(op.tags?.length, `${name}: tags`);
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      const { description } = resolve(response);
      t.ok(description && description !== 'Default Response', `${name} ${status}: described (${description})`);
    }
  }
  t.equal(webhookOperations.length, EVENT_TYPES.length, 'every event type is a webhook');
});

const parameterNames = (op: Json) =>
  ((op.parameters ?? []) as Json[]).map((p) => (p.$ref ? doc.components.parameters[String(p.$ref).split('/').pop()!] : p)).map((p) => p.name as string);
const headerNames = (response: Json) => Object.keys(resolve(response).headers ?? {});

t.test('the headers the service reads are declared: If-Match required on PATCH, Idempotency-Key on POST, X-Access-Reason as the policy has it', async (t) => {
  t.equal(doc.components.parameters.IfMatch.required, true, 'If-Match is required');
  for (const { name, op } of operations) {
    const [method, path] = name.split(' ') as [string, string];
    const names = parameterNames(op);
    t.ok(names.includes('X-Request-Id'), `${name}: X-Request-Id`);
    if (method === 'PATCH')
      t.ok(
        op.parameters.some((p: Json) => p.$ref === '#/components/parameters/IfMatch'),
        `${name}: If-Match`,
      );
    if (method === 'POST') t.ok(names.includes('Idempotency-Key'), `${name}: Idempotency-Key`);
    if (op.security?.length === 0) continue;
    const key = `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
    const reason = ((op.parameters ?? []) as Json[])
      .map((p) => (p.$ref ? doc.components.parameters[String(p.$ref).split('/').pop()!] : p))
      .find((p) => p.name === 'X-Access-Reason');
    if (!t.ok(reason, `${name}: X-Access-Reason`)) continue;
    const mustSend = REASON_REQUIRED[key] ?? [];
    const everyCaller = mustSend.length > 0 && (POLICY[key] ?? []).every((role) => mustSend.includes(role));
    t.equal(reason.required, everyCaller, `${name}: X-Access-Reason required only when every caller must send it`);
    for (const role of everyCaller ? [] : mustSend) t.match(reason.description, role, `${name}: X-Access-Reason names ${role}`);
  }
});

t.test('the headers the service sets are declared', async (t) => {
  for (const { name, op } of operations) {
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      const headers = headerNames(response);
      t.ok(headers.includes('X-Request-Id'), `${name} ${status}: X-Request-Id`);
      if (status === '201') t.ok(headers.includes('Location') && headers.includes('Idempotent-Replayed'), `${name} 201: Location, Idempotent-Replayed`);
      if (status === '429') t.ok(headers.includes('Retry-After') && headers.includes('X-RateLimit-Limit'), `${name} 429: Retry-After, X-RateLimit-*`);
      if (status === '503') t.ok(headers.includes('Retry-After'), `${name} 503: Retry-After`);
      if (status === '401') t.ok(headers.includes('WWW-Authenticate'), `${name} 401: WWW-Authenticate`);
      if (op.security?.length !== 0 || name.includes(' /auth/')) t.ok(headers.includes('Cache-Control'), `${name} ${status}: Cache-Control`);
      if (status.startsWith('3')) t.ok(headers.includes('Location'), `${name} ${status}: Location`);
      const csv = resolve(response).content?.['text/csv'];
      if (csv && resolve(response).content['application/json'].schema.properties?.nextCursor) {
        t.ok(headers.includes('X-Next-Cursor'), `${name} ${status}: X-Next-Cursor for CSV pages`);
      }
    }
  }
  // ETag: wherever the route helper sets it (src/http/route.ts readVersioned, patch, create of a versioned record).
  const etag = (path: string, method: string, status: string) => headerNames(doc.paths[path][method].responses[status]).includes('ETag');
  for (const [path, method, status] of [
    ['/v1/incidents', 'post', '201'],
    ['/v1/incidents/{id}', 'get', '200'],
    ['/v1/incidents/{id}', 'patch', '200'],
    ['/v1/victims/{id}', 'get', '200'],
    ['/v1/suspects/{id}', 'get', '200'],
    ['/v1/forces/{forceId}', 'get', '200'],
    ['/v1/trim-referrals/{id}', 'get', '200'],
    ['/v1/trim-referrals/{id}/assessments', 'post', '201'],
  ] as const) {
    t.ok(etag(path, method, status), `${method.toUpperCase()} ${path} ${status}: ETag`);
  }
  for (const { name, op } of operations) {
    if (name.startsWith('PATCH')) t.ok(headerNames(op.responses['200']).includes('ETag'), `${name} 200: ETag`);
  }
});

t.test('one schema per shape: no request twin left beside its answer shape unless it differs', async (t) => {
  const schemas = doc.components.schemas as Record<string, Json>;
  for (const name of Object.keys(schemas).filter((n) => n.endsWith('Input'))) {
    const base = name.slice(0, -'Input'.length);
    t.ok(schemas[base], `${name} sits beside ${base}`);
    t.not(JSON.stringify(schemas[name]), JSON.stringify(schemas[base]), `${name} differs from ${base}`);
  }
  t.notOk(schemas.IncidentCreateInput, 'IncidentCreate is the request shape itself');
  const required = (schemas.IncidentCreate?.required ?? []) as string[];
  t.ok(required.includes('forceReference') && !required.includes('victims'), 'IncidentCreate: fields with a default are optional to send');
});

t.test('every operation has a request example (if it takes a body) and an example of every answer', async (t) => {
  t.ok(operations.length >= 49, `${operations.length} operations`);
  for (const { name, op } of operations) {
    let examples = 0;
    for (const [media, content] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) {
      t.not(content.example, undefined, `${name}: request example (${media})`);
      examples++;
    }
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      for (const [media, content] of Object.entries((resolve(response).content ?? {}) as Record<string, Json>)) {
        t.not(content.example, undefined, `${name} ${status}: example (${media})`);
        examples++;
      }
    }
    t.ok(examples > 0, `${name} has examples`);
  }
});

t.test('every request example is one the route accepts', async (t) => {
  for (const { name, op } of operations) {
    const content = (op.requestBody?.content ?? {}) as Record<string, Json>;
    if (Object.keys(content).length === 0) continue;
    const route = app.contractOperations.get(op.operationId);
    if (!t.ok(route, `${name}: route of ${op.operationId}`)) continue;
    for (const [media, { example }] of Object.entries(content)) {
      if (media === 'application/x-ndjson') {
        // An import checks each line on its own, as POST /v1/incidents checks a body.
        const lines = String(example)
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line, i) => readImportLine(i + 1, line));
        t.ok(lines.length > 0, `${name}: the NDJSON example has lines`);
        for (const line of lines) t.ok('input' in line, `${name}: NDJSON line ${line.line} is valid ${'errors' in line ? JSON.stringify(line.errors) : ''}`);
        continue;
      }
      const parsed = z.safeParse(route!.schema.body as z.ZodType, example);
      t.ok(parsed.success, `${name}: request example (${media}) ${parsed.success ? 'is valid' : issues(parsed.error)}`);
    }
  }
});

t.test('every answer example is one the route would send', async (t) => {
  for (const { name, op } of operations) {
    const route = app.contractOperations.get(op.operationId);
    if (!t.ok(route, `${name}: route of ${op.operationId}`)) continue;
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      for (const [media, { example }] of Object.entries((resolve(response).content ?? {}) as Record<string, Json>)) {
        const schema = responseSchema(route!, status, media);
        if (!t.ok(schema, `${name} ${status} ${media}: the route declares it`)) continue;
        const encoded = z.safeEncode(schema!, example);
        t.ok(encoded.success, `${name} ${status} (${media}) ${encoded.success ? 'is valid' : issues(encoded.error)}`);
      }
    }
  }
});

t.test('problem examples are sane: the status they are declared under, a type with a page, a path', async (t) => {
  for (const { name, op } of operations) {
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      const example = resolve(response).content?.['application/problem+json']?.example;
      if (!example) continue;
      if (status === 'default') t.ok(example.status >= 500, `${name} default: a failure of the service (${example.status})`);
      else t.equal(example.status, Number(status), `${name} ${status}: status`);
      t.match(example.type, /^\/problems\/[a-z0-9-]+$/, `${name} ${status}: type`);
      t.match(example.instance, /^\/[^\s]*$/, `${name} ${status}: instance`);
      t.notMatch(example.instance, /…|:\w/, `${name} ${status}: instance is a real path`);
    }
  }
});

t.test('every webhook shows the payload a subscriber receives, valid by its schema', async (t) => {
  const webhooks = doc.webhooks as Record<string, Json>;
  t.same(Object.keys(webhooks).sort(), [...EVENT_TYPES].sort());
  for (const [type, item] of Object.entries(webhooks)) {
    const example = item.post.requestBody.content['application/json'].example;
    const parsed = eventPayloadSchema(type as EventType).safeParse(example);
    t.ok(parsed.success, `${type}: payload example ${parsed.success ? 'is valid' : issues(parsed.error)}`);
  }
});

t.test("the suite's answer check (test/support/contract.ts) finds what a validating proxy would", async (t) => {
  const ok = { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' }, bodyLength: 2 };
  t.same(contractViolations('GET', '/v1/me', ok), [], 'a declared answer passes');
  t.match(contractViolations('GET', '/v1/me', { ...ok, statusCode: 418 }), [/does not declare/], 'an undeclared status');
  t.match(
    contractViolations('GET', '/v1/me', { ...ok, headers: { ...ok.headers, 'content-type': 'text/plain' } }),
    [/text\/plain is not declared/],
    'an undeclared media type',
  );
  t.match(contractViolations('GET', '/v1/me', { ...ok, headers: { ...ok.headers, etag: '"1"' } }), [/header etag is not declared/], 'an undeclared header');
  t.match(
    contractViolations('GET', '/auth/login', { statusCode: 302, headers: { location: '/x' }, bodyLength: 5 }),
    [/body of type none/],
    'a redirect with a body',
  );
  t.match(contractViolations('GET', '/v1/nowhere', ok), [/not in the contract/], 'an operation the contract lacks');
});
