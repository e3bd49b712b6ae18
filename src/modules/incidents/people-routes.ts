// Routes of /v1/victims/{id} and /v1/suspects/{id}: read and amend one person of an incident.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.ts';
import { actorOf } from '../../plugins/auth.ts';
import type { Clock } from '../../shared/clock.ts';
import { patchVersioned, setEtag } from '../../shared/etag.ts';
import { bodyProblems, IdParamsSchema, IfMatchHeadersSchema, problems } from '../../shared/http.ts';
import { inRead } from '../../shared/tx.ts';
import { getSuspect, getVictim, patchSuspect, patchVictim } from './people.ts';
import { SuspectPatchSchema, SuspectSchema, VictimPatchSchema, VictimSchema } from './schemas.ts';

export const victimRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get('/:id', {
    schema: { tags: ['victims'], summary: 'Read an assaulted officer or member of staff', description: 'Personal data: the read is audited.', params: IdParamsSchema, response: { 200: VictimSchema, ...problems(404) } },
    handler: async (request, reply) => {
      const victim = await inRead(db, (tx) => getVictim(tx, clock, actorOf(request), request.params.id));
      setEtag(reply, victim.version);
      return victim;
    },
  });

  app.patch('/:id', {
    schema: {
      tags: ['victims'],
      summary: 'Amend a victim record',
      description: 'A JSON merge patch; requires If-Match. Withdraw with a statusReason; nothing is deleted.',
      params: IdParamsSchema,
      headers: IfMatchHeadersSchema,
      body: VictimPatchSchema,
      response: { 200: VictimSchema, ...bodyProblems(404, 412, 428) },
    },
    handler: async (request, reply) => {
      return patchVersioned(db, request.headers['if-match'], reply, (tx, expected) => patchVictim(tx, clock, actorOf(request), request.params.id, expected, request.body));
    },
  });
};

export const suspectRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get('/:id', {
    schema: { tags: ['suspects'], summary: 'Read a suspect', description: 'Pseudonymous; the read is audited.', params: IdParamsSchema, response: { 200: SuspectSchema, ...problems(404) } },
    handler: async (request, reply) => {
      const suspect = await inRead(db, (tx) => getSuspect(tx, clock, actorOf(request), request.params.id));
      setEtag(reply, suspect.version);
      return suspect;
    },
  });

  app.patch('/:id', {
    schema: {
      tags: ['suspects'],
      summary: 'Amend a suspect record',
      description: 'A JSON merge patch; requires If-Match. Withdraw with a statusReason; nothing is deleted.',
      params: IdParamsSchema,
      headers: IfMatchHeadersSchema,
      body: SuspectPatchSchema,
      response: { 200: SuspectSchema, ...bodyProblems(404, 412, 428) },
    },
    handler: async (request, reply) => {
      return patchVersioned(db, request.headers['if-match'], reply, (tx, expected) => patchSuspect(tx, clock, actorOf(request), request.params.id, expected, request.body));
    },
  });
};
