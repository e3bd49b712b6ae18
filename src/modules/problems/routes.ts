// /problems and /problems/{slug}: the pages problem `type` URIs resolve to, saying what each kind of problem means
// and what to do about it. Public (a type must open for whoever got the problem), HTML for people, JSON on request.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Errors, isProblemSlug, PROBLEM_BASE, PROBLEM_TYPES, type ProblemSlug } from '../../errors.ts';
import { preferredType, problemResponse, PublicProblems } from '../../shared/http.ts';
import { operation } from '../../http/route.ts';

const tags = ['problems'];
const HTML = 'text/html';
const JSON_TYPE = 'application/json';

export const ProblemTypeSchema = z
  .object({
    type: z.string().describe('The `type` a problem of this kind carries: a URI reference to this page.'),
    title: z.string().describe('The `title` a problem of this kind carries.'),
    status: z.number().int().min(400).max(599).describe('The HTTP status it comes with.'),
    description: z.string().describe('What it means and what to do about it.'),
  })
  .meta({ id: 'ProblemType', description: 'A kind of problem the service answers with.' });

const ProblemTypeParamsSchema = z.object({
  slug: z.string().max(64).describe('The last segment of a problem `type`, e.g. `validation-failed`.'),
});

const notFound = problemResponse('No problem type has this name.', Errors.routeNotFound('GET', '/problems/no-such-type'), '/problems/no-such-type');

const view = (slug: ProblemSlug) => ({ type: PROBLEM_BASE + slug, ...PROBLEM_TYPES[slug] });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** `code` spans of the catalogue's text, as <code>. */
const prose = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function page(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)} - Officer Assault Register</title>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

function typePage(slug: ProblemSlug): string {
  const t = PROBLEM_TYPES[slug];
  return page(
    `${t.title} (${slug})`,
    `<h1>${escapeHtml(t.title)}</h1>\n<p>HTTP ${t.status}. Problem type <code>${escapeHtml(PROBLEM_BASE + slug)}</code>.</p>\n` +
      `<p>${prose(t.description)}</p>\n` +
      '<p>Every error of the API is an RFC 9457 problem document (<code>application/problem+json</code>): its <code>type</code> names one of these pages, ' +
      '<code>detail</code> says what went wrong with your request, and <code>instance</code> is its path.</p>\n' +
      '<p><a href="/problems">All problem types</a> - <a href="/docs">API reference</a></p>',
  );
}

function indexPage(): string {
  const rows = (Object.keys(PROBLEM_TYPES) as ProblemSlug[])
    .map((slug) => `<li><a href="${PROBLEM_BASE}${slug}">${slug}</a>: HTTP ${PROBLEM_TYPES[slug].status}, ${escapeHtml(PROBLEM_TYPES[slug].title)}</li>`)
    .join('\n');
  return page(
    'Problem types',
    '<h1>Problem types</h1>\n<p>Every error of the API is an RFC 9457 problem document whose <code>type</code> is one of these.</p>\n' +
      `<ul>\n${rows}\n</ul>\n<p><a href="/docs">API reference</a></p>`,
  );
}

/** The page as HTML, or its content as JSON; the examples are what the route answers for them. */
const htmlOrJson = <T extends z.ZodType>(schema: T, description: string, example: { html: string; json: z.output<T> }) => ({
  description,
  content: {
    [HTML]: { schema: z.string().describe('A short HTML page.'), example: example.html },
    [JSON_TYPE]: { schema, example: example.json },
  },
});

export const problemTypeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('', {
    schema: {
      ...operation(
        'listProblemTypes',
        tags,
        'List the problem types',
        'Every kind of problem the API answers with, each a link to its page. HTML by default; `Accept: application/json` for JSON. No key needed.',
      ),
      security: [],
      response: {
        200: htmlOrJson(z.object({ items: z.array(ProblemTypeSchema) }), 'Every problem type.', {
          html: indexPage(),
          json: { items: (Object.keys(PROBLEM_TYPES) as ProblemSlug[]).map(view) },
        }),
        400: PublicProblems[400],
        500: PublicProblems[500],
      },
    },
    handler: async (request, reply) => {
      if (preferredType(request, [HTML, JSON_TYPE]) === JSON_TYPE) return { items: (Object.keys(PROBLEM_TYPES) as ProblemSlug[]).map(view) };
      return reply.type(`${HTML}; charset=utf-8`).send(indexPage());
    },
  });

  app.get('/:slug', {
    schema: {
      ...operation(
        'getProblemType',
        tags,
        'Explain a problem type',
        'The page a problem `type` resolves to: `/problems/validation-failed`, relative to the URL of the request that failed, is this operation. ' +
          'What the problem means and what to do about it. HTML by default; `Accept: application/json` for JSON. No key needed.',
      ),
      security: [],
      params: ProblemTypeParamsSchema,
      response: {
        200: htmlOrJson(ProblemTypeSchema, 'What the problem type means.', { html: typePage('validation-failed'), json: view('validation-failed') }),
        400: PublicProblems[400],
        404: notFound,
        500: PublicProblems[500],
      },
    },
    handler: async (request, reply) => {
      const { slug } = request.params;
      if (!isProblemSlug(slug)) throw Errors.routeNotFound(request.method, request.url);
      if (preferredType(request, [HTML, JSON_TYPE]) === JSON_TYPE) return view(slug);
      return reply.type(`${HTML}; charset=utf-8`).send(typePage(slug));
    },
  });
};
