// The benchmark's scenarios: what each run of `npm run bench` sends, and what the soak (bench/soak.ts) mixes.
import type { LoadSpec } from './load.ts';
import type { BenchKeys } from './seed.ts';

export const GET = 'GET incident by id';
export const POST = 'POST incident (2 victims, 1 suspect)';

export type ScenarioSpec = Omit<LoadSpec, 'url' | 'connections' | 'durationSeconds'>;
export interface Scenario {
  name: string;
  spec: ScenarioSpec;
}

/** The POST's body: two victims and a suspect (two care plans of 7 steps, audit events, webhook outbox rows). */
export const incidentBody = (forceId: string, now: Date) => ({
  forceId,
  occurredAt: new Date(now.getTime() - 3 * 3_600_000).toISOString(),
  location: { description: 'Synthetic benchmark location', locationType: 'street' },
  circumstances: 'arrest',
  deployment: { crewing: 'double', dutyType: 'response' },
  equipment: { bodyWornVideo: { worn: true, activated: true }, taser: { drawn: false } },
  methods: ['punch', 'spit'],
  offences: ['emergency_worker_common_assault'],
  victims: [
    { role: 'constable', serviceBand: '2_to_5_years', staffNumber: 'SYNBENCH1', injury: 'minor', federationConsent: true },
    { role: 'sergeant', serviceBand: '10_to_20_years', staffNumber: 'SYNBENCH2', injury: 'none' },
  ],
  suspects: [{ ageBand: '25_to_34', arrested: true }],
});

export interface ScenarioContext {
  /** The Metropolitan Police's id (the bench's force). */
  force: string;
  keys: BenchKeys;
  /** Last calendar year: the period of the lists and statistics. */
  year: number;
  now: Date;
  getIds: string[];
  patchIds: string[];
}

/** Every scenario the bench measures, in the order it runs them. */
export function scenarios({ force, keys, year, now, getIds, patchIds }: ScenarioContext): Scenario[] {
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  return [
    { name: GET, spec: { kind: 'getById', path: '/v1/incidents/', ids: getIds, headers: auth(keys.forceSystem) } },
    {
      name: 'List incidents: one force, one year',
      spec: { kind: 'static', path: `/v1/incidents?occurredFrom=${from}T00:00:00Z&occurredTo=${year + 1}-01-01T00:00:00Z`, headers: auth(keys.forceSystem) },
    },
    { name: POST, spec: { kind: 'postIncident', path: '/v1/incidents', body: incidentBody(force, now), headers: auth(keys.forceSystem) } },
    {
      name: 'PATCH incident (If-Match "1", each once)',
      spec: { kind: 'patchIncident', path: '/v1/incidents/', ids: patchIds, headers: auth(keys.nationalSystem) },
    },
    {
      name: 'Welfare overdue queue: one force',
      spec: { kind: 'static', path: '/v1/care-steps?status=overdue', headers: { ...auth(keys.welfare), 'x-access-reason': 'Benchmark: welfare queue' } },
    },
    { name: 'Federation cases list: one force', spec: { kind: 'static', path: '/v1/cases', headers: auth(keys.federation) } },
    {
      name: 'Stats summary: one force, one year',
      spec: { kind: 'static', path: `/v1/stats/summary?forceId=${force}&from=${from}&to=${to}`, headers: auth(keys.analyst) },
    },
    { name: 'Stats summary: all forces, one year', spec: { kind: 'static', path: `/v1/stats/summary?from=${from}&to=${to}`, headers: auth(keys.analyst) } },
    {
      name: 'Stats series: incidents nationally, ten years by month',
      spec: {
        kind: 'static',
        path: `/v1/stats/series?metric=incidents&interval=month&forces=none&from=${year - 9}-01-01&to=${to}`,
        headers: auth(keys.analyst),
      },
    },
    {
      name: 'Stats series: incidents of each force, ten years by month',
      spec: { kind: 'static', path: `/v1/stats/series?metric=incidents&interval=month&from=${year - 9}-01-01&to=${to}`, headers: auth(keys.analyst) },
    },
    {
      name: 'Stats quarterly table: all forces',
      spec: { kind: 'static', path: `/v1/stats/quarterly?quarter=${year}-Q4`, headers: { ...auth(keys.analyst), accept: 'text/csv' } },
    },
  ];
}
