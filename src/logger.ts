// pino options: request ids in every line; keys, reasons and personal fields redacted.
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
