// The statistics rollup's columns and the SQL of migrations/0017_stats_rollup.sql, generated from one list so the
// tables, the per-incident facts function and the read side (rollup.ts) can never disagree. `npm run stats:migration`
// writes the migration; test/modules/stats/rollup-sql.test.ts fails when the committed file differs.
// What each column counts: the same definitions as the reference queries (queries.ts, docs/statistics.md).
import { BREAKDOWN_KEYS } from './disclosure.ts';
import { OUT_OF_COURT_DISPOSALS } from './schemas.ts';

/** One additive column: its name, its value for one incident (SQL over i, v, j, s, c, t, n, k), and where it goes. */
export interface Column {
  name: string;
  expr: string;
}

const flag = (cond: string) => `coalesce((${cond}), false)::int`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The counted facts of RawStats, in its field order. */
export const COUNT_COLUMNS: Column[] = [
  { name: 'incidents', expr: '1' },
  { name: 'bwv_worn', expr: flag(`(i.equipment->'bodyWornVideo'->>'worn')::boolean`) },
  { name: 'bwv_activated', expr: flag(`(i.equipment->'bodyWornVideo'->>'activated')::boolean`) },
  { name: 'spit_guard', expr: flag(`(i.equipment->>'spitAndBiteGuardUsed')::boolean`) },
  { name: 'taser_drawn', expr: flag(`(i.equipment->'taser'->>'drawn')::boolean`) },
  { name: 'taser_discharged', expr: flag(`(i.equipment->'taser'->>'discharged')::boolean`) },
  ...['people', 'with_injury', 'without_injury', 'attended_hospital', 'hospitalised', 'days_lost', 'officer_victims', 'constable_victims'].map((name) => ({
    name,
    expr: `v.${name}`,
  })),
  { name: 'charged', expr: flag('j.charged_at is not null') },
  { name: 'resolved', expr: flag(`j.status in ('convicted', 'not_convicted')`) },
  { name: 'convicted', expr: flag(`j.status = 'convicted'`) },
  { name: 'out_of_court', expr: flag('j.out_of_court = 1') },
  ...['sentenced', 'custody', 'aggravation_recorded', 'aggravation_stated'].map((name) => ({ name, expr: `coalesce(s.${name}, 0)` })),
  ...OUT_OF_COURT_DISPOSALS.map((d) => ({ name: `ooc_${d}`, expr: flag(`d.disposal = ${lit(d)}`) })),
  ...['plans', 'first_steps', 'first_on_time', 'plans_complete', 'open_overdue'].map((name) => ({ name, expr: `coalesce(c.${name}, 0)` })),
  ...['trim_offered', 'trim_accepted', 'trim_completed'].map((name) => ({ name, expr: `coalesce(t.${name}, 0)` })),
  ...['notifications_due', 'notifications_on_time'].map((name) => ({ name, expr: `coalesce(n.${name}, 0)` })),
];

/** Where each breakdown's key comes from for one incident: an incident value, or a count over its active victims. */
const BREAKDOWN_SOURCE: Record<string, (key: string) => string> = {
  circumstances: (k) => flag(`i.circumstances = ${lit(k)}`),
  offence: (k) => `coalesce(cardinality(array_positions(i.offences, ${lit(k)})), 0)`,
  crewing: (k) => flag(`coalesce(i.deployment->>'crewing', 'not_recorded') = ${lit(k)}`),
  hourOfDay: (k) => flag(`k.hour = ${Number(k)}`),
  dayOfWeek: (k) => flag(`k.dow = ${Number(k)}`),
  victimRole: (k) => `v.role_${k}`,
  serviceBand: (k) => `v.band_${k}`,
  safetyTrainingInDate: (k) => `v.training_${k}`,
};

export interface BreakdownColumn extends Column {
  dimension: string;
  key: string;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const BREAKDOWN_COLUMNS: BreakdownColumn[] = Object.entries(BREAKDOWN_KEYS).flatMap(([dimension, keys]) =>
  keys.map((key) => ({ dimension, key, name: `b_${snake(dimension)}_${key}`, expr: BREAKDOWN_SOURCE[dimension]!(key) })),
);

/** Every additive column: stored per incident in stats_facts, summed per force and month in stats_monthly. */
export const ADDITIVE: Column[] = [...COUNT_COLUMNS, ...BREAKDOWN_COLUMNS];

/** The migration's tag (migrations/meta/_journal.json). */
export const ROLLUP_MIGRATION = '0017_stats_rollup';
/** The later migration that makes stats_apply PL/pgSQL (the same statement, its plan cached). */
export const APPLY_CACHED_MIGRATION = '0021_stats_apply_plan_cached';

/** Number of rows each force and month is spread over, so concurrent writers rarely wait on one row. */
export const SLOTS = 8;

const victimCounts = [
  `count(*)::int as people`,
  `count(*) filter (where injury <> 'none')::int as with_injury`,
  `count(*) filter (where injury = 'none')::int as without_injury`,
  `count(*) filter (where hospital_treatment <> 'none')::int as attended_hospital`,
  `count(*) filter (where hospital_treatment = 'admitted')::int as hospitalised`,
  `coalesce(sum(days_lost), 0)::int as days_lost`,
  `count(*) filter (where role in ('constable', 'sergeant', 'inspector_and_above'))::int as officer_victims`,
  `count(*) filter (where role = 'constable')::int as constable_victims`,
  ...BREAKDOWN_KEYS.victimRole!.map((k) => `count(*) filter (where role = ${lit(k)})::int as role_${k}`),
  ...BREAKDOWN_KEYS.serviceBand!.map((k) => `count(*) filter (where coalesce(service_band, 'not_recorded') = ${lit(k)})::int as band_${k}`),
  ...BREAKDOWN_KEYS.safetyTrainingInDate!.map(
    (k) => `count(*) filter (where coalesce(safety_training_in_date::text, 'not_recorded') = ${lit(k)})::int as training_${k}`,
  ),
  `coalesce(array_agg(distinct staff_number order by staff_number) filter (where staff_number is not null), '{}') as staff_numbers`,
];

/** s (sentenced defendants) and d (the out-of-court disposal) of one incident i with case j. */
const JUSTICE_LATERALS = `  left join lateral (
    select count(*)::int as sentenced, count(*) filter (where custody)::int as custody,
      count(*) filter (where recorded)::int as aggravation_recorded, count(*) filter (where stated)::int as aggravation_stated,
      array_agg(custody_months) filter (where custody) as custody_months
    from (
      select bool_or(e.data->>'sentence' = 'immediate_custody') as custody,
        max((e.data->>'custodyMonths')::int) filter (where e.data->>'sentence' = 'immediate_custody') as custody_months,
        bool_or(e.data->>'aggravationStated' = 'yes') as stated,
        bool_or(e.data->>'aggravationStated' in ('yes', 'no')) as recorded
      from justice_events e where e.incident_id = i.id and e.type = 'sentence' group by e.suspect_id
    ) defendant
  ) s on true
  left join lateral (
    select case
      when j.outcome_code in (2, 3) then 'caution'
      when j.outcome_code = 6 then 'penalty_notice_for_disorder'
      when j.outcome_code = 7 then 'cannabis_khat_warning'
      when j.outcome_code = 8 then 'community_resolution'
      when j.outcome_code = 22 then 'diversionary'
      else (select e.data->>'decision' from justice_events e
             where e.incident_id = i.id and e.type = 'charging_decision' and e.data->>'decision' in ('caution', 'community_resolution')
             order by e.occurred_at desc, e.id desc limit 1)
      end as disposal
    where j.out_of_court = 1
  ) d on true
`;

/** c (care plans), t (TRiM) and n (Victims' Code updates) of one incident i's active victims, as of `moment`. */
const CARE_LATERALS = `  left join lateral (
    select count(*)::int as plans, count(*) filter (where has_first)::int as first_steps,
      count(*) filter (where first_on_time)::int as first_on_time, count(*) filter (where pending = 0)::int as plans_complete,
      coalesce(sum(overdue), 0)::int as open_overdue, min(next_due) as next_due
    from (
      select bool_or(cs.position = 1) as has_first,
        bool_or(cs.position = 1 and cs.status = 'done' and cs.completed_at <= cs.due_at) as first_on_time,
        count(*) filter (where cs.status = 'pending') as pending,
        count(*) filter (where cs.status = 'pending' and cs.due_at < moment) as overdue,
        min(cs.due_at) filter (where cs.status = 'pending' and cs.due_at >= moment) as next_due
      from care_steps cs join victims vv on vv.id = cs.victim_id and vv.status = 'active'
      where cs.incident_id = i.id group by cs.victim_id
    ) plan
  ) c on true
  left join lateral (
    select count(*)::int as trim_offered, count(*) filter (where tr.consent = 'given')::int as trim_accepted,
      count(*) filter (where tr.status = 'closed')::int as trim_completed
    from trim_referrals tr join victims vv on vv.id = tr.victim_id and vv.status = 'active' where tr.incident_id = i.id
  ) t on true
  left join lateral (
    select count(*) filter (where vn.told_at is not null or vn.deadline_at < moment)::int as notifications_due,
      count(*) filter (where vn.told_at is not null and vn.told_at <= vn.deadline_at)::int as notifications_on_time,
      min(vn.deadline_at) filter (where vn.told_at is null and vn.deadline_at >= moment) as next_deadline
    from victim_notifications vn join victims vv on vv.id = vn.victim_id and vv.status = 'active' where vn.incident_id = i.id
  ) n on true
`;

/**
 * The facts of the given incidents as of `as_of` (rows for counted incidents only: not withdrawn). The laterals
 * follow the reference queries one for one: v (active victims), j (the case), s (sentenced defendants), d (the
 * out-of-court disposal), c (care plans), t (TRiM), n (Victims' Code updates); k (UK hour and ISO day of week).
 */
function factsSelect(): string {
  return `
  select i.id as incident_id, i.force_id, i.occurred_at,
    date_trunc('month', i.occurred_at at time zone 'Europe/London')::date as month,
    get_byte(uuid_send(i.id), 15) % ${SLOTS} as slot,
    moment as as_of,
    nullif(least(coalesce(c.next_due, 'infinity'), coalesce(n.next_deadline, 'infinity')), 'infinity') as changes_at,
    (extract(epoch from j.charged_at - i.occurred_at) / 86400)::double precision as days_to_charge,
    (extract(epoch from j.result_at - i.occurred_at) / 86400)::double precision as days_to_result,
    coalesce(s.custody_months, '{}') as custody_months,
    v.staff_numbers,
    ${ADDITIVE.map((c) => `${c.expr} as ${c.name}`).join(',\n    ')}
  from incidents i
  cross join lateral (select extract(hour from i.occurred_at at time zone 'Europe/London')::int as hour,
                             extract(isodow from i.occurred_at at time zone 'Europe/London')::int as dow) k
  cross join lateral (select ${victimCounts.join(',\n      ')}
      from victims where incident_id = i.id and status = 'active') v
  left join justice_cases j on j.incident_id = i.id
${JUSTICE_LATERALS}${CARE_LATERALS}  where i.id = any(ids) and i.status <> 'withdrawn'`;
}

const KEY_COLUMNS = `"incident_id" uuid PRIMARY KEY NOT NULL,
  "force_id" uuid NOT NULL,
  "occurred_at" timestamptz NOT NULL,
  "month" date NOT NULL,
  "slot" integer NOT NULL,
  "as_of" timestamptz NOT NULL,
  "changes_at" timestamptz,
  "days_to_charge" double precision,
  "days_to_result" double precision,
  "custody_months" integer[] NOT NULL,
  "staff_numbers" text[] NOT NULL`;

const sourceTables = ['victims', 'justice_cases', 'justice_events', 'care_steps', 'trim_referrals', 'victim_notifications'];

function triggersSql(): string[] {
  const out: string[] = [];
  for (const table of ['incidents', ...sourceTables]) {
    const fn = table === 'incidents' ? 'stats_mark_incidents' : 'stats_mark';
    for (const [event, ref] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const) {
      out.push(
        `CREATE TRIGGER stats_dirty_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${ref} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
      );
    }
  }
  return out;
}

const cols = (prefix = '') => ADDITIVE.map((c) => `${prefix}${c.name}`).join(', ');

/** The tables, their indexes and row-level security. */
function tablesSql(): string[] {
  const additive = ADDITIVE.map((c) => `"${c.name}" integer NOT NULL DEFAULT 0`).join(',\n  ');
  return [
    `-- GENERATED by src/modules/stats/rollup-sql.ts (npm run stats:migration): do not edit by hand.
-- The statistics rollup (issue #18, docs/statistics.md "How the figures are kept"): one row of facts per counted
-- incident (stats_facts) and their sums per force, UK month and slot (stats_monthly), kept exact by a queue with a
-- visible lag: statement triggers note each changed incident in stats_dirty, in the transaction that changes it, and
-- stats_drain (run every second by the service, and before each statistics read) applies the noted incidents, a batch
-- at a time, in transactions of its own. A reader is told how far the figures reach (min(marked_at)).
CREATE TABLE "stats_facts" (
  ${KEY_COLUMNS},
  ${additive}
);`,
    `CREATE TABLE "stats_monthly" (
  "force_id" uuid NOT NULL,
  "month" date NOT NULL,
  "slot" integer NOT NULL,
  ${additive},
  "version" bigint NOT NULL DEFAULT 1,
  PRIMARY KEY ("force_id", "month", "slot")
);`,
    `-- The queue: an incident changed since its facts were last applied, and when it was first noted. A writer that notes
-- an incident already queued takes the row's lock (a no-op update), so a drain never takes it while that writer's
-- change is uncommitted: it is applied by a later drain, which sees it.
CREATE TABLE "stats_dirty" ("incident_id" uuid PRIMARY KEY NOT NULL, "marked_at" timestamptz NOT NULL DEFAULT clock_timestamp());`,
    `-- The figures that are not sums (medians, repeat victims) of a period, kept with the fingerprint of the months they
-- were computed from (the sum and count of those stats_monthly rows' versions, which every change to an incident of
-- the month increments): a reader uses a row only while the fingerprint is unchanged, so it is never stale.
CREATE TABLE "stats_extras" (
  "scope" text NOT NULL,
  "starts_at" timestamptz NOT NULL,
  "ends_at" timestamptz NOT NULL,
  "figure" text NOT NULL,
  "fingerprint" text NOT NULL,
  "figures" jsonb NOT NULL,
  "computed_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("scope", "starts_at", "ends_at", "figure")
);`,
    `CREATE INDEX "stats_extras_computed_idx" ON "stats_extras" ("computed_at");`,
    `-- The facts function reads an incident's care steps and TRiM referrals by incident: without these, each write
-- would scan the whole table (seconds per incident at 1,000,000 incidents).
CREATE INDEX IF NOT EXISTS "care_steps_incident_idx" ON "care_steps" ("incident_id");`,
    `CREATE INDEX IF NOT EXISTS "trim_referrals_incident_idx" ON "trim_referrals" ("incident_id");`,
    `CREATE INDEX "stats_facts_occurred_idx" ON "stats_facts" ("occurred_at", "force_id");`,
    `CREATE INDEX "stats_facts_force_occurred_idx" ON "stats_facts" ("force_id", "occurred_at");`,
    `CREATE INDEX "stats_facts_charge_idx" ON "stats_facts" ("occurred_at") INCLUDE ("force_id", "days_to_charge") WHERE days_to_charge IS NOT NULL;`,
    `CREATE INDEX "stats_facts_result_idx" ON "stats_facts" ("occurred_at") INCLUDE ("force_id", "days_to_result") WHERE days_to_result IS NOT NULL;`,
    `CREATE INDEX "stats_facts_custody_idx" ON "stats_facts" ("occurred_at") INCLUDE ("force_id", "custody_months") WHERE custody_months <> '{}';`,
    `CREATE INDEX "stats_facts_staff_idx" ON "stats_facts" ("occurred_at") INCLUDE ("force_id", "staff_numbers") WHERE staff_numbers <> '{}';`,
    `CREATE INDEX "stats_facts_changes_idx" ON "stats_facts" ("changes_at") WHERE changes_at IS NOT NULL;`,
    `CREATE INDEX "stats_facts_as_of_idx" ON "stats_facts" ("as_of");`,
    `ALTER TABLE "stats_facts" ENABLE ROW LEVEL SECURITY;`,
    `CREATE POLICY force_isolation ON "stats_facts" USING (app_sees_force(force_id)) WITH CHECK (app_sees_force(force_id));`,
    `ALTER TABLE "stats_monthly" ENABLE ROW LEVEL SECURITY;`,
    `CREATE POLICY force_isolation ON "stats_monthly" USING (app_sees_force(force_id)) WITH CHECK (app_sees_force(force_id));`,
    `ALTER TABLE "stats_extras" ENABLE ROW LEVEL SECURITY;`,
    `CREATE POLICY force_isolation ON "stats_extras" USING (current_setting('app.force_id', true) IN ('*', scope)) WITH CHECK (current_setting('app.force_id', true) IN ('*', scope));`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON "stats_facts", "stats_monthly", "stats_dirty", "stats_extras" TO oar_app;`,
  ];
}

/**
 * stats_apply's one statement: replaces the facts of the given incidents (ids) and moves their sums; the monthly
 * rows are locked in (force, month, slot) order, so two transactions never wait on each other in a circle.
 */
const applyStatement = () => `  WITH old AS (SELECT * FROM stats_facts WHERE incident_id = any(ids) FOR UPDATE),
  fresh AS (SELECT * FROM stats_incident_facts(ids, clock_timestamp())),
  gone AS (DELETE FROM stats_facts f WHERE f.incident_id = any(ids) AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.incident_id = f.incident_id)),
  put AS (
    INSERT INTO stats_facts SELECT * FROM fresh
    ON CONFLICT (incident_id) DO UPDATE SET (force_id, occurred_at, month, slot, as_of, changes_at, days_to_charge, days_to_result,
      custody_months, staff_numbers, ${cols()}) = (excluded.force_id, excluded.occurred_at, excluded.month, excluded.slot,
      excluded.as_of, excluded.changes_at, excluded.days_to_charge, excluded.days_to_result, excluded.custody_months,
      excluded.staff_numbers, ${cols('excluded.')})
  ),
  delta AS (
    SELECT force_id, month, slot, ${ADDITIVE.map((c) => `sum(${c.name})::int AS ${c.name}`).join(', ')}
    FROM (SELECT force_id, month, slot, ${cols()} FROM fresh
          UNION ALL SELECT force_id, month, slot, ${ADDITIVE.map((c) => `-${c.name}`).join(', ')} FROM old) d
    GROUP BY force_id, month, slot
  )
  INSERT INTO stats_monthly (force_id, month, slot, ${cols()})
  SELECT * FROM delta ORDER BY force_id, month, slot
  ON CONFLICT (force_id, month, slot) DO UPDATE SET ${ADDITIVE.map((c) => `${c.name} = stats_monthly.${c.name} + excluded.${c.name}`).join(', ')},
    version = stats_monthly.version + 1`;

/** The facts function and the one that applies them. */
function functionsSql(): string[] {
  return [
    `-- The facts of the given incidents as of a moment (the same definitions as src/modules/stats/queries.ts).
CREATE FUNCTION stats_incident_facts(ids uuid[], moment timestamptz) RETURNS SETOF stats_facts
  LANGUAGE sql STABLE AS $$${factsSelect()}
$$;`,
    `-- Replaces the facts of the given incidents and moves their sums, in one statement: the monthly rows are locked in
-- (force, month, slot) order, so two transactions never wait on each other in a circle.
CREATE FUNCTION stats_apply(ids uuid[]) RETURNS void LANGUAGE sql AS $$
${applyStatement()}
$$;`,
  ];
}

/** A statement trigger's function noting each changed row's incident (its `column` in the transition table) in the queue. */
const markFunction = (name: string, column: string) => `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty (incident_id) SELECT DISTINCT ${column} FROM changed ORDER BY 1
  ON CONFLICT (incident_id) DO UPDATE SET marked_at = stats_dirty.marked_at;
  RETURN NULL;
END
$$;`;

/** The whole migration: tables, indexes, row-level security, the facts function, the apply function and the triggers. */
export function rollupMigrationSql(): string {
  const statements = [
    ...tablesSql(),
    ...functionsSql(),
    `-- Applies up to n queued incidents, in incident order (the lock order of stats_apply), skipping those a writer or
-- another drain holds; the queue rows are taken in one statement and applied in the next, whose snapshot sees every
-- change committed before them. Returns how many it applied.
CREATE FUNCTION stats_drain(n integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  WITH taken AS (
    DELETE FROM stats_dirty WHERE incident_id IN (SELECT incident_id FROM stats_dirty ORDER BY incident_id LIMIT n FOR UPDATE SKIP LOCKED)
    RETURNING incident_id
  ) SELECT array_agg(incident_id ORDER BY incident_id) INTO ids FROM taken;
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM stats_apply(ids);
  RETURN cardinality(ids);
END
$$;`,
    markFunction('stats_mark', 'incident_id'),
    markFunction('stats_mark_incidents', 'id'),
    ...triggersSql(),
    `-- Existing data: every incident's facts, as of now (npm run stats:rebuild does the same on demand).
SELECT stats_apply(array(SELECT id FROM incidents));`,
  ];
  return statements.join('\n--> statement-breakpoint\n') + '\n';
}

/**
 * Migration 0021: stats_apply in PL/pgSQL, its statement unchanged. A SQL function's statement is planned on every
 * call; PL/pgSQL keeps the plan for the session. The worker drains the queue every 100 ms in small batches, where
 * planning this statement (some 300 columns) was about half of each drain.
 */
export function applyCachedMigrationSql(): string {
  return `-- GENERATED by src/modules/stats/rollup-sql.ts (npm run stats:migration): do not edit by hand.
-- stats_apply in PL/pgSQL instead of SQL: the same statement, but its plan is kept for the session (a SQL function's
-- statement is planned on every call). The service's worker drains the statistics' queue every 100 ms in small
-- batches; at 1,000,000 incidents a drain of 25 incidents took 12 ms, 7 ms with the plan kept (issue #18: the
-- rollup's cost to each write).
CREATE OR REPLACE FUNCTION stats_apply(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
${applyStatement()};
END
$$;
`;
}

/** Every migration this module generates, as [tag, text]: written by npm run stats:migration, checked by its test. */
export const generatedMigrations = (): (readonly [string, string])[] => [
  [ROLLUP_MIGRATION, rollupMigrationSql()],
  [APPLY_CACHED_MIGRATION, applyCachedMigrationSql()],
];
