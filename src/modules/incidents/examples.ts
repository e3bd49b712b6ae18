// Examples of the incidents contract (src/shared/examples.ts tells the story): what a force system sends and gets back.
import { EXAMPLE_FORCE_ID, EXAMPLE_IDS, EXAMPLE_REFERENCE, EXAMPLE_TIMES } from '../../shared/examples.ts';

export const VICTIM_CREATE_EXAMPLE = {
  role: 'constable',
  serviceBand: '2_to_5_years',
  staffNumber: 'SYN-4471',
  injury: 'minor',
  injuryDetail: 'Bruising to the left forearm (synthetic example).',
  hospitalTreatment: 'none',
  daysLost: 0,
  safetyTrainingInDate: true,
  protectiveEquipment: { carried: ['body_worn_video', 'body_armour', 'handcuffs'], used: ['body_worn_video', 'handcuffs'] },
  federationConsent: true,
  enhancedRights: false,
};

export const SUSPECT_CREATE_EXAMPLE = { reference: 'NOMINAL-88213', ageBand: '25_to_34', arrested: true };

export const INCIDENT_CREATE_EXAMPLE = {
  forceReference: EXAMPLE_REFERENCE,
  occurredAt: '2026-02-27T23:40:00Z',
  location: { description: 'Outside a takeaway, Example Street (synthetic)', locationType: 'street', latitude: null, longitude: null },
  circumstances: 'arrest',
  deployment: { crewing: 'single', dutyType: 'response' },
  equipment: {
    bodyWornVideo: { worn: true, activated: true, footageRetained: true },
    taser: { drawn: false, discharged: false },
    spitAndBiteGuardUsed: false,
    bodyArmourWorn: true,
  },
  methods: ['punch', 'spit'],
  hateAggravation: [],
  offences: ['emergency_worker_common_assault'],
  narrative: 'The officer was punched and spat at while arresting a man for a public order offence (synthetic example).',
  victims: [VICTIM_CREATE_EXAMPLE],
  suspects: [SUSPECT_CREATE_EXAMPLE],
};

export const INCIDENT_PATCH_EXAMPLE = {
  offences: ['emergency_worker_common_assault', 'abh_s47'],
  equipment: { taser: { drawn: true } },
};

export const VICTIM_PATCH_EXAMPLE = { daysLost: 3, hospitalTreatment: 'attended' };

export const SUSPECT_PATCH_EXAMPLE = { arrested: true, ageBand: '35_to_44' };

const record = (id: string) => ({
  id,
  incidentId: EXAMPLE_IDS.incident,
  forceId: EXAMPLE_FORCE_ID,
  version: 1,
  createdAt: EXAMPLE_TIMES.recorded,
  updatedAt: EXAMPLE_TIMES.recorded,
});

/** A victim as a force system reads it: injuryDetail (health data) is omitted. */
const { injuryDetail: _healthData, ...victimAsSent } = VICTIM_CREATE_EXAMPLE;
export const VICTIM_EXAMPLE = { ...record(EXAMPLE_IDS.victim), ...victimAsSent, status: 'active', statusReason: null };

export const SUSPECT_EXAMPLE = { ...record(EXAMPLE_IDS.suspect), ...SUSPECT_CREATE_EXAMPLE, status: 'active', statusReason: null };

const { victims: _victims, suspects: _suspects, ...incidentFields } = INCIDENT_CREATE_EXAMPLE;

const INCIDENT_VIEW = {
  ...incidentFields,
  id: EXAMPLE_IDS.incident,
  forceId: EXAMPLE_FORCE_ID,
  occurredAt: EXAMPLE_TIMES.assault,
  status: 'open',
  statusReason: null,
  dataRegime: 'dpa2018_part3',
  version: 1,
  createdAt: EXAMPLE_TIMES.recorded,
  updatedAt: EXAMPLE_TIMES.recorded,
};

export const INCIDENT_EXAMPLE = { ...INCIDENT_VIEW, victims: [VICTIM_EXAMPLE], suspects: [SUSPECT_EXAMPLE] };

export const INCIDENT_SUMMARY_EXAMPLE = { ...INCIDENT_VIEW, victimCount: 1, suspectCount: 1 };
