// Ids are UUIDv7: time-ordered, generated in Node (PostgreSQL 15 has no uuidv7()). The uuid package lays out the
// bytes; the random bytes come from a pool refilled 4 KB at a time. uuid's own v7 asks the Web Crypto API for 16
// bytes per id, which a profile of GET by id showed at 2.9% of the service's CPU (one id per read, for its
// audit event); refilling a pool is one call per 256 ids. The sequence is uuid's own: a 31-bit counter seeded
// from the random bytes at each new millisecond and incremented within one, so ids made in one process sort in
// the order they were made.
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const POOL = new Uint8Array(16 * 256);
let used = POOL.length;
let lastMs = -Infinity;
let seq = 0;

function random16(): Uint8Array {
  if (used === POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  used += 16;
  return POOL.subarray(used - 16, used);
}

/** Any uuid as PostgreSQL's uuid type reads it (hex in 8-4-4-4-12, any version): the shape check before a query. */
export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export function newId(): string {
  const random = random16();
  const now = Date.now();
  if (now > lastMs) {
    // uuid's v7Sequence: 31 bits of the random bytes 6-9.
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
  }
  return v7({ random, msecs: lastMs, seq });
}
