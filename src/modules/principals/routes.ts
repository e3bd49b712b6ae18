// Routes of /v1/principals: API keys, for admins.
import { z } from 'zod';
import { operation, scopedRoutes } from '../../http/route.ts';
import type { PrincipalCache } from '../../plugins/principal-cache.ts';
import { Errors } from '../../errors.ts';
import { EXAMPLE_IDS } from '../../shared/examples.ts';
import { bodyProblems, created, IdParamsSchema, json, listOf, problems } from '../../shared/http.ts';
import { KEY_REVOKED_EXAMPLE, PRINCIPAL_EXAMPLE } from './examples.ts';
import {
  KeyCreatedSchema,
  KeyParamsSchema,
  KeySchema,
  PrincipalCreatedSchema,
  PrincipalCreateSchema,
  PrincipalListQuerySchema,
  PrincipalSchema,
  RevokeQuerySchema,
} from './schemas.ts';
import { addKey, createPrincipal, listPrincipals, revokeKey, revokePrincipal } from './service.ts';

const tags = ['principals'];
const noSuchPrincipal = Errors.notFound('principal', EXAMPLE_IDS.principal);
const RevokedKeySchema = KeySchema.extend({ principalId: KeyParamsSchema.shape.id });

export const principalRoutes = scopedRoutes<{ principalCache?: PrincipalCache }>(async (app, r, { principalCache }) => {
  // After the commit, so a lookup racing the revocation cannot put the old answer back (see PrincipalCache).
  const evicted = <T>(principalId: string, result: T): T => {
    principalCache?.evictPrincipal(principalId);
    return result;
  };

  app.post('', {
    schema: {
      ...operation('createPrincipal', tags, 'Create an API key', 'Creates a principal and answers its key once. Only the hash is stored.'),
      body: PrincipalCreateSchema,
      response: { 201: created(PrincipalCreatedSchema, 'The principal and its key, shown this once.', { etag: false }), ...bodyProblems() },
    },
    handler: async (request, reply) =>
      r.create(
        request,
        reply,
        async (s) => {
          const created = await createPrincipal(s, request.body);
          return { body: created, location: `/v1/principals/${created.id}` };
        },
        // The key is shown once and stored only as a hash: a replay answers without it.
        (body) => ({ ...body, key: null }),
      ),
  });

  app.get('', {
    schema: {
      ...operation('listPrincipals', tags, 'List API keys', 'Newest first. Keys themselves are never shown again.'),
      querystring: PrincipalListQuerySchema,
      response: { 200: json(listOf(PrincipalSchema), 'A page of principals, newest first.'), ...problems() },
    },
    handler: (request) => r.read(request, (s) => listPrincipals(s, request.query)),
  });

  app.delete('/:id', {
    schema: {
      ...operation('revokePrincipal', tags, 'Revoke an API key', 'The key stops working at once. Nothing is deleted; revoking twice is harmless.'),
      params: IdParamsSchema,
      querystring: RevokeQuerySchema,
      response: {
        200: json(PrincipalSchema, 'The principal, revoked.', [], {
          ...PRINCIPAL_EXAMPLE,
          revokedAt: '2026-03-02T12:00:00.000Z',
          revokedReason: 'System retired',
        }),
        ...problems(noSuchPrincipal, 415),
      },
    },
    handler: async (request) => evicted(request.params.id, await r.write(request, (s) => revokePrincipal(s, request.params.id, request.query.reason))),
  });

  app.post('/:id/keys', {
    schema: {
      ...operation(
        'createPrincipalKey',
        tags,
        'Add a key (rotation)',
        'A second key for the principal, shown once. Both work until the old one is revoked; at most two are active.',
      ),
      params: z.object({ id: KeyParamsSchema.shape.id }),
      response: { 201: created(KeyCreatedSchema, 'The new key, shown this once.', { etag: false }), ...problems(noSuchPrincipal, 415, 422) },
    },
    handler: async (request, reply) =>
      r.create(
        request,
        reply,
        async (s) => {
          const key = await addKey(s, request.params.id);
          return { body: key, location: `/v1/principals/${key.principalId}` };
        },
        (body) => ({ ...body, key: null }),
      ),
  });

  app.delete('/:id/keys/:keyId', {
    schema: {
      ...operation(
        'revokePrincipalKey',
        tags,
        'Revoke one key of a principal',
        'Ends a rotation: the key stops working at once; the principal and its other key remain.',
      ),
      params: KeyParamsSchema,
      response: { 200: json(RevokedKeySchema, 'The key, revoked.', [], KEY_REVOKED_EXAMPLE), ...problems(Errors.notFound('key', EXAMPLE_IDS.key), 415) },
    },
    handler: async (request) => evicted(request.params.id, await r.write(request, (s) => revokeKey(s, request.params.id, request.params.keyId))),
  });
});
