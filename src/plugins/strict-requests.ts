// Requests that name nothing exactly are refused, not guessed at: unknown query parameters are a 400 naming them on
// every operation of the contract, as unknown body fields are (a misspelt ?occuredFrom= must not answer an unfiltered
// list), and a path with an empty segment (a trailing slash) is a 404, as any unknown path is.
import type { FastifyInstance, preValidationAsyncHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { Errors } from '../errors.ts';
import { noRoute } from './problems.ts';

/**
 * The query parameters a route declares: its querystring zod object's keys (through a transform), none when it
 * declares no querystring. null when the route takes any: a loose or catch-all object, or a schema that is not zod.
 */
export function declaredQuery(querystring: unknown): ReadonlySet<string> | null {
  if (querystring === undefined) return new Set();
  let schema = querystring;
  while (schema instanceof z.ZodPipe) schema = schema.in;
  if (!(schema instanceof z.ZodObject)) return null;
  const catchall = schema.def.catchall;
  if (catchall !== undefined && !(catchall instanceof z.ZodNever)) return null;
  return new Set(Object.keys(schema.shape));
}

/**
 * One onRoute hook for every route: a route in the contract (one with a schema that is not hidden) gets a
 * preValidation check of its query keys. Checked before the schemas run, so an unknown parameter is reported even
 * when the body is invalid too. Hidden routes (/docs, /app, /openapi.json) and CORS preflights take any query.
 * Registered after the security headers, so its answers carry them.
 */
export default fp(
  async function strictRequestsPlugin(app: FastifyInstance) {
    app.addHook('onRoute', (route: RouteOptions) => {
      const schema = route.schema as { hide?: boolean; querystring?: unknown } | undefined;
      if (!schema || schema.hide || route.method === 'OPTIONS') return;
      const declared = declaredQuery(schema.querystring);
      if (!declared) return;
      const check: preValidationAsyncHookHandler = async (request) => {
        const unknown = Object.keys(request.query as object).filter((name) => !declared.has(name));
        if (unknown.length > 0) throw Errors.unknownQueryParameters(unknown.map((name) => name.slice(0, 100)));
      };
      // A new array: the route's own (possibly shared) hook list is not mutated.
      const own = route.preValidation;
      route.preValidation = own === undefined ? [check] : [...(Array.isArray(own) ? own : [own]), check];
    });
    // A path with an empty segment (/v1/incidents/, /v1/victims//care-plan) names no record: 404 before anything else
    // runs (authentication too), as for any unknown path. Otherwise /v1/incidents/ would reach GET /v1/incidents/:id
    // with an empty id and fail as an invalid parameter. One URL per resource, as the contract lists them.
    app.addHook('onRequest', async (request) => {
      const params = request.params as Record<string, unknown> | undefined;
      if (params && Object.entries(params).some(([name, value]) => name !== '*' && value === '')) throw noRoute(app, request.method, request.url);
    });
  },
  { name: 'strict-requests' },
);
