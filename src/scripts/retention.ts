// npm run retention -- [--dry-run]: lists (dry run) or removes personal and health data past retention.
import { parseArgs } from 'node:util';
import { applyRetention, dueForRetention } from '../modules/retention/service.ts';
import { openRuntime } from '../runtime.ts';
import { systemClock } from '../shared/clock.ts';
import { configOrExit } from './cli.ts';

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
const config = configOrExit();
const runtime = await openRuntime(config, systemClock, () => undefined, { bootstrap: false });
try {
  const { db } = runtime.database;
  if (values['dry-run']) {
    const due = await dueForRetention(db, config.retention, systemClock.now());
    process.stdout.write(
      `Retention (dry run): personal data after ${config.retention.personalDataYears} years, health data after ${config.retention.healthDataYears} years\n`,
    );
    for (const [cls, list] of Object.entries(due)) {
      process.stdout.write(`${cls}: ${list.length} incident(s) due\n`);
      for (const r of list) process.stdout.write(`  ${r.incidentId}  ${r.forceReference}  ${r.occurredAt}\n`);
    }
  } else {
    const done = await applyRetention(db, systemClock, config.retention);
    process.stdout.write(
      `Retention: personal data removed from ${done.personal} incident(s), health data from ${done.health}; ${done.auditEvents} audit event(s) written\n`,
    );
  }
} finally {
  await runtime.close();
}
