// The page's sign-in sessions in the database (migrations/0018_web_sessions.sql): created in the sign-in request's
// scope; found, moved and ended by the auth plugin as the tables' owner, as API keys are looked up. A session past
// its idle or absolute expiry is deleted when met, and a few more are swept at each sign-in; each end is audited.
import { createHash, randomBytes } from 'node:crypto';
import { eq, inArray, lte, or } from 'drizzle-orm';
import { newId } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db, Queryable } from './client.ts';
import { insertAuditRows } from './scope.ts';
import { webSessions } from './schema/index.ts';

export type WebSession = typeof webSessions.$inferSelect;

/** How long a session lives: idle (since it was last seen) and at most (since sign-in). */
export interface SessionLifetime {
  idleMs: number;
  maxMs: number;
}

/** Why a session ended, as the audit trail's reason says it. */
export type SessionEnd = 'signed out' | 'idle time passed' | 'session lifetime passed';

/** The resource type of a session in the audit trail. */
export const SESSION_RESOURCE = 'web-session';

/** Only this is stored: the token itself lives in the browser's cookie. 256 random bits need no slow hash. */
export const hashSessionToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const randomToken = () => randomBytes(32).toString('base64url');

/** The principal a session stands for. */
export const sessionPrincipal = (s: WebSession): Principal => ({ id: s.principalId, name: s.name, roles: s.roles, forceId: s.forceId });

/** When a session seen at `at` stops being usable: its idle time from then, never past its absolute expiry. */
const idleExpiry = (at: Date, expiresAt: Date, idleMs: number) => new Date(Math.min(at.getTime() + idleMs, expiresAt.getTime()));

/** Inserts a new session (in the caller's scope: row-level security holds it to the principal's force); answers its token. */
export async function insertSession(
  q: Queryable,
  now: Date,
  lifetime: SessionLifetime,
  who: { subject: string; principal: Principal },
): Promise<{ token: string; session: WebSession }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + lifetime.maxMs);
  const [session] = await q
    .insert(webSessions)
    .values({
      id: newId(),
      tokenHash: hashSessionToken(token),
      subject: who.subject,
      principalId: who.principal.id,
      name: who.principal.name,
      roles: who.principal.roles,
      forceId: who.principal.forceId,
      csrfToken: randomToken(),
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: idleExpiry(now, expiresAt, lifetime.idleMs),
      expiresAt,
    })
    .returning();
  return { token, session: session! };
}

/** The session of a cookie's token, expired or not (the caller decides); undefined when there is none. */
export async function findSession(db: Db, token: string): Promise<WebSession | undefined> {
  const [row] = await db
    .select()
    .from(webSessions)
    .where(eq(webSessions.tokenHash, hashSessionToken(token)))
    .limit(1);
  return row;
}

/** Why the session can no longer be used at `now`, or null while it can. */
export function sessionEnded(s: WebSession, now: Date): SessionEnd | null {
  if (now.getTime() >= s.expiresAt.getTime()) return 'session lifetime passed';
  if (now.getTime() >= s.idleExpiresAt.getTime()) return 'idle time passed';
  return null;
}

/** Marks the session seen now: its idle time starts again. Answers the session as it now is. */
export async function touchSession(db: Db, s: WebSession, now: Date, idleMs: number): Promise<WebSession> {
  const moved = { lastSeenAt: now, idleExpiresAt: idleExpiry(now, s.expiresAt, idleMs) };
  await db.update(webSessions).set(moved).where(eq(webSessions.id, s.id));
  return { ...s, ...moved };
}

/** The audit event of a session's end, with the session's own principal as the actor. */
function endAudit(s: WebSession, now: Date, requestId: string, why: SessionEnd) {
  return {
    id: newId(),
    occurredAt: now,
    actorId: s.principalId,
    actorName: s.name,
    actorRoles: s.roles,
    actorForceId: s.forceId,
    action: 'revoke',
    resourceType: SESSION_RESOURCE,
    resourceId: s.id,
    forceId: s.forceId,
    requestId,
    reason: why,
    changedFields: null,
  };
}

/**
 * Deletes sessions and audits each end, in one transaction as the owner (a session may end in a request that no
 * longer has a principal). Answers how many were still there to delete.
 */
export async function endSessions(db: Db, sessions: readonly { s: WebSession; why: SessionEnd }[], now: Date, requestId: string): Promise<number> {
  if (sessions.length === 0) return 0;
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(webSessions)
      .where(
        inArray(
          webSessions.id,
          sessions.map(({ s }) => s.id),
        ),
      )
      .returning({ id: webSessions.id });
    const ids = new Set(gone.map((g) => g.id));
    await insertAuditRows(
      tx,
      sessions.filter(({ s }) => ids.has(s.id)).map(({ s, why }) => endAudit(s, now, requestId, why)),
    );
    return gone.length;
  });
}

/** Ends up to `limit` sessions already past an expiry (cheap: the expiry indexes find them). */
export async function sweepSessions(db: Db, now: Date, requestId: string, limit = 20): Promise<number> {
  const stale = await db
    .select()
    .from(webSessions)
    .where(or(lte(webSessions.idleExpiresAt, now), lte(webSessions.expiresAt, now)))
    .limit(limit);
  return endSessions(
    db,
    stale.map((s) => ({ s, why: sessionEnded(s, now) ?? 'idle time passed' })),
    now,
    requestId,
  );
}
