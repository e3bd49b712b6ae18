// The web page for welfare officers, federation reps and analysts: built from web/ by Vite into src/web/public/
// (committed, so `npm start` serves it with no build step) and served at /app/. Public (the page signs in, then uses /auth and /v1), hidden from the OpenAPI document.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** The page's files: next to this module (tsx), else in the source tree (the compiled build under dist/). */
function publicRoot(): string | null {
  const candidates = [new URL('./public/', import.meta.url), new URL('../../../src/web/public/', import.meta.url)];
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(`${path}index.html`)) return path;
  }
  return null;
}

/** Never framed, no referrer. Its Content-Security-Policy (same origin only, no inline script or style) is CSP.app in src/plugins/security.ts. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

export const webRoutes: FastifyPluginAsync = async (app) => {
  const root = publicRoot();

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  app.get('', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/', 301));

  if (!root) {
    app.log.warn('web page files not found: /app/ is not served');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: 'index.html',
    decorateReply: false,
    schemaHide: true,
    redirect: false,
    dotfiles: 'deny',
    cacheControl: false,
    etag: true,
    lastModified: true,
  });
};
