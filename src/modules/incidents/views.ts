// Maps incident, victim and suspect rows to their API views.
import type { incidents, suspects, victims } from '../../db/schema/index.ts';
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

export function incidentView(row: IncidentRow, victimRows: VictimRow[], suspectRows: SuspectRow[]): IncidentView {
  return { ...incidentBase(row), victims: victimRows.map(victimView), suspects: suspectRows.map(suspectView) };
}

export function incidentSummary(row: IncidentRow & { victimCount: number; suspectCount: number }): IncidentSummary {
  return { ...incidentBase(row), victimCount: row.victimCount, suspectCount: row.suspectCount };
}

export function victimView(row: VictimRow): VictimView {
  return {
    id: row.id,
    incidentId: row.incidentId,
    forceId: row.forceId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
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
    status: row.status,
    statusReason: row.statusReason,
  };
}

export function suspectView(row: SuspectRow): SuspectView {
  return {
    id: row.id,
    incidentId: row.incidentId,
    forceId: row.forceId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    reference: row.reference,
    ageBand: row.ageBand,
    arrested: row.arrested,
    status: row.status,
    statusReason: row.statusReason,
  };
}
