// Statistical disclosure control for the audiences that see protected figures (STATS_VIEWS in src/policy.ts):
// controlled rounding to base 5 of every count of each calendar month, longer grid periods as sums of their months,
// every breakdown key listed, derived figures withheld on a small base, and periods on a fixed grid only.
// The method, the guidance it follows and its limits: docs/statistics.md, "Disclosure control".
import { CIRCUMSTANCES, CREWING, OFFENCES, SERVICE_BANDS, VICTIM_ROLES } from '../../shared/enums.ts';
import { Errors } from '../../errors.ts';
import type { RawStats } from './queries.ts';

/** Every published count is a multiple of this. */
export const BASE = 5;
/** A derived figure is published only when its base, as published, is at least this (so truly 6 or more). */
export const MIN_BASE = 10;

const pad = (n: number) => String(n).padStart(2, '0');

/** Every key of every breakdown, in the order published: all of them, zero or not. */
export const BREAKDOWN_KEYS: Record<string, readonly string[]> = {
  circumstances: CIRCUMSTANCES,
  offence: OFFENCES,
  crewing: [...CREWING, 'not_recorded'],
  hourOfDay: Array.from({ length: 24 }, (_, h) => pad(h)),
  dayOfWeek: ['1', '2', '3', '4', '5', '6', '7'],
  victimRole: VICTIM_ROLES,
  serviceBand: [...SERVICE_BANDS, 'not_recorded'],
  safetyTrainingInDate: ['true', 'false', 'not_recorded'],
};

/** The breakdowns that partition incidents (each incident under exactly one key), and those that partition people. */
const INCIDENT_PARTITIONS = ['circumstances', 'crewing', 'hourOfDay', 'dayOfWeek'] as const;
const PEOPLE_PARTITIONS = ['serviceBand', 'safetyTrainingInDate'] as const;
const OFFICER_ROLES = ['constable', 'sergeant', 'inspector_and_above'];
const OTHER_ROLES = VICTIM_ROLES.filter((r) => !OFFICER_ROLES.includes(r));

/** Conventional rounding to the nearest multiple of 5 (0-2 down, 3-4 up): used for the top of each tree. */
export const nearest = (x: number) => BASE * Math.round(x / BASE);

/**
 * Controlled rounding of the parts of a total whose published value is already fixed: each part goes to one of the
 * two multiples of 5 next to it (a multiple of 5 stays), and the published parts add up to the published total. The
 * parts that go up are those with the largest remainders (ties: the first). `total` is the true total; when the named
 * parts do not cover it, the rest is an unnamed part (rounded with them, not returned).
 * Always possible when publishedTotal is one of the two multiples of 5 next to total (Cox, controlled rounding).
 */
export function split(publishedTotal: number, total: number, parts: readonly number[]): number[] {
  const rest = total - parts.reduce((a, p) => a + p, 0);
  const all = rest > 0 ? [...parts, rest] : [...parts];
  const out = all.map((p) => p - (p % BASE));
  let ups = (publishedTotal - out.reduce((a, p) => a + p, 0)) / BASE;
  const order = all
    .map((p, i) => ({ i, r: p % BASE }))
    .filter((x) => x.r > 0)
    .sort((a, b) => b.r - a.r || a.i - b.i);
  if (rest < 0 || ups < 0 || ups > order.length) throw new Error(`controlled rounding: ${publishedTotal} is not next to ${total}`);
  for (const { i } of order) if (ups-- > 0) out[i]! += BASE;
  return out.slice(0, parts.length);
}

/** One part of a total, rounded with its complement. */
const part = (publishedTotal: number, total: number, value: number) => split(publishedTotal, total, [value])[0]!;

const cells = (raw: RawStats, dim: string) => {
  const byKey = new Map((raw.breakdowns[dim] ?? []).map((b) => [b.key, b.count]));
  return BREAKDOWN_KEYS[dim]!.map((k) => byKey.get(k) ?? 0);
};
const asBreakdown = (dim: string, counts: number[]) => BREAKDOWN_KEYS[dim]!.map((key, i) => ({ key, count: counts[i]! }));

/** The incident tree of a month: incidents, its partitions, and each subset of incidents with its complement. */
function roundIncidents(raw: RawStats, out: RawStats): void {
  const n = raw.incidents;
  const top = nearest(n);
  out.incidents = top;
  for (const dim of INCIDENT_PARTITIONS) out.breakdowns[dim] = asBreakdown(dim, split(top, n, cells(raw, dim)));
  out.breakdowns.offence = asBreakdown(
    'offence',
    cells(raw, 'offence').map((c) => part(top, n, c)),
  );
  for (const k of ['bwvWorn', 'bwvActivated', 'spitGuard', 'taserDrawn', 'taserDischarged', 'charged', 'outOfCourt', 'resolved'] as const) {
    out[k] = part(top, n, raw[k]);
  }
  out.convicted = part(out.resolved, raw.resolved, raw.convicted);
  // Out-of-court incidents by disposal: a partition of the out-of-court incidents, rounded against their published count.
  out.outOfCourtByType = split(out.outOfCourt, raw.outOfCourt, raw.outOfCourtByType);
}

/** The sentenced defendants of a month (a tree of its own: defendants, not incidents) and their subsets. */
function roundSentenced(raw: RawStats, out: RawStats): void {
  out.sentenced = nearest(raw.sentenced);
  out.custody = part(out.sentenced, raw.sentenced, raw.custody);
  out.aggravationRecorded = part(out.sentenced, raw.sentenced, raw.aggravationRecorded);
  out.aggravationStated = part(out.aggravationRecorded, raw.aggravationRecorded, raw.aggravationStated);
}

/** The people tree of a month: people; injury, hospital, officer/other roles, service and training partitions. */
function roundPeople(raw: RawStats, out: RawStats): void {
  const n = raw.people;
  const top = nearest(n);
  out.people = top;
  [out.withInjury, out.withoutInjury] = split(top, n, [raw.withInjury, raw.withoutInjury]) as [number, number];
  out.attendedHospital = part(top, n, raw.attendedHospital);
  out.hospitalised = part(out.attendedHospital, raw.attendedHospital, raw.hospitalised);
  const roles = new Map(BREAKDOWN_KEYS.victimRole!.map((k, i) => [k, cells(raw, 'victimRole')[i]!]));
  out.officerVictims = part(top, n, raw.officerVictims);
  const officers = split(
    out.officerVictims,
    raw.officerVictims,
    OFFICER_ROLES.map((r) => roles.get(r)!),
  );
  const others = split(
    top - out.officerVictims,
    n - raw.officerVictims,
    OTHER_ROLES.map((r) => roles.get(r)!),
  );
  const published = new Map([...OFFICER_ROLES.map((r, i) => [r, officers[i]!] as const), ...OTHER_ROLES.map((r, i) => [r, others[i]!] as const)]);
  out.breakdowns.victimRole = BREAKDOWN_KEYS.victimRole!.map((key) => ({ key, count: published.get(key)! }));
  out.constableVictims = published.get('constable')!;
  for (const dim of PEOPLE_PARTITIONS) out.breakdowns[dim] = asBreakdown(dim, split(top, n, cells(raw, dim)));
  out.plans = part(top, n, raw.plans);
  out.firstSteps = part(out.plans, raw.plans, raw.firstSteps);
  out.firstOnTime = part(out.firstSteps, raw.firstSteps, raw.firstOnTime);
  out.plansComplete = part(out.plans, raw.plans, raw.plansComplete);
}

/**
 * The published counts of one calendar month: every count rounded to base 5, each subset against its total (controlled
 * rounding), so every published relation (a total and its breakdown, a share and its base) still adds up.
 * Medians are not counts: left null here (the period's own are used, withheld on a small base).
 */
export function roundMonth(raw: RawStats): RawStats {
  const out = { ...raw, breakdowns: {}, medianDaysToCharge: null, medianDaysToResult: null, medianCustodyMonths: null } as RawStats;
  roundIncidents(raw, out);
  roundPeople(raw, out);
  roundSentenced(raw, out);
  out.daysLost = nearest(raw.daysLost);
  out.repeatVictims = nearest(raw.repeatVictims);
  out.openOverdue = nearest(raw.openOverdue);
  out.trimOffered = nearest(raw.trimOffered);
  out.trimAccepted = part(out.trimOffered, raw.trimOffered, raw.trimAccepted);
  out.trimCompleted = part(out.trimOffered, raw.trimOffered, raw.trimCompleted);
  out.notificationsDue = nearest(raw.notificationsDue);
  out.notificationsOnTime = part(out.notificationsDue, raw.notificationsDue, raw.notificationsOnTime);
  return out;
}

const LINEAR = [
  'incidents',
  'bwvWorn',
  'bwvActivated',
  'spitGuard',
  'taserDrawn',
  'taserDischarged',
  'people',
  'withInjury',
  'withoutInjury',
  'attendedHospital',
  'hospitalised',
  'daysLost',
  'officerVictims',
  'constableVictims',
  'charged',
  'resolved',
  'convicted',
  'outOfCourt',
  'firstSteps',
  'firstOnTime',
  'plans',
  'plansComplete',
  'openOverdue',
  'trimOffered',
  'trimAccepted',
  'trimCompleted',
  'notificationsDue',
  'notificationsOnTime',
  'sentenced',
  'custody',
  'aggravationRecorded',
  'aggravationStated',
] as const satisfies readonly (keyof RawStats)[];

/**
 * The published counts of a grid period: the sum of its months' published counts, so a quarter or a year adds
 * nothing that its months do not already show (no differencing between periods). Figures that are not sums over
 * months (repeat victims, medians) come from the period itself (`period`), rounded or withheld.
 */
export function publishedCounts(months: RawStats[], period: RawStats): RawStats {
  const out = { ...period, breakdowns: {} } as RawStats;
  for (const k of LINEAR) out[k] = months.reduce((a, m) => a + m[k], 0);
  for (const dim of Object.keys(BREAKDOWN_KEYS))
    out.breakdowns[dim] = BREAKDOWN_KEYS[dim]!.map((key, i) => ({ key, count: months.reduce((a, m) => a + m.breakdowns[dim]![i]!.count, 0) }));
  out.outOfCourtByType = period.outOfCourtByType.map((_, i) => months.reduce((a, m) => a + (m.outOfCourtByType[i] ?? 0), 0));
  out.repeatVictims = nearest(period.repeatVictims);
  return out;
}

// ----- The grid of periods -----

const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const endOf = (y: number, m: number) => `${y}-${pad(m)}-${pad(lastDayOfMonth(y, m))}`;

export type GridInterval = 'month' | 'quarter' | 'year';

/** The kind of grid period from..to is (calendar month, quarter, financial or calendar year), or null. */
export function gridPeriod(from: string, to: string): 'month' | 'quarter' | 'financial_year' | 'year' | null {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  if (d !== 1) return null;
  if (to === endOf(y, m)) return 'month';
  if (m % 3 === 1 && to === endOf(y, m + 2)) return 'quarter';
  if (m === 4 && to === `${y + 1}-03-31`) return 'financial_year';
  if (m === 1 && to === `${y}-12-31`) return 'year';
  return null;
}

export const GRID_MESSAGE =
  'protected statistics cover only whole calendar months, quarters (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec), financial years (1 April to 31 March) and calendar years, in UK dates';

/** A protected audience's summary period must be on the grid: otherwise a 400 problem naming the grid. */
export function checkGridPeriod(from: string, to: string): void {
  if (gridPeriod(from, to) === null)
    throw Errors.validation(
      [
        { path: 'query.from', message: `with to, must be one period of the grid: ${GRID_MESSAGE}` },
        { path: 'query.to', message: `with from, must be one period of the grid: ${GRID_MESSAGE}` },
      ],
      'period',
    );
}

/** A protected audience's series must start and end on its interval's boundaries, so every bucket is a grid period. */
export function checkGridSeries(from: string, to: string, interval: GridInterval): void {
  const step = interval === 'month' ? 1 : interval === 'quarter' ? 3 : 12;
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const starts = d === 1 && (m - 1) % step === 0;
  const ends = to === endOf(ty, tm) && tm % step === 0;
  if (!starts || !ends || to < from || Number.isNaN(y))
    throw Errors.validation(
      [
        ...(starts ? [] : [{ path: 'query.from', message: `must be the first day of a ${interval}: ${GRID_MESSAGE}` }]),
        ...(ends ? [] : [{ path: 'query.to', message: `must be the last day of a ${interval}: ${GRID_MESSAGE}` }]),
      ],
      'period',
    );
}

/** The calendar months of a grid-aligned period, as UK date pairs. */
export function monthsOf(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let start = from; start <= to; start = `${y}-${pad(m)}-01`) {
    out.push({ from: start, to: endOf(y, m) });
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}
