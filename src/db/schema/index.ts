// Every table of the service, re-exported for drizzle and drizzle-kit.
export * from './forces.ts';
export * from './principals.ts';
export * from './incidents.ts';
export * from './audit.ts';
export * from './idempotency.ts';
export * from './care.ts';
export * from './justice.ts';
export * from './webhooks.ts';
export * from './sessions.ts';
