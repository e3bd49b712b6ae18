// Routes of /v1/audit-events: the trail and its chain check, for admins.
import { operation, scopedRoutes } from '../../http/route.ts';
import { json, listOf, problems } from '../../shared/http.ts';
import { AuditEventSchema, AuditListQuerySchema, AuditVerifySchema } from './schemas.ts';
import { listAuditEvents, verifyChain } from './service.ts';

const tags = ['audit'];

export const auditRoutes = scopedRoutes(async (app, r, { db }) => {
  app.get('', {
    schema: {
      ...operation('listAuditEvents', tags, 'List audit events', 'Newest first. A force-scoped admin sees the events about its own force.'),
      querystring: AuditListQuerySchema,
      response: { 200: json(listOf(AuditEventSchema), 'A page of audit events, newest first.'), ...problems() },
    },
    handler: (request) => r.read(request, (s) => listAuditEvents(s, request.query)),
  });

  app.get('/verify', {
    schema: {
      ...operation('verifyAuditChain', tags, 'Verify the audit hash chain', 'Recomputes every sealed event. Events not yet sealed are counted, not checked.'),
      response: { 200: json(AuditVerifySchema, 'Whether the chain is intact, and how far it reaches.'), ...problems() },
    },
    handler: async (request) => {
      const result = await verifyChain(db);
      await r.write(request, async (s) => s.audit({ action: 'verify', resourceType: 'audit_chain', forceId: null }));
      return result;
    },
  });
});
