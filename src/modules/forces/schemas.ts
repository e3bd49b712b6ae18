// The API contract of forces and their headcount.
import { z } from 'zod';
import { IdSchema, Timestamp } from '../../shared/http.ts';
import { COUNTRIES, FORCE_KINDS } from '../../shared/enums.ts';
import { FORCE_EXAMPLE, FORCE_PATCH_EXAMPLE } from './examples.ts';

export const HeadcountSchema = z
  .object({
    officers: z.number().int().min(0).max(100_000).describe('Police officers (all ranks), full-time equivalent.'),
    constables: z.number().int().min(0).max(100_000).describe('Officers of constable rank.'),
    asOf: z.iso.date().describe('The date the headcount was measured (YYYY-MM-DD).'),
  })
  .strict()
  .refine((h) => h.constables <= h.officers, { message: 'constables cannot exceed officers', path: ['constables'] })
  .meta({ id: 'Headcount' });

export const ForceSchema = z
  .object({
    id: IdSchema,
    code: z.string().describe('A stable short name, e.g. "west-midlands".'),
    name: z.string(),
    country: z.enum(COUNTRIES),
    kind: z.enum(FORCE_KINDS),
    headcount: HeadcountSchema.nullable().describe('The latest headcount, used for rates.'),
    headcountHistory: z.array(HeadcountSchema).describe('Every headcount recorded, newest first.'),
    version: z.number().int(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'Force', examples: [FORCE_EXAMPLE] });

export const ForcePatchSchema = z
  .object({
    headcount: HeadcountSchema.describe('A new headcount; earlier ones are kept as history. Same asOf replaces that day.'),
  })
  .strict()
  .meta({ examples: [FORCE_PATCH_EXAMPLE] });

export const ForceParamsSchema = z.object({ forceId: IdSchema });

export type ForceView = z.infer<typeof ForceSchema>;
export type Headcount = z.infer<typeof HeadcountSchema>;
