// Examples of the care contract (src/shared/examples.ts tells the story): the officer's plan, a step done, a welfare call.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_REFERENCE, EXAMPLE_TIMES } from '../../shared/examples.ts';

const STEPS = [
  {
    key: 'supervisor_contact',
    title: 'Supervisor contacts the assaulted officer',
    description: 'A supervisor makes contact with the officer promptly to check on their welfare and explain the support available.',
    ownerRole: 'supervisor',
    due: { hours: 24 },
  },
  {
    key: 'federation_informed',
    title: 'Federation or staff union told',
    description: "The Police Federation or staff union is told of the assault, with the officer's consent.",
    ownerRole: 'welfare_officer',
    due: { workingDays: 2 },
  },
] as const;

export const TEMPLATE_PUT_EXAMPLE = { steps: [...STEPS] };

export const TEMPLATE_EXAMPLE = {
  forceId: EXAMPLE_FORCE_ID,
  version: 2,
  source: 'force',
  steps: [...STEPS],
  createdAt: '2026-01-15T12:00:00.000Z',
};

const step = {
  id: EXAMPLE_IDS.careStep,
  victimId: EXAMPLE_IDS.victim,
  incidentId: EXAMPLE_IDS.incident,
  forceId: EXAMPLE_FORCE_ID,
  position: 1,
  ...STEPS[0],
  dueAt: '2026-02-28T23:40:00.000Z',
} as const;

/** The first step, done, as a welfare officer who sent X-Access-Reason reads it (note and history are health data). */
export const CARE_STEP_EXAMPLE = {
  ...step,
  status: 'done',
  statusReason: null,
  note: 'Spoke to the officer by phone; support explained (synthetic example).',
  completedAt: EXAMPLE_TIMES.firstContact,
  completedBy: 'Welfare officer (example)',
  history: [{ status: 'done', reason: null, at: EXAMPLE_TIMES.firstContact, by: 'Welfare officer (example)' }],
  version: 2,
  updatedAt: EXAMPLE_TIMES.firstContact,
};

export const CARE_STEP_PATCH_EXAMPLE = {
  status: 'done',
  note: 'Spoke to the officer by phone; support explained (synthetic example).',
  completedAt: '2026-02-28T10:00:00Z',
};

/** The plan as a force system reads it: steps and statuses, without notes, reasons, who or history. */
export const CARE_PLAN_EXAMPLE = {
  victimId: EXAMPLE_IDS.victim,
  incidentId: EXAMPLE_IDS.incident,
  forceId: EXAMPLE_FORCE_ID,
  templateForceId: EXAMPLE_FORCE_ID,
  templateVersion: 2,
  complete: false,
  steps: [
    { ...step, status: 'done', completedAt: EXAMPLE_TIMES.firstContact, version: 2, updatedAt: EXAMPLE_TIMES.firstContact },
    {
      ...step,
      id: '01963a5e-4c32-7f74-9d44-6e8f0a2b4c53',
      position: 2,
      ...STEPS[1],
      dueAt: '2026-03-03T23:59:59.999Z',
      status: 'pending',
      completedAt: null,
      version: 1,
      updatedAt: EXAMPLE_TIMES.recorded,
    },
  ],
};

export const QUEUE_ITEM_EXAMPLE = {
  kind: 'care_step',
  id: '01963a5e-4c32-7f74-9d44-6e8f0a2b4c53',
  forceId: EXAMPLE_FORCE_ID,
  incidentId: EXAMPLE_IDS.incident,
  incidentReference: EXAMPLE_REFERENCE,
  victimId: EXAMPLE_IDS.victim,
  victimRole: 'constable',
  staffNumber: 'SYN-4471',
  stepKey: 'federation_informed',
  title: 'Federation or staff union told',
  ownerRole: 'welfare_officer',
  dueAt: '2026-03-03T23:59:59.999Z',
  overdueSeconds: 0,
  version: 1,
};

export const FOLLOW_UP_CREATE_EXAMPLE = {
  occurredAt: '2026-03-01T15:00:00Z',
  kind: 'call',
  contactBy: 'Welfare officer (example)',
  note: 'Officer back on light duties; sleeping better (synthetic example).',
  nextFollowUpAt: '2026-03-08T15:00:00Z',
};

export const FOLLOW_UP_EXAMPLE = {
  id: EXAMPLE_IDS.followUp,
  victimId: EXAMPLE_IDS.victim,
  incidentId: EXAMPLE_IDS.incident,
  forceId: EXAMPLE_FORCE_ID,
  occurredAt: '2026-03-01T15:00:00.000Z',
  kind: 'call',
  contactBy: 'Welfare officer (example)',
  note: 'Officer back on light duties; sleeping better (synthetic example).',
  nextFollowUpAt: '2026-03-08T15:00:00.000Z',
  createdAt: '2026-03-01T15:20:00.000Z',
};
