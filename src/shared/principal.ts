// Who is calling: the roles of the API and the principal attached to an authenticated request.
import { z } from 'zod';
import { Errors } from '../errors.ts';

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

/**
 * The force a new record belongs to: the key's own, or the one a national key names. `record` finishes
 * "A national key must say which force ..." and `ownOnly` "This key can only ... for its own force.".
 */
export function targetForce(actor: Actor, requested: string | undefined, words: { record: string; ownOnly: string }): string {
  const scope = actor.principal.forceId;
  if (scope === null) {
    if (!requested) throw Errors.rule(`A national key must say which force ${words.record}.`, [{ path: 'forceId', message: 'is required for a national key' }]);
    return requested;
  }
  if (requested && requested !== scope) throw Errors.forbidden(`This key can only ${words.ownOnly} for its own force.`);
  return scope;
}

/** The service itself, as the actor of start-up work (the bootstrap admin) in the audit trail. */
export const SYSTEM_ACTOR: Actor = {
  principal: { id: '00000000-0000-0000-0000-000000000000', name: 'system', roles: [], forceId: null },
  requestId: 'startup',
  reason: null,
};
