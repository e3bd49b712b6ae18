// Routes of /v1/victims/{id} and /v1/suspects/{id}: read and amend one person of an incident.
import { operation, scopedRoutes } from '../../http/route.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { bodyProblems, IdParamsSchema, IfMatchHeadersSchema, json, listOf, OptionalReasonHeadersSchema, problems, versioned } from '../../shared/http.ts';
import { getSuspect, getVictim, listVictims, patchSuspect, patchVictim } from './people.ts';
import { SuspectPatchSchema, SuspectSchema, VictimListItemSchema, VictimListQuerySchema, VictimPatchSchema, VictimSchema } from './schemas.ts';

const noSuchVictim = Errors.notFound('victim', EXAMPLE_IDS.victim);
const noSuchSuspect = Errors.notFound('suspect', EXAMPLE_IDS.suspect);

export const victimRoutes = scopedRoutes(async (app, r) => {
  app.get('', {
    schema: {
      ...operation(
        'listVictims',
        ['victims'],
        'Find assaulted officers and staff',
        "The caller's force's victims, newest incident first, cursor-paged; `q` finds those whose staff number or incident reference " +
          'contains it (case ignored), whether or not anything is due for them. Personal data: the read is audited, with X-Access-Reason when sent. ' +
          'Health fields (injuryDetail) are never listed: read one victim for them.',
      ),
      querystring: VictimListQuerySchema,
      headers: OptionalReasonHeadersSchema,
      response: { 200: json(listOf(VictimListItemSchema), 'A page of victims.'), ...problems() },
    },
    handler: (request) => r.replica(request, (s) => listVictims(s, request.query)),
  });

  app.get('/:id', {
    schema: {
      ...operation(
        'getVictim',
        ['victims'],
        'Read an assaulted officer or member of staff',
        'Personal data: the read is audited. Health fields (injuryDetail) only for welfare officers who send X-Access-Reason; omitted otherwise.',
      ),
      params: IdParamsSchema,
      headers: OptionalReasonHeadersSchema,
      response: {
        200: versioned(VictimSchema, 'The victim; injuryDetail only for a welfare officer or admin who sent X-Access-Reason.'),
        ...problems(noSuchVictim),
      },
    },
    handler: (request, reply) => r.readVersioned(request, reply, (s) => getVictim(s, request.params.id)),
  });

  app.patch('/:id', {
    schema: {
      ...operation(
        'updateVictim',
        ['victims'],
        'Amend a victim record',
        'A JSON merge patch; requires If-Match. Withdraw with a statusReason; nothing is deleted. The answer omits health fields the caller may not read.',
      ),
      params: IdParamsSchema,
      headers: IfMatchHeadersSchema,
      body: VictimPatchSchema,
      response: { 200: versioned(VictimSchema, 'The victim as amended, with its new version.'), ...bodyProblems(noSuchVictim, 412, 428) },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => patchVictim(s, request.params.id, expected, request.body)),
  });
});

export const suspectRoutes = scopedRoutes(async (app, r) => {
  app.get('/:id', {
    schema: {
      ...operation('getSuspect', ['suspects'], 'Read a suspect', 'Pseudonymous; the read is audited.'),
      params: IdParamsSchema,
      response: { 200: versioned(SuspectSchema, 'The suspect.'), ...problems(noSuchSuspect) },
    },
    handler: (request, reply) => r.readVersioned(request, reply, (s) => getSuspect(s, request.params.id)),
  });

  app.patch('/:id', {
    schema: {
      ...operation(
        'updateSuspect',
        ['suspects'],
        'Amend a suspect record',
        'A JSON merge patch; requires If-Match. Withdraw with a statusReason; nothing is deleted.',
      ),
      params: IdParamsSchema,
      headers: IfMatchHeadersSchema,
      body: SuspectPatchSchema,
      response: { 200: versioned(SuspectSchema, 'The suspect as amended, with its new version.'), ...bodyProblems(noSuchSuspect, 412, 428) },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => patchSuspect(s, request.params.id, expected, request.body)),
  });
});
