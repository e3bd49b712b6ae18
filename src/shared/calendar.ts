// Working-day calendar for England and Wales: UK local dates, weekends, and bank holidays kept as data.
// Pure arithmetic over a set of holidays; loading them from the database is src/db/calendar.ts.

/** When a step falls due: a number of hours, or the end of the n-th working day. */
export type DueOffset = { hours: number } | { workingDays: number };

export const REGION = 'england-and-wales';
/** The most working days a care step may be due after its incident (care-plan templates, src/modules/care/schemas.ts). */
export const MAX_WORKING_DAYS = 260;
const TIME_ZONE = 'Europe/London';

const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const offsetFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, timeZoneName: 'shortOffset' });

/** The UK calendar date (YYYY-MM-DD) of an instant. */
export function ukDate(instant: Date): string {
  return dateFormat.format(instant);
}

function ukOffsetMinutes(instant: Date): number {
  const name = offsetFormat.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d+)?(?::(\d+))?/.exec(name);
  return m?.[1] ? Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0) : 0;
}

/**
 * The last millisecond of each UK day asked for so far (ms since the epoch), by day. Intl's offset lookup costs
 * microseconds, and a ten-year monthly series asks for hundreds of days per answer, the same ones every time. Bounded:
 * cleared when it reaches DAY_CACHE_MAX days (a long run of distinct days only costs the lookups again).
 */
const dayEnds = new Map<string, number>();
const DAY_CACHE_MAX = 20_000;

/** The last millisecond of a UK calendar day (23:59:59.999 UK time), as an instant. */
export function endOfUkDay(day: string): Date {
  let end = dayEnds.get(day);
  if (end === undefined) {
    const asUtc = Date.parse(`${day}T23:59:59.999Z`);
    end = asUtc - ukOffsetMinutes(new Date(asUtc)) * 60_000;
    if (dayEnds.size >= DAY_CACHE_MAX) dayEnds.clear();
    dayEnds.set(day, end);
  }
  return new Date(end);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The calendar date n days after `day` (YYYY-MM-DD; n may be negative). */
export function shiftDay(day: string, n: number): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)) + n));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The first millisecond of a UK calendar day (00:00 UK time), as an instant. */
export const startOfUkDay = (day: string) => new Date(endOfUkDay(shiftDay(day, -1)).getTime() + 1);
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/** The UK date n working days after the UK date of `from` (n >= 1): weekends and holidays skipped. */
export function addWorkingDays(from: Date, n: number, holidays: ReadonlySet<string>): string {
  let day = ukDate(from);
  for (let counted = 0; counted < n;) {
    day = shiftDay(day, 1);
    if (!isWeekend(day) && !holidays.has(day)) counted++;
  }
  return day;
}

/** A due time: `hours` after `from`, or the end of the n-th working day after it. */
export function dueAt(from: Date, offset: DueOffset, holidays: ReadonlySet<string>): Date {
  if ('hours' in offset) return new Date(from.getTime() + offset.hours * 3_600_000);
  return endOfUkDay(addWorkingDays(from, offset.workingDays, holidays));
}

/** The UK dates (inclusive) whose bank holidays `maxWorkingDays` working days from `from` can reach. */
export function holidayWindow(from: Date, maxWorkingDays: number): { start: string; end: string } {
  const start = ukDate(from);
  return { start, end: shiftDay(start, maxWorkingDays * 2 + 21) };
}

export function maxWorkingDays(offsets: DueOffset[]): number {
  return Math.max(0, ...offsets.map((o) => ('workingDays' in o ? o.workingDays : 0)));
}
