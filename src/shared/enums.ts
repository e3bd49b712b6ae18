// The value lists of the enum-like columns, shared by the database schema (types and CHECK constraints)
// and the modules' zod schemas (the API contract). Changing a list here needs a migration (drizzle-kit generate).
// Roles are in principal.ts, webhook event types in events.ts.

// Incidents and the people in them.
export const CIRCUMSTANCES = [
  'arrest',
  'stop_and_search',
  'public_order',
  'domestic_incident',
  'custody',
  'transport_of_detained_person',
  'mental_health',
  'road_traffic',
  'other',
] as const;
export const METHODS = [
  'punch',
  'kick',
  'push_or_grab',
  'spit',
  'bite',
  'head_butt',
  'weapon',
  'vehicle',
  'thrown_object',
  'threat_without_contact',
  'abuse_without_contact',
  'other',
] as const;
export const HATE = ['race', 'religion', 'sexual_orientation', 'disability', 'transgender_identity', 'sex'] as const;
export const OFFENCES = ['emergency_worker_common_assault', 'abh_s47', 'gbh_s20', 'gbh_with_intent_s18', 'threats_or_abuse', 'other'] as const;
export const CREWING = ['single', 'double', 'team'] as const;
export const DUTY_TYPES = [
  'response',
  'neighbourhood',
  'roads_policing',
  'custody',
  'public_order',
  'investigation',
  'transport',
  'event',
  'off_duty',
  'other',
] as const;
export const LOCATION_TYPES = [
  'street',
  'private_dwelling',
  'licensed_premises',
  'custody_suite',
  'police_station',
  'police_vehicle',
  'hospital',
  'transport_network',
  'other',
] as const;
export const INCIDENT_STATUSES = ['open', 'closed', 'withdrawn'] as const;
export const VICTIM_ROLES = ['constable', 'sergeant', 'inspector_and_above', 'special_constable', 'pcso', 'police_staff', 'volunteer'] as const;
export const SERVICE_BANDS = ['under_1_year', '1_to_2_years', '2_to_5_years', '5_to_10_years', '10_to_20_years', '20_years_or_more'] as const;
export const INJURIES = ['none', 'minor', 'serious'] as const;
export const HOSPITAL = ['none', 'attended', 'admitted'] as const;
export const PROTECTIVE_ITEMS = [
  'body_worn_video',
  'taser',
  'spit_and_bite_guard',
  'body_armour',
  'baton',
  'incapacitant_spray',
  'handcuffs',
  'shield',
] as const;
export const AGE_BANDS = ['under_18', '18_to_24', '25_to_34', '35_to_44', '45_to_54', '55_and_over', 'unknown'] as const;
export const PERSON_STATUSES = ['active', 'withdrawn'] as const;

export type Circumstance = (typeof CIRCUMSTANCES)[number];
export type Method = (typeof METHODS)[number];
export type Hate = (typeof HATE)[number];
export type Offence = (typeof OFFENCES)[number];
export type Crewing = (typeof CREWING)[number];
export type DutyType = (typeof DUTY_TYPES)[number];
export type LocationType = (typeof LOCATION_TYPES)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type VictimRole = (typeof VICTIM_ROLES)[number];
export type ServiceBand = (typeof SERVICE_BANDS)[number];
export type Injury = (typeof INJURIES)[number];
export type Hospital = (typeof HOSPITAL)[number];
export type ProtectiveItem = (typeof PROTECTIVE_ITEMS)[number];
export type AgeBand = (typeof AGE_BANDS)[number];
export type PersonStatus = (typeof PERSON_STATUSES)[number];

// Care plans and follow-ups.
export const OWNER_ROLES = [
  'supervisor',
  'investigating_supervisor',
  'officer_in_charge',
  'duty_inspector',
  'welfare_officer',
  'health_and_safety',
  'command',
  'other',
] as const;
export const STEP_STATUSES = ['pending', 'done', 'not_applicable', 'declined'] as const;
export const FOLLOW_UP_KINDS = ['call', 'visit', 'message', 'meeting', 'return_to_work_review', 'other'] as const;

export type OwnerRole = (typeof OWNER_ROLES)[number];
export type StepStatus = (typeof STEP_STATUSES)[number];
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

// TRiM.
export const CONSENT = ['pending', 'given', 'declined'] as const;
export const TRIM_STATUSES = ['open', 'declined', 'closed'] as const;
export const TRIM_OUTCOMES = ['no_further_action', 'monitor', 'refer_occupational_health', 'refer_professional_help'] as const;
export const ASSESSMENT_KINDS = ['initial', 'follow_up', 'additional'] as const;

export type Consent = (typeof CONSENT)[number];
export type TrimStatus = (typeof TRIM_STATUSES)[number];
export type TrimOutcome = (typeof TRIM_OUTCOMES)[number];
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

// Justice. The event types are the discriminators of the justice module's event union.
export const JUSTICE_EVENT_TYPES = [
  'arrest',
  'charging_decision',
  'outcome_code',
  'court_hearing',
  'court_result',
  'sentence',
  'victim_update',
  'victim_personal_statement',
  'review_requested',
] as const;
export const CASE_STATUSES = ['under_investigation', 'charged', 'awaiting_court', 'convicted', 'not_convicted', 'closed_without_charge'] as const;
export const NOTIFIABLE = ['charging_decision', 'court_result', 'sentence'] as const;

export type JusticeEventType = (typeof JUSTICE_EVENT_TYPES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type NotifiableDecision = (typeof NOTIFIABLE)[number];

// Webhooks.
export const WEBHOOK_STATUSES = ['active', 'deleted'] as const;
export const DELIVERY_STATUSES = ['queued', 'pending', 'delivered', 'failed', 'cancelled'] as const;

export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

// Forces (reference data).
export const COUNTRIES = ['england', 'wales', 'great_britain'] as const;
export const FORCE_KINDS = ['territorial', 'special'] as const;

export type Country = (typeof COUNTRIES)[number];
export type ForceKind = (typeof FORCE_KINDS)[number];

/** Whether a string is one of a list's values; narrows it to the list's union type. */
export const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);
