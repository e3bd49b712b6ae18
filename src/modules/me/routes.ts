// GET /v1/me: who the calling key belongs to (name, roles, force), so a client can show who is signed in.
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { forces } from '../../db/schema/index.ts';
import { actorOf, operation } from '../../http/route.ts';
import type { Clock } from '../../shared/clock.ts';
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS } from '../../shared/examples.ts';
import { IdSchema, json, problems, responseExample } from '../../shared/http.ts';
import { RoleSchema } from '../../shared/principal.ts';

export const MeSchema = z
  .object({
    id: IdSchema.describe('The principal (API key) id.'),
    name: z.string().describe('The name given to the key when it was created.'),
    roles: z.array(RoleSchema).describe('Roles granted to the key.'),
    forceId: IdSchema.nullable().describe('The force the key is limited to; null for national scope.'),
    forceName: z.string().nullable().describe('The name of that force; null for national scope.'),
  })
  .meta({ id: 'Me' });

responseExample(MeSchema, {
  id: EXAMPLE_IDS.principal,
  name: 'Crime system (example)',
  roles: ['force_system'],
  forceId: EXAMPLE_FORCE_ID,
  forceName: 'Avon and Somerset Constabulary',
});

export const meRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db }) => {
  app.get('', {
    schema: {
      ...operation(
        'getCurrentPrincipal',
        ['principals'],
        'Who am I',
        'The principal of the calling key: its name, roles and force. Every role may call it; the key itself is never shown.',
      ),
      response: { 200: json(MeSchema, 'The principal of the key that made the request.'), ...problems() },
    },
    handler: async (request) => {
      const { principal } = actorOf(request);
      let forceName: string | null = null;
      if (principal.forceId !== null) {
        const [force] = await db.select({ name: forces.name }).from(forces).where(eq(forces.id, principal.forceId));
        forceName = force?.name ?? null;
      }
      return { id: principal.id, name: principal.name, roles: principal.roles, forceId: principal.forceId, forceName };
    },
  });
};
