// What /docs offers under "Try it out" is a request the service accepts: every POST's request example of the generated
// document, sent as it is (Swagger UI's default body) by a key of a role the operation allows, answers 2xx. The
// path parameters are records the earlier examples created, as a user trying the operations in order would have.
import t from 'tap';
import { contractApp } from '../src/openapi.ts';
import { parseAllowList } from '../src/shared/address-policy.ts';
import type { Role } from '../src/shared/principal.ts';
import { FORCE_A } from './factories.ts';
import { buildTestApp } from './helper.ts';

type Json = Record<string, any>;

const contract = await contractApp();
const doc = JSON.parse(JSON.stringify(contract.swagger())) as Json;
await contract.close();

// The webhook example's receiver is on a .example host, which never resolves: trusted here so no lookup is tried.
const h = await buildTestApp(t, { webhookTargets: parseAllowList('crime-system.force.example') });

/** What the examples create, for the operations that need an earlier record in their path. */
const made: { incident?: Json; trimReferral?: Json } = {};

/** Each POST with a request example, in the order a user would try them: the role it is sent as, and its path's ids. */
const TRIES: Record<string, { role: Role; path?: () => Record<string, string> }> = {
  createPrincipal: { role: 'admin' },
  createIncident: { role: 'force_system' },
  createVictim: { role: 'force_system', path: () => ({ id: made.incident!.id }) },
  createSuspect: { role: 'force_system', path: () => ({ id: made.incident!.id }) },
  recordJusticeEvent: { role: 'force_system', path: () => ({ id: made.incident!.id }) },
  importIncidents: { role: 'force_system' },
  createFollowUp: { role: 'welfare_officer', path: () => ({ id: made.incident!.victims[0].id }) },
  createTrimReferral: { role: 'welfare_officer', path: () => ({ id: made.incident!.victims[0].id }) },
  recordTrimAssessment: { role: 'welfare_officer', path: () => ({ id: made.trimReferral!.id }) },
  createWebhook: { role: 'force_system' },
};

const posts = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) => (item.post?.requestBody ? [{ path, op: item.post as Json }] : []));

t.test('every POST that takes a body is tried', async (t) => {
  t.same(posts.map(({ op }) => op.operationId).sort(), Object.keys(TRIES).sort(), 'a new POST needs a line in TRIES');
});

t.test("each POST's request example is accepted", async (t) => {
  const keys = new Map<Role, string>();
  // A national admin (the example names its force); every other role as a key of the example's force.
  const keyOf = async (role: Role) => keys.get(role) ?? keys.set(role, role === 'admin' ? h.adminKey : await h.key([role], FORCE_A)).get(role)!;
  for (const operationId of Object.keys(TRIES)) {
    const found = posts.find(({ op }) => op.operationId === operationId);
    if (!found) continue;
    const { role, path } = TRIES[operationId]!;
    const params = path?.() ?? {};
    const url = found.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
    const [media, content] = Object.entries(found.op.requestBody.content as Record<string, Json>)[0]!;
    const res = await h.call(await keyOf(role), {
      method: 'POST',
      url,
      headers: { 'content-type': media },
      payload: typeof content.example === 'string' ? content.example : JSON.stringify(content.example),
    });
    t.ok(res.statusCode >= 200 && res.statusCode < 300, `${operationId} (POST ${url}) as ${role}: ${res.statusCode} ${res.statusCode < 300 ? '' : res.body}`);
    if (operationId === 'createIncident') made.incident = res.json();
    if (operationId === 'createTrimReferral') made.trimReferral = res.json();
  }
});
