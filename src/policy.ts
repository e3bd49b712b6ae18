// Who may call what, and who must say why: the one declared policy table. The auth plugin enforces both (a
// route missing here is refused to everyone) and the authorization-matrix test checks every route against it.
// Services check neither roles nor reasons.
import { ROLES, type Role } from './shared/principal.ts';

const ALL = ROLES;

export const POLICY: Record<string, readonly Role[]> = {
  'POST /v1/principals': ['admin'],
  'GET /v1/principals': ['admin'],
  'DELETE /v1/principals/:id': ['admin'],
  'POST /v1/principals/:id/keys': ['admin'],
  'DELETE /v1/principals/:id/keys/:keyId': ['admin'],
  'GET /v1/me': ALL,

  'GET /v1/forces': ALL,
  'GET /v1/forces/:forceId': ALL,
  'PATCH /v1/forces/:forceId': ['admin'],

  'POST /v1/incidents': ['force_system'],
  'GET /v1/incidents': ['force_system', 'welfare_officer'],
  'GET /v1/incidents/:id': ['force_system', 'welfare_officer'],
  'PATCH /v1/incidents/:id': ['force_system'],
  'POST /v1/imports': ['force_system'],
  'POST /v1/incidents/:id/victims': ['force_system'],
  'POST /v1/incidents/:id/suspects': ['force_system'],
  'GET /v1/victims/:id': ['force_system', 'welfare_officer'],
  'PATCH /v1/victims/:id': ['force_system'],
  'GET /v1/suspects/:id': ['force_system'],
  'PATCH /v1/suspects/:id': ['force_system'],

  'GET /v1/care-plan-templates/:forceId': ['admin', 'welfare_officer', 'force_system'],
  'PUT /v1/care-plan-templates/:forceId': ['admin'],
  'GET /v1/victims/:id/care-plan': ['welfare_officer', 'admin', 'force_system'],
  'POST /v1/victims/:id/follow-ups': ['welfare_officer'],
  'GET /v1/victims/:id/follow-ups': ['welfare_officer', 'admin'],
  'GET /v1/care-steps': ['welfare_officer', 'admin'],
  'PATCH /v1/care-steps/:id': ['welfare_officer'],

  'POST /v1/victims/:id/trim-referrals': ['welfare_officer'],
  'GET /v1/trim-referrals/:id': ['welfare_officer', 'admin'],
  'PATCH /v1/trim-referrals/:id': ['welfare_officer'],
  'POST /v1/trim-referrals/:id/assessments': ['welfare_officer'],

  'POST /v1/incidents/:id/justice-events': ['force_system'],
  'GET /v1/incidents/:id/justice': ['force_system', 'welfare_officer'],
  'GET /v1/justice/victim-updates': ['force_system', 'welfare_officer'],

  'GET /v1/cases': ['federation_rep', 'admin'],
  'GET /v1/cases/:incidentId': ['federation_rep', 'admin'],

  'GET /v1/stats/summary': ['analyst', 'admin', 'federation_rep'],
  'GET /v1/stats/series': ['analyst', 'admin', 'federation_rep'],

  'POST /v1/webhooks': ['force_system', 'admin'],
  'GET /v1/webhooks': ['force_system', 'admin'],
  'GET /v1/webhooks/:id': ['force_system', 'admin'],
  'DELETE /v1/webhooks/:id': ['force_system', 'admin'],
  'GET /v1/webhooks/:id/deliveries': ['force_system', 'admin'],
  'GET /v1/webhooks/:id/deliveries/:deliveryId': ['force_system', 'admin'],
  'POST /v1/webhooks/:id/deliveries/:deliveryId/replay': ['force_system', 'admin'],

  'GET /v1/audit-events': ['admin'],
  'GET /v1/audit-events/verify': ['admin'],
};

/**
 * Routes that return health data (care-step notes and history, follow-ups, TRiM), by the roles that must give
 * X-Access-Reason there: the reason is audited with the read. Other roles on the route see no health data.
 */
export const REASON_REQUIRED: Record<string, readonly Role[]> = {
  'GET /v1/victims/:id/care-plan': ['welfare_officer', 'admin'],
  'GET /v1/victims/:id/follow-ups': ['welfare_officer', 'admin'],
  'GET /v1/trim-referrals/:id': ['welfare_officer', 'admin'],
};

const key = (method: string, routeUrl: string) => `${method === 'HEAD' ? 'GET' : method} ${routeUrl}`;

/** True when a principal with these roles must give X-Access-Reason on the route. */
export function needsReason(method: string, routeUrl: string | undefined, roles: readonly Role[]): boolean {
  const readers = routeUrl ? REASON_REQUIRED[key(method, routeUrl)] : undefined;
  return readers !== undefined && roles.some((r) => readers.includes(r));
}

/** The roles allowed on a route, by its method and registered path (HEAD follows GET); undefined: nobody. */
export function allowedRoles(method: string, routeUrl: string | undefined): readonly Role[] | undefined {
  if (!routeUrl) return undefined;
  return POLICY[key(method, routeUrl)];
}
