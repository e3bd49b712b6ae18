// PGlite is one process's database: a pid file in DATA_DIR keeps a second process (npm run keys) out.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'oar.pid';

/** The pid of a live process holding the data folder, if any. */
export function holderOf(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, FILE), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
    try {
      process.kill(pid, 0);
    } catch (err) {
      // EPERM: alive but another user's. Only "no such process" frees the folder.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
    }
    return pid;
  } catch {
    return null;
  }
}

const inUse = (dataDir: string, holder: number) =>
  new Error(`The PGlite data folder ${dataDir} is in use by process ${holder}. Stop it first, or use the HTTP API (POST /v1/principals).`);

export function claimDataDir(dataDir: string): () => void {
  const holder = holderOf(dataDir);
  if (holder !== null) throw inUse(dataDir, holder);
  const path = join(dataDir, FILE);
  try {
    // Created exclusively, so two processes starting at once cannot both claim the folder.
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const current = holderOf(dataDir);
    if (current !== null) throw inUse(dataDir, current);
    writeFileSync(path, String(process.pid)); // a stale file of a process that is gone
  }
  return () => rmSync(path, { force: true });
}
