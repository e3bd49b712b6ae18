// /health/live and /health/ready: public, for load balancers and orchestrators.
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appliedMigrationCount, expectedMigrationCount } from '../../db/migrate.ts';
import type { Database } from '../../db/client.ts';
import { Errors } from '../../errors.ts';
import { json, PublicProblems, responseExample } from '../../shared/http.ts';
import { operation } from '../../http/route.ts';

const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
responseExample(HealthSchema, { status: 'ok' });

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (app, { database }) => {
  const expected = expectedMigrationCount();

  app.get('/live', {
    schema: {
      ...operation(
        'getLiveness',
        ['health'],
        'The process is up',
        'For a liveness probe: answers while the process runs, whatever the database. No key needed.',
      ),
      security: [],
      response: { 200: json(HealthSchema, 'The process is up.'), 400: PublicProblems[400], 500: PublicProblems[500] },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: {
      ...operation(
        'getReadiness',
        ['health'],
        'The database is reachable and migrated',
        'For a readiness probe: 200 when the database answers and every migration is applied, 503 otherwise. No key needed.',
      ),
      security: [],
      response: {
        200: json(HealthSchema, 'Ready to serve.'),
        400: PublicProblems[400],
        503: PublicProblems[503],
        500: PublicProblems[500],
      },
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
