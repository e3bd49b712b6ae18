// The typed client of the contract (clients/typescript, openapi-fetch), with what the page adds to every call:
// the API key or the session's CSRF token, the access reason of the officer being looked at, and what a 401 means.
import { createOarClient, type OarClient } from '../../clients/typescript/index.ts';
import type { Session } from './session.ts';

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** An answer that is not 2xx, with its problem document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface ApiHooks {
  /** A 401: the session or key is no longer accepted. */
  onUnauthorised(): void;
  /** Any answer: the server has seen activity (the idle clock moved). */
  onActivity(): void;
}

let hooks: ApiHooks = { onUnauthorised: () => undefined, onActivity: () => undefined };
let session: Session | null = null;

export function configureApi(next: Session | null, nextHooks?: ApiHooks): void {
  session = next;
  if (nextHooks) hooks = nextHooks;
}

/** A client for this session; `reason` is sent as X-Access-Reason (health and welfare detail). */
export function api(reason?: string): OarClient {
  const headers: Record<string, string> = {};
  if (reason) headers['x-access-reason'] = reason;
  const client = createOarClient({ baseUrl: location.origin, apiKey: session?.apiKey, headers, credentials: 'same-origin' });
  client.use({
    onRequest({ request }) {
      if (request.method !== 'GET' && session?.csrfToken) request.headers.set('x-csrf-token', session.csrfToken);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) hooks.onUnauthorised();
      else hooks.onActivity();
      return response;
    },
  });
  return client;
}

/** The data of a 2xx answer, else an ApiError with the problem. */
export async function ok<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  const problem = (error && typeof error === 'object' ? error : { title: response.statusText }) as Problem;
  throw new ApiError(response.status, problem);
}

/** The version a 2xx answer's ETag carries, as If-Match wants it. */
export const ifMatch = (version: number) => `"${version}"`;

/** Unique per write, so a retried POST is not recorded twice. */
export const idempotencyKey = () => crypto.randomUUID();
