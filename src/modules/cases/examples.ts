// Examples of the federation view (src/shared/examples.ts tells the story): the case after the charge, as a rep sees it.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_REFERENCE, EXAMPLE_TIMES } from '../../shared/examples.ts';

export const CASE_EXAMPLE = {
  incidentId: EXAMPLE_IDS.incident,
  incidentReference: EXAMPLE_REFERENCE,
  forceId: EXAMPLE_FORCE_ID,
  occurredAt: EXAMPLE_TIMES.assault,
  circumstances: 'arrest',
  offences: ['emergency_worker_common_assault'],
  status: 'charged',
  outcome: { scheme: '2021-04', code: 1, label: 'Charge/summons', outcomeGroup: 'charged_summonsed' },
  defendants: [
    {
      label: 'Defendant 1',
      decisions: [{ decision: 'charged', at: '2026-02-28T16:00:00.000Z' }],
      charges: [{ offence: 'emergency_worker_common_assault', chargedAt: '2026-02-28T16:00:00.000Z', result: null, sentences: [] }],
      sentences: [],
    },
  ],
  victimsCode: { onTime: 0, late: 0, notYetDue: 1, overdue: 0 },
  officers: [{ federationConsent: true, role: 'constable', serviceBand: '2_to_5_years', staffNumber: 'SYN-4471' }],
};
