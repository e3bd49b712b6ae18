// Who is calling: the roles of the API and the principal attached to an authenticated request.
import { z } from 'zod';

export const ROLES = ['admin', 'force_system', 'welfare_officer', 'federation_rep', 'analyst'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  /** null = national scope. */
  forceId: string | null;
}

/** The calling principal plus what the audit trail needs about the request. */
export interface Actor {
  principal: Principal;
  requestId: string;
  reason: string | null;
}

/** True when the principal may see records of this force. */
export function canSeeForce(principal: Principal, forceId: string): boolean {
  return principal.forceId === null || principal.forceId === forceId;
}

/** The service itself, as the actor of start-up work (the bootstrap admin) in the audit trail. */
export const SYSTEM_ACTOR: Actor = {
  principal: { id: '00000000-0000-0000-0000-000000000000', name: 'system', roles: [], forceId: null },
  requestId: 'startup',
  reason: null,
};
