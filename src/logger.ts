// pino options: request ids in every line; keys, reasons and personal fields redacted.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-access-reason"]',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'body',
  'req.body',
  '*.staffNumber',
  '*.narrative',
  '*.injuryDetail',
  '*.reference',
  '*.key',
];

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

/**
 * Fastify's request log lines, leaner: one line per request at info, on completion (method, url, status,
 * time), instead of two; the arrival is logged at debug. Writing the second line cost about 10% of the CPU
 * of a GET under load (docs/performance.md).
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
