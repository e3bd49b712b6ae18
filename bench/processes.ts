// Child processes of the benchmark: the service and the framework server (started, timed to ready,
// their RSS sampled, stopped) and the load generator (one process per scenario run).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load.ts';

export const ROOT = join(import.meta.dirname, '..');

/**
 * The production build's command line as `npm run start:prod` (and the Dockerfile) runs it: Node's flags from
 * package.json, then dist/src/server.js. The bench measures the service as it is deployed.
 */
export function serviceArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const flags = pkg.scripts['start:prod']!.split(' ').filter((a) => a.startsWith('--'));
  return [...flags, join(ROOT, 'dist', 'src', 'server.js')];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn until GET /health/ready answered 200. */
  readyMs: number;
  output: () => string;
}

/** Starts a server process and waits (polling every 10 ms) until /health/ready answers 200. */
export async function startServer(args: string[], env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before it was ready:\n${out}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} not ready after ${timeoutMs} ms:\n${out}`);
    }
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, url, readyMs: performance.now() - started, output: () => out };
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function stopServer(r: Running): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MB (VmRSS), or 0 when it cannot be read. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of pid every 100 ms until stopped; returns the largest seen. */
export function sampleRss(pid: number | undefined): () => number {
  let max = pid ? rssMb(pid) : 0;
  const timer = setInterval(() => {
    if (pid) max = Math.max(max, rssMb(pid));
  }, 100);
  return () => {
    clearInterval(timer);
    if (pid) max = Math.max(max, rssMb(pid));
    return max;
  };
}

/** Runs one load spec in its own process (autocannon) and returns what it measured. */
export async function runLoadProcess(spec: LoadSpec, workDir: string): Promise<LoadResult> {
  const file = join(workDir, `load-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'load.ts'), file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`load generator failed (${code}): ${err.slice(-2000)}`);
  return JSON.parse(last) as LoadResult;
}
