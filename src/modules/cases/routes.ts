// Routes of /v1/cases: the federation view of how its members' cases ended. Every read is audited.
import { operation, scopedRoutes } from '../../http/route.ts';
import { sendCsv, toCsv, wantsCsv } from '../../shared/csv.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { json, jsonOrCsv, listOf, problems } from '../../shared/http.ts';
import { CaseListQuerySchema, CaseParamsSchema, CaseSchema, type CaseView } from './schemas.ts';
import { fixedPlan, getCase, listCases } from './service.ts';

const tags = ['cases'];

const CSV: { header: string; value: (c: CaseView) => unknown }[] = [
  { header: 'incidentId', value: (c) => c.incidentId },
  { header: 'incidentReference', value: (c) => c.incidentReference },
  { header: 'occurredAt', value: (c) => c.occurredAt },
  { header: 'circumstances', value: (c) => c.circumstances },
  { header: 'offences', value: (c) => c.offences },
  { header: 'status', value: (c) => c.status },
  { header: 'outcomeCode', value: (c) => c.outcome?.code },
  { header: 'charges', value: (c) => c.defendants.flatMap((d) => d.charges.map((ch) => ch.offence)) },
  { header: 'results', value: (c) => c.defendants.flatMap((d) => d.charges.map((ch) => ch.result?.result ?? 'pending')) },
  { header: 'sentences', value: (c) => c.defendants.flatMap((d) => [...d.charges.flatMap((ch) => ch.sentences), ...d.sentences].map((s) => s.sentence)) },
  { header: 'victimsCodeOnTime', value: (c) => c.victimsCode.onTime },
  { header: 'victimsCodeLate', value: (c) => c.victimsCode.late },
  { header: 'victimsCodeOverdue', value: (c) => c.victimsCode.overdue },
  { header: 'victimsCodeNotYetDue', value: (c) => c.victimsCode.notYetDue },
];

const pageCsv = (page: { items: CaseView[] }) => toCsv(page.items, CSV);

export const caseRoutes = scopedRoutes(async (app, r) => {
  app.get('', {
    schema: {
      ...operation(
        'listCases',
        tags,
        'List case outcomes',
        "For federation reps of the force: status, charges, results, sentences and Victims' Code compliance. An officer is identified only with their federation consent. Accept: text/csv for CSV.",
      ),
      querystring: CaseListQuerySchema,
      response: { 200: jsonOrCsv(listOf(CaseSchema), 'A page of cases, newest incident first.', pageCsv, { paged: true }), ...problems() },
    },
    handler: async (request, reply) => {
      const result = await r.replica(request, (s) => listCases(s, request.query), { genericPlans: fixedPlan(request.query) });
      if (wantsCsv(request)) return sendCsv(reply, pageCsv(result), result.nextCursor);
      return result;
    },
  });

  app.get('/:incidentId', {
    schema: {
      ...operation(
        'getCase',
        tags,
        'Read one case outcome',
        'The federation view of one incident: status, charges, results, sentences and Victims’ Code compliance; officers identified only with consent.',
      ),
      params: CaseParamsSchema,
      response: { 200: json(CaseSchema, 'The case.'), ...problems(Errors.notFound('case', EXAMPLE_IDS.incident)) },
    },
    handler: (request) => r.read(request, (s) => getCase(s, request.params.incidentId)),
  });
});
