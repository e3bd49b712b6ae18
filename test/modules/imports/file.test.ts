// npm run import: a file sent in parts to a listening service, reported by file line; the script's exit status.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { and, eq, inArray } from 'drizzle-orm';
import { incidents } from '../../../src/db/schema/index.ts';
import { importFile } from '../../../src/modules/imports/file.ts';
import { FORCE_A, incidentBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';

const root = new URL('../../..', import.meta.url).pathname;
const h = await buildTestApp(t);
const keyA = await h.key(['force_system'], FORCE_A, 'force A system');
const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
const dir = mkdtempSync(join(tmpdir(), 'oar-import-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(lines: unknown[]): string {
  const path = join(dir, `incidents-${++files}.ndjson`);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

const recorded = async (refs: string[]) =>
  (
    await h.database.db
      .select({ ref: incidents.forceReference })
      .from(incidents)
      .where(and(eq(incidents.forceId, FORCE_A), inArray(incidents.forceReference, refs)))
  )
    .map((r) => r.ref)
    .sort();

t.test('a file is sent in parts; what was not recorded is listed by its line in the file', async (t) => {
  const existing = (await h.call(keyA, { method: 'POST', url: '/v1/incidents', payload: incidentBody() })).json();
  const good = [incidentBody(), incidentBody(), incidentBody(), incidentBody()];
  const path = file([
    good[0], // 1
    '', // 2
    good[1], // 3
    incidentBody({ forceReference: existing.forceReference }), // 4
    '', // 5
    incidentBody({ circumstances: 'dancing' }), // 6: in the second part
    good[2], // 7
    '{not json', // 8
    good[3], // 9
  ]);
  const out: string[] = [];
  const totals = await importFile({ file: path, url, key: keyA, dryRun: false, write: (l) => out.push(l), partLines: 3 });
  t.same(totals, { lines: 7, created: 4, valid: 0, exists: 1, invalid: 2, failed: null });
  t.equal(out.length, 4, out.join('\n'));
  t.equal(out[0], `line 4: exists ${existing.forceReference} (/v1/incidents/${existing.id}), left as it is`);
  t.match(out[1], /^line 6: invalid CRIME-[^:]+: circumstances /);
  t.equal(out[2], 'line 8: invalid: is not valid JSON');
  t.equal(out[3], '7 lines read: 4 created, 1 already there, 2 invalid');
  t.same(await recorded(good.map((g) => g.forceReference)), good.map((g) => g.forceReference).sort());
});

t.test('a dry run records nothing and says what would be created', async (t) => {
  const lines = [incidentBody(), incidentBody()];
  const out: string[] = [];
  const totals = await importFile({ file: file(lines), url, key: keyA, dryRun: true, write: (l) => out.push(l) });
  t.match(totals, { lines: 2, valid: 2, created: 0, failed: null });
  t.same(out, ['Dry run: 2 lines read: 2 would be created, 0 already there, 0 invalid']);
  t.same(await recorded(lines.map((l) => l.forceReference)), []);
});

t.test('a refused part stops the run and says why; the parts before it stay recorded', async (t) => {
  const welfare = await h.key(['welfare_officer'], FORCE_A);
  const out: string[] = [];
  const refused = await importFile({ file: file([incidentBody()]), url, key: welfare, dryRun: false, write: (l) => out.push(l) });
  t.match(refused.failed, /^lines 1-1: HTTP 403 Forbidden: /);
  t.match(out.at(-1), /^Stopped: lines 1-1: HTTP 403/);

  const first = incidentBody();
  const tooBig = { ...incidentBody(), narrative: 'x'.repeat(17 * 1024 * 1024) };
  const partial = await importFile({ file: file([first, tooBig]), url, key: keyA, dryRun: false, write: () => undefined, partLines: 1 });
  t.match(partial, { created: 1, failed: /^lines 2-2: HTTP 413/ });
  t.same(await recorded([first.forceReference]), [first.forceReference]);

  const unreachable = await importFile({ file: file([incidentBody()]), url: 'http://127.0.0.1:1', key: keyA, dryRun: false, write: () => undefined });
  t.match(unreachable.failed, /^cannot reach http:\/\/127\.0\.0\.1:1: /);
});

t.test('npm run import: the key from the environment, exit status 1 when a line is invalid, 2 on a usage error', async (t) => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/scripts/import.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, out, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out, err: stderr }),
      );
    });
  const good = incidentBody();
  const res = await run(['--url', url, file([good, { forceReference: 'only this' }])], { OAR_API_KEY: keyA });
  t.equal(res.code, 1, res.err);
  t.match(res.out, /^line 2: invalid only this: /m);
  t.match(res.out, /2 lines read: 1 created, 0 already there, 1 invalid/);
  t.same(await recorded([good.forceReference]), [good.forceReference]);

  const clean = await run(['--url', url, file([incidentBody()])], { OAR_API_KEY: keyA });
  t.equal(clean.code, 0, clean.err);

  const noKey = await run([file([incidentBody()])], { OAR_API_KEY: '' });
  t.equal(noKey.code, 2);
  t.match(noKey.err, /OAR_API_KEY is not set/);
  const noFile = await run([], { OAR_API_KEY: keyA });
  t.equal(noFile.code, 2);
  t.match(noFile.err, /^Usage: /);
});
