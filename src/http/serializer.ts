// Answers serialised by a function compiled from each route's response schema (fast-json-stringify, the serialiser
// Fastify itself uses for JSON Schema routes), instead of checking the answer with zod and then JSON.stringify.
// Profiles at 1,000,000 incidents (docs/performance.md) put zod's check of the answer, its copy of it and
// JSON.stringify at a fifth of a list's and of the national statistics' CPU. The compiled function writes only the
// properties the contract declares, in its order, so nothing undeclared leaves the service. With `check` on (the
// test suite), every answer is also checked and encoded by zod as before and the two must hold the same values: a
// departure from the contract, or a difference between the two serialisers, fails the request with a 500.
import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import type { FastifySerializerCompiler } from 'fastify';

type JsonSchema = Record<string, unknown>;

const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean', 'null']);
/** Keywords that only validate: a serialiser never needs them (and fast-json-stringify would compile a validator for some). */
const VALIDATION_ONLY = [
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'examples',
  'description',
  'title',
  'default',
  '$schema',
];

const isPrimitive = (s: JsonSchema) =>
  typeof s.type === 'string' && PRIMITIVES.has(s.type) && Object.keys(s).every((k) => k === 'type' || k === 'const' || k === 'enum');

/**
 * The schema as a serialiser needs it. A union of primitives (a count or "[c]", a string or null) becomes a list of
 * types, and a nullable object `nullable: true`, which the compiled function decides with `typeof`, not by running a
 * validator over each value as it does for `anyOf`; validation-only keywords go.
 */
export function forSerialising(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialising);
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (VALIDATION_ONLY.includes(k)) continue;
    out[k] = k === 'properties' || k === 'definitions' || k === '$defs' ? mapValues(v as JsonSchema) : forSerialising(v);
  }
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (!anyOf) return out;
  const { anyOf: _, ...rest } = out;
  if (anyOf.every(isPrimitive)) return { ...rest, type: [...new Set(anyOf.map((s) => s.type as string))] };
  const others = anyOf.filter((s) => s.type !== 'null');
  if (others.length === 1 && others.length < anyOf.length && !others[0]!.$ref) return { ...rest, ...others[0], nullable: true };
  return out;
}

const mapValues = (o: JsonSchema) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, forSerialising(v)]));

/** A zod schema as the JSON Schema of what it outputs, every part inlined (no ids from the registry). */
export const outputJsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-7', metadata: z.registry() });

const zodSchemaOf = (schema: unknown): z.ZodType | undefined => {
  if (schema instanceof $ZodType) return schema as z.ZodType;
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return properties instanceof $ZodType ? (properties as z.ZodType) : undefined;
};

/** Fastify's serializer compiler: the compiled function for each response schema; with `check`, zod's answer compared. */
export function compiledSerializerCompiler({ check }: { check: boolean }): FastifySerializerCompiler<unknown> {
  return (route) => {
    const schema = zodSchemaOf(route.schema);
    if (!schema) return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
    // Compiled at the first answer, not at start-up: a few milliseconds for each of several hundred responses, which
    // would add about 0.4 s to every start (and to every test's app) for answers most instances never send.
    let compiledOnce: ((data: unknown) => string) | undefined;
    const compiled = (data: unknown) => {
      compiledOnce ??= fastJson(forSerialising(outputJsonSchema(schema)) as Parameters<typeof fastJson>[0]);
      return compiledOnce(data);
    };
    if (!check) return compiled;
    const checked = zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
    return (data) => {
      const expected = checked(data);
      const text = compiled(data);
      // The same values; the order of an object's keys may differ (fast-json-stringify writes a union's in its own order).
      if (!isDeepStrictEqual(JSON.parse(text), JSON.parse(expected))) {
        throw new Error(`${route.method} ${route.url}: the compiled serialiser wrote ${text.slice(0, 2000)} where zod wrote ${expected.slice(0, 2000)}`);
      }
      return text;
    };
  };
}
