// OIDC tokens cannot claim national scope by accident (#20 item 17) and must carry exp and iat, iat within the
// clock skew, with a lifetime under the configured cap (#20 item 18).
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import t from 'tap';
import { buildTestApp } from '../helper.ts';
import { FORCE_A, FORCE_B, incidentBody } from '../factories.ts';

const ISSUER = 'https://sign-in.synthetic-force.example';
const AUDIENCE = 'officer-assault-register';

const { publicKey, privateKey } = await generateKeyPair('RS256');
const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
const h = await buildTestApp(t, {
  oidc: {
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: createLocalJWKSet({ keys: [jwk] }),
    rolesClaim: 'roles',
    forceClaim: 'force',
    nameClaim: 'name',
    nationalRoles: ['analyst'],
    nationalSubjects: ['synthetic-national-admin'],
    clockSkewSeconds: 30,
    maxLifetimeSeconds: 3600,
  },
});

const now = () => Math.floor(Date.now() / 1000);
/** A signed token; iat and exp as given (undefined leaves the claim out). */
const token = (claims: Record<string, unknown>, times: { iat?: number | undefined; exp?: number | undefined } = { iat: now(), exp: now() + 600 }) => {
  const jwt = new SignJWT({ sub: 'synthetic-user', ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(privateKey);
};

t.test('a force claim that is not one known force is a 401 problem, never national scope', async (t) => {
  const system = await h.key(['force_system'], FORCE_B);
  const other = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: incidentBody({ forceId: FORCE_B }) });
  t.equal(other.statusCode, 201, other.body);
  const otherId = other.json().id as string;

  const forged = {
    'an array holding a force id': { roles: ['force_system'], force: [FORCE_A] },
    'an array of two forces': { roles: ['force_system'], force: [FORCE_A, FORCE_B] },
    'an object': { roles: ['force_system'], force: { id: FORCE_A } },
    'a number': { roles: ['force_system'], force: 42 },
    'an empty string': { roles: ['force_system'], force: '' },
    'no force claim, role not national': { roles: ['force_system'] },
    'no force claim, one role national and one not': { roles: ['analyst', 'force_system'] },
    'no force claim, no roles': {},
    'an unknown force': { roles: ['force_system'], force: 'atlantis' },
  };
  for (const [why, claims] of Object.entries(forged)) {
    const bearer = await token(claims);
    for (const url of ['/v1/me', `/v1/incidents/${otherId}`]) {
      const res = await h.call(bearer, { method: 'GET', url });
      t.equal(res.statusCode, 401, `${why}: ${url}`);
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      t.match(res.json(), { status: 401, type: /token-not-accepted$/ });
    }
  }

  const scoped = await h.call(await token({ roles: ['force_system'], force: FORCE_A }), { method: 'GET', url: '/v1/me' });
  t.equal(scoped.statusCode, 200, 'a single force id still works');
  t.equal(scoped.json().forceId, FORCE_A);
});

t.test('no force claim gives national scope only to configured roles and subjects', async (t) => {
  const analyst = await h.call(await token({ roles: ['analyst'] }), { method: 'GET', url: '/v1/me' });
  t.equal(analyst.statusCode, 200, analyst.body);
  t.equal(analyst.json().forceId, null, 'a role configured as national');
  const admin = await h.call(await token({ sub: 'synthetic-national-admin', roles: ['admin'] }), { method: 'GET', url: '/v1/me' });
  t.equal(admin.statusCode, 200, admin.body);
  t.equal(admin.json().forceId, null, 'a subject configured as national');
  const otherAdmin = await h.call(await token({ sub: 'synthetic-other-admin', roles: ['admin'] }), { method: 'GET', url: '/v1/me' });
  t.equal(otherAdmin.statusCode, 401, 'the same role, another subject');
});

t.test('tokens need exp and iat, iat within the skew, and a lifetime under the cap', async (t) => {
  const claims = { roles: ['force_system'], force: FORCE_A };
  const bad = {
    'no exp': await token(claims, { iat: now() }),
    'no iat': await token(claims, { exp: now() + 600 }),
    neither: await token(claims, {}),
    'iat in the future past the skew': await token(claims, { iat: now() + 120, exp: now() + 600 }),
    'a lifetime over the cap': await token(claims, { iat: now() - 60, exp: now() + 3600 }),
    'expired past the skew': await token(claims, { iat: now() - 600, exp: now() - 60 }),
  };
  for (const [why, bearer] of Object.entries(bad)) {
    const res = await h.call(bearer, { method: 'GET', url: '/v1/me' });
    t.equal(res.statusCode, 401, why);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  }
  const good = {
    'iat a little ahead, within the skew': await token(claims, { iat: now() + 10, exp: now() + 600 }),
    'a lifetime of exactly the cap': await token(claims, { iat: now() - 10, exp: now() - 10 + 3600 }),
  };
  for (const [why, bearer] of Object.entries(good)) {
    const res = await h.call(bearer, { method: 'GET', url: '/v1/me' });
    t.equal(res.statusCode, 200, `${why}: ${res.body}`);
  }
});

t.test('the national roles and subjects, skew and lifetime cap come from the configuration', async (t) => {
  const { loadConfig, ConfigError } = await import('../../src/config.ts');
  const base = { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: `${ISSUER}/jwks` };
  t.match(loadConfig(base).oidc, { nationalRoles: [], nationalSubjects: [], clockSkewSeconds: 30, maxLifetimeSeconds: 3600 }, 'nobody is national by default');
  const set = loadConfig({
    ...base,
    OIDC_NATIONAL_ROLES: 'analyst, admin',
    OIDC_NATIONAL_SUBJECTS: 'a,b',
    OIDC_CLOCK_SKEW_SECONDS: '5',
    OIDC_MAX_TOKEN_LIFETIME_SECONDS: '900',
  });
  t.same(set.oidc?.nationalRoles, ['analyst', 'admin']);
  t.same(set.oidc?.nationalSubjects, ['a', 'b']);
  t.equal(set.oidc?.clockSkewSeconds, 5);
  t.equal(set.oidc?.maxLifetimeSeconds, 900);
  const refused = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return null;
    } catch (err) {
      return err instanceof ConfigError ? err.message : 'another error';
    }
  };
  t.match(refused({ OIDC_NATIONAL_ROLES: 'analyst,superuser' }), /OIDC_NATIONAL_ROLES/);
  t.match(refused({ OIDC_MAX_TOKEN_LIFETIME_SECONDS: '999999' }), /OIDC_MAX_TOKEN_LIFETIME_SECONDS/);
});
