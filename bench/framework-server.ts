// The framework ceiling: the service's Fastify set-up (problems, security headers, request ids, zod
// validation and serialisation, the real auth plugin and role check) with no database work. The auth
// plugin keeps the principal in the service's principal cache (its one lookup answered from memory by a
// stand-in driver), and audit is off. It answers
// GET /v1/incidents/:id with a fixed incident of two victims and a suspect. Run as its own process.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { drizzle } from 'drizzle-orm/node-postgres';
import { baseApp } from '../src/app.ts';
import * as schema from '../src/db/schema/index.ts';
import type { Db } from '../src/db/client.ts';
import authPlugin from '../src/plugins/auth.ts';
import { PrincipalCache } from '../src/plugins/principal-cache.ts';
import { IncidentIdParamsSchema, IncidentSchema, type IncidentView } from '../src/modules/incidents/schemas.ts';
import { problems } from '../src/shared/http.ts';
import { systemClock } from '../src/shared/clock.ts';

const FORCE = '019b76da-a816-753e-993b-72cc7f21f17a';
const PRINCIPAL = '019b76da-0000-7000-8000-00000000be0c';

/** A driver that answers every query with the one principal (id, name, roles, force, key id, last used). */
const staticDriver = {
  query: async () => ({
    rows: [[PRINCIPAL, 'Framework ceiling', ['force_system'], FORCE, PRINCIPAL, new Date().toISOString()]],
    rowCount: 1,
    fields: [],
  }),
};

function incident(id: string): IncidentView {
  const at = '2026-03-01T10:00:00.000Z';
  const victim = (n: number) => ({
    id: `019b76da-0000-7000-8000-00000000000${n}`,
    incidentId: id,
    forceId: FORCE,
    version: 1,
    createdAt: at,
    updatedAt: at,
    role: 'constable' as const,
    serviceBand: '2_to_5_years' as const,
    staffNumber: `SYN0000${n}`,
    injury: 'minor' as const,
    injuryDetail: null,
    hospitalTreatment: 'none' as const,
    daysLost: 0,
    safetyTrainingInDate: true,
    protectiveEquipment: { carried: ['body_worn_video' as const], used: [] },
    federationConsent: true,
    enhancedRights: false,
    status: 'active' as const,
    statusReason: null,
  });
  return {
    id,
    forceId: FORCE,
    forceReference: 'METROPOLITAN-2026-0000001',
    occurredAt: at,
    location: { description: 'Synthetic location 1', locationType: 'street', latitude: null, longitude: null },
    circumstances: 'arrest',
    deployment: { crewing: 'double', dutyType: 'response' },
    equipment: {
      bodyWornVideo: { worn: true, activated: true, footageRetained: true },
      taser: { drawn: false, discharged: false },
      spitAndBiteGuardUsed: false,
      bodyArmourWorn: true,
    },
    methods: ['punch', 'kick'],
    hateAggravation: [],
    offences: ['emergency_worker_common_assault'],
    narrative: null,
    status: 'open',
    statusReason: null,
    dataRegime: 'dpa2018_part3',
    version: 1,
    createdAt: at,
    updatedAt: at,
    victims: [victim(1), victim(2)],
    suspects: [
      {
        id: '019b76da-0000-7000-8000-000000000009',
        incidentId: id,
        forceId: FORCE,
        version: 1,
        createdAt: at,
        updatedAt: at,
        reference: 'N-0001',
        ageBand: '25_to_34',
        arrested: true,
        status: 'active',
        statusReason: null,
      },
    ],
  };
}

// The service's own base: the same Fastify options, request ids, compilers, parsers, problems and security plugins.
const app = await baseApp({});
await app.register(async (api) => {
  const db = drizzle({ client: staticDriver as never, schema }) as unknown as Db;
  // The service's principal cache, told it hears revocations: after the first request the key is not looked up.
  const listen = async (_channel: string, handlers: { onState?(listening: boolean): void }) => {
    handlers.onState?.(true);
    return { close: async () => undefined };
  };
  await api.register(authPlugin, { db, clock: systemClock, cache: new PrincipalCache(), listen: listen as never });
  api.withTypeProvider<ZodTypeProvider>().get('/v1/incidents/:id', {
    schema: { params: IncidentIdParamsSchema, response: { 200: IncidentSchema, ...problems(404) } },
    handler: async (request, reply) => {
      reply.header('etag', '"1"');
      return incident(request.params.id);
    },
  });
});
app.get('/health/ready', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });
