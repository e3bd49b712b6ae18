// Examples of the audit contract: a welfare officer's read of the care plan, sealed into the chain, and a chain check.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS } from '../../shared/examples.ts';

export const AUDIT_EVENT_EXAMPLE = {
  id: EXAMPLE_IDS.auditEvent,
  occurredAt: '2026-03-01T15:05:00.000Z',
  actorId: '01963a40-0a1d-76eb-8ebb-df5a7b9cbdca',
  actorName: 'Welfare officer (example)',
  actorRoles: ['welfare_officer'],
  actorForceId: EXAMPLE_FORCE_ID,
  action: 'read',
  resourceType: 'care_plan',
  resourceId: EXAMPLE_IDS.victim,
  forceId: EXAMPLE_FORCE_ID,
  requestId: '5f0c2a8e-3b1d-4e6f-9a7c-8d2e4f6a0b1c',
  reason: 'Welfare check after the assault of 27 February',
  changedFields: null,
  seq: 48213,
  prevHash: '9c1d7f0e2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e',
  hash: '3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a',
};

export const AUDIT_VERIFICATION_EXAMPLE = {
  intact: true,
  sealed: 48213,
  unsealed: 2,
  firstBrokenSeq: null,
  headSeq: 48213,
  headHash: '3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a',
};
