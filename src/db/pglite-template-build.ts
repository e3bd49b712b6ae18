// Child process of pglite-template.ts: initdb + every migration into the folder given, then exit, so the
// WebAssembly memory this takes goes back to the system. Without an argument (npm's prepare script): makes
// sure the template of the current migrations exists in the cache.
import { openDatabase } from './client.ts';
import { migrate } from './migrate.ts';
import { ensureTemplate } from './pglite-template.ts';

async function build(target: string): Promise<void> {
  const database = await openDatabase({ dataDir: target, fromTemplate: false });
  try {
    await migrate(database);
  } finally {
    // A clean shutdown checkpoints: the copy opens without replaying the migrations' write-ahead log.
    await database.close();
  }
}

const target = process.argv[2];
(target ? build(target) : ensureTemplate().then(() => undefined)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
