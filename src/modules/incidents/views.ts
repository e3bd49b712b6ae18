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
    location: row.location as IncidentView['location'],
    circumstances: row.circumstances as IncidentView['circumstances'],
    deployment: row.deployment as IncidentView['deployment'],
    equipment: row.equipment,
    methods: row.methods as IncidentView['methods'],
    hateAggravation: row.hateAggravation as IncidentView['hateAggravation'],
    offences: row.offences as IncidentView['offences'],
    narrative: row.narrative,
    status: row.status as IncidentView['status'],
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
    role: row.role as VictimView['role'],
    serviceBand: row.serviceBand as VictimView['serviceBand'],
    staffNumber: row.staffNumber,
    injury: row.injury as VictimView['injury'],
    injuryDetail: row.injuryDetail,
    hospitalTreatment: row.hospitalTreatment as VictimView['hospitalTreatment'],
    daysLost: row.daysLost,
    safetyTrainingInDate: row.safetyTrainingInDate,
    protectiveEquipment: row.protectiveEquipment as VictimView['protectiveEquipment'],
    federationConsent: row.federationConsent,
    enhancedRights: row.enhancedRights,
    status: row.status as VictimView['status'],
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
    ageBand: row.ageBand as SuspectView['ageBand'],
    arrested: row.arrested,
    status: row.status as SuspectView['status'],
    statusReason: row.statusReason,
  };
}
