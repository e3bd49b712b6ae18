// Examples of the justice contract (src/shared/examples.ts tells the story): the suspect arrested, charged, the outcome coded.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_REFERENCE, EXAMPLE_TIMES } from '../../shared/examples.ts';

/**
 * An event that refers to no other record, so it can be sent as it is for any incident that happened before it. An
 * arrest, charging decision or hearing names the suspectId of the incident's suspect; a court result also the chargeId
 * the charging decision's answer gave the charge (charges[].id).
 */
export const JUSTICE_EVENT_CREATE_EXAMPLE = {
  type: 'outcome_code',
  occurredAt: '2026-03-01T09:30:00Z',
  code: 1,
  scheme: '2021-04',
  note: null,
};

const recorded = (id: string, occurredAt: string) => ({
  id,
  incidentId: EXAMPLE_IDS.incident,
  occurredAt,
  note: null,
  recordedAt: occurredAt,
  recordedBy: 'Crime system (example)',
});

const OUTCOME = { scheme: '2021-04', code: 1, label: 'Charge/summons', outcomeGroup: 'charged_summonsed' };

export const JUSTICE_EVENT_EXAMPLE = {
  type: 'outcome_code',
  ...recorded('01963a63-4d60-74c9-8c99-bd3e5f7a9ba8', EXAMPLE_TIMES.decision),
  ...OUTCOME,
};

const ARREST = { type: 'arrest', ...recorded('01963a5f-0b1c-7d2e-8f30-415263748596', '2026-02-27T23:45:00.000Z'), suspectId: EXAMPLE_IDS.suspect } as const;

const CHARGING_DECISION = {
  type: 'charging_decision',
  ...recorded(EXAMPLE_IDS.justiceEvent, '2026-02-28T16:00:00.000Z'),
  suspectId: EXAMPLE_IDS.suspect,
  decision: 'charged',
  charges: [{ id: EXAMPLE_IDS.charge, offence: 'emergency_worker_common_assault' }],
} as const;

export const JUSTICE_EXAMPLE = {
  incidentId: EXAMPLE_IDS.incident,
  status: 'charged',
  outcome: OUTCOME,
  events: [ARREST, { ...CHARGING_DECISION, charges: [...CHARGING_DECISION.charges] }, JUSTICE_EVENT_EXAMPLE],
  victimsCode: {
    summary: { onTime: 0, late: 0, notYetDue: 1, overdue: 0 },
    notifications: [
      {
        eventId: EXAMPLE_IDS.justiceEvent,
        victimId: EXAMPLE_IDS.victim,
        decisionType: 'charging_decision',
        decidedAt: '2026-02-28T16:00:00.000Z',
        workingDays: 5,
        deadlineAt: '2026-03-06T23:59:59.999Z',
        toldAt: null,
        status: 'not_yet_told',
      },
    ],
  },
};

export const VICTIM_UPDATE_DUE_EXAMPLE = {
  incidentId: EXAMPLE_IDS.incident,
  incidentReference: EXAMPLE_REFERENCE,
  forceId: EXAMPLE_FORCE_ID,
  victimId: EXAMPLE_IDS.victim,
  eventId: EXAMPLE_IDS.justiceEvent,
  decisionType: 'charging_decision',
  decidedAt: '2026-02-28T16:00:00.000Z',
  deadlineAt: '2026-03-06T23:59:59.999Z',
  overdueSeconds: 32_400,
};
