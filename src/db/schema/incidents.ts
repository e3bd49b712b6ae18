// Assault incidents and the people in them: assaulted officers and staff (victims) and suspects.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import * as E from '../../shared/enums.ts';
import { allOf, jsonbWithin, oneOf } from './checks.ts';
import { forceRef } from './forces.ts';
import { at, ref, textList, versioned } from './columns.ts';

export type IncidentLocation = {
  description: string | null;
  locationType: E.LocationType | null;
  latitude: number | null;
  longitude: number | null;
};
export type IncidentDeployment = { crewing: E.Crewing | null; dutyType: E.DutyType | null };
export type IncidentEquipment = {
  bodyWornVideo: { worn: boolean | null; activated: boolean | null; footageRetained: boolean | null };
  taser: { drawn: boolean | null; discharged: boolean | null };
  spitAndBiteGuardUsed: boolean | null;
  bodyArmourWorn: boolean | null;
};
export type ProtectiveEquipment = { carried: E.ProtectiveItem[]; used: E.ProtectiveItem[] };

// A function, so each table gets its own column builders and its own status type.
const audited = <Status extends string>() => ({
  status: text('status').$type<Status>().notNull(),
  statusReason: text('status_reason'),
  ...versioned(),
});

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    forceId: forceRef(),
    forceReference: text('force_reference').notNull(),
    occurredAt: at('occurred_at').notNull(),
    location: jsonb('location').$type<IncidentLocation>().notNull(),
    circumstances: text('circumstances').$type<E.Circumstance>().notNull(),
    deployment: jsonb('deployment').$type<IncidentDeployment>().notNull(),
    equipment: jsonb('equipment').$type<IncidentEquipment>().notNull(),
    methods: textList<E.Method>('methods'),
    hateAggravation: textList<E.Hate>('hate_aggravation'),
    offences: textList<E.Offence>('offences'),
    narrative: text('narrative'),
    /** When retention removed the personal fields of the incident and its people (the record stays for statistics). */
    personalDataErasedAt: at('personal_data_erased_at'),
    /** When retention removed the health data (care notes, follow-up notes, TRiM notes) tied to the incident. */
    healthDataErasedAt: at('health_data_erased_at'),
    ...audited<E.IncidentStatus>(),
  },
  (t) => [
    uniqueIndex('incidents_force_reference_uq').on(t.forceId, t.forceReference),
    // NULLS FIRST is what ORDER BY ... DESC means: with drizzle's default (NULLS LAST) the newest-first lists
    // could not read these indexes in order and sorted every row of the force instead (test/performance).
    index('incidents_force_occurred_idx').on(t.forceId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('incidents_occurred_idx').on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    oneOf('incidents_circumstances_check', t.circumstances, E.CIRCUMSTANCES),
    allOf('incidents_methods_check', t.methods, E.METHODS),
    allOf('incidents_hate_aggravation_check', t.hateAggravation, E.HATE),
    allOf('incidents_offences_check', t.offences, E.OFFENCES),
    oneOf('incidents_status_check', t.status, E.INCIDENT_STATUSES),
    oneOf('incidents_location_type_check', sql`(${t.location} ->> 'locationType')`, E.LOCATION_TYPES),
    oneOf('incidents_crewing_check', sql`(${t.deployment} ->> 'crewing')`, E.CREWING),
    oneOf('incidents_duty_type_check', sql`(${t.deployment} ->> 'dutyType')`, E.DUTY_TYPES),
  ],
);

/** The incident a record belongs to. */
export const incidentRef = () => ref('incident_id', () => incidents.id);

/** The keys of a person in an incident (a victim or a suspect): its id, the incident and its force. */
const personKeys = () => ({ id: uuid('id').primaryKey(), incidentId: incidentRef(), forceId: forceRef() });

export const victims = pgTable(
  'victims',
  {
    ...personKeys(),
    role: text('role').$type<E.VictimRole>().notNull(),
    serviceBand: text('service_band').$type<E.ServiceBand>(),
    staffNumber: text('staff_number'),
    injury: text('injury').$type<E.Injury>().notNull(),
    injuryDetail: text('injury_detail'),
    hospitalTreatment: text('hospital_treatment').$type<E.Hospital>().notNull(),
    daysLost: integer('days_lost'),
    safetyTrainingInDate: boolean('safety_training_in_date'),
    protectiveEquipment: jsonb('protective_equipment').$type<ProtectiveEquipment>().notNull(),
    federationConsent: boolean('federation_consent').notNull().default(false),
    enhancedRights: boolean('enhanced_rights').notNull().default(false),
    ...audited<E.PersonStatus>(),
  },
  (t) => [
    index('victims_incident_idx').on(t.incidentId),
    index('victims_force_staff_idx').on(t.forceId, t.staffNumber),
    oneOf('victims_role_check', t.role, E.VICTIM_ROLES),
    oneOf('victims_service_band_check', t.serviceBand, E.SERVICE_BANDS),
    oneOf('victims_injury_check', t.injury, E.INJURIES),
    oneOf('victims_hospital_treatment_check', t.hospitalTreatment, E.HOSPITAL),
    oneOf('victims_status_check', t.status, E.PERSON_STATUSES),
    check(
      'victims_protective_equipment_check',
      sql`${jsonbWithin(sql`(${t.protectiveEquipment} -> 'carried')`, E.PROTECTIVE_ITEMS)} and ${jsonbWithin(sql`(${t.protectiveEquipment} -> 'used')`, E.PROTECTIVE_ITEMS)}`,
    ),
  ],
);

/** The assaulted officer or member of staff a record belongs to. */
export const victimRef = () => ref('victim_id', () => victims.id);

/** The keys of a record about one assaulted officer: its id, the officer, their incident and force. */
export const victimOwned = () => ({ id: uuid('id').primaryKey(), victimId: victimRef(), incidentId: incidentRef(), forceId: forceRef() });

export const suspects = pgTable(
  'suspects',
  {
    ...personKeys(),
    reference: text('reference'),
    ageBand: text('age_band').$type<E.AgeBand>().notNull(),
    arrested: boolean('arrested'),
    ...audited<E.PersonStatus>(),
  },
  (t) => [
    index('suspects_incident_idx').on(t.incidentId),
    oneOf('suspects_age_band_check', t.ageBand, E.AGE_BANDS),
    oneOf('suspects_status_check', t.status, E.PERSON_STATUSES),
  ],
);
