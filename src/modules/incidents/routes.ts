// Routes of /v1/incidents: record, read, list (JSON or CSV) and amend assaults; add victims and suspects.
import { actorOf, operation, scopedRoutes } from '../../http/route.ts';
import { sendCsv, toCsv } from '../../shared/csv.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import {
  bodyProblems,
  created,
  IfMatchHeadersSchema,
  jsonOrCsv,
  listOf,
  OptionalReasonHeadersSchema,
  preferredType,
  problems,
  versioned,
} from '../../shared/http.ts';
import { NDJSON, sendNdjson } from '../../shared/ndjson.ts';
import { exportIncidents } from './export.ts';
import { addSuspect, addVictim } from './people.ts';
import {
  IncidentCreateSchema,
  IncidentIdParamsSchema,
  IncidentListQuerySchema,
  IncidentPatchSchema,
  IncidentSchema,
  IncidentSummarySchema,
  SuspectCreateSchema,
  SuspectSchema,
  VictimCreateSchema,
  VictimSchema,
  type IncidentSummary,
} from './schemas.ts';
import { createIncident, getIncident, incidentOpening, listIncidents, patchIncident } from './service.ts';

const tags = ['incidents'];

const CSV_COLUMNS: { header: string; value: (r: IncidentSummary) => unknown }[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'forceId', value: (r) => r.forceId },
  { header: 'forceReference', value: (r) => r.forceReference },
  { header: 'occurredAt', value: (r) => r.occurredAt },
  { header: 'circumstances', value: (r) => r.circumstances },
  { header: 'locationType', value: (r) => r.location.locationType },
  { header: 'crewing', value: (r) => r.deployment.crewing },
  { header: 'dutyType', value: (r) => r.deployment.dutyType },
  { header: 'bodyWornVideoWorn', value: (r) => r.equipment.bodyWornVideo.worn },
  { header: 'bodyWornVideoActivated', value: (r) => r.equipment.bodyWornVideo.activated },
  { header: 'taserDrawn', value: (r) => r.equipment.taser.drawn },
  { header: 'spitAndBiteGuardUsed', value: (r) => r.equipment.spitAndBiteGuardUsed },
  { header: 'methods', value: (r) => r.methods },
  { header: 'hateAggravation', value: (r) => r.hateAggravation },
  { header: 'offences', value: (r) => r.offences },
  { header: 'status', value: (r) => r.status },
  { header: 'victimCount', value: (r) => r.victimCount },
  { header: 'suspectCount', value: (r) => r.suspectCount },
  { header: 'version', value: (r) => r.version },
];

const pageCsv = (page: { items: IncidentSummary[] }) => toCsv(page.items, CSV_COLUMNS);
const noSuchIncident = Errors.notFound('incident', EXAMPLE_IDS.incident);

export const incidentRoutes = scopedRoutes(async (app, r, deps) => {
  app.post('', {
    schema: {
      ...operation(
        'createIncident',
        tags,
        'Record an assault',
        'Creates the incident, with its victims and suspects inline, in one transaction; each victim gets the care plan of the force. ' +
          'forceReference is unique within the force (409 names the incident that has it).',
      ),
      body: IncidentCreateSchema,
      response: { 201: created(IncidentSchema, 'The incident as recorded, with its victims and suspects.', { etag: true }), ...bodyProblems(409) },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const incident = await createIncident(s, request.body);
        return { body: incident, location: `/v1/incidents/${incident.id}`, version: incident.version };
      }),
  });

  app.get('', {
    schema: {
      ...operation(
        'listIncidents',
        tags,
        'List incidents',
        'Newest first by occurredAt, cursor-paged. Accept: text/csv for CSV (next cursor in X-Next-Cursor). ' +
          'Accept: application/x-ndjson streams every matching incident, one per line, from the cursor on (limit does not apply); ' +
          'it is read a chunk at a time as the client takes it, so it is not a snapshot, and an export event is audited.',
      ),
      querystring: IncidentListQuerySchema,
      response: {
        200: jsonOrCsv(listOf(IncidentSummarySchema), 'A page of incidents (JSON or CSV), or every matching one as NDJSON.', pageCsv, {
          ndjson: true,
          paged: true,
        }),
        ...problems(),
      },
    },
    handler: async (request, reply) => {
      const format = preferredType(request, ['application/json', 'text/csv', NDJSON]);
      if (format === NDJSON) return sendNdjson(reply, await exportIncidents(deps, actorOf(request), request.query));
      const result = await r.replica(request, (s) => listIncidents(s, request.query));
      if (format === 'text/csv') return sendCsv(reply, pageCsv(result), result.nextCursor);
      return result;
    },
  });

  app.get('/:id', {
    schema: {
      ...operation(
        'getIncident',
        tags,
        'Read an incident',
        'With its victims and suspects, each as the caller could read it from its own endpoint: suspects are omitted for a welfare officer, ' +
          'and health fields (injuryDetail) are shown only to welfare officers who send X-Access-Reason. The read is audited.',
      ),
      params: IncidentIdParamsSchema,
      headers: OptionalReasonHeadersSchema,
      response: { 200: versioned(IncidentSchema, 'The incident, with its victims and suspects as the caller may see them.'), ...problems(noSuchIncident) },
    },
    handler: (request, reply) => r.readVersioned(request, reply, (s) => getIncident(s, request.params.id), incidentOpening(request.params.id)),
  });

  app.patch('/:id', {
    schema: {
      ...operation(
        'updateIncident',
        tags,
        'Amend an incident',
        'A JSON merge patch of the fields that may change; requires If-Match. Close or withdraw with a statusReason; nothing is deleted.',
      ),
      params: IncidentIdParamsSchema,
      headers: IfMatchHeadersSchema,
      body: IncidentPatchSchema,
      response: { 200: versioned(IncidentSchema, 'The incident as amended, with its new version.'), ...bodyProblems(noSuchIncident, 409, 412, 428) },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => patchIncident(s, request.params.id, expected, request.body)),
  });

  app.post('/:id/victims', {
    schema: {
      ...operation(
        'createVictim',
        ['victims'],
        'Add an assaulted officer or member of staff',
        'A victim found after the incident was recorded. The victim gets the care plan of the force, due from the time of the assault.',
      ),
      params: IncidentIdParamsSchema,
      body: VictimCreateSchema,
      response: {
        201: created(VictimSchema, 'The victim as recorded (health fields only for a caller who may read them).', { etag: true }),
        ...bodyProblems(noSuchIncident),
      },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const victim = await addVictim(s, request.params.id, request.body);
        return { body: victim, location: `/v1/victims/${victim.id}`, version: victim.version };
      }),
  });

  app.post('/:id/suspects', {
    schema: {
      ...operation(
        'createSuspect',
        ['suspects'],
        'Add a suspect',
        'A suspect identified after the incident was recorded: pseudonymous (a nominal reference, never a name).',
      ),
      params: IncidentIdParamsSchema,
      body: SuspectCreateSchema,
      response: { 201: created(SuspectSchema, 'The suspect as recorded.', { etag: true }), ...bodyProblems(noSuchIncident) },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const suspect = await addSuspect(s, request.params.id, request.body);
        return { body: suspect, location: `/v1/suspects/${suspect.id}`, version: suspect.version };
      }),
  });
});
