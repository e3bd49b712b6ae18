// The layer boundaries in eslint.config.js (no-restricted-imports per folder): each rule fails on a
// deliberate break, and the allowed imports beside it pass. The files need not exist: lintText only names them.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import t from 'tap';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages for `code` as if it were the file at `filePath` (relative to the repo). */
async function restricted(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
}

/** One import, used so that no other rule has anything to say. */
const importing = (source: string) => `import * as m from '${source}';\nexport const used = m;\n`;

/** Every message (of any rule) for a file that only imports `source`: an allowed import gives none. */
async function allMessages(filePath: string, source: string) {
  const [result] = await eslint.lintText(importing(source), { filePath: `${root}${filePath}` });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const breaks: [file: string, source: string, says: RegExp][] = [
  // shared is the bottom layer.
  ['src/shared/x.ts', '../db/client.ts', /src\/shared is the bottom layer/],
  ['src/shared/x.ts', '../db/schema/index.ts', /src\/shared is the bottom layer/],
  ['src/shared/x.ts', '../modules/incidents/service.ts', /src\/shared is the bottom layer/],
  ['src/shared/x.ts', '../http/route.ts', /src\/shared is the bottom layer/],
  ['src/shared/x.ts', '../plugins/auth.ts', /src\/shared is the bottom layer/],
  // plugins take what they need from modules as options.
  ['src/plugins/x.ts', '../modules/incidents/service.ts', /src\/plugins must not import src\/modules/],
  ['src/plugins/x.ts', '../modules/webhooks/schemas.ts', /src\/plugins must not import src\/modules/],
  // db is data access only.
  ['src/db/x.ts', 'fastify', /src\/db must not depend on Fastify/],
  ['src/db/x.ts', 'fastify-plugin', /src\/db must not depend on Fastify/],
  ['src/db/x.ts', '@fastify/cors', /src\/db must not depend on Fastify/],
  ['src/db/x.ts', '../http/route.ts', /src\/db must not import src\/http/],
  ['src/db/x.ts', '../plugins/auth.ts', /src\/db must not import src\/http/],
  ['src/db/schema/x.ts', '../../modules/care/service.ts', /src\/db must not import src\/http/],
  // A module reaches another only through its service.ts (or schemas.ts).
  ['src/modules/trim/x.ts', '../care/plans.ts', /only through its service\.ts/],
  ['src/modules/trim/x.ts', '../care/sub/service.ts', /only through its service\.ts/],
  ['src/modules/trim/x.ts', '../care/service', /only through its service\.ts/],
  ['src/modules/justice/x.ts', '../incidents/guards.ts', /only through its service\.ts/],
  ['src/modules/trim/x.ts', '../../modules/care/plans.ts', /only through its service\.ts/],
];

const allowed: [file: string, source: string][] = [
  ['src/modules/trim/x.ts', '../care/service.ts'],
  ['src/modules/trim/x.ts', '../incidents/schemas.ts'],
  ['src/modules/trim/x.ts', '../../modules/care/service.ts'],
  ['src/modules/trim/x.ts', './schemas.ts'],
  ['src/modules/trim/x.ts', '../../db/client.ts'],
  ['src/modules/trim/x.ts', '../../shared/ids.ts'],
  ['src/modules/trim/x.ts', '../../plugins/auth.ts'],
  ['src/modules/trim/x.ts', 'drizzle-orm'],
  ['src/shared/x.ts', '../errors.ts'],
  ['src/shared/x.ts', './ids.ts'],
  ['src/shared/x.ts', 'node:http'],
  ['src/plugins/x.ts', 'fastify'],
  ['src/plugins/x.ts', '../shared/principal.ts'],
  ['src/plugins/x.ts', '../db/client.ts'],
  ['src/db/x.ts', 'drizzle-orm'],
  ['src/db/x.ts', '../shared/calendar.ts'],
  ['src/db/schema/x.ts', '../../shared/calendar.ts'],
  // Outside the layers the rules do not apply: app.ts wires modules into plugins; tests and benches reach anywhere.
  ['src/app.ts', './modules/webhooks/schemas.ts'],
  ['test/x.test.ts', '../src/modules/care/plans.ts'],
  ['bench/x.ts', '../src/modules/care/plans.ts'],
];

t.test('each boundary fails on a deliberate break, with its message', async (t) => {
  const found = await Promise.all(breaks.map(([file, source]) => restricted(file, importing(source))));
  breaks.forEach(([file, source, says], i) => {
    const messages = found[i]!;
    t.equal(messages.length, 1, `${file} importing ${source} is one no-restricted-imports problem`);
    t.equal(messages[0]?.severity, 2, `${file} importing ${source} is an error`);
    t.match(messages[0]?.message, says, `${file} importing ${source} says why`);
  });
});

t.test('a type-only import crosses a boundary just the same', async (t) => {
  const messages = await restricted('src/modules/incidents/x.ts', "import type { DomainEvent } from '../webhooks/relay.ts';\nexport type E = DomainEvent;\n");
  t.equal(messages.length, 1);
  const reexport = await restricted('src/modules/incidents/x.ts', "export { createCarePlans } from '../care/plans.ts';\n");
  t.equal(reexport.length, 1, 'and so does a re-export');
});

t.test('the allowed imports give no problem at all', async (t) => {
  const found = await Promise.all(allowed.map(([file, source]) => allMessages(file, source)));
  allowed.forEach(([file, source], i) => t.same(found[i], [], `${file} may import ${source}`));
});

t.test('a function over 60 lines of code fails lint in src/, except in a route plugin (a declarative list)', async (t) => {
  const body = (lines: number) => `export function long() {\n${Array.from({ length: lines }, (_, i) => `  console.log(${i});`).join('\n')}\n}\n`;
  const rule = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
    return result!.messages.filter((m) => m.ruleId === 'max-lines-per-function');
  };
  t.equal((await rule('src/modules/care/x.ts', body(58))).length, 0, 'a 60-line function passes');
  t.equal((await rule('src/modules/care/x.ts', body(59))).length, 1, 'a 61-line function fails');
  t.equal((await rule('src/modules/care/routes.ts', body(59))).length, 0, 'a route plugin is exempt');
});
