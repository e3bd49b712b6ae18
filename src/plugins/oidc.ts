// OIDC access tokens (JWT) for people signing in: verified with jose against the configured issuer,
// audience and key set; configured claims give the roles and the force.
import { eq, or } from 'drizzle-orm';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../db/client.ts';
import { Errors } from '../errors.ts';
import { forces } from '../db/schema/index.ts';
import { isUuid } from '../shared/ids.ts';
import { ROLES, type Principal, type Role } from '../shared/principal.ts';

export interface OidcOptions {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  rolesClaim: string;
  forceClaim: string;
  nameClaim: string;
  /** Roles that may act nationally when a token has no force claim (all of the token's roles must be listed). */
  nationalRoles?: readonly Role[] | undefined;
  /** Subjects that may act nationally when their token has no force claim. */
  nationalSubjects?: readonly string[] | undefined;
  /** The clock difference allowed between the issuer and us, for exp, iat and nbf (default 30 s). */
  clockSkewSeconds?: number | undefined;
  /** The longest lifetime (exp - iat) a token may have (default one hour). */
  maxLifetimeSeconds?: number | undefined;
}

export const OIDC_DEFAULT_CLOCK_SKEW_SECONDS = 30;
export const OIDC_DEFAULT_MAX_LIFETIME_SECONDS = 3600;

export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
}

/** A JWT has three base64url parts; our API keys never look like one. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

// Namespace for principal ids derived from (issuer, subject): the same person always gets the same id.
const OIDC_NAMESPACE = '6f0d4c1e-5b8a-4f3e-9d2a-7c1b0e4a9f21';

function claim(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);
}

/**
 * The principal a valid token stands for, or null when it is not valid (wrong issuer, audience, key, expired).
 * A signed token whose claims do not give a scope we can trust (a force claim that is not one known force, no
 * force claim for a role or subject not configured as national, no iat, a lifetime past the cap) is refused
 * with a problem saying which.
 */
export async function principalFromToken(db: Db, opts: OidcOptions, token: string): Promise<Principal | null> {
  const skew = opts.clockSkewSeconds ?? OIDC_DEFAULT_CLOCK_SKEW_SECONDS;
  const maxLifetime = opts.maxLifetimeSeconds ?? OIDC_DEFAULT_MAX_LIFETIME_SECONDS;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, opts.keys, {
      issuer: opts.issuer,
      audience: opts.audience,
      clockTolerance: skew,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch {
    return null;
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') return null;
  // jose checked that exp and iat are numbers and exp is not past; we check iat is not in the future and the
  // lifetime is within the cap, so a token cannot be minted to last for ever.
  const iat = payload.iat!;
  const exp = payload.exp!;
  if (iat > Date.now() / 1000 + skew) throw Errors.tokenNotAccepted('its iat (issued at) is in the future');
  if (exp - iat > maxLifetime) throw Errors.tokenNotAccepted(`it lives longer than ${maxLifetime} s (exp - iat)`);
  return principalFromClaims(db, opts, payload as JWTPayload & { sub: string });
}

/** The claim settings of a token's principal (the page's sign-in reads its ID token with the same ones). */
export type ClaimMapping = Pick<OidcOptions, 'rolesClaim' | 'forceClaim' | 'nameClaim' | 'nationalRoles' | 'nationalSubjects'>;

/**
 * The principal of verified claims: roles and force as configured. A force claim that is not one known force, or
 * no force claim for a role or subject not configured as national, is refused with a token-not-accepted problem.
 */
export async function principalFromClaims(db: Db, opts: ClaimMapping, payload: JWTPayload & { sub: string }): Promise<Principal> {
  const rawRoles = claim(payload, opts.rolesClaim);
  const list = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : [];
  const roles = [...new Set(list.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)))];
  const forceValue = claim(payload, opts.forceClaim);
  let forceId: string | null = null;
  if (forceValue === undefined || forceValue === null) {
    // No force claim: national only where the configuration says so, never by default.
    const nationalRoles = opts.nationalRoles ?? [];
    const national = (opts.nationalSubjects ?? []).includes(payload.sub) || (roles.length > 0 && roles.every((r) => nationalRoles.includes(r)));
    if (!national) throw Errors.tokenNotAccepted(`it has no ${opts.forceClaim} claim, and its subject and roles are not configured as national`);
  } else {
    if (typeof forceValue !== 'string' || forceValue === '') throw Errors.tokenNotAccepted(`its ${opts.forceClaim} claim is not a single force id or code`);
    const byId = isUuid(forceValue);
    const [force] = await db
      .select({ id: forces.id })
      .from(forces)
      .where(byId ? or(eq(forces.id, forceValue), eq(forces.code, forceValue)) : eq(forces.code, forceValue));
    // A token naming a force we do not know is not trusted with any scope.
    if (!force) throw Errors.tokenNotAccepted(`its ${opts.forceClaim} claim names no known force`);
    forceId = force.id;
  }
  const name = claim(payload, opts.nameClaim);
  return {
    id: uuidv5(`${payload.iss}|${payload.sub}`, OIDC_NAMESPACE),
    name: typeof name === 'string' && name ? name.slice(0, 200) : `oidc:${payload.sub}`,
    roles,
    forceId,
  };
}
