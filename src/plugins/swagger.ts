// OpenAPI 3.1 generated from the zod schemas; served at /openapi.json, with a reference UI at /docs.
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { contractTransform, contractTransformObject } from './openapi-contract.ts';

export const API_VERSION = '1.0.0';

type OpenApiDocument = Extract<NonNullable<FastifyDynamicSwaggerOptions['openapi']>, { webhooks?: unknown }>;

export interface SwaggerPluginOptions {
  /** The document's `webhooks` (OpenAPI 3.1): passed in by src/app.ts, as a plugin does not import modules. */
  webhooks?: OpenApiDocument['webhooks'];
}

/** A route of the contract as it was declared (its zod schemas), by operationId. */
export interface ContractOperation {
  method: string;
  url: string;
  schema: FastifySchema & { operationId: string };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every operation of the contract with the zod schemas it validates with: the contract tests check the examples by them. */
    contractOperations: Map<string, ContractOperation>;
  }
}

/** API keys (bearer) for systems; the page's session cookie for people signed in through the identity provider. */
const SECURITY_SCHEMES = {
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key from POST /v1/principals or `npm run keys`.' },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'oar_session',
    description:
      "The page's session (GET /auth/login): HttpOnly, SameSite=Lax; named `__Host-oar_session` (and Secure) when the service is reached over https. " +
      'A request it authenticates that changes something must send X-CSRF-Token (the csrfToken of GET /auth/session).',
  },
} as const;

export default fp<SwaggerPluginOptions>(
  async function swaggerPlugin(app: FastifyInstance, opts: SwaggerPluginOptions) {
    const operations = new Map<string, ContractOperation>();
    app.decorate('contractOperations', operations);
    app.addHook('onRoute', (route) => {
      const schema = route.schema as ContractOperation['schema'] | undefined;
      // HEAD routes Fastify adds for GETs share the GET's schema: the GET is the operation.
      const methods = ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD');
      if (schema?.operationId && methods.length > 0) operations.set(schema.operationId, { method: methods[0]!, url: route.url, schema });
    });
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Officer Assault Register',
          version: API_VERSION,
          description:
            'The system of record for assaults on police officers and staff in England and Wales: the incident, ' +
            "the officer's care and the criminal case. Authenticate with `Authorization: Bearer <api key>`. " +
            'Errors are RFC 9457 problem documents. Figures are recorded assaults only.',
          contact: { name: 'Officer Assault Register service team' },
          // Not published under an open licence: the contract is for the forces and bodies that integrate with the service.
          license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        },
        // Relative: the document describes whichever host serves it (a force's deployment, a test instance).
        servers: [{ url: '/', description: 'The host that serves this document' }],
        components: {
          securitySchemes: SECURITY_SCHEMES,
        },
        security: [{ bearerAuth: [] }, { sessionCookie: [] }],
        webhooks: opts.webhooks ?? {},
        tags: [
          { name: 'incidents', description: 'Assaults on officers and staff' },
          { name: 'imports', description: 'Incidents in bulk, from an NDJSON file' },
          { name: 'victims', description: 'Assaulted officers and staff' },
          { name: 'suspects', description: 'Suspects, pseudonymous' },
          { name: 'care', description: 'The seven-step post-assault plan, follow-ups and the welfare queue' },
          { name: 'trim', description: 'Trauma Risk Management referrals (health data)' },
          { name: 'justice', description: "Charging decisions, outcomes, court results, sentences and the Victims' Code clock" },
          { name: 'cases', description: 'The federation view of case outcomes' },
          { name: 'stats', description: 'Statistics: recorded assaults only (definitions in docs/statistics.md)' },
          { name: 'forces', description: 'Forces and their headcount' },
          { name: 'principals', description: 'API keys' },
          { name: 'audit', description: 'The audit trail' },
          { name: 'webhooks', description: "Subscriptions to a force's events, and the delivery log" },
          { name: 'auth', description: "The page's sign-in through the force identity provider, its session and sign-out" },
          { name: 'health', description: 'Liveness and readiness' },
          { name: 'problems', description: 'What each problem type means: the pages that problem `type` URIs resolve to' },
        ],
      },
      transform: contractTransform,
      transformObject: contractTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
