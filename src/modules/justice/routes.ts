// Routes of the justice timeline and the Victims' Code queue.
import { operation, scopedRoutes } from '../../http/route.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { bodyProblems, created, IdParamsSchema, json, listOf, problems } from '../../shared/http.ts';
import { JusticeEventCreateSchema, JusticeEventSchema, JusticeSchema, VictimUpdateQueueItemSchema, VictimUpdateQueueQuerySchema } from './schemas.ts';
import { appendEvent, getJustice, listVictimUpdatesDue } from './service.ts';

const tags = ['justice'];
const noSuchIncident = Errors.notFound('incident', EXAMPLE_IDS.incident);

export const incidentJusticeRoutes = scopedRoutes(async (app, r) => {
  app.post('/:id/justice-events', {
    schema: {
      ...operation(
        'recordJusticeEvent',
        tags,
        'Append a justice event',
        'Arrest, charging decision, outcome code, hearing, court result (per defendant and charge), sentence, victim update, ' +
          'Victim Personal Statement, review request. Impossible sequences (a sentence without a conviction, a result for an unknown suspect or charge) are 422.',
      ),
      params: IdParamsSchema,
      body: JusticeEventCreateSchema,
      response: {
        201: created(JusticeEventSchema, 'The event as recorded (a charging decision with an id for each charge); Location is the timeline.', { etag: false }),
        ...bodyProblems(noSuchIncident),
      },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const event = await appendEvent(s, request.params.id, request.body);
        return { body: event, location: `/v1/incidents/${event.incidentId}/justice` };
      }),
  });

  app.get('/:id/justice', {
    schema: {
      ...operation(
        'getJusticeTimeline',
        tags,
        'Read the justice timeline of an incident',
        "The events, the derived case status with the outcome code, and the Victims' Code compliance per victim and decision.",
      ),
      params: IdParamsSchema,
      response: { 200: json(JusticeSchema, 'The timeline, oldest event first, with the case status it gives.'), ...problems(noSuchIncident) },
    },
    handler: (request) => r.read(request, (s) => getJustice(s, request.params.id)),
  });
});

export const victimUpdateRoutes = scopedRoutes(async (app, r) => {
  app.get('/victim-updates', {
    schema: {
      ...operation(
        'listVictimUpdatesDue',
        tags,
        "Victims' Code updates owed",
        'Decisions a victim has not yet been told of; status=overdue (default) for those past their deadline. Oldest deadline first.',
      ),
      querystring: VictimUpdateQueueQuerySchema,
      response: { 200: json(listOf(VictimUpdateQueueItemSchema), 'A page of the updates owed, oldest deadline first.'), ...problems() },
    },
    handler: (request) => r.read(request, (s) => listVictimUpdatesDue(s, request.query)),
  });
});
