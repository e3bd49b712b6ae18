// /health/live and /health/ready: public, for load balancers and orchestrators.
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appliedMigrationCount, expectedMigrationCount } from '../../db/migrate.ts';
import type { Database } from '../../db/client.ts';
import { Errors } from '../../errors.ts';
import { PublicProblems } from '../../shared/http.ts';

const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (app, { database }) => {
  const expected = expectedMigrationCount();

  app.get('/live', {
    schema: {
      tags: ['health'],
      summary: 'The process is up',
      security: [],
      response: { 200: HealthSchema, 400: PublicProblems[400], 500: PublicProblems[500] },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: {
      tags: ['health'],
      summary: 'The database is reachable and migrated',
      security: [],
      response: { 200: HealthSchema, 400: PublicProblems[400], 503: PublicProblems[503], 500: PublicProblems[500] },
    },
    handler: async (request) => {
      try {
        await database.db.execute(sql`select 1`);
        if ((await appliedMigrationCount(database)) < expected) throw new Error('migrations pending');
      } catch (err) {
        request.log.warn({ reason: (err as Error).message.slice(0, 80) }, 'not ready');
        throw Errors.unavailable();
      }
      return { status: 'ok' as const };
    },
  });
};
