// The bank holidays of the working-day calendar (src/shared/calendar.ts), read from the database.
import { and, between, eq } from 'drizzle-orm';
import { holidayWindow, REGION } from '../shared/calendar.ts';
import type { Queryable } from './client.ts';
import { bankHolidays } from './schema/index.ts';

/** Bank holidays from the UK date of `from` for as far as `maxWorkingDays` working days can reach. */
export async function loadHolidays(q: Queryable, from: Date, maxWorkingDays: number): Promise<Set<string>> {
  const { start, end } = holidayWindow(from, maxWorkingDays);
  const rows = await q
    .select({ day: bankHolidays.day })
    .from(bankHolidays)
    .where(and(eq(bankHolidays.region, REGION), between(bankHolidays.day, start, end)));
  return new Set(rows.map((r) => r.day));
}
