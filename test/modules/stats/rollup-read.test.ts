// The summary answers from the rollup (stats_monthly for whole months, stats_facts for the days at the edges), and
// stored facts whose time-bound figures went stale are corrected at read and brought forward by the sweep's refresh.
// The property test (rollup-property.test.ts) proves the rollup equal to the reference; this file proves the routes
// read it.
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/db/client.ts';
import { computeRaw } from '../../../src/modules/stats/queries.ts';
import { compactMonthly, computeRollup, drainRollup, pendingSince, pruneExtras, refreshStaleFacts, sweepStats } from '../../../src/modules/stats/rollup.ts';
import { FORCE_A } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { loadStatsDataset } from '../../fixtures/stats-dataset.ts';
import { differences, series, summary } from './support.ts';

const h = await buildTestApp(t);
await loadStatsDataset(h);
const analyst = await h.key(['analyst'], null, 'national analyst');
const db = h.database.db;
const YEAR = { forceId: FORCE_A, from: '2026-01-01', to: '2026-12-31' };

t.test('whole months come from stats_monthly, the edge days from stats_facts', async (t) => {
  const before = await summary(h, analyst, YEAR);
  const [row] = await queryRows<{ month: string; slot: number }>(
    db,
    sql`select month::text, slot from stats_monthly where force_id = ${FORCE_A} and month between '2026-01-01' and '2026-12-01' and incidents > 0 order by month limit 1`,
  );
  t.ok(row, 'force A has a month row in 2026');
  const { month, slot } = row!;
  const m = Number(month.slice(5, 7));
  const SERIES = { ...YEAR, metric: 'incidents', interval: 'month' };
  const inMonth = (await series(h, analyst, SERIES)).total[m - 1]!.value as number;
  const FROM_2ND = { forceId: FORCE_A, from: `${month.slice(0, 8)}02`, to: '2026-12-31' };
  const from2nd = (await summary(h, analyst, FROM_2ND)).total.counts.incidents;
  // A marker no real data makes: 1,000 more incidents in that month's row, its version moved as every change moves it
  // (the kept sums of the periods over that month are dropped). Read back, it proves the source.
  const mark = (n: number) =>
    db.execute(
      sql`update stats_monthly set incidents = incidents + ${n}, version = version + 1 where force_id = ${FORCE_A} and month = ${month}::date and slot = ${slot}`,
    );
  await mark(1000);
  t.equal(
    (await summary(h, analyst, YEAR)).total.counts.incidents,
    (before.total.counts.incidents as number) + 1000,
    'the year: whole months, read from stats_monthly',
  );
  t.equal((await series(h, analyst, SERIES)).total[m - 1]!.value, inMonth + 1000, "the series' month reads it too");
  t.equal((await summary(h, analyst, FROM_2ND)).total.counts.incidents, from2nd, 'a period starting on the 2nd reads that month from the facts');
  await mark(-1000);
  t.same(await summary(h, analyst, YEAR), before, 'restored');
});

t.test('stale time-bound facts: exact at read, and brought forward by refreshStaleFacts', async (t) => {
  const before = await summary(h, analyst, YEAR);
  const [victim] = await queryRows<{ incident_id: string; month: string; slot: number }>(
    db,
    sql`select incident_id, month::text, slot from stats_facts where force_id = ${FORCE_A} and occurred_at >= '2026-02-01' order by incident_id limit 1`,
  );
  t.ok(victim, 'an incident of force A after January');
  // As if its facts were computed long ago with 7 overdue steps that have since changed: the facts and the month
  // row agree, its version moved (as the trigger leaves them), but the facts are due for a change (changes_at passed).
  await db.execute(sql`update stats_facts set open_overdue = open_overdue + 7, changes_at = '2000-01-01' where incident_id = ${victim!.incident_id}`);
  await db.execute(
    sql`update stats_monthly set open_overdue = open_overdue + 7, version = version + 1 where force_id = ${FORCE_A} and month = ${victim!.month}::date and slot = ${victim!.slot}`,
  );
  t.same(await summary(h, analyst, YEAR), before, 'read exact while stale: the stale incident recomputed on the fly');
  const refreshed = await refreshStaleFacts(db, new Date());
  t.ok(refreshed >= 1, `refreshed ${refreshed} incident(s)`);
  const [after] = await queryRows<{ changes_at: string | null }>(db, sql`select changes_at::text from stats_facts where incident_id = ${victim!.incident_id}`);
  t.not(after!.changes_at, '2000-01-01 00:00:00+00', 'its next change is recomputed');
  const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stats_facts where changes_at < now()`);
  t.equal(left!.n, 0, 'nothing stale left');
  t.same(await summary(h, analyst, YEAR), before, 'the same figures after the refresh');
  const [sums] = await queryRows<{ overdue: number; facts: number }>(
    db,
    sql`select (select coalesce(sum(open_overdue), 0)::int from stats_monthly where force_id = ${FORCE_A}) as overdue,
               (select coalesce(sum(open_overdue), 0)::int from stats_facts where force_id = ${FORCE_A}) as facts`,
  );
  t.equal(sums!.overdue, sums!.facts, 'the month rows add up to the facts again (the 7 taken back out)');
});

t.test('stored medians: reused while their months are unchanged, recomputed after a change, and kept per force', async (t) => {
  await db.execute(sql`delete from stats_extras`);
  const first = await summary(h, analyst, { from: '2026-01-01', to: '2026-12-31' });
  const stored = await queryRows<{ scope: string; figure: string }>(db, sql`select scope, figure from stats_extras order by figure`);
  t.same(
    stored.map((r) => `${r.scope} ${r.figure}`),
    ['* custody', '* days_to_charge', '* days_to_result', '* repeat', '* sums'],
    'a national summary of whole months stores its four figures and its sums under the national scope',
  );
  // A stored figure is used as it stands while the fingerprint matches: a planted value shows it is read back...
  await db.execute(sql`update stats_extras set figures = jsonb_set(figures, '{total}', '999') where scope = '*' and figure = 'days_to_charge'`);
  t.equal((await summary(h, analyst, { from: '2026-01-01', to: '2026-12-31' })).total.justice.medianDaysToCharge, 999, 'read back from stats_extras');
  // ...and dropped once any month it rests on changes (here: a version bump, as any change to an incident makes).
  await db.execute(sql`update stats_monthly set version = version + 1 where month = (select min(month) from stats_monthly where month >= '2026-01-01')`);
  t.same(await summary(h, analyst, { from: '2026-01-01', to: '2026-12-31' }), first, 'recomputed: the same figures as before the plant');
  // Row-level security: a force's scope sees its own stored figures only.
  const seen = await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'oar_app', true), set_config('app.force_id', ${FORCE_A}, true)`);
    return queryRows<{ scope: string }>(tx, sql`select scope from stats_extras`);
  });
  t.same(seen, [], "force A's scope sees none of the national figures");
});

/**
 * Moves the clock past the moment the stored facts were computed (their as_of: the database's real time, after the
 * dataset's clock), with every time-bound fact brought forward: no incident needs recomputing at that clock, as in a
 * running service. The clock goes back when the test ends.
 */
async function clockAfterFacts(t: { teardown(fn: () => void): void; equal(a: unknown, b: unknown, msg: string): void }) {
  const was = h.clock.now();
  t.teardown(() => h.clock.set(was));
  const at = new Date(Date.now() + 60_000);
  await refreshStaleFacts(db, at);
  h.clock.set(at);
  const [stale] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from stats_facts where changes_at < ${at.toISOString()}::timestamptz or as_of > ${at.toISOString()}::timestamptz`,
  );
  t.equal(stale!.n, 0, 'no incident to recompute at the clock');
}

t.test('kept sums: read back while their months are unchanged, for whole months only, never with an incident to recompute', async (t) => {
  await clockAfterFacts(t);
  await db.execute(sql`delete from stats_extras`);
  const first = await summary(h, analyst, YEAR);
  const kept = () => queryRows<{ scope: string; starts_at: string }>(db, sql`select scope, starts_at::text from stats_extras where figure = 'sums'`);
  t.same(
    (await kept()).map((r) => r.scope),
    [FORCE_A],
    "one force's year stores its sums under the force's scope",
  );
  // Planted: 5,000 more incidents in the kept sums of force A (the first of ALL_COLUMNS is incidents).
  const plant = sql`update stats_extras set figures = jsonb_set(figures, ${`{${FORCE_A},0}`}::text[], to_jsonb((figures #>> ${`{${FORCE_A},0}`}::text[])::int + 5000)) where figure = 'sums'`;
  await db.execute(plant);
  t.equal(
    (await summary(h, analyst, YEAR)).total.counts.incidents,
    (first.total.counts.incidents as number) + 5000,
    'read back from stats_extras: the force and its total',
  );
  // A change to any month of the year (a version bump, as every change to an incident makes) drops them.
  await db.execute(
    sql`update stats_monthly set version = version + 1 where force_id = ${FORCE_A} and month = (select max(month) from stats_monthly where force_id = ${FORCE_A} and month <= '2026-12-01')`,
  );
  t.same(await summary(h, analyst, YEAR), first, 'recomputed after the change: the same figures as before the plant');
  // An incident whose stored time-bound facts went stale (7 overdue steps too many in its facts and its month row, as
  // the trigger leaves them, the month's version moved): the kept sums carry the 7, the correction at `now` takes them
  // back out, first as the sums are kept again and then as they are read back.
  const [one] = await queryRows<{ incident_id: string; month: string; slot: number }>(
    db,
    sql`select incident_id, month::text, slot from stats_facts where force_id = ${FORCE_A} and occurred_at >= '2026-01-01' and occurred_at < '2027-01-01' order by incident_id limit 1`,
  );
  await db.execute(sql`update stats_facts set open_overdue = open_overdue + 7, changes_at = '2000-01-01' where incident_id = ${one!.incident_id}`);
  await db.execute(
    sql`update stats_monthly set open_overdue = open_overdue + 7, version = version + 1 where force_id = ${FORCE_A} and month = ${one!.month}::date and slot = ${one!.slot}`,
  );
  t.same(await summary(h, analyst, YEAR), first, 'an incident to recompute: exact as the sums are kept again');
  t.same(await summary(h, analyst, YEAR), first, 'and as they are read back, corrected');
  await db.execute(plant);
  const planted = await summary(h, analyst, YEAR);
  t.equal(planted.total.counts.incidents, (first.total.counts.incidents as number) + 5000, 'read back (the plant shows) while an incident is to recompute');
  t.same(planted.total.care, first.total.care, 'with its overdue steps corrected at now');
  await refreshStaleFacts(db, h.clock.now());
  t.same(await summary(h, analyst, YEAR), first, 'brought forward by the sweep (its month moved): exact, summed again');
  // A period with edge days (from the 2nd of a month) keeps no sums: any from/to would otherwise be stored.
  await db.execute(sql`delete from stats_extras`);
  await summary(h, analyst, { forceId: FORCE_A, from: '2026-01-02', to: '2026-12-31' });
  t.same(await kept(), [], 'no sums kept for a period that is not whole months');
});

t.test('pruneExtras deletes kept figures computed before the moment given, and only those', async (t) => {
  await clockAfterFacts(t);
  await db.execute(sql`delete from stats_extras`);
  await summary(h, analyst, YEAR);
  const count = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stats_extras`))[0]!.n;
  const stored = await count();
  t.ok(stored >= 5, `${stored} figures kept`);
  t.equal(await pruneExtras(db, new Date(Date.now() - 86_400_000)), 0, 'none computed more than a day ago');
  await db.execute(sql`update stats_extras set computed_at = now() - interval '2 days' where figure = 'sums'`);
  t.equal(await pruneExtras(db, new Date(Date.now() - 86_400_000)), 1, 'the sums computed two days ago deleted');
  t.equal(await count(), stored - 1, 'the others kept');
  t.same(await summary(h, analyst, YEAR), await summary(h, analyst, YEAR), 'and the figures are computed again when asked for');
});

t.test('settled months folded into one row per force: the same figures, and exact again after a later write', async (t) => {
  const period = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z'), lastDay: '2026-12-31', forceId: null, now: new Date() };
  const before = await summary(h, analyst, { from: '2026-01-01', to: '2026-12-31' });
  const spread = async () =>
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stats_monthly where slot <> 0 and month < '2027-01-01'`))[0]!.n;
  const versions = async () =>
    (await queryRows<{ v: string }>(db, sql`select coalesce(sum(version), 0)::text as v from stats_monthly where month < '2027-01-01'`))[0]!.v;
  t.ok((await spread()) > 0, 'the fixture has slot rows besides slot 0');
  const vBefore = BigInt(await versions());
  const removed = await compactMonthly(db, '2027-01-01');
  t.ok(removed > 0, `${removed} slot row(s) folded`);
  t.equal(await spread(), 0, 'one row per force and month before 2027');
  t.ok(BigInt(await versions()) > vBefore, 'the version sum grew, so no stored median outlives the fold');
  t.same(await summary(h, analyst, { from: '2026-01-01', to: '2026-12-31' }), before, 'the same answer from the folded rows');
  t.same(differences(await computeRaw(db, period), await computeRollup(db, period)), [], 'equal to the reference computation');
  // A write to a folded month starts a slot row again; the sums stay exact.
  const [incident] = await queryRows<{ id: string; circumstances: string }>(
    db,
    // one whose facts live in a slot other than 0 (the slot comes from the id), so the write starts a slot row
    sql`select i.id, i.circumstances from incidents i join stats_facts f on f.incident_id = i.id
         where f.slot <> 0 and i.occurred_at >= '2026-02-01' and i.occurred_at < '2026-12-01' order by i.id limit 1`,
  );
  const other = incident!.circumstances === 'arrest' ? 'public_order' : 'arrest';
  await db.execute(sql`update incidents set circumstances = ${other} where id = ${incident!.id}`);
  t.equal(await drainRollup(db), 1, 'the write queued its incident, and a drain applied it');
  t.same(differences(await computeRaw(db, period), await computeRollup(db, period)), [], 'still equal after a write to a folded month');
  const started = await spread();
  t.ok(started >= 1, 'the write started a slot row again');
  t.equal(await compactMonthly(db, '2027-01-01'), started, 'folding again takes exactly the rows the write started');
  t.same(differences(await computeRaw(db, period), await computeRollup(db, period)), [], 'and equal after folding them');
  await db.execute(sql`update incidents set circumstances = ${incident!.circumstances} where id = ${incident!.id}`);
  await drainRollup(db);
});

t.test('the queue: a change counts from the next drain, an answer says when it lags, a read drains first', async (t) => {
  const period = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z'), lastDay: '2026-12-31', forceId: null, now: new Date() };
  const [incident] = await queryRows<{ id: string; circumstances: string }>(
    db,
    sql`select id, circumstances from incidents where occurred_at >= '2026-02-01' and occurred_at < '2026-12-01' and status <> 'withdrawn' order by id limit 1`,
  );
  const other = incident!.circumstances === 'arrest' ? 'public_order' : 'arrest';
  const before = await computeRollup(db, period);
  t.equal(await pendingSince(db), null, 'nothing queued: the figures count every committed change');
  await db.execute(sql`update incidents set circumstances = ${other} where id = ${incident!.id}`);
  t.ok(await pendingSince(db), 'a committed change not yet applied: its time is given');
  t.same(differences(before, await computeRollup(db, period)), [], 'the rollup has not moved: the write paid only for its note in the queue');
  t.not(differences(await computeRaw(db, period), before).length, 0, 'while the recorded data has');
  const answer = await summary(h, analyst, { from: '2026-01-01', to: '2026-12-31' });
  t.equal(answer.pendingSince, null, 'a statistics read drains the queue first and says so');
  t.same(differences(await computeRaw(db, period), await computeRollup(db, period)), [], 'and the rollup is exact again');
  await db.execute(sql`update incidents set circumstances = ${incident!.circumstances} where id = ${incident!.id}`);
  await drainRollup(db);
});

t.test(
  'a writer holding a queued incident: the drain leaves it, and applies it once the writer commits',
  { skip: process.env.TEST_DATABASE_URL ? false : 'needs PostgreSQL (two connections at once; PGlite has one)' },
  async (t) => {
    const period = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z'), lastDay: '2026-12-31', forceId: null, now: new Date() };
    const [incident] = await queryRows<{ id: string; circumstances: string }>(
      db,
      sql`select id, circumstances from incidents where occurred_at >= '2026-02-01' and occurred_at < '2026-12-01' and status <> 'withdrawn' order by id desc limit 1`,
    );
    const other = incident!.circumstances === 'arrest' ? 'public_order' : 'arrest';
    // A first change, committed and queued; then a second writer changes the same incident and holds its transaction open.
    await db.execute(sql`update incidents set circumstances = ${other} where id = ${incident!.id}`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let noted!: () => void;
    const marked = new Promise<void>((resolve) => (noted = resolve));
    const writer = db.transaction(async (tx) => {
      await tx.execute(sql`update incidents set circumstances = ${incident!.circumstances} where id = ${incident!.id}`);
      noted();
      await held;
    });
    await marked;
    t.equal(await drainRollup(db), 0, 'the queued incident is held by the writer: the drain takes nothing');
    t.ok(await pendingSince(db), 'and the lag shows');
    release();
    await writer;
    t.equal(await drainRollup(db), 1, 'once the writer committed, the next drain applies it');
    t.same(differences(await computeRaw(db, period), await computeRollup(db, period)), [], 'with both changes counted');
  },
);

// Last: the sweep folds the fixture's settled months, which the tests above need spread over slots.
t.test('the every-minute sweep: stale facts brought forward, old kept figures deleted, stats_monthly and the queue vacuumed', async (t) => {
  await clockAfterFacts(t);
  const vacuums = async () => {
    await db.execute(sql`select pg_stat_clear_snapshot()`);
    const rows = await queryRows<{ relname: string; n: number }>(
      db,
      sql`select relname, vacuum_count::int as n from pg_stat_user_tables where relname in ('stats_monthly', 'stats_dirty')`,
    );
    return Object.fromEntries(rows.map((r) => [r.relname, r.n])) as Record<'stats_monthly' | 'stats_dirty', number>;
  };
  // A backend reports its statistics at most once a second: wait (up to 5 s) for the counts to move.
  const vacuumsAfter = async (before: Awaited<ReturnType<typeof vacuums>>) => {
    for (let i = 0; i < 50 && isDeepStrictEqual(await vacuums(), before); i++) await new Promise((r) => setTimeout(r, 100));
    return vacuums();
  };
  await summary(h, analyst, YEAR);
  await db.execute(sql`update stats_extras set computed_at = now() - interval '2 days'`);
  const [one] = await queryRows<{ incident_id: string }>(db, sql`select incident_id from stats_facts where force_id = ${FORCE_A} limit 1`);
  await db.execute(sql`update stats_facts set changes_at = '2000-01-01' where incident_id = ${one!.incident_id}`);
  const before = await vacuums();
  await sweepStats(db, h.clock.now());
  const after = await vacuumsAfter(before);
  t.equal(after.stats_monthly, before.stats_monthly + 1, 'stats_monthly vacuumed once');
  t.equal(after.stats_dirty, before.stats_dirty + 1, 'the queue vacuumed once');
  const [left] = await queryRows<{ stale: number; kept: number }>(
    db,
    sql`select (select count(*)::int from stats_facts where changes_at < ${h.clock.now().toISOString()}::timestamptz) as stale,
               (select count(*)::int from stats_extras) as kept`,
  );
  t.same(left, { stale: 0, kept: 0 }, 'the stale incident brought forward, the two-day-old figures deleted');
});
