// Security headers (@fastify/helmet) on every answer, and CORS closed unless origins are configured.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(
  async function securityPlugin(app: FastifyInstance, opts: { corsOrigins: string[] }) {
    await app.register(helmet, {
      // The API answers JSON; /docs and /app load only their own scripts and styles.
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    });
    await app.register(cors, {
      origin: opts.corsOrigins.length ? opts.corsOrigins : false,
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-access-reason', 'x-request-id'],
      exposedHeaders: ['etag', 'location', 'x-request-id', 'x-next-cursor', 'retry-after', 'idempotent-replayed'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
