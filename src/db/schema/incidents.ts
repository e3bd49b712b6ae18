// Assault incidents and the people in them: assaulted officers and staff (victims) and suspects.
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { forceRef } from './forces.ts';

export type IncidentLocation = {
  description: string | null;
  locationType: string | null;
  latitude: number | null;
  longitude: number | null;
};
export type IncidentDeployment = { crewing: string | null; dutyType: string | null };
export type IncidentEquipment = {
  bodyWornVideo: { worn: boolean | null; activated: boolean | null; footageRetained: boolean | null };
  taser: { drawn: boolean | null; discharged: boolean | null };
  spitAndBiteGuardUsed: boolean | null;
  bodyArmourWorn: boolean | null;
};
export type ProtectiveEquipment = { carried: string[]; used: string[] };

const audited = {
  status: text('status').notNull(),
  statusReason: text('status_reason'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
};

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    forceId: forceRef(),
    forceReference: text('force_reference').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    location: jsonb('location').$type<IncidentLocation>().notNull(),
    circumstances: text('circumstances').notNull(),
    deployment: jsonb('deployment').$type<IncidentDeployment>().notNull(),
    equipment: jsonb('equipment').$type<IncidentEquipment>().notNull(),
    methods: text('methods').array().notNull().default(sql`'{}'::text[]`),
    hateAggravation: text('hate_aggravation').array().notNull().default(sql`'{}'::text[]`),
    offences: text('offences').array().notNull().default(sql`'{}'::text[]`),
    narrative: text('narrative'),
    /** When retention removed the personal fields of the incident and its people (the record stays for statistics). */
    personalDataErasedAt: timestamp('personal_data_erased_at', { withTimezone: true }),
    /** When retention removed the health data (care notes, follow-up notes, TRiM notes) tied to the incident. */
    healthDataErasedAt: timestamp('health_data_erased_at', { withTimezone: true }),
    ...audited,
  },
  (t) => [
    uniqueIndex('incidents_force_reference_uq').on(t.forceId, t.forceReference),
    // NULLS FIRST is what ORDER BY ... DESC means: with drizzle's default (NULLS LAST) the newest-first lists
    // could not read these indexes in order and sorted every row of the force instead (test/performance).
    index('incidents_force_occurred_idx').on(t.forceId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('incidents_occurred_idx').on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
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
    role: text('role').notNull(),
    serviceBand: text('service_band'),
    staffNumber: text('staff_number'),
    injury: text('injury').notNull(),
    injuryDetail: text('injury_detail'),
    hospitalTreatment: text('hospital_treatment').notNull(),
    daysLost: integer('days_lost'),
    safetyTrainingInDate: boolean('safety_training_in_date'),
    protectiveEquipment: jsonb('protective_equipment').$type<ProtectiveEquipment>().notNull(),
    federationConsent: boolean('federation_consent').notNull().default(false),
    enhancedRights: boolean('enhanced_rights').notNull().default(false),
    ...audited,
  },
  (t) => [
    index('victims_incident_idx').on(t.incidentId),
    index('victims_force_staff_idx').on(t.forceId, t.staffNumber),
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
    ageBand: text('age_band').notNull(),
    arrested: boolean('arrested'),
    ...audited,
  },
  (t) => [index('suspects_incident_idx').on(t.incidentId)],
);
