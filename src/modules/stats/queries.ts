// The statistics, computed in SQL. Every query groups by ROLLUP(force_id) or an equivalent grouping set,
// so one pass answers each force and the total (force_id null). Definitions: docs/statistics.md.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client.ts';
import { OUT_OF_COURT_DISPOSALS } from './schemas.ts';

export interface Period {
  /** First instant (start of the first UK day) and the instant after the last UK day. */
  start: Date;
  end: Date;
  /** The last UK date, for the headcount in force. */
  lastDay: string;
  forceId: string | null;
  now: Date;
}

export const TOTAL = 'total';
const key = (forceId: string | null) => forceId ?? TOTAL;

/** Incidents counted: not withdrawn, occurred in the period, in scope. Victims: active ones of those. */
function base(p: Period): SQL {
  return sql`
    with inc as (
      select * from incidents
       where status <> 'withdrawn' and occurred_at >= ${p.start.toISOString()}::timestamptz and occurred_at < ${p.end.toISOString()}::timestamptz
       ${p.forceId ? sql`and force_id = ${p.forceId}` : sql``}
    ),
    vic as (select v.* from victims v join inc on inc.id = v.incident_id where v.status = 'active')`;
}

type Row = Record<string, string | number | null> & { force_id: string | null };

const num = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

function byForce<T>(rows: Row[], map: (r: Row) => T): Map<string, T> {
  return new Map(rows.map((r) => [key(r.force_id), map(r)]));
}

export interface RawStats {
  incidents: number;
  bwvWorn: number;
  bwvActivated: number;
  spitGuard: number;
  taserDrawn: number;
  taserDischarged: number;
  people: number;
  withInjury: number;
  withoutInjury: number;
  attendedHospital: number;
  hospitalised: number;
  daysLost: number;
  officerVictims: number;
  constableVictims: number;
  repeatVictims: number;
  charged: number;
  resolved: number;
  convicted: number;
  outOfCourt: number;
  medianDaysToCharge: number | null;
  medianDaysToResult: number | null;
  /** The deterrent (docs/statistics.md): sentenced defendants, of them in immediate custody, with s.67 recorded / stated. */
  sentenced: number;
  custody: number;
  aggravationRecorded: number;
  aggravationStated: number;
  medianCustodyMonths: number | null;
  /** Out-of-court incidents by disposal, in the order of OUT_OF_COURT_DISPOSALS. */
  outOfCourtByType: number[];
  firstSteps: number;
  firstOnTime: number;
  plans: number;
  plansComplete: number;
  openOverdue: number;
  trimOffered: number;
  trimAccepted: number;
  trimCompleted: number;
  notificationsDue: number;
  notificationsOnTime: number;
  breakdowns: Record<string, { key: string; count: number }[]>;
}

/**
 * The grouped facts, one query per group: each answers a row per force and one (force_id null) for the total.
 * A function of the period's base CTEs (inc, vic) and now.
 */
const FACT_QUERIES = {
  incident: () => sql`
    select force_id, count(*)::int as incidents,
      count(*) filter (where (equipment->'bodyWornVideo'->>'worn')::boolean)::int as bwv_worn,
      count(*) filter (where (equipment->'bodyWornVideo'->>'activated')::boolean)::int as bwv_activated,
      count(*) filter (where (equipment->>'spitAndBiteGuardUsed')::boolean)::int as spit_guard,
      count(*) filter (where (equipment->'taser'->>'drawn')::boolean)::int as taser_drawn,
      count(*) filter (where (equipment->'taser'->>'discharged')::boolean)::int as taser_discharged
    from inc group by rollup(force_id)`,
  victim: () => sql`
    select force_id, count(*)::int as people,
      count(*) filter (where injury <> 'none')::int as with_injury,
      count(*) filter (where injury = 'none')::int as without_injury,
      count(*) filter (where hospital_treatment <> 'none')::int as attended_hospital,
      count(*) filter (where hospital_treatment = 'admitted')::int as hospitalised,
      coalesce(sum(days_lost), 0)::int as days_lost,
      count(*) filter (where role in ('constable', 'sergeant', 'inspector_and_above'))::int as officer_victims,
      count(*) filter (where role = 'constable')::int as constable_victims
    from vic group by rollup(force_id)`,
  repeat: () => sql`
    select force_id, count(*)::int as repeat_victims from (
      select force_id, staff_number from vic where staff_number is not null
       group by force_id, staff_number having count(distinct incident_id) >= 2
    ) r group by rollup(force_id)`,
  justice: () => sql`
    select inc.force_id,
      count(*) filter (where jc.charged_at is not null)::int as charged,
      count(*) filter (where jc.status in ('convicted', 'not_convicted'))::int as resolved,
      count(*) filter (where jc.status = 'convicted')::int as convicted,
      count(*) filter (where jc.out_of_court = 1)::int as out_of_court,
      percentile_cont(0.5) within group (order by extract(epoch from jc.charged_at - inc.occurred_at) / 86400)
        filter (where jc.charged_at is not null) as median_days_to_charge,
      percentile_cont(0.5) within group (order by extract(epoch from jc.result_at - inc.occurred_at) / 86400)
        filter (where jc.result_at is not null) as median_days_to_result
    from inc left join justice_cases jc on jc.incident_id = inc.id
    group by rollup(inc.force_id)`,
  // One row per sentenced defendant (incident x suspect): immediate custody if any of their sentences is, the longest
  // immediate custody term, s.67 aggravation stated if any sentence says yes, recorded if any says yes or no.
  sentencing: () => sql`,
    defendant as (
      select inc.force_id, e.incident_id, e.suspect_id,
        bool_or(e.data->>'sentence' = 'immediate_custody') as custody,
        max((e.data->>'custodyMonths')::int) filter (where e.data->>'sentence' = 'immediate_custody') as custody_months,
        bool_or(e.data->>'aggravationStated' = 'yes') as stated,
        bool_or(e.data->>'aggravationStated' in ('yes', 'no')) as recorded
      from inc join justice_events e on e.incident_id = inc.id and e.type = 'sentence'
      group by inc.force_id, e.incident_id, e.suspect_id
    )
    select force_id, count(*)::int as sentenced,
      count(*) filter (where custody)::int as custody,
      count(*) filter (where recorded)::int as aggravation_recorded,
      count(*) filter (where stated)::int as aggravation_stated,
      percentile_cont(0.5) within group (order by custody_months) filter (where custody) as median_custody_months
    from defendant group by rollup(force_id)`,
  // Each out-of-court incident (justice_cases.out_of_court) under one disposal: its outcome code when that is an
  // out-of-court code, else its latest caution or community resolution decision.
  disposal: () => sql`
    select force_id,
      count(*) filter (where disposal = 'caution')::int as caution,
      count(*) filter (where disposal = 'community_resolution')::int as community_resolution,
      count(*) filter (where disposal = 'penalty_notice_for_disorder')::int as penalty_notice_for_disorder,
      count(*) filter (where disposal = 'cannabis_khat_warning')::int as cannabis_khat_warning,
      count(*) filter (where disposal = 'diversionary')::int as diversionary
    from (
      select inc.force_id, case
        when jc.outcome_code in (2, 3) then 'caution'
        when jc.outcome_code = 6 then 'penalty_notice_for_disorder'
        when jc.outcome_code = 7 then 'cannabis_khat_warning'
        when jc.outcome_code = 8 then 'community_resolution'
        when jc.outcome_code = 22 then 'diversionary'
        else (select e.data->>'decision' from justice_events e
               where e.incident_id = inc.id and e.type = 'charging_decision' and e.data->>'decision' in ('caution', 'community_resolution')
               order by e.occurred_at desc, e.id desc limit 1)
        end as disposal
      -- Each incident's case looked up by its key (OFFSET 0 keeps the lookup a lookup): joined as a set, the planner
      -- read every out-of-court case of the country for one force's year (test/slow/performance/explain.test.ts).
      from inc cross join lateral (
        select j.outcome_code from justice_cases j where j.incident_id = inc.id and j.out_of_court = 1 offset 0
      ) jc
    ) d group by rollup(force_id)`,
  care: (now: string) => sql`,
    plan as (
      select vic.force_id, vic.id,
        bool_or(cs.position = 1) as has_first,
        bool_or(cs.position = 1 and cs.status = 'done' and cs.completed_at <= cs.due_at) as first_on_time,
        count(*) filter (where cs.status = 'pending')::int as pending,
        count(*) filter (where cs.status = 'pending' and cs.due_at < ${now}::timestamptz)::int as overdue
      from vic join care_steps cs on cs.victim_id = vic.id group by vic.force_id, vic.id
    )
    select force_id, count(*)::int as plans,
      count(*) filter (where has_first)::int as first_steps,
      count(*) filter (where first_on_time)::int as first_on_time,
      count(*) filter (where pending = 0)::int as plans_complete,
      coalesce(sum(overdue), 0)::int as open_overdue
    from plan group by rollup(force_id)`,
  trim: () => sql`
    select vic.force_id, count(*)::int as offered,
      count(*) filter (where t.consent = 'given')::int as accepted,
      count(*) filter (where t.status = 'closed')::int as completed
    from vic join trim_referrals t on t.victim_id = vic.id group by rollup(vic.force_id)`,
  code: (now: string) => sql`
    select vic.force_id,
      count(*) filter (where n.told_at is not null or n.deadline_at < ${now}::timestamptz)::int as due,
      count(*) filter (where n.told_at is not null and n.told_at <= n.deadline_at)::int as on_time
    from vic join victim_notifications n on n.victim_id = vic.id group by rollup(vic.force_id)`,
} satisfies Record<string, (now: string) => SQL>;

type Facts = Record<keyof typeof FACT_QUERIES, Map<string, Row>>;

/** The breakdown dimensions, each grouped per force and in total. */
const DIMENSIONS_SQL = sql`
    select force_id, 'circumstances' as dim, circumstances as k, count(*)::int as n from inc group by grouping sets ((force_id, circumstances), (circumstances))
    union all
    select force_id, 'crewing', coalesce(deployment->>'crewing', 'not_recorded'), count(*)::int from inc group by grouping sets ((force_id, 2, 3), (2, 3))
    union all
    select force_id, 'hourOfDay', lpad(extract(hour from occurred_at at time zone 'Europe/London')::int::text, 2, '0'), count(*)::int from inc group by grouping sets ((force_id, 2, 3), (2, 3))
    union all
    select force_id, 'dayOfWeek', to_char(occurred_at at time zone 'Europe/London', 'ID'), count(*)::int from inc group by grouping sets ((force_id, 2, 3), (2, 3))
    union all
    select force_id, 'offence', o, count(*)::int from inc cross join lateral unnest(offences) as o group by grouping sets ((force_id, 2, 3), (2, 3))
    union all
    select force_id, 'victimRole', role, count(*)::int from vic group by grouping sets ((force_id, 2, 3), (2, 3))
    union all
    select force_id, 'serviceBand', coalesce(service_band, 'not_recorded'), count(*)::int from vic group by grouping sets ((force_id, 2, 3), (2, 3))
    union all
    select force_id, 'safetyTrainingInDate', coalesce(safety_training_in_date::text, 'not_recorded'), count(*)::int from vic group by grouping sets ((force_id, 2, 3), (2, 3))`;

type DimensionRow = Row & { dim: string; k: string; n: number };

/** Every group of facts for the period, keyed by force (and TOTAL). One query at a time: one connection serves them. */
async function factsOf(q: Queryable, p: Period): Promise<Facts> {
  const now = p.now.toISOString();
  const facts: Partial<Facts> = {};
  for (const [name, query] of Object.entries(FACT_QUERIES) as [keyof Facts, (now: string) => SQL][]) {
    facts[name] = byForce(await queryRows<Row>(q, sql`${base(p)}${query(now)}`), (r) => r);
  }
  return facts as Facts;
}

/** One force's (or the total's) breakdowns, each sorted by key. */
function breakdownsOf(rows: DimensionRow[], k: string): RawStats['breakdowns'] {
  const breakdowns: RawStats['breakdowns'] = {
    circumstances: [],
    offence: [],
    crewing: [],
    hourOfDay: [],
    dayOfWeek: [],
    victimRole: [],
    serviceBand: [],
    safetyTrainingInDate: [],
  };
  for (const d of rows) if (key(d.force_id) === k) breakdowns[d.dim]?.push({ key: String(d.k), count: num(d.n) });
  for (const list of Object.values(breakdowns)) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return breakdowns;
}

/** The counted facts of one force (or the total), from its rows of each group. */
function rawStatsOf(facts: Facts, k: string, breakdowns: RawStats['breakdowns']): RawStats {
  const i = facts.incident.get(k),
    v = facts.victim.get(k),
    j = facts.justice.get(k),
    c = facts.care.get(k),
    t = facts.trim.get(k),
    n = facts.code.get(k),
    s = facts.sentencing.get(k),
    d = facts.disposal.get(k);
  return {
    incidents: num(i?.incidents),
    bwvWorn: num(i?.bwv_worn),
    bwvActivated: num(i?.bwv_activated),
    spitGuard: num(i?.spit_guard),
    taserDrawn: num(i?.taser_drawn),
    taserDischarged: num(i?.taser_discharged),
    people: num(v?.people),
    withInjury: num(v?.with_injury),
    withoutInjury: num(v?.without_injury),
    attendedHospital: num(v?.attended_hospital),
    hospitalised: num(v?.hospitalised),
    daysLost: num(v?.days_lost),
    officerVictims: num(v?.officer_victims),
    constableVictims: num(v?.constable_victims),
    repeatVictims: num(facts.repeat.get(k)?.repeat_victims),
    charged: num(j?.charged),
    resolved: num(j?.resolved),
    convicted: num(j?.convicted),
    outOfCourt: num(j?.out_of_court),
    medianDaysToCharge: numOrNull(j?.median_days_to_charge),
    medianDaysToResult: numOrNull(j?.median_days_to_result),
    sentenced: num(s?.sentenced),
    custody: num(s?.custody),
    aggravationRecorded: num(s?.aggravation_recorded),
    aggravationStated: num(s?.aggravation_stated),
    medianCustodyMonths: numOrNull(s?.median_custody_months),
    outOfCourtByType: OUT_OF_COURT_DISPOSALS.map((type) => num(d?.[type])),
    plans: num(c?.plans),
    firstSteps: num(c?.first_steps),
    firstOnTime: num(c?.first_on_time),
    plansComplete: num(c?.plans_complete),
    openOverdue: num(c?.open_overdue),
    trimOffered: num(t?.offered),
    trimAccepted: num(t?.accepted),
    trimCompleted: num(t?.completed),
    notificationsDue: num(n?.due),
    notificationsOnTime: num(n?.on_time),
    breakdowns,
  };
}

/** The counted facts of the period, per force in scope and in total (TOTAL). */
export async function computeRaw(q: Queryable, p: Period): Promise<Map<string, RawStats>> {
  const facts = await factsOf(q, p);
  const dimensionRows = await queryRows<DimensionRow>(q, sql`${base(p)}${DIMENSIONS_SQL}`);
  const result = new Map<string, RawStats>();
  for (const k of new Set([TOTAL, ...facts.incident.keys()])) result.set(k, rawStatsOf(facts, k, breakdownsOf(dimensionRows, k)));
  return result;
}

export interface HeadcountRow {
  forceId: string;
  officers: number;
  constables: number;
  asOf: string;
}
