// Optimistic concurrency: ETag "<version>" on responses, If-Match required on PATCH.
import type { FastifyReply } from 'fastify';
import { Errors } from '../errors.ts';

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
