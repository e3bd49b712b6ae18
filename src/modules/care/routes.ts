// Routes of care: plan templates, a victim's plan and its steps, follow-ups, and the welfare queue.
import { operation, scopedRoutes } from '../../http/route.ts';
import { sendCsv, toCsv, wantsCsv } from '../../shared/csv.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS } from '../../shared/examples.ts';
import {
  AccessReasonHeadersSchema,
  bodyProblems,
  created,
  IdParamsSchema,
  IfMatchReasonHeadersSchema,
  json,
  jsonOrCsv,
  listOf,
  problems,
  versioned,
} from '../../shared/http.ts';
import { createFollowUp, listFollowUps } from './follow-ups.ts';
import { getCarePlan, patchCareStep } from './plans.ts';
import { listQueue } from './queue.ts';
import {
  CarePlanSchema,
  CareStepPatchSchema,
  CareStepSchema,
  FollowUpCreateSchema,
  FollowUpListQuerySchema,
  FollowUpSchema,
  QueueItemSchema,
  QueueQuerySchema,
  TemplateParamsSchema,
  TemplatePutSchema,
  TemplateQuerySchema,
  TemplateSchema,
  type QueueItem,
} from './schemas.ts';
import { getTemplate, putTemplate } from './templates.ts';

const QUEUE_CSV: { header: string; value: (r: QueueItem) => unknown }[] = [
  { header: 'kind', value: (r) => r.kind },
  { header: 'id', value: (r) => r.id },
  { header: 'incidentReference', value: (r) => r.incidentReference },
  { header: 'incidentId', value: (r) => r.incidentId },
  { header: 'victimId', value: (r) => r.victimId },
  { header: 'victimRole', value: (r) => r.victimRole },
  { header: 'staffNumber', value: (r) => r.staffNumber },
  { header: 'stepKey', value: (r) => r.stepKey },
  { header: 'title', value: (r) => r.title },
  { header: 'ownerRole', value: (r) => r.ownerRole },
  { header: 'dueAt', value: (r) => r.dueAt },
  { header: 'overdueSeconds', value: (r) => r.overdueSeconds },
];

const queueCsv = (page: { items: QueueItem[] }) => toCsv(page.items, QUEUE_CSV);
const noSuchVictim = Errors.notFound('victim', EXAMPLE_IDS.victim);
const noSuchForce = Errors.notFound('force', EXAMPLE_FORCE_ID);

export const templateRoutes = scopedRoutes(async (app, r) => {
  app.get('/:forceId', {
    schema: {
      ...operation(
        'getCarePlanTemplate',
        ['care'],
        "Read a force's care-plan template",
        'The version new victims of the force get: its own latest, else the national default. "national" reads the default; ?version= an earlier one.',
      ),
      params: TemplateParamsSchema,
      querystring: TemplateQuerySchema,
      response: { 200: json(TemplateSchema, 'The template version asked for.'), ...problems(noSuchForce) },
    },
    handler: (request) => r.read(request, (s) => getTemplate(s, request.params.forceId, request.query.version)),
  });

  app.put('/:forceId', {
    schema: {
      ...operation(
        'publishCarePlanTemplate',
        ['care'],
        'Publish a new care-plan template version',
        'Adds a version (earlier ones are kept); plans already created keep the version they were made from.',
      ),
      params: TemplateParamsSchema,
      body: TemplatePutSchema,
      response: { 200: json(TemplateSchema, 'The new version, now the one new victims of the force get.'), ...bodyProblems(noSuchForce) },
    },
    handler: (request) => r.write(request, (s) => putTemplate(s, request.params.forceId, request.body)),
  });
});

export const victimCareRoutes = scopedRoutes(async (app, r) => {
  app.get('/:id/care-plan', {
    schema: {
      ...operation(
        'getCarePlan',
        ['care'],
        "Read a victim's seven-step care plan",
        'Welfare officers and admins see notes and history and must send X-Access-Reason; force systems see the steps and statuses only.',
      ),
      params: IdParamsSchema,
      headers: AccessReasonHeadersSchema,
      response: { 200: json(CarePlanSchema, 'The plan: every step in order, with its due time and status.'), ...problems(noSuchVictim) },
    },
    handler: (request) => r.read(request, (s) => getCarePlan(s, request.params.id)),
  });

  app.post('/:id/follow-ups', {
    schema: {
      ...operation(
        'createFollowUp',
        ['care'],
        'Log a welfare contact',
        'With an optional next contact date, which stays in the welfare queue until the next follow-up is logged.',
      ),
      params: IdParamsSchema,
      body: FollowUpCreateSchema,
      response: {
        201: created(FollowUpSchema, 'The contact as logged; Location is the list of the victim’s contacts.', { etag: false }),
        ...bodyProblems(noSuchVictim),
      },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const followUp = await createFollowUp(s, request.params.id, request.body);
        return { body: followUp, location: `/v1/victims/${followUp.victimId}/follow-ups` };
      }),
  });

  app.get('/:id/follow-ups', {
    schema: {
      ...operation('listFollowUps', ['care'], "List a victim's welfare contacts", 'Newest first. Health data: needs X-Access-Reason.'),
      params: IdParamsSchema,
      headers: AccessReasonHeadersSchema,
      querystring: FollowUpListQuerySchema,
      response: { 200: json(listOf(FollowUpSchema), 'A page of contacts, newest first.'), ...problems(noSuchVictim) },
    },
    handler: (request) => r.read(request, (s) => listFollowUps(s, request.params.id, request.query)),
  });
});

export const careStepRoutes = scopedRoutes(async (app, r) => {
  app.get('', {
    schema: {
      ...operation(
        'listCareSteps',
        ['care'],
        "The welfare officers' work queue",
        'Pending care steps and due follow-up contacts, oldest due first, cursor-paged; Accept: text/csv for CSV.',
      ),
      querystring: QueueQuerySchema,
      response: { 200: jsonOrCsv(listOf(QueueItemSchema), 'A page of the queue, oldest due first.', queueCsv, { paged: true }), ...problems() },
    },
    handler: async (request, reply) => {
      const result = await r.replica(request, (s) => listQueue(s, request.query));
      if (wantsCsv(request)) return sendCsv(reply, queueCsv(result), result.nextCursor);
      return result;
    },
  });

  app.patch('/:id', {
    schema: {
      ...operation(
        'updateCareStep',
        ['care'],
        'Complete, decline, mark not applicable or reopen a care step',
        'Requires If-Match. Not applicable and reopening need a statusReason. Who and when are recorded. The answer carries the note, reason and history only with X-Access-Reason.',
      ),
      params: IdParamsSchema,
      headers: IfMatchReasonHeadersSchema,
      body: CareStepPatchSchema,
      response: {
        200: versioned(CareStepSchema, 'The step as changed, with its new version.'),
        ...bodyProblems(Errors.notFound('care-step', EXAMPLE_IDS.careStep), 412, 428),
      },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => patchCareStep(s, request.params.id, expected, request.body)),
  });
});
