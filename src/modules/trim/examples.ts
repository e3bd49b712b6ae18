// Examples of the TRiM contract (src/shared/examples.ts tells the story): the officer referred, consenting, assessed.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_TIMES } from '../../shared/examples.ts';

export const TRIM_REFERRAL_CREATE_EXAMPLE = {
  referredAt: '2026-02-28T11:30:00Z',
  referredBy: 'Welfare officer (example)',
  consent: 'given',
  note: null,
};

export const TRIM_REFERRAL_PATCH_EXAMPLE = { planningMeetingAt: '2026-03-01T09:00:00Z' };

export const TRIM_ASSESSMENT_CREATE_EXAMPLE = {
  kind: 'initial',
  assessedAt: '2026-03-02T08:30:00Z',
  score: 12,
  outcome: 'monitor',
  note: 'Low risk; review at the follow-up (synthetic example).',
};

const by = 'Welfare officer (example)';

/** The referral after its initial assessment: the follow-up is due 28 days after it. */
export const TRIM_REFERRAL_EXAMPLE = {
  id: EXAMPLE_IDS.trimReferral,
  victimId: EXAMPLE_IDS.victim,
  incidentId: EXAMPLE_IDS.incident,
  forceId: EXAMPLE_FORCE_ID,
  referredAt: EXAMPLE_TIMES.referral,
  referredBy: by,
  consent: 'given',
  status: 'open',
  stage: 'awaiting_follow_up',
  clock: { startsAt: EXAMPLE_TIMES.referral, startsFrom: 'referral' },
  planningMeeting: { dueFrom: '2026-03-01T11:30:00.000Z', dueAt: '2026-03-02T11:30:00.000Z', doneAt: '2026-03-01T09:00:00.000Z' },
  initialAssessment: { dueAt: '2026-03-03T11:30:00.000Z', doneAt: '2026-03-02T08:30:00.000Z' },
  followUp: { dueAt: '2026-03-30T08:30:00.000Z', doneAt: null },
  outcome: null,
  closedAt: null,
  closeReason: null,
  note: null,
  assessments: [
    {
      id: EXAMPLE_IDS.trimAssessment,
      referralId: EXAMPLE_IDS.trimReferral,
      kind: 'initial',
      assessedAt: '2026-03-02T08:30:00.000Z',
      score: 12,
      outcome: 'monitor',
      note: 'Low risk; review at the follow-up (synthetic example).',
      createdAt: '2026-03-02T08:45:00.000Z',
    },
  ],
  history: [
    { event: 'referred', at: EXAMPLE_TIMES.referral, by, detail: 'consent given' },
    { event: 'planning meeting', at: '2026-03-01T09:05:00.000Z', by, detail: '2026-03-01T09:00:00.000Z' },
    { event: 'initial assessment', at: '2026-03-02T08:45:00.000Z', by, detail: 'monitor' },
  ],
  version: 3,
  createdAt: EXAMPLE_TIMES.referral,
  updatedAt: '2026-03-02T08:45:00.000Z',
};
