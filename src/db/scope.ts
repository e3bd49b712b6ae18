// The request scope: one transaction per request, run as the unprivileged oar_app role with the caller's force
// set for row-level security (migrations/0015_row_level_security.sql), the request's time, the actor, and the
// audit and outbox buffers, written in that same transaction just before it commits.
import { eq, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { AuditEntry } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvent } from '../shared/events.ts';
import { isUuid, newId } from '../shared/ids.ts';
import type { Actor } from '../shared/principal.ts';
import { beginWithOf, type Finish, type Prelude } from './begin.ts';
import { queryRows, type Db, type Queryable, type Tx } from './client.ts';
import { preparedStatement } from './prepared.ts';
import { auditEvents, outboxEvents } from './schema/index.ts';

/** The role request transactions run as: not a superuser, owns no table, so the policies bind it. */
export const APP_ROLE = 'oar_app';
/** app.force_id of a national scope: every force's rows. */
const NATIONAL = '*';

/**
 * write: a change. read: a read whose only write is its audit trail, committed asynchronously (a crash can
 * lose the last instant of read logs, never a write or its event). replica: a read sent to the read replica
 * when there is one, its audit events then written on the primary (docs/scaling.md).
 */
export type ScopeMode = 'write' | 'read' | 'replica';

export interface Scope {
  readonly tx: Tx;
  /** The request's time, from the injected clock, read once. */
  readonly now: Date;
  readonly actor: Actor;
  /** The caller's force, or null for a national principal. Row-level security holds the transaction to it. */
  readonly force: string | null;
  /** Appends an audit event; written before the transaction commits. */
  audit(entry: AuditEntry): void;
  /** Queues domain events for the webhook outbox; written before the transaction commits. */
  emit(...events: DomainEvent[]): void;
  /** The rows of the scope's opening read, when it was given one (inScope's `opening`). */
  readonly opened?: Record<string, unknown>[] | undefined;
}

export interface ScopeDeps {
  db: Db;
  /** The read replica, for 'replica' reads. */
  readDb?: Db | undefined;
  clock: Clock;
}

type AuditRow = typeof auditEvents.$inferInsert;
type OutboxRow = typeof outboxEvents.$inferInsert;

/** The force setting of a scope: a force's id (a uuid, checked: the statement holds it as a literal) or NATIONAL. */
function forceSetting(force: string | null): string {
  if (force === null) return NATIONAL;
  if (!isUuid(force)) throw new Error('a force id is a uuid');
  return force;
}

/**
 * What a scope may be opened with, besides its mode. `opening`: a read (SQL holding its values as literals) the scope
 * runs first, as the caller's force, its rows in `scope.opened`; on PostgreSQL it goes with BEGIN, so a read of one
 * record is two round trips (this, and its audit with COMMIT). `prelude`: a statement committed on the primary just
 * before the scope begins (src/db/begin.ts), as the service's own database user; on PostgreSQL without a replica, in
 * BEGIN's round trip too. `genericPlans`: the transaction's named statements run on their generic plans
 * (plan_cache_mode), for a statement PostgreSQL would otherwise plan again at every execution although its plan does
 * not change with the parameters (the federation's list: docs/performance.md).
 */
export interface ScopeOptions {
  opening?: string | undefined;
  prelude?: Prelude | undefined;
  genericPlans?: boolean | undefined;
}

/** The first statement of every scope: who the transaction runs as and which force it may see. */
function enter(force: string | null, asyncCommit: boolean, genericPlans = false): string {
  let scope = `select set_config('role', '${APP_ROLE}', true), set_config('app.force_id', '${forceSetting(force)}', true)`;
  if (asyncCommit) scope += `, set_config('synchronous_commit', 'off', true)`;
  return genericPlans ? `${scope}, set_config('plan_cache_mode', 'force_generic_plan', true)` : scope;
}

/**
 * A transaction that has run enter() first: on PostgreSQL in BEGIN's own round trip (src/db/begin.ts), on PGlite
 * (in this process, no round trip to save) as drizzle's transaction and a statement.
 */
async function transaction<T>(
  db: Db,
  force: string | null,
  asyncCommit: boolean,
  fn: (tx: Tx, finish?: Finish, opened?: Record<string, unknown>[]) => Promise<T>,
  readOnly = false,
  { opening, prelude, genericPlans }: ScopeOptions = {},
): Promise<T> {
  const first = enter(force, asyncCommit, genericPlans);
  const begin = beginWithOf(db);
  if (begin) return begin(first, readOnly, fn, opening, prelude);
  if (prelude) await runPrelude(db, prelude);
  return db.transaction(
    async (tx) => {
      await tx.execute(sql.raw(first));
      return fn(tx, undefined, opening === undefined ? undefined : await queryRows(tx, sql.raw(opening)));
    },
    readOnly ? { accessMode: 'read only' } : undefined,
  );
}

// Audit rows written by a statement of their own (PGlite's scopes, the page's sessions; on PostgreSQL a scope's go with
// its COMMIT, auditInsertSql): one named statement, built once. The arrays go to the driver as they are (a
// placeholder typed by the column would not take null).
const insertAudit = preparedStatement('audit_insert', (q) =>
  q
    .insert(auditEvents)
    .values({
      id: sql.placeholder('id'),
      occurredAt: sql.placeholder('occurredAt'),
      actorId: sql.placeholder('actorId'),
      actorName: sql.placeholder('actorName'),
      actorRoles: sql`${sql.placeholder('actorRoles')}`,
      actorForceId: sql.placeholder('actorForceId'),
      action: sql.placeholder('action'),
      resourceType: sql.placeholder('resourceType'),
      resourceId: sql.placeholder('resourceId'),
      forceId: sql.placeholder('forceId'),
      requestId: sql.placeholder('requestId'),
      reason: sql.placeholder('reason'),
      changedFields: sql`${sql.placeholder('changedFields')}`,
    })
    .prepare('audit_insert'),
);

/** Writes audit rows: the named statement for one, a single insert for several. */
export async function insertAuditRows(q: Queryable, rows: AuditRow[]): Promise<void> {
  if (rows.length === 1) await insertAudit(q).execute(rows[0] as Record<string, unknown>);
  else if (rows.length > 1) await q.insert(auditEvents).values(rows);
}

const AUDIT_COLUMNS =
  'id, occurred_at, actor_id, actor_name, actor_roles, actor_force_id, action, resource_type, resource_id, force_id, request_id, reason, changed_fields';

/** A value as a SQL literal quoted by `literal`, or null. */
const literalOrNull = (literal: (value: string) => string) => (v: string | null | undefined) => (v === null || v === undefined ? 'null' : literal(v));

/**
 * The audit rows as one INSERT holding its values as literals, for a scope that ends with them in its COMMIT's round
 * trip (src/db/begin.ts). Every value is quoted by the driver (escapeLiteral); test/db/scope-begin.test.ts holds its
 * rows equal to those of insertAuditRows, hostile text included.
 */
export function auditInsertSql(rows: AuditRow[], literal: (value: string) => string): string {
  const value = literalOrNull(literal);
  const list = (v: string[] | null | undefined) => (v === null || v === undefined ? 'null' : `array[${v.map(literal).join(', ')}]::text[]`);
  const tuples = rows.map((r) =>
    [
      value(r.id),
      value(r.occurredAt.toISOString()),
      value(r.actorId),
      value(r.actorName),
      list(r.actorRoles),
      value(r.actorForceId),
      value(r.action),
      value(r.resourceType),
      value(r.resourceId),
      value(r.forceId),
      value(r.requestId),
      value(r.reason),
      list(r.changedFields),
    ].join(', '),
  );
  return `insert into audit_events (${AUDIT_COLUMNS}) values (${tuples.join('), (')})`;
}

const outboxRows = (at: Date, events: readonly DomainEvent[]): OutboxRow[] =>
  events.map((e) => ({ id: newId(), forceId: e.forceId, type: e.type, data: e.data, occurredAt: at, dedupeKey: e.dedupeKey ?? null }));

/** Writes domain events to the outbox; a scheduled event whose dedupe key is there already is skipped. */
export async function insertOutbox(q: Queryable, at: Date, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await q.insert(outboxEvents).values(outboxRows(at, events)).onConflictDoNothing({ target: outboxEvents.dedupeKey });
}

/** The outbox rows of insertOutbox as one INSERT holding its values as literals (as auditInsertSql, for the COMMIT's round trip). */
export function outboxInsertSql(at: Date, events: readonly DomainEvent[], literal: (value: string) => string): string {
  const value = literalOrNull(literal);
  const tuples = outboxRows(at, events).map((r) =>
    [value(r.id), value(r.forceId), value(r.type), `${literal(JSON.stringify(r.data))}::jsonb`, value(r.occurredAt.toISOString()), value(r.dedupeKey)].join(
      ', ',
    ),
  );
  return `insert into outbox_events (id, force_id, type, data, occurred_at, dedupe_key) values (${tuples.join('), (')}) on conflict (dedupe_key) do nothing`;
}

/** A scope over tx; its buffers are written by flush. */
function openScope(tx: Tx, now: Date, actor: Actor, opened?: Record<string, unknown>[]) {
  const auditRows: AuditRow[] = [];
  const events: DomainEvent[] = [];
  const scope: Scope = {
    tx,
    now,
    actor,
    force: actor.principal.forceId,
    audit: (entry) => {
      auditRows.push({
        id: newId(),
        occurredAt: now,
        actorId: actor.principal.id,
        actorName: actor.principal.name,
        actorRoles: actor.principal.roles,
        actorForceId: actor.principal.forceId,
        action: entry.action,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId ?? null,
        forceId: entry.forceId,
        requestId: actor.requestId,
        reason: actor.reason,
        changedFields: entry.changedFields ?? null,
      });
    },
    emit: (...more) => {
      events.push(...more);
    },
    opened,
  };
  return { scope, auditRows, events };
}

/**
 * Writes a scope's buffers before its commit. On PostgreSQL they go with the COMMIT itself (one simple-protocol query,
 * values quoted by the driver: src/db/begin.ts), the audit rows of every request and the outbox rows of a write: a
 * read pays one round trip fewer, a write two.
 */
async function flush(tx: Tx, finish: Finish | undefined, now: Date, auditRows: AuditRow[], events: readonly DomainEvent[]): Promise<void> {
  if (finish) {
    const statements = [
      ...(auditRows.length > 0 ? [auditInsertSql(auditRows, finish.literal)] : []),
      ...(events.length > 0 ? [outboxInsertSql(now, events, finish.literal)] : []),
    ];
    if (statements.length > 0) finish.withCommit(statements.join('; '));
    return;
  }
  await insertAuditRows(tx, auditRows);
  await insertOutbox(tx, now, events);
}

/** A prelude on its own (PGlite, or before a scope on the replica): a statement of its own on the primary. */
async function runPrelude(db: Db, prelude: Prelude): Promise<void> {
  await db.execute(sql.raw(prelude.sql)).catch((err: unknown) => prelude.failed(err));
}

/** Runs fn in a scope of the given mode and returns what it returns, once its transaction has committed (ScopeOptions). */
export async function inScope<T>(mode: ScopeMode, deps: ScopeDeps, actor: Actor, fn: (scope: Scope) => Promise<T>, options: ScopeOptions = {}): Promise<T> {
  const now = deps.clock.now();
  if (mode === 'replica' && deps.readDb) {
    if (options.prelude) await runPrelude(deps.db, options.prelude);
    return inReplica(deps.db, deps.readDb, now, actor, fn, { ...options, prelude: undefined });
  }
  return transaction(
    deps.db,
    actor.principal.forceId,
    mode !== 'write',
    async (tx, finish, opened) => {
      const { scope, auditRows, events } = openScope(tx, now, actor, opened);
      const result = await fn(scope);
      await flush(tx, finish, now, auditRows, events);
      return result;
    },
    false,
    options,
  );
}

/** A read-only transaction on the replica; its audit events then go to the primary in a short transaction. */
async function inReplica<T>(db: Db, readDb: Db, now: Date, actor: Actor, fn: (scope: Scope) => Promise<T>, options: ScopeOptions): Promise<T> {
  let auditRows: AuditRow[] = [];
  const result = await transaction(
    readDb,
    actor.principal.forceId,
    false,
    async (tx, _finish, rows) => {
      const opened = openScope(tx, now, actor, rows);
      const answer = await fn(opened.scope);
      if (opened.events.length > 0) throw new Error('a replica read emitted domain events');
      auditRows = opened.auditRows;
      return answer;
    },
    true,
    options,
  );
  if (auditRows.length > 0) await transaction(db, actor.principal.forceId, true, (tx, finish) => flush(tx, finish, now, auditRows, []));
  return result;
}

/**
 * The row with this id, if the scope may see it (row-level security decides), locked FOR UPDATE when asked.
 * Callers answer 404 for undefined: another force's record and no record look the same.
 */
export async function rowById<T extends PgTable & { id: AnyPgColumn }>(
  scope: Scope,
  table: T,
  id: string,
  lock = false,
): Promise<T['$inferSelect'] | undefined> {
  const base = scope.tx
    .select()
    .from(table as PgTable)
    .where(eq(table.id, id));
  const rows = lock ? await base.for('update') : await base;
  return rows[0] as T['$inferSelect'] | undefined;
}
