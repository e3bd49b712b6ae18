// The committed OpenAPI document and client types are what the code generates, and the document obeys our contract rules.
import { readFileSync } from 'node:fs';
import { createConfig, lint } from '@redocly/openapi-core';
import t from 'tap';
import { CLIENT_TYPES_FILE, generateClientTypes } from '../src/client-types.ts';
import { generateOpenApi } from '../src/openapi.ts';

t.test('openapi/openapi.json matches the code', async (t) => {
  const generated = await generateOpenApi();
  const committed = readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8');
  t.ok(generated === committed, 'openapi/openapi.json is stale: run npm run openapi');
});

t.test('the TypeScript client types match the document the code makes', async (t) => {
  const types = await generateClientTypes(await generateOpenApi());
  const committed = readFileSync(new URL(`../${CLIENT_TYPES_FILE}`, import.meta.url), 'utf8');
  t.ok(types === committed, `${CLIENT_TYPES_FILE} is stale: run npm run openapi`);
});

t.test("the committed document lints clean with Redocly's recommended rules (shared/API.md: 0 errors, 0 warnings)", async (t) => {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lint({ ref: new URL('../openapi/openapi.json', import.meta.url).pathname, config });
  t.same(
    problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`),
    [],
  );
});

t.test('every operation has a summary, tags, and problem responses', async (t) => {
  const doc = JSON.parse(await generateOpenApi());
  t.equal(doc.openapi, '3.1.0');
  const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  t.ok(operations.length >= 15, `${operations.length} operations`);
  for (const { path, method, op } of operations) {
    const name = `${method.toUpperCase()} ${path}`;
    t.ok(op.summary, `${name} has a summary`);
    t.ok(op.tags?.length, `${name} has tags`);
    const problems = Object.entries(op.responses as Record<string, any>).filter(([code]) => Number(code) >= 400);
    t.ok(problems.length > 0, `${name} declares problem responses`);
    for (const [code, response] of problems) {
      // An answer many operations share is declared once, in components/responses.
      const declared = response.$ref ? doc.components.responses[String(response.$ref).split('/').pop()!] : response;
      t.ok(declared?.content?.['application/problem+json'], `${name} ${code} is application/problem+json`);
    }
    if (path.startsWith('/v1/')) t.ok(op.responses['401'] && op.responses['403'], `${name} declares 401 and 403`);
    if (method === 'patch') t.ok(op.responses['412'] && op.responses['428'], `${name} declares 412 and 428`);
  }
});
