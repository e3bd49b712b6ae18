// Builds the OpenAPI document from an app made in memory (no database is touched).
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Database } from './db/client.ts';
import { systemClock } from './shared/clock.ts';

const NO_DATABASE: Database = {
  db: {} as Database['db'],
  kind: 'pglite',
  exclusive: (fn) => fn(),
  listen: async () => ({ close: async () => undefined }),
  close: async () => undefined,
};

/** The whole service, ready, over no database: enough to make its contract (app.swagger(), app.contractOperations). */
export async function contractApp(): Promise<FastifyInstance> {
  const app = await buildApp({ database: NO_DATABASE, clock: systemClock });
  await app.ready();
  return app;
}

export async function generateOpenApi(): Promise<string> {
  const app = await contractApp();
  const doc = app.swagger();
  await app.close();
  return JSON.stringify(doc, null, 2) + '\n';
}
