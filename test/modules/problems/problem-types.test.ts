// Problem `type` URIs resolve: every type the code can emit (src/errors.ts types every AppError's slug as one of
// PROBLEM_TYPES) opens, without a key, as a page saying what it means, in HTML and in JSON; so does the type of
// problems the service really answers with.
import t from 'tap';
import { type AppError, Errors, PROBLEM_BASE, PROBLEM_TYPES, type ProblemSlug } from '../../../src/errors.ts';
import { buildTestApp } from '../../helper.ts';
import { problem } from '../../problems.ts';

const slugs = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

t.test('every problem type the code can emit resolves to a page', async (t) => {
  const h = await buildTestApp(t);
  t.ok(slugs.length >= 40, `${slugs.length} problem types`);
  for (const slug of slugs) {
    const type = new URL(PROBLEM_BASE + slug, 'http://oar.test/v1/incidents/any').pathname;
    const html = await h.app.inject({ method: 'GET', url: type });
    t.equal(html.statusCode, 200, type);
    t.match(html.headers['content-type'], /^text\/html; charset=utf-8/);
    t.match(html.body, `<h1>${PROBLEM_TYPES[slug].title}</h1>`);
    t.match(html.body, `HTTP ${PROBLEM_TYPES[slug].status}`);
    t.match(String(html.headers['content-security-policy']), /default-src 'none'/, 'the page loads nothing');
    const json = await h.app.inject({ method: 'GET', url: type, headers: { accept: 'application/json' } });
    t.equal(json.statusCode, 200);
    t.same(json.json(), { type: PROBLEM_BASE + slug, ...PROBLEM_TYPES[slug] });
  }
});

t.test('a type relative to the failing request opens the page on the host that answered', async (t) => {
  const h = await buildTestApp(t);
  const res = await h.call(h.adminKey, { method: 'GET', url: '/v1/principals?limit=zero' });
  const body = problem(t, res, 400, 'validation-failed');
  const resolved = new URL(body.type, `http://oar.local:3000${body.instance}`);
  t.equal(resolved.href, 'http://oar.local:3000/problems/validation-failed');
  t.equal((await h.app.inject({ method: 'GET', url: resolved.pathname })).statusCode, 200);
});

t.test('the titles and statuses the error table answers with are those of the pages', async (t) => {
  // One sample per factory: a factory added to Errors without one here fails the type check.
  const samples: Record<keyof typeof Errors, AppError> = {
    unauthenticated: Errors.unauthenticated(),
    tokenNotAccepted: Errors.tokenNotAccepted('x'),
    sessionExpired: Errors.sessionExpired('idle time passed'),
    csrfTokenInvalid: Errors.csrfTokenInvalid(),
    signInNotConfigured: Errors.signInNotConfigured(),
    authRateLimited: Errors.authRateLimited(1),
    forbidden: Errors.forbidden(),
    notFound: Errors.notFound('webhook-delivery', 'x'),
    routeNotFound: Errors.routeNotFound('GET', '/x'),
    methodNotAllowed: Errors.methodNotAllowed('DELETE', '/x', ['GET']),
    validation: Errors.validation([]),
    unknownQueryParameters: Errors.unknownQueryParameters(['x']),
    badUrl: Errors.badUrl('x'),
    malformedJson: Errors.malformedJson('x'),
    unsupportedMediaType: Errors.unsupportedMediaType('text/plain', ['application/json']),
    bodyTooLarge: Errors.bodyTooLarge(1),
    badRequest: Errors.badRequest('x'),
    headersTooLarge: Errors.headersTooLarge(),
    requestTimeout: Errors.requestTimeout(),
    invalidUtf8: Errors.invalidUtf8(),
    rule: Errors.rule('x'),
    webhookTargetNotAllowed: Errors.webhookTargetNotAllowed('x'),
    unknownForce: Errors.unknownForce(),
    duplicateForceReference: Errors.duplicateForceReference('x', 'y'),
    idempotencyKeyReused: Errors.idempotencyKeyReused(),
    idempotentAnswerErased: Errors.idempotentAnswerErased(undefined),
    preconditionRequired: Errors.preconditionRequired(),
    preconditionFailed: Errors.preconditionFailed(1),
    importTooLarge: Errors.importTooLarge(1, 1),
    importBodyTooLarge: Errors.importBodyTooLarge(1_048_576),
    importLineTooLong: Errors.importLineTooLong(1, 1),
    accessReasonRequired: Errors.accessReasonRequired(),
    unavailable: Errors.unavailable(),
    internal: Errors.internal(),
  };
  for (const [name, e] of Object.entries(samples))
    t.same({ status: e.status, title: e.title }, { status: PROBLEM_TYPES[e.slug].status, title: PROBLEM_TYPES[e.slug].title }, `${name}: ${e.slug}`);
});

t.test('the index lists every type; an unknown one is a 404 problem', async (t) => {
  const h = await buildTestApp(t);
  const index = await h.app.inject({ method: 'GET', url: '/problems' });
  t.equal(index.statusCode, 200);
  t.match(index.headers['content-type'], /^text\/html/);
  for (const slug of slugs) t.match(index.body, `href="/problems/${slug}"`, slug);
  const json = await h.app.inject({ method: 'GET', url: '/problems', headers: { accept: 'application/json' } });
  t.same(
    json.json().items.map((i: { type: string }) => i.type),
    slugs.map((s) => `/problems/${s}`),
  );
  problem(t, await h.app.inject({ method: 'GET', url: '/problems/no-such-problem' }), 404, 'route-not-found');
  problem(t, await h.app.inject({ method: 'GET', url: '/problems/validation-failed?lang=en' }), 400, 'validation-failed');
});

t.test('the pages are operations of the contract', async (t) => {
  const h = await buildTestApp(t);
  const doc = h.app.swagger() as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const get = doc.paths['/problems/{slug}']?.get;
  t.match(get, { operationId: 'getProblemType', tags: ['problems'], summary: String, security: [] });
  t.match(doc.paths['/problems']?.get, { operationId: 'listProblemTypes', tags: ['problems'], summary: String });
  const responses = get?.responses as Record<string, { description: string; content?: Record<string, unknown> }>;
  t.ok(responses['200']?.content?.['text/html'] && responses['200']?.content?.['application/json'], 'HTML and JSON');
  for (const [status, r] of Object.entries(responses)) t.notMatch(r.description, /^Default Response$/, `${status} is described`);
});
