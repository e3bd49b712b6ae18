// The records the contract's examples are about: one synthetic assault, its people, care and case, told the same way
// in every example so a reader can follow one story through the operations. No real names, numbers or places.

/** Avon and Somerset: a force seeded in every deployment, so an example naming it works as sent. */
export const EXAMPLE_FORCE_ID = '019b76da-a800-71a8-a40e-525f8a6c036b';

export const EXAMPLE_IDS = {
  incident: '01963a5e-4c2a-7b1e-9f3d-2a4b6c8d0e1f',
  victim: '01963a5e-4c2b-7c40-8a11-3b5c7d9e1f20',
  suspect: '01963a5e-4c2c-7d52-9b22-4c6d8e0f2a31',
  careStep: '01963a5e-4c31-7e63-8c33-5d7e9f1a3b42',
  followUp: '01963a60-1a2b-7f74-9d44-6e8f0a2b4c53',
  trimReferral: '01963a61-2b3c-7085-8e55-7f9a1b3c5d64',
  trimAssessment: '01963a62-3c4d-7196-9f66-8a0b2c4d6e75',
  justiceEvent: '01963a63-4d5e-72a7-8a77-9b1c3d5e7f86',
  charge: '01963a63-4d5f-73b8-9b88-ac2d4e6f8a97',
  principal: '01963a40-0a1b-74c9-8c99-bd3e5f7a9ba8',
  key: '01963a40-0a1c-75da-9daa-ce4f6a8bacb9',
  webhook: '01963a41-1b2c-76eb-8ebb-df5a7b9cbdca',
  event: '01963a5e-4c2d-7a2f-8cff-139ebfd01b0e',
  delivery: '01963a64-5e6f-77fc-9fcc-e06b8cadcedb',
  attempt: '01963a64-5e70-780d-8add-f17c9dbedfec',
  auditEvent: '01963a65-6f81-791e-9bee-028daecf0afd',
} as const;

/** When things happen in the story: the assault late on 27 February 2026, recorded the next morning. */
export const EXAMPLE_TIMES = {
  assault: '2026-02-27T23:40:00.000Z',
  recorded: '2026-02-28T08:15:00.000Z',
  firstContact: '2026-02-28T10:00:00.000Z',
  referral: '2026-02-28T11:30:00.000Z',
  decision: '2026-03-01T09:30:00.000Z',
} as const;

/** The force's own reference for the assault. */
export const EXAMPLE_REFERENCE = 'CRIME-2026-02-0415';
