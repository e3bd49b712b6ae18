// Examples of the forces contract: a seeded force and the headcount an admin records for it. Figures are made up.
import { EXAMPLE_FORCE_ID } from '../../shared/examples.ts';

const HEADCOUNT = { officers: 3000, constables: 2300, asOf: '2025-09-30' };

export const FORCE_PATCH_EXAMPLE = { headcount: HEADCOUNT };

export const FORCE_EXAMPLE = {
  id: EXAMPLE_FORCE_ID,
  code: 'avon-and-somerset',
  name: 'Avon and Somerset Constabulary',
  country: 'england',
  kind: 'territorial',
  headcount: HEADCOUNT,
  headcountHistory: [HEADCOUNT, { officers: 2950, constables: 2270, asOf: '2025-03-31' }],
  version: 3,
  updatedAt: '2025-10-14T09:00:00.000Z',
};
