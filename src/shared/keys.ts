// API keys: 256 random bits, shown once, stored only as a SHA-256 hash (enough for keys this random).
import { createHash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'oar_';

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The first characters of a key, safe to show so people can tell their keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, 10);
}
