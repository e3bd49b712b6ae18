// Synthetic test data with unique values: no real names, collar numbers or addresses.
import { randomBytes } from 'node:crypto';

/** Two seeded forces (fixed ids from migrations/0002_seed_forces.sql). */
export const FORCE_A = '019b76da-a800-71a8-a40e-525f8a6c036b'; // avon-and-somerset
export const FORCE_B = '019b76da-a801-76d0-801d-15a183d71c1e'; // bedfordshire

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;

export function victimBody(overrides: Record<string, unknown> = {}) {
  return {
    role: 'constable',
    serviceBand: '1_to_2_years',
    staffNumber: unique('SYN'),
    injury: 'minor',
    hospitalTreatment: 'none',
    daysLost: 0,
    safetyTrainingInDate: true,
    protectiveEquipment: { carried: ['body_worn_video', 'body_armour'], used: ['body_worn_video'] },
    federationConsent: false,
    ...overrides,
  };
}

export function suspectBody(overrides: Record<string, unknown> = {}) {
  return { reference: unique('NOMINAL'), ageBand: '25_to_34', arrested: true, ...overrides };
}

export function incidentBody(overrides: Record<string, unknown> = {}) {
  return {
    forceReference: unique('CRIME'),
    occurredAt: '2026-02-27T23:40:00+00:00',
    location: { description: 'Synthetic Street (test data)', locationType: 'street' },
    circumstances: 'arrest',
    deployment: { crewing: 'single', dutyType: 'response' },
    equipment: {
      bodyWornVideo: { worn: true, activated: true, footageRetained: true },
      taser: { drawn: false, discharged: false },
      spitAndBiteGuardUsed: false,
      bodyArmourWorn: true,
    },
    methods: ['kick', 'spit'],
    hateAggravation: [],
    offences: ['emergency_worker_common_assault'],
    narrative: 'Synthetic narrative for tests.',
    ...overrides,
  };
}
