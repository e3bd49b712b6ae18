// OIDC access tokens: verified with jose against issuer, audience and a local key set; claims -> roles, force.
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import t from 'tap';
import { buildTestApp } from '../helper.ts';
import { FORCE_A, FORCE_B, incidentBody } from '../factories.ts';

const ISSUER = 'https://sign-in.synthetic-force.example';
const AUDIENCE = 'officer-assault-register';

t.test('OIDC tokens sign people in with the roles and force their claims give', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  const h = await buildTestApp(t, {
    oidc: { issuer: ISSUER, audience: AUDIENCE, keys: createLocalJWKSet({ keys: [jwk] }), rolesClaim: 'roles', forceClaim: 'force', nameClaim: 'name' },
  });
  const token = (claims: Record<string, unknown>, opts: { key?: Parameters<SignJWT['sign']>[0]; iss?: string; aud?: string; exp?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? AUDIENCE)
      .setSubject(String(claims.sub ?? 'user-1'))
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '10m')
      .sign(opts.key ?? privateKey);

  const welfare = await token({ sub: 'synthetic-welfare-1', name: 'Welfare Officer (synthetic)', roles: ['welfare_officer'], force: 'avon-and-somerset' });
  const list = await h.call(welfare, { method: 'GET', url: '/v1/care-steps' });
  t.equal(list.statusCode, 200, list.body);

  const system = await token({ sub: 'synthetic-system', roles: 'force_system', force: FORCE_A });
  const created = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody() });
  t.equal(created.statusCode, 201, 'roles as a space-separated string, force by id');
  t.equal(created.json().forceId, FORCE_A);
  const otherForce = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: FORCE_B }) });
  t.equal(otherForce.statusCode, 403, 'the force claim scopes the token');

  t.equal((await h.call(welfare, { method: 'POST', url: '/v1/incidents', payload: incidentBody() })).statusCode, 403, 'a role the claims do not give');
  const noRoles = await token({ sub: 'synthetic-nobody', force: 'avon-and-somerset' });
  t.equal((await h.call(noRoles, { method: 'GET', url: '/v1/forces' })).statusCode, 403);

  const bad = {
    'wrong audience': await token({ roles: ['analyst'] }, { aud: 'someone-else' }),
    'wrong issuer': await token({ roles: ['analyst'] }, { iss: 'https://elsewhere.example' }),
    expired: await token({ roles: ['analyst'] }, { exp: '-5m' }),
    'signed by another key': await token({ roles: ['analyst'] }, { key: other.privateKey }),
    'an unknown force': await token({ roles: ['analyst'], force: 'atlantis' }),
    tampered: (await token({ roles: ['analyst'] })).replace(/\.[\w-]+$/, '.AAAA'),
  };
  for (const [why, bearer] of Object.entries(bad)) {
    const res = await h.call(bearer, { method: 'GET', url: '/v1/forces' });
    t.equal(res.statusCode, 401, why);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  }

  // The same person always acts as the same principal in the audit trail.
  await h.call(welfare, { method: 'GET', url: '/v1/care-steps' });
  const events = (await h.call(h.adminKey, { method: 'GET', url: '/v1/audit-events?resourceType=care_queue' })).json().items;
  t.equal(events.length, 2);
  t.equal(events[0].actorId, events[1].actorId);
  t.equal(events[0].actorName, 'Welfare Officer (synthetic)');
  t.equal(events[0].actorForceId, FORCE_A);

  t.equal((await h.call(h.adminKey, { method: 'GET', url: '/v1/forces' })).statusCode, 200, 'API keys keep working beside OIDC');
});
