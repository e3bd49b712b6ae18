// Routes of /v1/forces: the forces of England and Wales, readable by every role; headcount by admins.
import { operation, scopedRoutes } from '../../http/route.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';
import { bodyProblems, IfMatchHeadersSchema, json, problems, versioned } from '../../shared/http.ts';
import { z } from 'zod';
import { FORCE_EXAMPLE } from './examples.ts';
import { ForceParamsSchema, ForcePatchSchema, ForceSchema } from './schemas.ts';
import { getForce, listForces, recordHeadcount } from './service.ts';

const tags = ['forces'];
const noSuchForce = Errors.notFound('force', EXAMPLE_FORCE_ID);
const ForceListSchema = z.object({ items: z.array(ForceSchema) });

export const forceRoutes = scopedRoutes(async (app, r) => {
  app.get('', {
    schema: {
      ...operation('listForces', tags, 'List forces', 'The 43 territorial forces of England and Wales and British Transport Police, by name.'),
      response: { 200: json(ForceListSchema, 'Every force, by name.', [], { items: [FORCE_EXAMPLE] }), ...problems() },
    },
    handler: async (request) => ({ items: await r.read(request, ({ tx }) => listForces(tx)) }),
  });

  app.get('/:forceId', {
    schema: {
      ...operation('getForce', tags, 'Read a force', 'With its latest headcount (used for rates) and the history of headcounts recorded.'),
      params: ForceParamsSchema,
      response: { 200: versioned(ForceSchema, 'The force.'), ...problems(noSuchForce) },
    },
    handler: (request, reply) => r.readVersioned(request, reply, ({ tx }) => getForce(tx, request.params.forceId)),
  });

  app.patch('/:forceId', {
    schema: {
      ...operation(
        'updateForce',
        tags,
        'Record a force headcount',
        'A JSON merge patch; requires If-Match. Headcounts are kept as history for rates over time.',
      ),
      params: ForceParamsSchema,
      headers: IfMatchHeadersSchema,
      body: ForcePatchSchema,
      response: { 200: versioned(ForceSchema, 'The force with the headcount recorded, and its new version.'), ...bodyProblems(noSuchForce, 412, 428) },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => recordHeadcount(s, request.params.forceId, expected, request.body.headcount)),
  });
});
