// The typed TypeScript client of the Officer Assault Register: openapi-fetch over the types openapi-typescript
// generates from openapi/openapi.json (schema.ts, rewritten by `npm run openapi`). Copy this folder and
// `npm install openapi-fetch`; any other OpenAPI generator works from the same document.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, operations, paths, webhooks } from './schema.ts';

/**
 * The answers the client types: JSON and RFC 9457 problems. A list's CSV (Accept: text/csv) or NDJSON
 * (Accept: application/x-ndjson) form is read with `parseAs: 'text'` or `'stream'`, outside these types.
 */
export type OarMedia = 'application/json' | 'application/problem+json';

export type OarClient = Client<paths, OarMedia>;

/** A schema of the contract by name, e.g. `OarSchema<'Incident'>`. */
export type OarSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

export interface OarClientOptions extends Omit<ClientOptions, 'headers'> {
  /** Where the service is, e.g. `https://oar.example.police.uk` (the paths carry `/v1`). */
  baseUrl: string;
  /** An API key, sent as `Authorization: Bearer <key>` on every request. */
  apiKey?: string;
  /** Headers for every request. */
  headers?: Record<string, string>;
}

export function createOarClient({ apiKey, headers, ...options }: OarClientOptions): OarClient {
  return createClient<paths, OarMedia>({ ...options, headers: { ...headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) } });
}
