// Maps incident, victim and suspect rows to their API views, as the field policy (src/policy.ts) lets the reader see them.
import type { incidents, suspects, victims } from '../../db/schema/index.ts';
import { mayReadResource, visibleFields, type Reader } from '../../policy.ts';
import type { IncidentSummary, IncidentView, SuspectView, VictimView } from './schemas.ts';

export type IncidentRow = typeof incidents.$inferSelect;
export type VictimRow = typeof victims.$inferSelect;
export type SuspectRow = typeof suspects.$inferSelect;

type IncidentBase = Omit<IncidentView, 'victims' | 'suspects'>;

function incidentBase(row: IncidentRow): IncidentBase {
  return {
    id: row.id,
    forceId: row.forceId,
    forceReference: row.forceReference,
    occurredAt: row.occurredAt.toISOString(),
    location: row.location,
    circumstances: row.circumstances,
    deployment: row.deployment,
    equipment: row.equipment,
    methods: row.methods,
    hateAggravation: row.hateAggravation,
    offences: row.offences,
    narrative: row.narrative,
    status: row.status,
    statusReason: row.statusReason,
    dataRegime: 'dpa2018_part3',
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** An embedded victim or suspect shows only what the reader could read from its own endpoint: nothing, if not that. */
export function incidentView(row: IncidentRow, victimRows: VictimRow[], suspectRows: SuspectRow[], reader: Reader): IncidentView {
  const view: IncidentView = incidentBase(row);
  if (mayReadResource('victim', reader)) view.victims = victimRows.map((v) => victimView(v, reader));
  if (mayReadResource('suspect', reader)) view.suspects = suspectRows.map((s) => suspectView(s, reader));
  return view;
}

/** A list's item: the incident's fields and how many people it has (added to the one object: a list maps 50 at a time). */
export function incidentSummary(row: IncidentRow, victimCount: number, suspectCount: number): IncidentSummary {
  const summary = incidentBase(row) as IncidentSummary;
  summary.victimCount = victimCount;
  summary.suspectCount = suspectCount;
  return summary;
}

/** What every person record shows: its keys, version and times, and its status. */
function personBase(row: VictimRow | SuspectRow) {
  return {
    id: row.id,
    incidentId: row.incidentId,
    forceId: row.forceId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    status: row.status,
    statusReason: row.statusReason,
  };
}

/** The named fields of a row, as they are. */
function pick<T, K extends keyof T>(row: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
}

/** Every field of the victim, unguarded: for merging a patch, never for an answer. */
export function victimRecord(row: VictimRow): Required<VictimView> {
  // Written out (the return type holds it to every field): every incident read maps its victims through here.
  return {
    ...personBase(row),
    role: row.role,
    serviceBand: row.serviceBand,
    staffNumber: row.staffNumber,
    injury: row.injury,
    injuryDetail: row.injuryDetail,
    hospitalTreatment: row.hospitalTreatment,
    daysLost: row.daysLost,
    safetyTrainingInDate: row.safetyTrainingInDate,
    protectiveEquipment: row.protectiveEquipment,
    federationConsent: row.federationConsent,
    enhancedRights: row.enhancedRights,
  };
}

export function victimView(row: VictimRow, reader: Reader): VictimView {
  return visibleFields('victim', reader, victimRecord(row));
}

/** Every field of the suspect, unguarded: for merging a patch, never for an answer. */
export function suspectRecord(row: SuspectRow): Required<SuspectView> {
  return {
    ...personBase(row),
    ...pick(row, ['reference', 'ageBand', 'arrested']),
  };
}

export function suspectView(row: SuspectRow, reader: Reader): SuspectView {
  return visibleFields('suspect', reader, suspectRecord(row));
}
