// Working-day calendar for England and Wales: UK local dates, weekends, and bank holidays kept as data.
// Pure arithmetic over a set of holidays; loading them from the database is src/db/calendar.ts.

/** When a step falls due: a number of hours, or the end of the n-th working day. */
export type DueOffset = { hours: number } | { workingDays: number };

export const REGION = 'england-and-wales';
/** The most working days a care step may be due after its incident (care-plan templates, src/modules/care/schemas.ts). */
export const MAX_WORKING_DAYS = 260;
const TIME_ZONE = 'Europe/London';
const DAY_MS = 86_400_000;

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

/** The last millisecond of a UK calendar day (23:59:59.999 UK time), as an instant. */
export function endOfUkDay(day: string): Date {
  const asUtc = Date.parse(`${day}T23:59:59.999Z`);
  return new Date(asUtc - ukOffsetMinutes(new Date(asUtc)) * 60_000);
}

const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
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
