// npm run stats:rebuild: recomputes the statistics rollup (stats_facts, stats_monthly) from the recorded data, in
// batches, in one transaction (readers see the old figures until it commits). Prints what it did.
import { rebuildRollup } from '../modules/stats/rollup.ts';
import { openRuntime } from '../runtime.ts';
import { systemClock } from '../shared/clock.ts';
import { configOrExit } from './cli.ts';

const config = configOrExit();
const runtime = await openRuntime(config, systemClock, () => undefined, { bootstrap: false });
try {
  const started = performance.now();
  const done = await rebuildRollup(runtime.database.db);
  process.stdout.write(`Statistics rebuilt: ${done.incidents} incident(s) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
} finally {
  await runtime.close();
}
