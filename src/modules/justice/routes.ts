// Routes of the justice timeline and the Victims' Code queue.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.ts';
import { scoped } from '../../http/route.ts';
import type { Clock } from '../../shared/clock.ts';
import { bodyProblems, IdParamsSchema, listOf, problems } from '../../shared/http.ts';
import { JusticeEventCreateSchema, JusticeEventSchema, JusticeSchema, VictimUpdateQueueItemSchema, VictimUpdateQueueQuerySchema } from './schemas.ts';
import { appendEvent, getJustice, listVictimUpdatesDue } from './service.ts';

const tags = ['justice'];

export const incidentJusticeRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  const r = scoped({ db, clock });

  app.post('/:id/justice-events', {
    schema: {
      tags,
      summary: 'Append a justice event',
      description:
        'Arrest, charging decision, outcome code, hearing, court result (per defendant and charge), sentence, victim update, ' +
        'Victim Personal Statement, review request. Impossible sequences (a sentence without a conviction, a result for an unknown suspect or charge) are 422.',
      params: IdParamsSchema,
      body: JusticeEventCreateSchema,
      response: { 201: JusticeEventSchema, ...bodyProblems(404) },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const event = await appendEvent(s, request.params.id, request.body);
        return { body: event, location: `/v1/incidents/${event.incidentId}/justice` };
      }),
  });

  app.get('/:id/justice', {
    schema: {
      tags,
      summary: 'Read the justice timeline of an incident',
      description: "The events, the derived case status with the outcome code, and the Victims' Code compliance per victim and decision.",
      params: IdParamsSchema,
      response: { 200: JusticeSchema, ...problems(404) },
    },
    handler: (request) => r.read(request, (s) => getJustice(s, request.params.id)),
  });
};

export const victimUpdateRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  const r = scoped({ db, clock });

  app.get('/victim-updates', {
    schema: {
      tags,
      summary: "Victims' Code updates owed",
      description: 'Decisions a victim has not yet been told of; status=overdue (default) for those past their deadline. Oldest deadline first.',
      querystring: VictimUpdateQueueQuerySchema,
      response: { 200: listOf(VictimUpdateQueueItemSchema), ...problems() },
    },
    handler: (request) => r.read(request, (s) => listVictimUpdatesDue(s, request.query)),
  });
};
