// PGlite is one process's database: a pid file in DATA_DIR keeps a second process (npm run keys) out.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'oar.pid';

/** The pid of a live process holding the data folder, if any. */
export function holderOf(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, FILE), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export function claimDataDir(dataDir: string): () => void {
  const holder = holderOf(dataDir);
  if (holder !== null) {
    throw new Error(`The PGlite data folder ${dataDir} is in use by process ${holder}. Stop it first, or use the HTTP API (POST /v1/principals).`);
  }
  const path = join(dataDir, FILE);
  writeFileSync(path, String(process.pid));
  return () => rmSync(path, { force: true });
}
