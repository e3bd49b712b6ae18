// Routes of /v1/forces: the forces of England and Wales, readable by every role; headcount by admins.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.ts';
import { scoped } from '../../http/route.ts';
import type { Clock } from '../../shared/clock.ts';
import { bodyProblems, IfMatchHeadersSchema, problems } from '../../shared/http.ts';
import { z } from 'zod';
import { ForceParamsSchema, ForcePatchSchema, ForceSchema } from './schemas.ts';
import { getForce, listForces, recordHeadcount } from './service.ts';

const tags = ['forces'];

export const forceRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  const r = scoped({ db, clock });

  app.get('', {
    schema: {
      tags,
      summary: 'List forces',
      description: 'The 43 territorial forces of England and Wales and British Transport Police, by name.',
      response: { 200: z.object({ items: z.array(ForceSchema) }), ...problems() },
    },
    handler: async (request) => ({ items: await r.read(request, ({ tx }) => listForces(tx)) }),
  });

  app.get('/:forceId', {
    schema: { tags, summary: 'Read a force', params: ForceParamsSchema, response: { 200: ForceSchema, ...problems(404) } },
    handler: (request, reply) => r.readVersioned(request, reply, ({ tx }) => getForce(tx, request.params.forceId)),
  });

  app.patch('/:forceId', {
    schema: {
      tags,
      summary: 'Record a force headcount',
      description: 'A JSON merge patch; requires If-Match. Headcounts are kept as history for rates over time.',
      params: ForceParamsSchema,
      headers: IfMatchHeadersSchema,
      body: ForcePatchSchema,
      response: { 200: ForceSchema, ...bodyProblems(404, 412, 428) },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => recordHeadcount(s, request.params.forceId, expected, request.body.headcount)),
  });
};
