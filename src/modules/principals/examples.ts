// Examples of the principals contract: a force system's key, as an admin creates, lists and rotates it.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS } from '../../shared/examples.ts';

/** Not a real key: the shape of one (oar_ and 43 base64url characters). */
const KEY = 'oar_EXAMPLEonlyEXAMPLEonlyEXAMPLEonlyEXAMPLEonl';

export const PRINCIPAL_CREATE_EXAMPLE = {
  name: 'Crime system (example)',
  roles: ['force_system'],
  forceId: EXAMPLE_FORCE_ID,
};

const KEY_VIEW = {
  id: EXAMPLE_IDS.key,
  keyPrefix: KEY.slice(0, 10),
  createdAt: '2026-01-05T10:00:00.000Z',
  revokedAt: null,
  lastUsedAt: '2026-03-01T09:31:00.000Z',
};

export const PRINCIPAL_EXAMPLE = {
  id: EXAMPLE_IDS.principal,
  name: 'Crime system (example)',
  roles: ['force_system'],
  forceId: EXAMPLE_FORCE_ID,
  keyPrefix: KEY_VIEW.keyPrefix,
  keys: [KEY_VIEW],
  lastUsedAt: KEY_VIEW.lastUsedAt,
  createdAt: KEY_VIEW.createdAt,
  revokedAt: null,
  revokedReason: null,
};

export const PRINCIPAL_CREATED_EXAMPLE = {
  ...PRINCIPAL_EXAMPLE,
  keys: [{ ...KEY_VIEW, lastUsedAt: null }],
  lastUsedAt: null,
  key: KEY,
};

export const KEY_CREATED_EXAMPLE = {
  id: '01963a66-7a92-7a2f-8cff-139ebfd01b0e',
  principalId: EXAMPLE_IDS.principal,
  keyPrefix: 'oar_ROTATE',
  createdAt: '2026-03-01T12:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
  key: 'oar_ROTATEDexampleROTATEDexampleROTATEDexample1',
};

export const KEY_REVOKED_EXAMPLE = { ...KEY_VIEW, principalId: EXAMPLE_IDS.principal, revokedAt: '2026-03-02T12:00:00.000Z' };
