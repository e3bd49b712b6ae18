// The API contract of incidents, victims (assaulted officers and staff) and suspects.
import { z } from 'zod';
import { DateTimeInput, IdSchema, PageQuerySchema, Timestamp } from '../../shared/http.ts';
import {
  AGE_BANDS,
  CIRCUMSTANCES,
  CREWING,
  DUTY_TYPES,
  HATE,
  HOSPITAL,
  INCIDENT_STATUSES,
  INJURIES,
  LOCATION_TYPES,
  METHODS,
  OFFENCES,
  PERSON_STATUSES,
  PROTECTIVE_ITEMS,
  SERVICE_BANDS,
  VICTIM_ROLES,
} from '../../shared/enums.ts';
import {
  INCIDENT_CREATE_EXAMPLE,
  INCIDENT_EXAMPLE,
  INCIDENT_PATCH_EXAMPLE,
  INCIDENT_SUMMARY_EXAMPLE,
  SUSPECT_CREATE_EXAMPLE,
  SUSPECT_EXAMPLE,
  SUSPECT_PATCH_EXAMPLE,
  VICTIM_CREATE_EXAMPLE,
  VICTIM_EXAMPLE,
  VICTIM_PATCH_EXAMPLE,
} from './examples.ts';

// The value lists live in src/shared/enums.ts (the database checks them too); re-exported here under the same names.
export {
  CIRCUMSTANCES,
  METHODS,
  HATE,
  OFFENCES,
  CREWING,
  DUTY_TYPES,
  LOCATION_TYPES,
  INCIDENT_STATUSES,
  VICTIM_ROLES,
  SERVICE_BANDS,
  INJURIES,
  HOSPITAL,
  PROTECTIVE_ITEMS,
  AGE_BANDS,
  PERSON_STATUSES,
};

const flag = z.boolean().nullable().describe('null when not recorded.');
const text = (max: number) => z.string().max(max);
const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, { message: 'must not repeat a value' });

// Raw field schemas carry no defaults: create schemas add them, patch schemas must not (a default
// would overwrite a stored value the patch never named).
const locationFields = {
  description: text(500).nullable().describe('Where, in words (e.g. "High Street, outside no. 12").'),
  locationType: z.enum(LOCATION_TYPES).nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
};

export const LocationSchema = z
  .object({
    description: locationFields.description.default(null),
    locationType: locationFields.locationType.default(null),
    latitude: locationFields.latitude.default(null),
    longitude: locationFields.longitude.default(null),
  })
  .strict()
  .meta({ id: 'Location' });

const deploymentFields = {
  crewing: z.enum(CREWING).nullable().describe('Single- or double-crewed, or a larger team.'),
  dutyType: z.enum(DUTY_TYPES).nullable(),
};

export const DeploymentSchema = z
  .object({ crewing: deploymentFields.crewing.default(null), dutyType: deploymentFields.dutyType.default(null) })
  .strict()
  .meta({ id: 'Deployment' });

export const EquipmentSchema = z
  .object({
    bodyWornVideo: z
      .object({ worn: flag.default(null), activated: flag.default(null), footageRetained: flag.default(null) })
      .strict()
      .prefault({}),
    taser: z
      .object({ drawn: flag.default(null), discharged: flag.default(null) })
      .strict()
      .prefault({}),
    spitAndBiteGuardUsed: flag.default(null),
    bodyArmourWorn: flag.default(null),
  })
  .strict()
  .meta({ id: 'Equipment' });

export const ProtectiveEquipmentSchema = z
  .object({
    carried: uniqueList(z.enum(PROTECTIVE_ITEMS), PROTECTIVE_ITEMS.length).default([]),
    used: uniqueList(z.enum(PROTECTIVE_ITEMS), PROTECTIVE_ITEMS.length).default([]),
  })
  .strict()
  .meta({ id: 'ProtectiveEquipment' });

const victimFields = {
  role: z.enum(VICTIM_ROLES),
  serviceBand: z.enum(SERVICE_BANDS).nullable().default(null).describe('Length of service.'),
  staffNumber: text(32).nullable().default(null).describe("The force's staff number: pseudonymous outside the force; counts repeat victimisation."),
  injury: z.enum(INJURIES).default('none'),
  injuryDetail: text(2000).nullable().default(null).describe('Health data.'),
  hospitalTreatment: z.enum(HOSPITAL).default('none'),
  daysLost: z.number().int().min(0).max(3650).nullable().default(null),
  safetyTrainingInDate: flag.default(null).describe('Whether personal safety training was in date.'),
  protectiveEquipment: ProtectiveEquipmentSchema.prefault({}),
  federationConsent: z.boolean().default(false).describe('Consent to share identity and case with the Federation or staff union.'),
  enhancedRights: z.boolean().default(false).describe("Entitled to enhanced rights under the Victims' Code."),
};

export const VictimCreateSchema = z
  .object(victimFields)
  .strict()
  .meta({ id: 'VictimCreate', examples: [VICTIM_CREATE_EXAMPLE] });

const suspectFields = {
  reference: text(64).nullable().default(null).describe("The force's nominal reference: pseudonymous, never a name."),
  ageBand: z.enum(AGE_BANDS).default('unknown'),
  arrested: flag.default(null),
};

export const SuspectCreateSchema = z
  .object(suspectFields)
  .strict()
  .meta({ id: 'SuspectCreate', examples: [SUSPECT_CREATE_EXAMPLE] });

const incidentFields = {
  forceReference: z.string().trim().min(1).max(64).describe("The force's own crime or incident number; unique within the force."),
  occurredAt: DateTimeInput.describe('When the assault happened (RFC 3339 with offset).'),
  location: LocationSchema.prefault({}),
  circumstances: z.enum(CIRCUMSTANCES),
  deployment: DeploymentSchema.prefault({}),
  equipment: EquipmentSchema.prefault({}),
  methods: uniqueList(z.enum(METHODS), METHODS.length).default([]).describe('How: several may apply. Threats and abuse without contact count too.'),
  hateAggravation: uniqueList(z.enum(HATE), HATE.length).default([]),
  offences: uniqueList(z.enum(OFFENCES), OFFENCES.length).default([]),
  narrative: text(10_000).nullable().default(null).describe('Free text; may hold personal data.'),
};

export const IncidentCreateSchema = z
  .object({
    forceId: IdSchema.optional().describe("Defaults to the caller's force; required for a national key."),
    ...incidentFields,
    victims: z.array(VictimCreateSchema).max(50).default([]),
    suspects: z.array(SuspectCreateSchema).max(50).default([]),
  })
  .strict()
  .meta({ id: 'IncidentCreate', examples: [INCIDENT_CREATE_EXAMPLE] });

/** Merge patch: every field optional; nested objects merge; closing needs a reason. */
const statusChange = {
  status: z.enum(INCIDENT_STATUSES).optional(),
  statusReason: text(1000).nullable().optional().describe('Required when closing or withdrawing.'),
};

export const IncidentPatchSchema = z
  .object({
    forceReference: incidentFields.forceReference.optional(),
    occurredAt: incidentFields.occurredAt.optional(),
    location: z.object(locationFields).strict().partial().optional(),
    circumstances: incidentFields.circumstances.optional(),
    deployment: z.object(deploymentFields).strict().partial().optional(),
    equipment: z
      .object({
        bodyWornVideo: z.object({ worn: flag, activated: flag, footageRetained: flag }).strict().partial().optional(),
        taser: z.object({ drawn: flag, discharged: flag }).strict().partial().optional(),
        spitAndBiteGuardUsed: flag.optional(),
        bodyArmourWorn: flag.optional(),
      })
      .strict()
      .optional(),
    methods: uniqueList(z.enum(METHODS), METHODS.length).optional(),
    hateAggravation: uniqueList(z.enum(HATE), HATE.length).optional(),
    offences: uniqueList(z.enum(OFFENCES), OFFENCES.length).optional(),
    narrative: text(10_000).nullable().optional(),
    ...statusChange,
  })
  .strict()
  .meta({ id: 'IncidentPatch', examples: [INCIDENT_PATCH_EXAMPLE] });

const personPatchStatus = {
  status: z.enum(PERSON_STATUSES).optional(),
  statusReason: text(1000).nullable().optional().describe('Required when withdrawing.'),
};

export const VictimPatchSchema = z
  .object({
    role: victimFields.role.optional(),
    serviceBand: z.enum(SERVICE_BANDS).nullable().optional(),
    staffNumber: text(32).nullable().optional(),
    injury: z.enum(INJURIES).optional(),
    injuryDetail: text(2000).nullable().optional(),
    hospitalTreatment: z.enum(HOSPITAL).optional(),
    daysLost: z.number().int().min(0).max(3650).nullable().optional(),
    safetyTrainingInDate: flag.optional(),
    protectiveEquipment: z
      .object({ carried: uniqueList(z.enum(PROTECTIVE_ITEMS), PROTECTIVE_ITEMS.length), used: uniqueList(z.enum(PROTECTIVE_ITEMS), PROTECTIVE_ITEMS.length) })
      .strict()
      .partial()
      .optional(),
    federationConsent: z.boolean().optional(),
    enhancedRights: z.boolean().optional(),
    ...personPatchStatus,
  })
  .strict()
  .meta({ id: 'VictimPatch', examples: [VICTIM_PATCH_EXAMPLE] });

export const SuspectPatchSchema = z
  .object({
    reference: text(64).nullable().optional(),
    ageBand: z.enum(AGE_BANDS).optional(),
    arrested: flag.optional(),
    ...personPatchStatus,
  })
  .strict()
  .meta({ id: 'SuspectPatch', examples: [SUSPECT_PATCH_EXAMPLE] });

const recordMeta = {
  id: IdSchema,
  incidentId: IdSchema,
  forceId: IdSchema,
  version: z.number().int().describe('Send as If-Match: "<version>" to change the record.'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const VictimSchema = z
  .object({
    ...recordMeta,
    role: z.enum(VICTIM_ROLES),
    serviceBand: z.enum(SERVICE_BANDS).nullable(),
    staffNumber: z.string().nullable(),
    injury: z.enum(INJURIES),
    injuryDetail: z
      .string()
      .nullable()
      .optional()
      .describe('Health data: shown only to welfare officers and admins who send X-Access-Reason; omitted otherwise.'),
    hospitalTreatment: z.enum(HOSPITAL),
    daysLost: z.number().int().nullable(),
    safetyTrainingInDate: z.boolean().nullable(),
    protectiveEquipment: z.object({ carried: z.array(z.enum(PROTECTIVE_ITEMS)), used: z.array(z.enum(PROTECTIVE_ITEMS)) }),
    federationConsent: z.boolean(),
    enhancedRights: z.boolean(),
    status: z.enum(PERSON_STATUSES),
    statusReason: z.string().nullable(),
  })
  .meta({ id: 'Victim', examples: [VICTIM_EXAMPLE] });

export const VictimListItemSchema = VictimSchema.omit({ injuryDetail: true })
  .extend({
    incidentReference: z.string().describe("The incident's force reference."),
    incidentOccurredAt: Timestamp.describe('When the incident happened (the list is newest first by it).'),
  })
  .meta({
    id: 'VictimListItem',
    examples: [{ ...VICTIM_EXAMPLE, injuryDetail: undefined, incidentReference: 'AS/2026/000311', incidentOccurredAt: '2026-02-26T22:00:00Z' }],
  });

export const VictimListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().min(2).max(64).optional().describe("Part of a staff number or of the incident's force reference (case ignored)."),
});

export const SuspectSchema = z
  .object({
    ...recordMeta,
    reference: z.string().nullable(),
    ageBand: z.enum(AGE_BANDS),
    arrested: z.boolean().nullable(),
    status: z.enum(PERSON_STATUSES),
    statusReason: z.string().nullable(),
  })
  .meta({ id: 'Suspect', examples: [SUSPECT_EXAMPLE] });

const nullableFlag = z.boolean().nullable();

const incidentView = {
  id: IdSchema,
  forceId: IdSchema,
  forceReference: z.string(),
  occurredAt: Timestamp,
  location: z.object({
    description: z.string().nullable(),
    locationType: z.enum(LOCATION_TYPES).nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
  }),
  circumstances: z.enum(CIRCUMSTANCES),
  deployment: z.object({ crewing: z.enum(CREWING).nullable(), dutyType: z.enum(DUTY_TYPES).nullable() }),
  equipment: z.object({
    bodyWornVideo: z.object({ worn: nullableFlag, activated: nullableFlag, footageRetained: nullableFlag }),
    taser: z.object({ drawn: nullableFlag, discharged: nullableFlag }),
    spitAndBiteGuardUsed: nullableFlag,
    bodyArmourWorn: nullableFlag,
  }),
  methods: z.array(z.enum(METHODS)),
  hateAggravation: z.array(z.enum(HATE)),
  offences: z.array(z.enum(OFFENCES)),
  narrative: z.string().nullable(),
  status: z.enum(INCIDENT_STATUSES),
  statusReason: z.string().nullable(),
  dataRegime: z.literal('dpa2018_part3').describe('Processed under DPA 2018 Part 3 (law enforcement).'),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const IncidentSummarySchema = z
  .object({ ...incidentView, victimCount: z.number().int(), suspectCount: z.number().int() })
  .meta({ id: 'IncidentSummary', examples: [INCIDENT_SUMMARY_EXAMPLE] });

export const IncidentSchema = z
  .object({
    ...incidentView,
    victims: z
      .array(VictimSchema)
      .optional()
      .describe('Omitted for a caller who may not read victims (GET /v1/victims/{id}); each shows what that endpoint would.'),
    suspects: z.array(SuspectSchema).optional().describe('Omitted for a caller who may not read suspects (GET /v1/suspects/{id}), such as a welfare officer.'),
  })
  .meta({ id: 'Incident', examples: [INCIDENT_EXAMPLE] });

export const IncidentListQuerySchema = PageQuerySchema.extend({
  forceId: IdSchema.optional(),
  occurredFrom: DateTimeInput.optional().describe('Inclusive.'),
  occurredTo: DateTimeInput.optional().describe('Exclusive.'),
  status: z.enum(INCIDENT_STATUSES).optional(),
  circumstances: z.enum(CIRCUMSTANCES).optional(),
  forceReference: z.string().max(64).optional(),
});

export const IncidentIdParamsSchema = z.object({ id: IdSchema });

export type IncidentCreate = z.infer<typeof IncidentCreateSchema>;
export type IncidentPatch = z.infer<typeof IncidentPatchSchema>;
export type VictimCreate = z.infer<typeof VictimCreateSchema>;
export type VictimPatch = z.infer<typeof VictimPatchSchema>;
export type SuspectCreate = z.infer<typeof SuspectCreateSchema>;
export type SuspectPatch = z.infer<typeof SuspectPatchSchema>;
export type IncidentView = z.infer<typeof IncidentSchema>;
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;
export type VictimView = z.infer<typeof VictimSchema>;
export type SuspectView = z.infer<typeof SuspectSchema>;
export type IncidentListQuery = z.infer<typeof IncidentListQuerySchema>;
export type VictimListQuery = z.infer<typeof VictimListQuerySchema>;
export type VictimListItem = z.infer<typeof VictimListItemSchema>;
