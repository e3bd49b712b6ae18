// Security headers (@fastify/helmet) on every answer, a Content-Security-Policy chosen by what the path serves, and
// CORS closed unless origins are configured.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The Content-Security-Policy of each kind of answer, written out rather than helmet's default. None has
 * upgrade-insecure-requests: every page here loads only files of its own origin by relative URL, so on https there
 * is nothing for it to upgrade, while on plain http by host name (http://oar.local:3000/docs, as docker-compose
 * publishes it) it made the browser ask for every script and stylesheet over https, and /docs was a blank page.
 */
export const CSP = {
  /** JSON answers, problem pages and everything else: nothing to load, run or frame. */
  api: "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  /**
   * Swagger UI at /docs: its own scripts and stylesheets (it also sets inline styles), its data: icons, and calls to
   * this origin only (the document, and "Try it out").
   */
  docs:
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  /** The web page at /app: same origin only, no inline script or style, so data it shows cannot run or load anything. */
  app:
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
} as const;

/** The policy for a route, by the path it was declared with (an unknown path gets the API's). */
export function cspFor(routeUrl: string | undefined): string {
  if (routeUrl === '/docs' || routeUrl?.startsWith('/docs/')) return CSP.docs;
  if (routeUrl === '/app' || routeUrl?.startsWith('/app/')) return CSP.app;
  return CSP.api;
}

export default fp(
  async function securityPlugin(app: FastifyInstance, opts: { corsOrigins: string[] }) {
    await app.register(helmet, {
      contentSecurityPolicy: false,
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    });
    app.addHook('onRequest', async (request, reply) => {
      reply.header('content-security-policy', cspFor(request.routeOptions.url));
    });
    await app.register(cors, {
      origin: opts.corsOrigins.length ? opts.corsOrigins : false,
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-access-reason', 'x-request-id'],
      exposedHeaders: ['etag', 'location', 'x-request-id', 'x-next-cursor', 'retry-after', 'idempotent-replayed'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
