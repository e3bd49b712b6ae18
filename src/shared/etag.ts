// Optimistic concurrency: ETag "<version>" on responses, If-Match required on PATCH.
import type { FastifyReply } from 'fastify';
import type { Db, Tx } from '../db/client.ts';
import { Errors } from '../errors.ts';
import { inWrite } from './tx.ts';

export function setEtag(reply: FastifyReply, version: number): FastifyReply {
  return reply.header('etag', `"${version}"`);
}

/** The version named by If-Match; '*' matches any. Missing is 428; unparseable can never match (412). */
export function expectedVersion(header: string | undefined): number | '*' {
  if (header === undefined || header.trim() === '') throw Errors.preconditionRequired();
  const value = header.trim();
  if (value === '*') return '*';
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(value) ?? /^(\d{1,9})$/.exec(value);
  return m ? Number(m[1]) : -1;
}

export function checkVersion(expected: number | '*', current: number): void {
  if (expected !== '*' && expected !== current) throw Errors.preconditionFailed(current);
}

/** A PATCH: If-Match read (428 without it), the change in one transaction, the new ETag on the answer. */
export async function patchVersioned<T extends { version: number }>(
  db: Db,
  ifMatch: string | undefined,
  reply: FastifyReply,
  change: (tx: Tx, expected: number | '*') => Promise<T>,
): Promise<T> {
  const expected = expectedVersion(ifMatch);
  const result = await inWrite(db, (tx) => change(tx, expected));
  setEtag(reply, result.version);
  return result;
}
