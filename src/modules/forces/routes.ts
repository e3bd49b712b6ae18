// Routes of /v1/forces: the forces of England and Wales, readable by every role; headcount by admins.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { Clock } from '../../shared/clock.ts';
import { patchVersioned, setEtag } from '../../shared/etag.ts';
import { bodyProblems, IfMatchHeadersSchema, problems } from '../../shared/http.ts';
import { z } from 'zod';
import { ForceParamsSchema, ForcePatchSchema, ForceSchema } from './schemas.ts';
import { getForce, listForces, recordHeadcount } from './service.ts';

const tags = ['forces'];

export const forceRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get('', {
    schema: {
      tags,
      summary: 'List forces',
      description: 'The 43 territorial forces of England and Wales and British Transport Police, by name.',
      response: { 200: z.object({ items: z.array(ForceSchema) }), ...problems() },
    },
    handler: async () => ({ items: await listForces(db) }),
  });

  app.get('/:forceId', {
    schema: { tags, summary: 'Read a force', params: ForceParamsSchema, response: { 200: ForceSchema, ...problems(404) } },
    handler: async (request, reply) => {
      const force = await getForce(db, request.params.forceId);
      setEtag(reply, force.version);
      return force;
    },
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
    handler: async (request, reply) => {
      return patchVersioned(db, request.headers['if-match'], reply, (tx, expected) => recordHeadcount(tx, clock, actorOf(request), request.params.forceId, expected, request.body.headcount));
    },
  });
};
