// The principals of API keys, cached per instance for a few seconds so a request does not read them.
// Only trusted while the instance listens for revocations (NOTIFY principal_revoked): a revocation
// evicts at once here and within moments on every other instance; while the listener is down, no cache.
import type { Principal } from '../shared/principal.ts';

export const PRINCIPAL_REVOKED_CHANNEL = 'principal_revoked';

export interface CachedKey {
  principal: Principal;
  keyId: string;
  /** When the key's last use was last written (or read) — the write happens at most once a minute. */
  lastUsedAt: Date | null;
}

interface Entry extends CachedKey {
  expires: number;
}

export interface PrincipalCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Bumped by every eviction: a lookup that started before one must not store what it read. */
  private generation = 0;
  private listening = false;

  constructor(opts: PrincipalCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** True while revocations are heard; the cache is bypassed (and empty) otherwise. */
  get enabled(): boolean {
    return this.listening;
  }

  setListening(listening: boolean): void {
    // Whatever was revoked while nobody listened is unknown: start again from empty either way.
    this.clear();
    this.listening = listening;
  }

  get(keyHash: string): CachedKey | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(keyHash);
      return undefined;
    }
    // Map order is insertion order: re-inserting keeps the most recently used at the end (LRU-ish).
    this.entries.delete(keyHash);
    this.entries.set(keyHash, entry);
    return entry;
  }

  /** A token to pass to set(): the lookup's result is dropped if an eviction happened since. */
  ticket(): number {
    return this.generation;
  }

  /** Stores the value; answers the object kept (later changes to its lastUsedAt are seen by the next lookups). */
  set(keyHash: string, value: CachedKey, ticket: number): CachedKey {
    if (!this.listening || ticket !== this.generation) return value;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const entry = Object.assign(value, { expires: this.now() + this.ttlMs });
    this.entries.set(keyHash, entry);
    return entry;
  }

  /** Drops every cached key of the principal (a principal or one of its keys was revoked). */
  evictPrincipal(principalId: string): void {
    this.generation++;
    for (const [hash, entry] of this.entries) if (entry.principal.id === principalId) this.entries.delete(hash);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
