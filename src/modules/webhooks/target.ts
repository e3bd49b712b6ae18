// Where webhooks may go, checked twice: when a subscription is made (its host's addresses now) and at every
// connection (the addresses the socket is about to use, so a name re-pointed at an inside address after the
// check, DNS rebinding, is refused too). The request itself: no redirects followed, keep-alive connections,
// and failures reported as a category only, never the peer's socket or TLS detail.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressAllowed, hostTrusted, isLocalName, parseAddress, type AddressPolicy } from '../../shared/address-policy.ts';

/** The code a refused connection fails with (categorised as address_not_allowed). */
export const ADDRESS_NOT_ALLOWED = 'EADDRNOTALLOWED';

class AddressNotAllowed extends Error {
  readonly code = ADDRESS_NOT_ALLOWED;
  constructor() {
    super('the address is not allowed for webhooks');
  }
}

type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address)))));

/**
 * Why a subscription's URL may not be used, or null when it may. A name that does not resolve now is
 * accepted (its receiver may not be set up yet): every connection is checked again anyway.
 */
export async function targetRefusal(url: string, policy: AddressPolicy, resolve: Resolve = systemResolve, timeoutMs = 2000): Promise<string | null> {
  const host = new URL(url).hostname;
  const refusal = 'is, or resolves to, a loopback, private, link-local or otherwise non-public address; webhooks go to public addresses only';
  if (hostTrusted(host, policy)) return null;
  const literal = parseAddress(host);
  if (literal) return addressAllowed(literal, policy) ? null : refusal;
  if (isLocalName(host)) return refusal;
  let addresses: string[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([resolve(host), new Promise<string[]>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
  return addresses.every((a) => addressAllowed(a, policy)) ? null : refusal;
}

/** A `lookup` for sockets that refuses the connection when any address of the name is not allowed. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      if (!hostTrusted(hostname, policy) && !addresses.every((a) => addressAllowed(a.address, policy))) return callback(new AddressNotAllowed(), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
    });
  };
}

export interface PostResult {
  statusCode: number | null;
  /** null when the receiver answered 2xx; else a category (see categorise). */
  error: string | null;
}

/** The category of a failed request: what the subscriber is told, never the socket's or the peer's detail. */
export function categorise(err: unknown): string {
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (code === ADDRESS_NOT_ALLOWED) return 'address_not_allowed';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'ETIMEDOUT' || code === 'ABORT_ERR') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection_reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA') return 'dns_error';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') return 'host_unreachable';
  if (code === 'EPROTO' || /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH/i.test(code)) return 'tls_error';
  return 'connection_error';
}

/** POSTs webhooks over keep-alive connections checked by the policy; one per worker process. */
export class WebhookSender {
  private readonly lookup: LookupFunction;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly policy: AddressPolicy,
    maxSockets = 256,
  ) {
    this.lookup = guardedLookup(policy);
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64 });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64 });
  }

  /** Sends once; never throws. Redirects are not followed (a 3xx is a failed attempt, http_3xx). */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return resolve({ statusCode: null, error: 'invalid_url' });
      }
      // A literal address skips the lookup: check it here.
      const literal = parseAddress(target.hostname);
      if (literal && !addressAllowed(literal, this.policy)) return resolve({ statusCode: null, error: 'address_not_allowed' });
      let settled = false;
      const done = (r: PostResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const secure = target.protocol === 'https:';
      const req = (secure ? https : http).request(target, {
        method: 'POST',
        agent: secure ? this.httpsAgent : this.httpAgent,
        lookup: this.lookup,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
        done({ statusCode: null, error: 'timeout' });
      }, timeoutMs);
      req.on('response', (res) => {
        const statusCode = res.statusCode ?? 0;
        // The answer's body is not read beyond draining it (the connection is kept for the next one).
        res.resume();
        res.on('error', () => undefined);
        done({ statusCode, error: statusCode >= 200 && statusCode <= 299 ? null : `http_${statusCode}` });
      });
      req.on('error', (err) => done({ statusCode: null, error: categorise(err) }));
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
