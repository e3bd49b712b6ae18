// OIDC access tokens (JWT) for people signing in: verified with jose against the configured issuer,
// audience and key set; configured claims give the roles and the force.
import { eq, or } from 'drizzle-orm';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../db/client.ts';
import { forces } from '../db/schema/index.ts';
import { ROLES, type Principal, type Role } from '../shared/principal.ts';

export interface OidcOptions {
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  rolesClaim: string;
  forceClaim: string;
  nameClaim: string;
}

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

/** The principal a valid token stands for, or null when it is not valid (wrong issuer, audience, key, expired). */
export async function principalFromToken(db: Db, opts: OidcOptions, token: string): Promise<Principal | null> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, opts.keys, { issuer: opts.issuer, audience: opts.audience, clockTolerance: 30 }));
  } catch {
    return null;
  }
  if (!payload.sub) return null;
  const rawRoles = claim(payload, opts.rolesClaim);
  const list = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : [];
  const roles = [...new Set(list.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)))];
  const forceValue = claim(payload, opts.forceClaim);
  let forceId: string | null = null;
  if (typeof forceValue === 'string' && forceValue !== '') {
    const byId = /^[0-9a-f-]{36}$/i.test(forceValue);
    const [force] = await db
      .select({ id: forces.id })
      .from(forces)
      .where(byId ? or(eq(forces.id, forceValue), eq(forces.code, forceValue)) : eq(forces.code, forceValue));
    // A token naming a force we do not know is not trusted with any scope.
    if (!force) return null;
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
