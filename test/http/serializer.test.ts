// The compiled serialiser (src/http/serializer.ts): what it writes is what zod's check then JSON.stringify wrote, it
// writes nothing the schema does not declare, and with the check on a departure from the schema fails the answer.
import t from 'tap';
import Fastify from 'fastify';
import { z } from 'zod';
import { type ZodTypeProvider } from 'fastify-type-provider-zod';
import { compiledSerializerCompiler, forSerialising, outputJsonSchema } from '../../src/http/serializer.ts';
import { SummaryResponseSchema } from '../../src/modules/stats/schemas.ts';
import { exampleOf } from '../../src/shared/http.ts';
import { contractApp } from '../../src/openapi.ts';
import fastJson from 'fast-json-stringify';

const Figure = z.union([z.number().int(), z.literal('[c]')]);
const Answer = z.object({
  name: z.string(),
  count: Figure,
  headcount: z.object({ officers: z.number().int(), asOf: z.string() }).nullable(),
  note: z.string().nullable(),
  at: z.iso.datetime().nullable(),
  items: z.array(z.object({ key: z.string(), count: Figure })),
  kind: z.discriminatedUnion('type', [z.object({ type: z.literal('a'), a: z.number() }), z.object({ type: z.literal('b'), b: z.string() })]),
});

t.test('unions of primitives become lists of types, nullable objects nullable, validation keywords go; property names are kept', async (t) => {
  const s = forSerialising(outputJsonSchema(Answer)) as { properties: Record<string, Record<string, unknown>> };
  t.same(s.properties.count, { type: ['integer', 'string'] });
  t.same(s.properties.note, { type: ['string', 'null'] });
  t.same(s.properties.at, { type: ['string', 'null'] }, 'a date-time or null: no pattern left to run');
  t.match(s.properties.headcount, { type: 'object', nullable: true, properties: { officers: { type: 'integer' } } });
  t.notOk('minimum' in (s.properties.headcount!.properties as Record<string, object>).officers!, 'no bounds');
  t.ok(Array.isArray(s.properties.kind!.anyOf) || Array.isArray(s.properties.kind!.oneOf), 'a union of objects stays a union');
  const named = forSerialising({ type: 'object', properties: { description: { type: 'string' }, pattern: { type: 'string' } } });
  t.same(named, { type: 'object', properties: { description: { type: 'string' }, pattern: { type: 'string' } } }, 'properties named like keywords stay');
});

async function appWith(check: boolean, send: () => unknown) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setSerializerCompiler(compiledSerializerCompiler({ check }));
  app.get('/', { schema: { response: { 200: Answer } } }, async () => send() as z.output<typeof Answer>);
  await app.ready();
  return app;
}

const good = {
  name: 'Force "A"\n',
  count: '[c]',
  headcount: { officers: 1200, asOf: '2026-03-31' },
  note: null,
  at: '2026-03-31T10:00:00.000Z',
  items: [
    { key: 'x', count: 5 },
    { key: 'y', count: '[c]' },
  ],
  kind: { type: 'b', b: 'text' },
};

t.test('the compiled answer holds what zod wrote, with or without the check', async (t) => {
  for (const check of [false, true]) {
    const app = await appWith(check, () => good);
    const res = await app.inject({ url: '/' });
    t.equal(res.statusCode, 200);
    t.same(res.json(), JSON.parse(JSON.stringify(Answer.parse(good))));
    await app.close();
  }
});

t.test('nothing undeclared leaves the service', async (t) => {
  const app = await appWith(false, () => ({ ...good, secret: 'health data', headcount: { ...good.headcount, extra: 1 } }));
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /health data|extra/);
  await app.close();
});

t.test('with the check on, an answer that departs from its schema fails instead of being coerced', async (t) => {
  const written: unknown[] = [];
  for (const bad of [
    { ...good, count: 2.5 },
    { ...good, count: 'seven' },
    { ...good, headcount: { officers: '12', asOf: 'x' } },
  ]) {
    const unchecked = await appWith(false, () => bad);
    const res = await unchecked.inject({ url: '/' });
    if (res.statusCode === 200) written.push(res.json());
    await unchecked.close();
    const checked = await appWith(true, () => bad);
    t.equal((await checked.inject({ url: '/' })).statusCode, 500, 'the check refuses it');
    await checked.close();
  }
  t.ok(written.length >= 2, 'the compiled serialiser alone would have written most of them (coerced): the check is what the tests add');
});

t.test('the statistics summary: the same figures from both serialisers', async (t) => {
  const example = exampleOf(SummaryResponseSchema);
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setSerializerCompiler(compiledSerializerCompiler({ check: true }));
  app.get('/', { schema: { response: { 200: SummaryResponseSchema } } }, async () => example as z.output<typeof SummaryResponseSchema>);
  const res = await app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), example);
  await app.close();
});

t.test("every response schema of the contract compiles (compiled at an operation's first answer in the service)", async (t) => {
  const app = await contractApp();
  let compiled = 0;
  for (const [id, op] of app.contractOperations) {
    for (const [status, response] of Object.entries((op.schema.response ?? {}) as Record<string, unknown>)) {
      const content = (response as { content?: Record<string, { schema: unknown }> }).content;
      const schemas = content ? Object.values(content).map((c) => c.schema) : [response];
      for (const schema of schemas.filter((s): s is z.ZodType => s instanceof z.ZodType)) {
        t.doesNotThrow(() => fastJson(forSerialising(outputJsonSchema(schema)) as Parameters<typeof fastJson>[0]), `${id} ${status}`);
        compiled++;
      }
    }
  }
  t.ok(compiled > 100, `${compiled} response schemas`);
  await app.close();
});
