// Who may call what, and who must say why: the one declared policy table. The auth plugin enforces both (a
// route missing here is refused to everyone) and the authorization-matrix test checks every route against it.
// Services check neither roles nor reasons.
import { ROLES, type Actor, type Role } from './shared/principal.ts';

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
  'GET /v1/victims': ['force_system', 'welfare_officer'],
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
  'GET /v1/stats/quarterly': ['analyst', 'admin', 'federation_rep'],

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
 * How the statistics (GET /v1/stats/*) answer each role allowed on them. `exact`: the figures as computed, any period,
 * any force in the key's scope. `protected`: statistical disclosure control (docs/statistics.md, "Disclosure control":
 * counts rounded to base 5, derived figures withheld on a small base, every breakdown key listed, periods on the fixed
 * grid only). `ownForceOnly`: a key without a force may not use the view (it would see every force). A principal
 * with several roles gets the most open view among them; a role allowed on the routes but not named here gets the
 * protected view, own force only.
 */
export interface StatsView {
  readonly figures: 'exact' | 'protected';
  readonly ownForceOnly: boolean;
}

export const STATS_VIEWS: Partial<Record<Role, StatsView>> = {
  analyst: { figures: 'exact', ownForceOnly: false },
  admin: { figures: 'exact', ownForceOnly: false },
  federation_rep: { figures: 'protected', ownForceOnly: true },
};

const PROTECTED_VIEW: StatsView = { figures: 'protected', ownForceOnly: true };

/** The statistics view of a principal with these roles: the most open of its roles' views. */
export function statsViewOf(roles: readonly Role[]): StatsView {
  const views = roles.filter((r) => allowedRoles('GET', '/v1/stats/summary')?.includes(r)).map((r) => STATS_VIEWS[r] ?? PROTECTED_VIEW);
  return {
    figures: views.some((v) => v.figures === 'exact') ? 'exact' : 'protected',
    ownForceOnly: views.length === 0 || views.every((v) => v.ownForceOnly),
  };
}

/**
 * Routes that return health data (care-step notes and history, follow-ups, TRiM), by the roles that must give
 * X-Access-Reason there: the reason is audited with the read. Other roles on the route see no health data.
 */
export const REASON_REQUIRED: Record<string, readonly Role[]> = {
  'GET /v1/victims/:id/care-plan': ['welfare_officer', 'admin'],
  'GET /v1/victims/:id/follow-ups': ['welfare_officer', 'admin'],
  'GET /v1/trim-referrals/:id': ['welfare_officer', 'admin'],
};

/**
 * Who may see a field, wherever it appears: its resource's own endpoint, embedded in another resource, a create
 * or PATCH answer, and so an idempotent replay of one. `readers`: the roles that may see it; `reason`: they must
 * also have given X-Access-Reason on the request (the reason is on every audit event of the request).
 */
export interface FieldRule {
  readonly readers: readonly Role[];
  readonly reason: boolean;
}

/** Health data (special category under UK GDPR): welfare officers and admins, and only with a reason. */
const HEALTH: FieldRule = { readers: ['welfare_officer', 'admin'], reason: true };
/** Who did the welfare work: the welfare side's own business; other readers see statuses and times only. */
const WELFARE_WORK: FieldRule = { readers: ['welfare_officer', 'admin'], reason: false };

/**
 * The field policy: per resource, the route that reads it on its own (an embedded copy shows only to roles that
 * may call that route, POLICY above) and the fields with a rule of their own. Fields not named are shown to every
 * role that may read the resource. Classes: see the README's "Personal and health data".
 */
export const FIELD_POLICY = {
  victim: { route: 'GET /v1/victims/:id', fields: { injuryDetail: HEALTH } },
  suspect: { route: 'GET /v1/suspects/:id', fields: {} },
  careStep: { route: 'GET /v1/victims/:id/care-plan', fields: { statusReason: HEALTH, note: HEALTH, history: HEALTH, completedBy: WELFARE_WORK } },
} as const satisfies Record<string, { route: string; fields: Record<string, FieldRule> }>;

export type GuardedResource = keyof typeof FIELD_POLICY;

/** Who is reading: the caller's roles and the X-Access-Reason they gave (null: none). */
export interface Reader {
  readonly roles: readonly Role[];
  readonly reason: string | null;
}

/** True when the reader may read the resource from its own endpoint, and so see it embedded elsewhere. */
export function mayReadResource(resource: GuardedResource, reader: Reader): boolean {
  const allowed = POLICY[FIELD_POLICY[resource].route] ?? [];
  return reader.roles.some((r) => allowed.includes(r));
}

function mayReadField(rule: FieldRule, reader: Reader): boolean {
  return reader.roles.some((r) => rule.readers.includes(r)) && (!rule.reason || reader.reason !== null);
}

/** The view without the fields the reader may not see (omitted, not nulled: null means "recorded as none"). */
export function visibleFields<T extends object>(resource: GuardedResource, reader: Reader, view: T): T {
  const fields: Record<string, FieldRule> = FIELD_POLICY[resource].fields;
  let out: T | undefined;
  for (const [name, rule] of Object.entries(fields)) {
    if (name in view && !mayReadField(rule, reader)) {
      out ??= { ...view };
      delete (out as Record<string, unknown>)[name];
    }
  }
  return out ?? view;
}

/** The reader of a request: its principal's roles and its X-Access-Reason. */
export const readerOf = (actor: Actor): Reader => ({ roles: actor.principal.roles, reason: actor.reason });

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
