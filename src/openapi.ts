// Builds the OpenAPI document from an app made in memory (no database is touched).
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

export async function generateOpenApi(): Promise<string> {
  const app = await buildApp({ database: NO_DATABASE, clock: systemClock });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return JSON.stringify(doc, null, 2) + '\n';
}
