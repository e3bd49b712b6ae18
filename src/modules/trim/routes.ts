// Routes of TRiM: refer a victim, read and update a referral, record assessments. Welfare officers only.
import { operation, scopedRoutes } from '../../http/route.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { AccessReasonHeadersSchema, bodyProblems, created, IdParamsSchema, IfMatchHeadersSchema, problems, versioned } from '../../shared/http.ts';
import { TrimAssessmentCreateSchema, TrimReferralCreateSchema, TrimReferralPatchSchema, TrimReferralSchema } from './schemas.ts';
import { addAssessment, createReferral, getReferral, patchReferral } from './service.ts';

const tags = ['trim'];
const noSuchReferral = Errors.notFound('trim-referral', EXAMPLE_IDS.trimReferral);

export const victimTrimRoutes = scopedRoutes(async (app, r) => {
  app.post('/:id/trim-referrals', {
    schema: {
      ...operation(
        'createTrimReferral',
        tags,
        'Refer an assaulted officer to TRiM',
        'Due times for the planning meeting (24–48 h), initial assessment (72 h) and follow-up (28 days after the initial) are computed from the incident. One open referral per officer.',
      ),
      params: IdParamsSchema,
      body: TrimReferralCreateSchema,
      response: {
        201: created(TrimReferralSchema, 'The referral, with its due times.', { etag: true }),
        ...bodyProblems(Errors.notFound('victim', EXAMPLE_IDS.victim)),
      },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const referral = await createReferral(s, request.params.id, request.body);
        return { body: referral, location: `/v1/trim-referrals/${referral.id}`, version: referral.version };
      }),
  });
});

export const trimRoutes = scopedRoutes(async (app, r) => {
  app.get('/:id', {
    schema: {
      ...operation('getTrimReferral', tags, 'Read a TRiM referral', 'Health data: needs X-Access-Reason; the read is audited.'),
      params: IdParamsSchema,
      headers: AccessReasonHeadersSchema,
      response: { 200: versioned(TrimReferralSchema, 'The referral, its assessments and history.'), ...problems(noSuchReferral) },
    },
    handler: (request, reply) => r.readVersioned(request, reply, (s) => getReferral(s, request.params.id)),
  });

  app.patch('/:id', {
    schema: {
      ...operation('updateTrimReferral', tags, 'Update a TRiM referral', 'Consent, planning meeting held, note, or close with an outcome. Requires If-Match.'),
      params: IdParamsSchema,
      headers: IfMatchHeadersSchema,
      body: TrimReferralPatchSchema,
      response: { 200: versioned(TrimReferralSchema, 'The referral as changed, with its new version.'), ...bodyProblems(noSuchReferral, 412, 428) },
    },
    handler: (request, reply) => r.patch(request, reply, (s, expected) => patchReferral(s, request.params.id, expected, request.body)),
  });

  app.post('/:id/assessments', {
    schema: {
      ...operation(
        'recordTrimAssessment',
        tags,
        'Record a TRiM assessment',
        'A score and an outcome (the proprietary checklist is not stored). The initial one resets the follow-up due date to 28 days after it.',
      ),
      params: IdParamsSchema,
      body: TrimAssessmentCreateSchema,
      response: {
        201: created(TrimReferralSchema, 'The referral with the assessment added; Location is the referral.', { etag: true }),
        ...bodyProblems(noSuchReferral),
      },
    },
    handler: async (request, reply) =>
      r.create(request, reply, async (s) => {
        const referral = await addAssessment(s, request.params.id, request.body);
        return { body: referral, location: `/v1/trim-referrals/${referral.id}`, version: referral.version };
      }),
  });
});
