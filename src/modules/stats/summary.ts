// Turns raw SQL figures into Summary views: rates with their denominators, the headcount used, and, for the audiences
// that see protected figures (STATS_VIEWS in src/policy.ts), disclosure control (disclosure.ts). Also the series,
// built from the same summaries.
import type { Scope } from '../../db/scope.ts';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { queryRowsNamed } from '../../db/prepared.ts';
import { Errors } from '../../errors.ts';
import { shiftDay, startOfUkDay } from '../../shared/calendar.ts';
import type { Actor } from '../../shared/principal.ts';
import { statsViewOf } from '../../policy.ts';
import { checkGridPeriod, checkGridSeries, MIN_BASE, monthsOf, publishedCounts, roundMonth } from './disclosure.ts';
import { ALL_FIGURES, computeEmpty, computeRollupMany, lookQuery, PENDING_SQL, pendingOf, type Look, type LookQuery, type RollupNeeds } from './rollup.ts';

export { computeEmpty };
import { TOTAL, type HeadcountRow, type Period, type RawStats } from './queries.ts';
import { OUT_OF_COURT_DISPOSALS, SUPPRESSED, type Metric, type Share, type StatsQuery, type Summary } from './schemas.ts';

export const NOTICE = 'Recorded assaults only: assaults that are not reported are not counted. Definitions: docs/statistics.md.';
/** The notice of an answer with disclosure control. */
export const PROTECTED_NOTICE = `${NOTICE} Disclosure control: counts are rounded to a multiple of 5 (so they may not add up exactly to the true figures); ${SUPPRESSED} marks a figure withheld because its base is under ${MIN_BASE}.`;
const DAY_MS = 86_400_000;
const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

const share = (numerator: number, denominator: number): Share => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : round(numerator / denominator, 4),
});

/** Per 1,000 per year: count / headcount x 1000 x 365 / days in the period. */
const rate = (count: number, headcount: number | null, days: number): Share => ({
  numerator: count,
  denominator: headcount ?? 0,
  value: headcount ? round(((count / headcount) * 1000 * 365) / days, 2) : null,
});

/** A summary's figures without its force and headcount: what metricValue reads. */
type Sections = Omit<Summary, 'forceId' | 'forceName' | 'headcount' | 'breakdowns'>;

const countsOf = (raw: RawStats): Summary['counts'] => ({
  incidents: raw.incidents,
  assaultedPeople: raw.people,
  withInjury: raw.withInjury,
  withoutInjury: raw.withoutInjury,
  attendedHospital: raw.attendedHospital,
  hospitalised: raw.hospitalised,
  daysLost: raw.daysLost,
  repeatVictims: raw.repeatVictims,
});

const ratesOf = (raw: RawStats, head: Summary['headcount'], days: number): Summary['rates'] => ({
  perThousandOfficers: rate(raw.officerVictims, head?.officers ?? null, days),
  perThousandConstables: rate(raw.constableVictims, head?.constables ?? null, days),
});

const equipmentOf = (raw: RawStats): Summary['equipment'] => ({
  bodyWornVideoWorn: share(raw.bwvWorn, raw.incidents),
  bodyWornVideoActivated: share(raw.bwvActivated, raw.incidents),
  spitAndBiteGuardUsed: share(raw.spitGuard, raw.incidents),
  taserDrawn: share(raw.taserDrawn, raw.incidents),
  taserDischarged: share(raw.taserDischarged, raw.incidents),
});

const justiceOf = (raw: RawStats): Summary['justice'] => ({
  chargeRate: share(raw.charged, raw.incidents),
  convictionRate: share(raw.convicted, raw.resolved),
  outOfCourtRate: share(raw.outOfCourt, raw.incidents),
  medianDaysToCharge: raw.medianDaysToCharge === null ? null : round(raw.medianDaysToCharge, 1),
  medianDaysToCourtResult: raw.medianDaysToResult === null ? null : round(raw.medianDaysToResult, 1),
});

const careOf = (raw: RawStats): Summary['care'] => ({
  firstStepOnTime: share(raw.firstOnTime, raw.firstSteps),
  plansComplete: share(raw.plansComplete, raw.plans),
  openOverdueSteps: raw.openOverdue,
});

const trimOf = (raw: RawStats): Summary['trim'] => ({ offered: raw.trimOffered, accepted: raw.trimAccepted, completed: raw.trimCompleted });
const victimsCodeOf = (raw: RawStats): Summary['victimsCode'] => ({ updatesOnTime: share(raw.notificationsOnTime, raw.notificationsDue) });

/**
 * A summary's sections, each built only when read: a series reads one figure of every force and period (44 forces
 * by 120 months), so building whole summaries there was most of its time. The getters live on the prototype: an
 * object literal with getters made eight closures per force and period, a third of a ten-year series' allocations.
 * The force's headcount is turned into a summary's only if a rate is read. Exact figures only (no withholding).
 */
class LazySections implements Sections {
  constructor(
    private readonly raw: RawStats,
    private readonly headRow: HeadcountRow | undefined,
    private readonly days: number,
  ) {}
  get counts() {
    return countsOf(this.raw);
  }
  get rates() {
    return ratesOf(this.raw, this.headRow ? headOf([this.headRow]) : null, this.days);
  }
  get equipment() {
    return equipmentOf(this.raw);
  }
  get justice() {
    return justiceOf(this.raw);
  }
  get care() {
    return careOf(this.raw);
  }
  get trim() {
    return trimOf(this.raw);
  }
  get victimsCode() {
    return victimsCodeOf(this.raw);
  }
  get deterrent() {
    return deterrentOf(this.raw);
  }
}

export function summaryOf(raw: RawStats, forceId: string | null, forceName: string, head: Summary['headcount'], days: number): Summary {
  return {
    forceId,
    forceName,
    headcount: head,
    counts: countsOf(raw),
    rates: ratesOf(raw, head, days),
    breakdowns: raw.breakdowns as Summary['breakdowns'],
    equipment: equipmentOf(raw),
    justice: justiceOf(raw),
    care: careOf(raw),
    trim: trimOf(raw),
    victimsCode: victimsCodeOf(raw),
    deterrent: deterrentOf(raw),
  };
}

/** The deterrent figures (docs/statistics.md, The deterrent). */
function deterrentOf(raw: RawStats): Summary['deterrent'] {
  return {
    custodyRate: share(raw.custody, raw.sentenced),
    medianCustodyMonths: raw.medianCustodyMonths === null ? null : round(raw.medianCustodyMonths, 1),
    aggravationStated: share(raw.aggravationStated, raw.aggravationRecorded),
    outOfCourtDisposals: OUT_OF_COURT_DISPOSALS.map((key, i) => ({ key, count: raw.outOfCourtByType[i] ?? 0 })),
  };
}

const under = (v: number | typeof SUPPRESSED) => typeof v !== 'number' || v < MIN_BASE;
const hidden = (x: Share): Share => ({ numerator: SUPPRESSED, denominator: x.denominator, value: SUPPRESSED });

/**
 * Derived figures withheld on a small base (docs/statistics.md, Disclosure control), over counts already rounded: a
 * share's numerator and value when its denominator (as published) is under MIN_BASE, a rate's when its numerator is;
 * days lost, repeat victims and TRiM counts when the assaulted people are; overdue care steps when the care plans
 * are; a median when the cases it is over are (the median custodial length: the defendants in immediate custody); the
 * out-of-court disposals with the out-of-court rate. Zero bases included: "none" is withheld as "few" is.
 */
export function withhold(s: Summary): Summary {
  const sh = (x: Share) => (under(x.denominator) ? hidden(x) : x);
  const rt = (x: Share) => (under(x.numerator) ? hidden(x) : x);
  const people = under(s.counts.assaultedPeople);
  const mapShares = <T extends Record<string, Share>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, sh(v)])) as T;
  return {
    ...s,
    counts: { ...s.counts, daysLost: people ? SUPPRESSED : s.counts.daysLost, repeatVictims: people ? SUPPRESSED : s.counts.repeatVictims },
    rates: { perThousandOfficers: rt(s.rates.perThousandOfficers), perThousandConstables: rt(s.rates.perThousandConstables) },
    equipment: mapShares(s.equipment),
    justice: {
      chargeRate: sh(s.justice.chargeRate),
      convictionRate: sh(s.justice.convictionRate),
      outOfCourtRate: sh(s.justice.outOfCourtRate),
      medianDaysToCharge: under(s.justice.chargeRate.numerator) ? SUPPRESSED : s.justice.medianDaysToCharge,
      medianDaysToCourtResult: under(s.justice.convictionRate.denominator) ? SUPPRESSED : s.justice.medianDaysToCourtResult,
    },
    care: {
      firstStepOnTime: sh(s.care.firstStepOnTime),
      plansComplete: sh(s.care.plansComplete),
      openOverdueSteps: under(s.care.plansComplete.denominator) ? SUPPRESSED : s.care.openOverdueSteps,
    },
    trim: people ? { offered: SUPPRESSED, accepted: SUPPRESSED, completed: SUPPRESSED } : s.trim,
    victimsCode: { updatesOnTime: sh(s.victimsCode.updatesOnTime) },
    deterrent: {
      custodyRate: sh(s.deterrent.custodyRate),
      medianCustodyMonths: under(s.deterrent.custodyRate.numerator) ? SUPPRESSED : s.deterrent.medianCustodyMonths,
      aggravationStated: sh(s.deterrent.aggravationStated),
      // Counts rounded like every other, but parts of the out-of-court incidents: withheld with the out-of-court rate, or
      // their sum would publish its withheld numerator.
      outOfCourtDisposals: under(s.justice.outOfCourtRate.denominator)
        ? s.deterrent.outOfCourtDisposals.map((d) => ({ key: d.key, count: SUPPRESSED }))
        : s.deterrent.outOfCourtDisposals,
    },
  };
}

/** Which force(s) an answer covers, and whether it gets disclosure control (the protected view of STATS_VIEWS). */
export interface Audience {
  forceId: string | null;
  suppressed: boolean;
}

/**
 * Which force(s) the caller may see, and whether small numbers are suppressed. That the force asked for exists is
 * checked where the figures are read (loadMany reads every force in the same statement as the rest).
 */
export function audienceOf(actor: Actor, requested: string | undefined): Audience {
  const own = actor.principal.forceId;
  if (own !== null && requested && requested !== own) throw Errors.notFound('force', requested);
  const forceId = requested ?? own;
  // The policy (STATS_VIEWS): which roles get the protected figures, and which only for their own force.
  const view = statsViewOf(actor.principal.roles);
  if (view.ownForceOnly && forceId === null) throw Errors.forbidden('A key without a force sees no statistics with your roles: ask for your own force.');
  return { forceId, suppressed: view.figures === 'protected' };
}

function checkPeriod(from: string, to: string): number {
  if (to < from) throw Errors.rule('The period ends before it starts.', [{ path: 'query.to', message: 'must be on or after from' }]);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
  if (days > 366 * 25) throw Errors.rule('The period is longer than 25 years.', [{ path: 'query.to', message: 'period too long' }]);
  return days;
}

const periodOf = (from: string, to: string, forceId: string | null, now: Date): Period => ({
  start: startOfUkDay(from),
  end: startOfUkDay(shiftDay(to, 1)),
  lastDay: to,
  forceId,
  now,
});

/**
 * The counts a protected audience sees for a grid period: each force's months rounded (disclosure.ts), a total the sum
 * of its forces, a period the sum of its months. `months`: the exact figures of each of its calendar months;
 * `period`: those of the whole period (for its medians and repeat victims).
 */
function protectedRaw(months: Map<string, RawStats>[], period: Map<string, RawStats>) {
  const roundedMonths = months.map((raw) => {
    const rounded = new Map([...raw].filter(([k]) => k !== TOTAL).map(([k, r]) => [k, roundMonth(r)] as const));
    rounded.set(TOTAL, publishedCounts([...rounded.values()], computeEmpty()));
    return rounded;
  });
  const zero = roundMonth(computeEmpty());
  const keys = new Set([TOTAL, ...period.keys(), ...roundedMonths.flatMap((m) => [...m.keys()])]);
  return new Map(
    [...keys].map(
      (k) =>
        [
          k,
          publishedCounts(
            roundedMonths.map((m) => m.get(k) ?? zero),
            period.get(k) ?? computeEmpty(),
          ),
        ] as const,
    ),
  );
}

/**
 * The figures of each period as the audience sees them, from the rollup (rollup.ts): exact, or for a protected
 * audience built from its calendar months (one more batch for all the months of all the periods). `looks`: the reads
 * each batch starts with (lookQuery), for the caller to make in a statement of its own; `figures` the rest.
 */
function rollupOf(audience: Audience, ranges: DateRange[], now: Date, needs: RollupNeeds) {
  const periods = ranges.map((r) => periodOf(r.from, r.to, audience.forceId, now));
  if (!audience.suppressed)
    return { looks: [lookQuery(periods, needs, 'p_')], figures: (q: Queryable, [look]: Look[]) => computeRollupMany(q, periods, needs, look) };
  const monthsEach = ranges.map((r) => monthsOf(r.from, r.to));
  const distinct = [...new Map(monthsEach.flat().map((m) => [m.from, m] as const)).values()];
  const monthPeriods = distinct.map((m) => periodOf(m.from, m.to, audience.forceId, now));
  const figures = async (q: Queryable, [look, monthLook]: Look[]) => {
    const exact = await computeRollupMany(q, periods, needs, look);
    // The same scope and now as the periods' batch: the same stale incidents, read once.
    const monthRaw = await computeRollupMany(q, monthPeriods, NO_EXTRAS, { ...monthLook!, stale: look!.stale });
    const byStart = new Map(distinct.map((m, i) => [m.from, monthRaw[i]!] as const));
    return monthsEach.map((months, i) =>
      protectedRaw(
        months.map((m) => byStart.get(m.from)!),
        exact[i]!,
      ),
    );
  };
  return { looks: [lookQuery(periods, needs, 'p_'), lookQuery(monthPeriods, NO_EXTRAS, 'm_', false)], figures };
}

type DateRange = { from: string; to: string };

/** A protected audience's months need only their sums: medians and repeat victims come from the whole period. */
const NO_EXTRAS: RollupNeeds = { medians: [], repeatVictims: false };

/** The additive columns (rollup-sql.ts) each metric's value is computed from; none for medians and repeat victims. */
const METRIC_COLUMNS: Record<Metric, readonly string[]> = {
  incidents: [],
  assaultedPeople: ['people'],
  withInjury: ['with_injury'],
  withoutInjury: ['without_injury'],
  attendedHospital: ['attended_hospital'],
  hospitalised: ['hospitalised'],
  daysLost: ['days_lost'],
  repeatVictims: [],
  perThousandOfficers: ['officer_victims'],
  perThousandConstables: ['constable_victims'],
  bodyWornVideoWorn: ['bwv_worn'],
  bodyWornVideoActivated: ['bwv_activated'],
  spitAndBiteGuardUsed: ['spit_guard'],
  taserDrawn: ['taser_drawn'],
  taserDischarged: ['taser_discharged'],
  chargeRate: ['charged'],
  convictionRate: ['convicted', 'resolved'],
  outOfCourtRate: ['out_of_court'],
  medianDaysToCharge: [],
  medianDaysToCourtResult: [],
  firstStepOnTime: ['first_on_time', 'first_steps'],
  plansComplete: ['plans_complete', 'plans'],
  openOverdueSteps: ['open_overdue'],
  trimOffered: ['trim_offered'],
  trimAccepted: ['trim_accepted'],
  trimCompleted: ['trim_completed'],
  victimsCodeOnTime: ['notifications_on_time', 'notifications_due'],
  custodyRate: ['custody', 'sentenced'],
  aggravationStated: ['aggravation_stated', 'aggravation_recorded'],
  medianCustodyMonths: [],
};

/**
 * What one series metric needs: its medians or repeat victims, and for exact figures only its own columns (a
 * protected audience's disclosure control works on every count, so it gets them all).
 */
function needsOf(metric: Metric, suppressed: boolean, each: boolean): RollupNeeds {
  const columns = suppressed ? undefined : METRIC_COLUMNS[metric];
  // The total alone, for exact figures when no force's own is asked for; not for rates, whose national total counts
  // the victims of the forces with a headcount only.
  const totalOnly = !suppressed && !each && metric !== 'perThousandOfficers' && metric !== 'perThousandConstables';
  if (metric === 'medianDaysToCharge') return { medians: ['days_to_charge'], repeatVictims: false, columns, totalOnly };
  if (metric === 'medianDaysToCourtResult') return { medians: ['days_to_result'], repeatVictims: false, columns, totalOnly };
  if (metric === 'medianCustodyMonths') return { medians: ['custody'], repeatVictims: false, columns, totalOnly };
  return { medians: [], repeatVictims: metric === 'repeatVictims', columns, totalOnly };
}

/**
 * For each of `lastDays`, per force the latest headcount dated on or before it, from all the headcounts in scope
 * (sorted by date): one pass over them in the days' order, not one per period (a ten-year monthly series has 120).
 */
function headcountsOn(all: HeadcountRow[], lastDays: string[]): HeadcountRow[][] {
  const out: HeadcountRow[][] = Array.from({ length: lastDays.length }, () => []);
  const order = lastDays.map((_, i) => i).sort((a, b) => (lastDays[a]! < lastDays[b]! ? -1 : lastDays[a]! > lastDays[b]! ? 1 : 0));
  const latest = new Map<string, HeadcountRow>();
  let next = 0;
  for (const i of order) {
    for (; next < all.length && all[next]!.asOf <= lastDays[i]!; next++) latest.set(all[next]!.forceId, all[next]!);
    out[i] = [...latest.values()];
  }
  return out;
}

const headOf = (rows: HeadcountRow[]): Summary['headcount'] =>
  rows.length === 0
    ? null
    : {
        officers: rows.reduce((a, h) => a + h.officers, 0),
        constables: rows.reduce((a, h) => a + h.constables, 0),
        asOf: rows
          .map((h) => h.asOf)
          .sort()
          .at(-1)!,
        forces: rows.length,
      };

type ForceRow = { id: string; name: string };

/** Every force (a few dozen rows), as JSON: the check of the one asked for, and the answer's names. */
const FORCES_JSON = sql`(select coalesce(json_agg(json_build_object('id', id, 'name', name)), '[]') from forces)`;

/** Each headcount dated on or before `lastDay` (of one force or all), as JSON, oldest first. */
const headcountsJson = (lastDay: string, forceId: string | null) =>
  sql`(select coalesce(json_agg(h order by h."asOf"), '[]') from (
         select force_id as "forceId", officers, constables, as_of as "asOf" from force_headcounts
          where as_of <= ${lastDay}::date ${forceId ? sql`and force_id = ${forceId}` : sql``}) h)`;

/** What an answer's figures are read with: every force by name, the headcounts, and the statistics queue's lag. */
interface Context {
  forces: ForceRow[];
  heads: HeadcountRow[];
  pending: string | null;
  looks: Look[];
}

/**
 * The Context and the rollup's first reads (`looks`) in one statement: read one by one they were six round trips,
 * each a wake-up of the backend and of the service (docs/performance.md). The forces are sorted here, not by the
 * database, so the order never depends on the server's collation.
 */
async function contextOf(q: Queryable, audience: Audience, lastDay: string, looks: LookQuery[]): Promise<Context> {
  const [row] = await queryRowsNamed<Record<string, unknown>>(
    q,
    sql`select ${FORCES_JSON} as forces, ${headcountsJson(lastDay, audience.forceId)} as heads,
               ${PENDING_SQL} as pending, ${sql.join(
                 looks.map((l) => l.columns),
                 sql`, `,
               )}`,
  );
  const forceRows = (row!.forces as ForceRow[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (audience.forceId && !forceRows.some((f) => f.id === audience.forceId)) throw Errors.notFound('force', audience.forceId);
  return {
    forces: forceRows,
    heads: row!.heads as HeadcountRow[],
    pending: pendingOf(row!.pending as string | Date | null),
    looks: looks.map((l) => l.read(row!)),
  };
}

/** Per force, its latest headcount of the period as a Summary headcount. */
function headsByForce(heads: HeadcountRow[]) {
  const byId = new Map(heads.map((h) => [h.forceId, h]));
  return (id: string) => {
    const h = byId.get(id);
    return h ? headOf([h]) : null;
  };
}

/** The total of one period: of one force, or across forces (exact; withheld by the caller where it must be). */
function totalOf(audience: Audience, days: number, raw: Map<string, RawStats>, heads: HeadcountRow[], inScope: ForceRow[]) {
  const empty = computeEmpty();
  const total = summaryOf(raw.get(TOTAL) ?? empty, audience.forceId, audience.forceId ? inScope[0]!.name : 'All forces', headOf(heads), days);
  if (audience.forceId === null) {
    // Across forces, the total's rates cover the same forces on both sides: victims of forces with a headcount.
    const covered = new Set(heads.map((h) => h.forceId));
    const coveredVictims = (pick: (r: RawStats) => number) => [...covered].reduce((a, id) => a + pick(raw.get(id) ?? empty), 0);
    total.rates = {
      perThousandOfficers: rate(
        coveredVictims((r) => r.officerVictims),
        total.headcount?.officers ?? null,
        days,
      ),
      perThousandConstables: rate(
        coveredVictims((r) => r.constableVictims),
        total.headcount?.constables ?? null,
        days,
      ),
    };
  }
  return total;
}

/** The summaries of one period from its figures: per force in scope, and their total. */
function summariesOf(audience: Audience, days: number, raw: Map<string, RawStats>, heads: HeadcountRow[], inScope: ForceRow[]) {
  const empty = computeEmpty();
  const headOfForce = headsByForce(heads);
  const perForce = inScope.map((f) => summaryOf(raw.get(f.id) ?? empty, f.id, f.name, headOfForce(f.id), days));
  const total = totalOf(audience, days, raw, heads, inScope);
  const out = (s: Summary) => (audience.suppressed ? withhold(s) : s);
  return { days, forces: perForce.map(out), total: out(total) };
}

/**
 * What summaries are made of, for several periods at once: the figures, the headcounts and the forces in scope; and
 * the statistics queue's lag when they were read (pendingSince).
 */
async function loadMany(q: Queryable, audience: Audience, ranges: DateRange[], now: Date, needs: RollupNeeds) {
  const days = ranges.map((r) => checkPeriod(r.from, r.to));
  const rollup = rollupOf(audience, ranges, now, needs);
  const lastDay = ranges
    .map((r) => r.to)
    .sort()
    .at(-1)!;
  const context = await contextOf(q, audience, lastDay, rollup.looks);
  const raws = await rollup.figures(q, context.looks);
  const inScope = context.forces.filter((f) => audience.forceId === null || f.id === audience.forceId);
  const headsEach = headcountsOn(
    context.heads,
    ranges.map((r) => r.to),
  );
  return { pending: context.pending, periods: ranges.map((_, i) => ({ days: days[i]!, raw: raws[i]!, heads: headsEach[i]!, inScope })) };
}

/** Summaries for several periods at once: per force in scope, and their total, for each; and the queue's lag. */
export async function summariseMany(q: Queryable, audience: Audience, ranges: DateRange[], now: Date, needs: RollupNeeds = ALL_FIGURES) {
  const loaded = await loadMany(q, audience, ranges, now, needs);
  return { pending: loaded.pending, periods: loaded.periods.map((l) => summariesOf(audience, l.days, l.raw, l.heads, l.inScope)) };
}

type Point = { period: string; from: string; to: string; value: number | typeof SUPPRESSED | null };

/**
 * One metric's value per force and in total, for each period. Exact audiences read each force's one figure from
 * sections built on demand; protected ones from the withheld summaries (their disclosure control needs all of it).
 */
async function metricPoints(q: Queryable, audience: Audience, periods: (DateRange & { period: string })[], now: Date, metric: Metric, each: boolean) {
  const loaded = await loadMany(q, audience, periods, now, needsOf(metric, audience.suppressed, each));
  const empty = computeEmpty();
  const values = loaded.periods.map((l) => {
    if (audience.suppressed) {
      const s = summariesOf(audience, l.days, l.raw, l.heads, l.inScope);
      return { forces: s.forces.map((f) => metricValue(f, metric)), total: metricValue(s.total, metric) };
    }
    const headRows = new Map(l.heads.map((h) => [h.forceId, h]));
    return {
      forces: (each ? l.inScope : []).map((f) => metricValue(new LazySections(l.raw.get(f.id) ?? empty, headRows.get(f.id), l.days), metric)),
      total: metricValue(totalOf(audience, l.days, l.raw, l.heads, l.inScope), metric),
    };
  });
  const point = (i: number, value: Point['value']): Point => ({ period: periods[i]!.period, from: periods[i]!.from, to: periods[i]!.to, value });
  return {
    pending: loaded.pending,
    forces: (each ? (loaded.periods[0]?.inScope ?? []) : []).map((f, j) => ({
      forceId: f.id,
      forceName: f.name,
      points: values.map((v, i) => point(i, v.forces[j]!)),
    })),
    total: values.map((v, i) => point(i, v.total)),
  };
}

/** Summaries for one period: per force in scope, and their total; and the statistics queue's lag (pendingSince). */
export async function summarise(q: Queryable, audience: Audience, from: string, to: string, now: Date) {
  const { pending, periods } = await summariseMany(q, audience, [{ from, to }], now);
  return { ...periods[0]!, pending };
}

export async function statsSummary(scope: Scope, query: StatsQuery) {
  const audience = audienceOf(scope.actor, query.forceId);
  if (audience.suppressed) checkGridPeriod(query.from, query.to);
  const result = await summarise(scope.tx, audience, query.from, query.to, scope.now);
  scope.audit({ action: 'read', resourceType: 'statistics', forceId: audience.forceId });
  const notice = audience.suppressed ? PROTECTED_NOTICE : NOTICE;
  return { from: query.from, to: query.to, days: result.days, pendingSince: result.pending, notice, forces: result.forces, total: result.total };
}

/** The value of one metric in a summary: the same definitions as the summary itself. */
export function metricValue(s: Sections, metric: Metric): number | typeof SUPPRESSED | null {
  switch (metric) {
    case 'perThousandOfficers':
    case 'perThousandConstables':
      return s.rates[metric].value;
    case 'bodyWornVideoWorn':
    case 'bodyWornVideoActivated':
    case 'spitAndBiteGuardUsed':
    case 'taserDrawn':
    case 'taserDischarged':
      return s.equipment[metric].value;
    case 'chargeRate':
    case 'convictionRate':
    case 'outOfCourtRate':
      return s.justice[metric].value;
    case 'medianDaysToCharge':
    case 'medianDaysToCourtResult':
      return s.justice[metric];
    case 'firstStepOnTime':
    case 'plansComplete':
      return s.care[metric].value;
    case 'openOverdueSteps':
      return s.care.openOverdueSteps;
    case 'trimOffered':
      return s.trim.offered;
    case 'trimAccepted':
      return s.trim.accepted;
    case 'trimCompleted':
      return s.trim.completed;
    case 'victimsCodeOnTime':
      return s.victimsCode.updatesOnTime.value;
    case 'custodyRate':
    case 'aggravationStated':
      return s.deterrent[metric].value;
    case 'medianCustodyMonths':
      return s.deterrent.medianCustodyMonths;
    default:
      return s.counts[metric];
  }
}

/** The calendar buckets of a period, clipped to it: months, quarters or years. */
export function buckets(from: string, to: string, interval: 'month' | 'quarter' | 'year') {
  const out: { period: string; from: string; to: string }[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const step = interval === 'month' ? 1 : interval === 'quarter' ? 3 : 12;
  if (interval === 'quarter') m = Math.floor((m - 1) / 3) * 3 + 1;
  if (interval === 'year') m = 1;
  for (;;) {
    const start = `${y}-${String(m).padStart(2, '0')}-01`;
    if (start > to) break;
    const ny = m + step > 12 ? y + 1 : y;
    const nm = ((m + step - 1) % 12) + 1;
    const end = shiftDay(`${ny}-${String(nm).padStart(2, '0')}-01`, -1);
    const label = interval === 'month' ? start.slice(0, 7) : interval === 'quarter' ? `${y}-Q${(m + 2) / 3}` : String(y);
    out.push({ period: label, from: start < from ? from : start, to: end > to ? to : end });
    [y, m] = [ny, nm];
  }
  return out;
}

export async function statsSeries(scope: Scope, query: StatsQuery & { metric: Metric; interval: 'month' | 'quarter' | 'year'; forces: 'each' | 'none' }) {
  const audience = audienceOf(scope.actor, query.forceId);
  checkPeriod(query.from, query.to);
  if (audience.suppressed) checkGridSeries(query.from, query.to, query.interval);
  const periods = buckets(query.from, query.to, query.interval);
  if (periods.length > 400)
    throw Errors.rule('Too many points: choose a longer interval or a shorter period.', [{ path: 'query.interval', message: 'gives more than 400 points' }]);
  const { forces: perForce, total, pending } = await metricPoints(scope.tx, audience, periods, scope.now, query.metric, query.forces === 'each');
  scope.audit({ action: 'read', resourceType: 'statistics', forceId: audience.forceId });
  return {
    metric: query.metric,
    interval: query.interval,
    pendingSince: pending,
    notice: audience.suppressed ? PROTECTED_NOTICE : NOTICE,
    forces: perForce,
    total,
  };
}
