// Assault incidents and the people in them: assaulted officers and staff (victims) and suspects.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
  type AgeBand,
  type Circumstance,
  type Crewing,
  type DutyType,
  type Hate,
  type Hospital,
  type IncidentStatus,
  type Injury,
  type LocationType,
  type Method,
  type Offence,
  type PersonStatus,
  type ProtectiveItem,
  type ServiceBand,
  type VictimRole,
} from '../../shared/enums.ts';
import { allOf, jsonbWithin, oneOf } from './checks.ts';
import { forceRef } from './forces.ts';

export type IncidentLocation = {
  description: string | null;
  locationType: LocationType | null;
  latitude: number | null;
  longitude: number | null;
};
export type IncidentDeployment = { crewing: Crewing | null; dutyType: DutyType | null };
export type IncidentEquipment = {
  bodyWornVideo: { worn: boolean | null; activated: boolean | null; footageRetained: boolean | null };
  taser: { drawn: boolean | null; discharged: boolean | null };
  spitAndBiteGuardUsed: boolean | null;
  bodyArmourWorn: boolean | null;
};
export type ProtectiveEquipment = { carried: ProtectiveItem[]; used: ProtectiveItem[] };

// A function, so each table gets its own column builders and its own status type.
const audited = <Status extends string>() => ({
  status: text('status').$type<Status>().notNull(),
  statusReason: text('status_reason'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    forceId: forceRef(),
    forceReference: text('force_reference').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    location: jsonb('location').$type<IncidentLocation>().notNull(),
    circumstances: text('circumstances').$type<Circumstance>().notNull(),
    deployment: jsonb('deployment').$type<IncidentDeployment>().notNull(),
    equipment: jsonb('equipment').$type<IncidentEquipment>().notNull(),
    methods: text('methods')
      .array()
      .$type<Method[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    hateAggravation: text('hate_aggravation')
      .array()
      .$type<Hate[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    offences: text('offences')
      .array()
      .$type<Offence[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    narrative: text('narrative'),
    /** When retention removed the personal fields of the incident and its people (the record stays for statistics). */
    personalDataErasedAt: timestamp('personal_data_erased_at', { withTimezone: true }),
    /** When retention removed the health data (care notes, follow-up notes, TRiM notes) tied to the incident. */
    healthDataErasedAt: timestamp('health_data_erased_at', { withTimezone: true }),
    ...audited<IncidentStatus>(),
  },
  (t) => [
    uniqueIndex('incidents_force_reference_uq').on(t.forceId, t.forceReference),
    // NULLS FIRST is what ORDER BY ... DESC means: with drizzle's default (NULLS LAST) the newest-first lists
    // could not read these indexes in order and sorted every row of the force instead (test/performance).
    index('incidents_force_occurred_idx').on(t.forceId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('incidents_occurred_idx').on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    oneOf('incidents_circumstances_check', t.circumstances, CIRCUMSTANCES),
    allOf('incidents_methods_check', t.methods, METHODS),
    allOf('incidents_hate_aggravation_check', t.hateAggravation, HATE),
    allOf('incidents_offences_check', t.offences, OFFENCES),
    oneOf('incidents_status_check', t.status, INCIDENT_STATUSES),
    oneOf('incidents_location_type_check', sql`(${t.location} ->> 'locationType')`, LOCATION_TYPES),
    oneOf('incidents_crewing_check', sql`(${t.deployment} ->> 'crewing')`, CREWING),
    oneOf('incidents_duty_type_check', sql`(${t.deployment} ->> 'dutyType')`, DUTY_TYPES),
  ],
);

/** The incident a record belongs to. */
export const incidentRef = () =>
  uuid('incident_id')
    .notNull()
    .references(() => incidents.id);

export const victims = pgTable(
  'victims',
  {
    id: uuid('id').primaryKey(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    role: text('role').$type<VictimRole>().notNull(),
    serviceBand: text('service_band').$type<ServiceBand>(),
    staffNumber: text('staff_number'),
    injury: text('injury').$type<Injury>().notNull(),
    injuryDetail: text('injury_detail'),
    hospitalTreatment: text('hospital_treatment').$type<Hospital>().notNull(),
    daysLost: integer('days_lost'),
    safetyTrainingInDate: boolean('safety_training_in_date'),
    protectiveEquipment: jsonb('protective_equipment').$type<ProtectiveEquipment>().notNull(),
    federationConsent: boolean('federation_consent').notNull().default(false),
    enhancedRights: boolean('enhanced_rights').notNull().default(false),
    ...audited<PersonStatus>(),
  },
  (t) => [
    index('victims_incident_idx').on(t.incidentId),
    index('victims_force_staff_idx').on(t.forceId, t.staffNumber),
    oneOf('victims_role_check', t.role, VICTIM_ROLES),
    oneOf('victims_service_band_check', t.serviceBand, SERVICE_BANDS),
    oneOf('victims_injury_check', t.injury, INJURIES),
    oneOf('victims_hospital_treatment_check', t.hospitalTreatment, HOSPITAL),
    oneOf('victims_status_check', t.status, PERSON_STATUSES),
    check(
      'victims_protective_equipment_check',
      sql`${jsonbWithin(sql`(${t.protectiveEquipment} -> 'carried')`, PROTECTIVE_ITEMS)} and ${jsonbWithin(sql`(${t.protectiveEquipment} -> 'used')`, PROTECTIVE_ITEMS)}`,
    ),
  ],
);

/** The assaulted officer or member of staff a record belongs to. */
export const victimRef = () =>
  uuid('victim_id')
    .notNull()
    .references(() => victims.id);

export const suspects = pgTable(
  'suspects',
  {
    id: uuid('id').primaryKey(),
    incidentId: incidentRef(),
    forceId: forceRef(),
    reference: text('reference'),
    ageBand: text('age_band').$type<AgeBand>().notNull(),
    arrested: boolean('arrested'),
    ...audited<PersonStatus>(),
  },
  (t) => [
    index('suspects_incident_idx').on(t.incidentId),
    oneOf('suspects_age_band_check', t.ageBand, AGE_BANDS),
    oneOf('suspects_status_check', t.status, PERSON_STATUSES),
  ],
);
