// The load generator, run as its own process (`node --import tsx bench/load.ts <spec.json>`) so it never
// shares a thread with the server it measures. Drives one scenario with autocannon and prints its JSON result.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export type ScenarioKind = 'static' | 'getById' | 'postIncident' | 'patchIncident' | 'mixed';

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  kind: ScenarioKind;
  /** static: the path; getById / patchIncident: the prefix the id is appended to. */
  path: string;
  headers: Record<string, string>;
  /** getById: ids picked at random; patchIncident: ids used once each, in order. */
  ids?: string[];
  /** postIncident: the body; forceReference gets a suffix unique to each request. */
  body?: Record<string, unknown>;
  /** mixed: each request is one of these, picked at random by weight (the soak's interleaved load). */
  mix?: { weight: number; spec: Omit<LoadSpec, 'url' | 'connections' | 'durationSeconds' | 'mix'> }[];
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Answers by HTTP status, to tell what the errors were. */
  statusCodes: Record<string, number>;
  /** patchIncident: true when the pool of never-patched incidents ran out (later requests reuse ids: 412s). */
  poolExhausted?: boolean;
  /** patchIncident: how many ids requests were set up with (in-flight ones at the end included). */
  idsUsed?: number;
}

/** mixed: a request of one of the mix's scenarios per call, chosen by weight. */
function mixedRequest(spec: LoadSpec): autocannon.Request {
  const entries = (spec.mix ?? []).map((m) => ({ weight: m.weight, request: requestFor({ ...spec, ...m.spec }) }));
  const total = entries.reduce((a, e) => a + e.weight, 0);
  const pick = () => {
    let x = Math.random() * total;
    for (const e of entries) if ((x -= e.weight) < 0) return e.request;
    return entries.at(-1)!.request;
  };
  return {
    setupRequest: (req) => {
      const chosen = pick();
      const base = { ...req, method: chosen.method, headers: chosen.headers, path: chosen.path ?? req.path, body: undefined };
      return typeof chosen.setupRequest === 'function' ? chosen.setupRequest(base, {}) : base;
    },
  };
}

function requestFor(spec: LoadSpec): autocannon.Request {
  if (spec.kind === 'mixed') return mixedRequest(spec);
  const ids = spec.ids ?? [];
  const headers = { ...spec.headers };
  if (spec.kind === 'getById') {
    return { method: 'GET', headers, setupRequest: (req) => ({ ...req, path: spec.path + ids[Math.floor(Math.random() * ids.length)] }) };
  }
  if (spec.kind === 'patchIncident') {
    let next = 0;
    return {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      setupRequest: (req) => {
        const id = ids[next % ids.length];
        next += 1;
        used = next;
        if (next > ids.length) exhausted = true;
        return { ...req, path: spec.path + id, body: JSON.stringify({ narrative: `Synthetic amendment ${next}`, deployment: { crewing: 'double' } }) };
      },
    };
  }
  if (spec.kind === 'postIncident') {
    const prefix = `BENCH-${process.pid}-${Date.now().toString(36)}-`;
    let n = 0;
    return {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, path: spec.path, body: JSON.stringify({ ...spec.body, forceReference: prefix + ++n }) }),
    };
  }
  return { method: 'GET', path: spec.path, headers };
}

let exhausted = false;
let used = 0;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    requests: [requestFor(spec)],
    timeout: 10,
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / spec.durationSeconds,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, (v as { count: number }).count])),
    ...(spec.kind === 'patchIncident' ? { poolExhausted: exhausted, idsUsed: used } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
  const result = await runLoad(spec);
  process.stdout.write(JSON.stringify(result) + '\n');
}
