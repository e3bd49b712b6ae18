// OpenAPI 3.1 generated from the zod schemas; served at /openapi.json, with a reference UI at /docs.
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const API_VERSION = '1.0.0';

type OpenApiDocument = Extract<NonNullable<FastifyDynamicSwaggerOptions['openapi']>, { webhooks?: unknown }>;

export interface SwaggerPluginOptions {
  /** The document's `webhooks` (OpenAPI 3.1): passed in by src/app.ts, as a plugin does not import modules. */
  webhooks?: OpenApiDocument['webhooks'];
}

export default fp<SwaggerPluginOptions>(
  async function swaggerPlugin(app: FastifyInstance, opts: SwaggerPluginOptions) {
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
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key from POST /v1/principals or `npm run keys`.' } },
        },
        security: [{ bearerAuth: [] }],
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
          { name: 'health', description: 'Liveness and readiness' },
          { name: 'problems', description: 'What each problem type means: the pages that problem `type` URIs resolve to' },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
