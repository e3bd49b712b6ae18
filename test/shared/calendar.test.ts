// The working-day calendar (src/shared/calendar.ts, its holidays read by src/db/calendar.ts): UK dates across
// GMT/BST, end of a UK day, working days over weekends and bank holidays, due times. Every expected value is
// worked out by hand in the comment beside it.
import t from 'tap';
import { loadHolidays } from '../../src/db/calendar.ts';
import { addWorkingDays, dueAt, endOfUkDay, maxWorkingDays, shiftDay, startOfUkDay, ukDate } from '../../src/shared/calendar.ts';
import { buildTestApp } from '../helper.ts';

// The England and Wales bank holidays the tests need (as seeded in migrations/0004).
const HOLIDAYS = new Set([
  '2026-01-01', // New Year's Day (Thu)
  '2026-04-03', // Good Friday
  '2026-04-06', // Easter Monday
  '2026-05-04', // Early May bank holiday
  '2026-05-25', // Spring bank holiday (Mon)
  '2026-08-31', // Summer bank holiday
  '2026-12-25', // Christmas Day (Fri)
  '2026-12-28', // Boxing Day (substitute day, Mon)
  '2027-01-01', // New Year's Day (Fri)
]);
const NONE = new Set<string>();

t.test('ukDate: the UK calendar date, not the UTC one', async (t) => {
  // 22 May 2026 is BST (UTC+1): 23:30Z is 00:30 on Saturday 23 May in the UK.
  t.equal(ukDate(new Date('2026-05-22T23:30:00Z')), '2026-05-23');
  // 22:59Z is still 23:59 BST on the 22nd.
  t.equal(ukDate(new Date('2026-05-22T22:59:59Z')), '2026-05-22');
  // January is GMT (UTC+0): 23:30Z is 23:30 on the same day.
  t.equal(ukDate(new Date('2026-01-15T23:30:00Z')), '2026-01-15');
  // An instant given with another offset: 2026-01-16T01:00+02:00 is 2026-01-15T23:00Z, still the 15th in the UK.
  t.equal(ukDate(new Date('2026-01-16T01:00:00+02:00')), '2026-01-15');
  // BST starts 2026-03-29 at 01:00Z. 2026-03-28T23:30Z is GMT: the 28th. 2026-03-29T23:30Z is 00:30 BST on the 30th.
  t.equal(ukDate(new Date('2026-03-28T23:30:00Z')), '2026-03-28');
  t.equal(ukDate(new Date('2026-03-29T23:30:00Z')), '2026-03-30');
  // BST ends 2026-10-25 at 01:00Z. 2026-10-24T23:30Z is 00:30 BST on the 25th; 2026-10-25T23:30Z is 23:30 GMT on the 25th.
  t.equal(ukDate(new Date('2026-10-24T23:30:00Z')), '2026-10-25');
  t.equal(ukDate(new Date('2026-10-25T23:30:00Z')), '2026-10-25');
});

t.test('endOfUkDay: 23:59:59.999 UK time as an instant, GMT in winter and BST in summer', async (t) => {
  // 15 January: GMT, so 23:59:59.999 UK = 23:59:59.999Z.
  t.equal(endOfUkDay('2026-01-15').toISOString(), '2026-01-15T23:59:59.999Z');
  // 15 July: BST (UTC+1), so 23:59:59.999 UK = 22:59:59.999Z.
  t.equal(endOfUkDay('2026-07-15').toISOString(), '2026-07-15T22:59:59.999Z');
  // 28 March (last GMT day) ends at 23:59:59.999Z; 29 March (BST from 01:00Z) ends at 22:59:59.999Z.
  t.equal(endOfUkDay('2026-03-28').toISOString(), '2026-03-28T23:59:59.999Z');
  t.equal(endOfUkDay('2026-03-29').toISOString(), '2026-03-29T22:59:59.999Z');
  // 24 October is BST all day: 22:59:59.999Z. 25 October is GMT from 01:00Z, so its end is 23:59:59.999Z.
  t.equal(endOfUkDay('2026-10-24').toISOString(), '2026-10-24T22:59:59.999Z');
  t.equal(endOfUkDay('2026-10-25').toISOString(), '2026-10-25T23:59:59.999Z');
  // Whatever the season, the end of a UK day is a UK instant on that same day, and one ms later is the next day.
  for (const day of ['2026-01-15', '2026-03-29', '2026-07-15', '2026-10-25']) {
    const end = endOfUkDay(day);
    t.equal(ukDate(end), day, `${day} ends on ${day}`);
    t.not(ukDate(new Date(end.getTime() + 1)), day, `${day} + 1 ms is the next day`);
  }
});

t.test('endOfUkDay remembers days without sharing its answers: the same instant each time, a new Date each call', async (t) => {
  const a = endOfUkDay('2026-07-15');
  a.setTime(0); // a caller changing its Date changes no later answer
  t.equal(endOfUkDay('2026-07-15').toISOString(), '2026-07-15T22:59:59.999Z');
  t.not(endOfUkDay('2026-07-15'), endOfUkDay('2026-07-15'));
});

t.test('startOfUkDay: 00:00 UK time as an instant, on both sides of the clock changes', async (t) => {
  // 29 March 2026 starts in GMT (00:00Z); 30 March in BST (29 March 23:00Z).
  t.equal(startOfUkDay('2026-03-29').toISOString(), '2026-03-29T00:00:00.000Z');
  t.equal(startOfUkDay('2026-03-30').toISOString(), '2026-03-29T23:00:00.000Z');
  // 25 October 2026 starts in BST (24 October 23:00Z); 26 October in GMT.
  t.equal(startOfUkDay('2026-10-25').toISOString(), '2026-10-24T23:00:00.000Z');
  t.equal(startOfUkDay('2026-10-26').toISOString(), '2026-10-26T00:00:00.000Z');
});

t.test('shiftDay: calendar days forward and back over months, years and 29 February', async (t) => {
  t.equal(shiftDay('2026-01-31', 1), '2026-02-01');
  t.equal(shiftDay('2026-03-01', -1), '2026-02-28'); // 2026 is not a leap year
  t.equal(shiftDay('2024-03-01', -1), '2024-02-29'); // 2024 is
  t.equal(shiftDay('2000-02-28', 1), '2000-02-29'); // divisible by 400: leap
  t.equal(shiftDay('2100-02-28', 1), '2100-03-01'); // divisible by 100 only: not
  t.equal(shiftDay('2026-12-31', 1), '2027-01-01');
  t.equal(shiftDay('2027-01-01', -1), '2026-12-31');
  t.equal(shiftDay('2026-05-10', 0), '2026-05-10');
  t.equal(shiftDay('2026-01-01', 365), '2027-01-01');
  t.equal(shiftDay('2026-01-01', -3653), '2016-01-01'); // ten years back: 2016 and 2020 and 2024 leap days
  // Against the Date arithmetic it replaced, for every day of four years from a leap year, one to sixty days either way.
  const slow = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  let mismatches = 0;
  for (let d = '2023-12-25'; d < '2028-01-05'; d = slow(d, 1)) for (const n of [-60, -1, 1, 7, 60]) if (shiftDay(d, n) !== slow(d, n)) mismatches++;
  t.equal(mismatches, 0);
});

t.test('addWorkingDays: weekends are skipped', async (t) => {
  // From Friday 6 March 2026 (19:30Z, GMT): Sat 7 and Sun 8 skipped; 1 -> Mon 9, 2 -> Tue 10, 3 -> Wed 11, 5 -> Fri 13.
  const friday = new Date('2026-03-06T19:30:00Z');
  t.equal(addWorkingDays(friday, 1, NONE), '2026-03-09');
  t.equal(addWorkingDays(friday, 2, NONE), '2026-03-10');
  t.equal(addWorkingDays(friday, 3, NONE), '2026-03-11');
  t.equal(addWorkingDays(friday, 5, NONE), '2026-03-13');
  // 6 -> Mon 16 (Sat 14, Sun 15 skipped).
  t.equal(addWorkingDays(friday, 6, NONE), '2026-03-16');
  // From Saturday 7 March: 1 -> Mon 9 (Sun 8 skipped).
  t.equal(addWorkingDays(new Date('2026-03-07T10:00:00Z'), 1, NONE), '2026-03-09');
  // From Sunday 8 March: 1 -> Mon 9.
  t.equal(addWorkingDays(new Date('2026-03-08T10:00:00Z'), 1, NONE), '2026-03-09');
});

t.test('addWorkingDays counts from the UK date, not the UTC date', async (t) => {
  // 2026-05-20T23:30Z is Thursday 21 May 00:30 BST. 1 working day after Thu 21 -> Fri 22.
  // (From the UTC date, Wed 20, it would wrongly be Thu 21.)
  t.equal(addWorkingDays(new Date('2026-05-20T23:30:00Z'), 1, HOLIDAYS), '2026-05-22');
  // 2026-05-22T23:30Z is Saturday 23 May 00:30 BST: Sun 24 skipped, Mon 25 bank holiday -> 1 = Tue 26, 2 = Wed 27.
  t.equal(addWorkingDays(new Date('2026-05-22T23:30:00Z'), 2, HOLIDAYS), '2026-05-27');
});

t.test('addWorkingDays over the Spring bank holiday weekend 2026', async (t) => {
  // Friday 22 May 2026 18:00 BST = 17:00Z. Sat 23, Sun 24, Mon 25 (Spring bank holiday) skipped.
  const from = new Date('2026-05-22T18:00:00+01:00');
  t.equal(addWorkingDays(from, 1, HOLIDAYS), '2026-05-26'); // Tue
  t.equal(addWorkingDays(from, 2, HOLIDAYS), '2026-05-27'); // Wed
  t.equal(addWorkingDays(from, 3, HOLIDAYS), '2026-05-28'); // Thu
  t.equal(addWorkingDays(from, 5, HOLIDAYS), '2026-06-01'); // Fri 29 is the 4th, Mon 1 June the 5th
  // Without the holiday, Monday 25 would count.
  t.equal(addWorkingDays(from, 1, NONE), '2026-05-25');
});

t.test('addWorkingDays over Easter 2026 (Good Friday 3 April, Easter Monday 6 April)', async (t) => {
  // From Thursday 2 April 10:00Z (11:00 BST): Fri 3 (Good Friday), Sat 4, Sun 5, Mon 6 (Easter Monday) skipped.
  const thursday = new Date('2026-04-02T10:00:00Z');
  t.equal(addWorkingDays(thursday, 1, HOLIDAYS), '2026-04-07'); // Tue 7
  t.equal(addWorkingDays(thursday, 2, HOLIDAYS), '2026-04-08'); // Wed 8
  t.equal(addWorkingDays(thursday, 5, HOLIDAYS), '2026-04-13'); // Thu 9, Fri 10, Mon 13 (Sat 11, Sun 12 skipped)
  // From Wednesday 1 April: 1 -> Thu 2, 2 -> Tue 7.
  const wednesday = new Date('2026-04-01T09:00:00Z');
  t.equal(addWorkingDays(wednesday, 1, HOLIDAYS), '2026-04-02');
  t.equal(addWorkingDays(wednesday, 2, HOLIDAYS), '2026-04-07');
  // From Good Friday itself: 1 -> Tue 7.
  t.equal(addWorkingDays(new Date('2026-04-03T15:00:00Z'), 1, HOLIDAYS), '2026-04-07');
});

t.test('addWorkingDays over Christmas 2026 (25 Dec Fri, 28 Dec Mon substitute, 1 Jan 2027 Fri)', async (t) => {
  // From Wednesday 23 December 12:00Z (GMT): 1 -> Thu 24; Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (substitute) skipped;
  // 2 -> Tue 29, 3 -> Wed 30, 4 -> Thu 31; Fri 1 Jan 2027 (New Year), Sat 2, Sun 3 skipped; 5 -> Mon 4 Jan 2027.
  const from = new Date('2026-12-23T12:00:00Z');
  t.equal(addWorkingDays(from, 1, HOLIDAYS), '2026-12-24');
  t.equal(addWorkingDays(from, 2, HOLIDAYS), '2026-12-29');
  t.equal(addWorkingDays(from, 3, HOLIDAYS), '2026-12-30');
  t.equal(addWorkingDays(from, 4, HOLIDAYS), '2026-12-31');
  t.equal(addWorkingDays(from, 5, HOLIDAYS), '2027-01-04');
});

t.test('dueAt: hours are elapsed hours; working days end at 23:59:59.999 UK time', async (t) => {
  // Friday 6 March 2026 19:30Z + 24 h = Saturday 7 March 19:30Z.
  t.equal(dueAt(new Date('2026-03-06T19:30:00Z'), { hours: 24 }, HOLIDAYS).toISOString(), '2026-03-07T19:30:00.000Z');
  // 48 h over the BST change (29 March): 2026-03-28T12:00Z + 48 h = 2026-03-30T12:00Z (elapsed, not wall-clock).
  t.equal(dueAt(new Date('2026-03-28T12:00:00Z'), { hours: 48 }, HOLIDAYS).toISOString(), '2026-03-30T12:00:00.000Z');
  // An input with an offset: 2026-05-22T18:00+01:00 = 17:00Z, + 72 h = 2026-05-25T17:00Z.
  t.equal(dueAt(new Date('2026-05-22T18:00:00+01:00'), { hours: 72 }, HOLIDAYS).toISOString(), '2026-05-25T17:00:00.000Z');
  // Friday 6 March 19:30Z, 5 working days -> Fri 13 March, GMT -> 2026-03-13T23:59:59.999Z.
  t.equal(dueAt(new Date('2026-03-06T19:30:00Z'), { workingDays: 5 }, HOLIDAYS).toISOString(), '2026-03-13T23:59:59.999Z');
  // Friday 22 May 18:00 BST, 2 working days -> Wed 27 May, BST -> 2026-05-27T22:59:59.999Z.
  t.equal(dueAt(new Date('2026-05-22T18:00:00+01:00'), { workingDays: 2 }, HOLIDAYS).toISOString(), '2026-05-27T22:59:59.999Z');
  // Over the clocks going back: Friday 23 October 2026 (BST) + 1 working day -> Mon 26 October, GMT -> 23:59:59.999Z.
  t.equal(dueAt(new Date('2026-10-23T10:00:00Z'), { workingDays: 1 }, HOLIDAYS).toISOString(), '2026-10-26T23:59:59.999Z');
  // Over the clocks going forward: Friday 27 March 2026 (GMT) + 1 working day -> Mon 30 March, BST -> 22:59:59.999Z.
  t.equal(dueAt(new Date('2026-03-27T10:00:00Z'), { workingDays: 1 }, HOLIDAYS).toISOString(), '2026-03-30T22:59:59.999Z');
});

t.test('maxWorkingDays: the largest working-day offset, 0 when there are only hours', async (t) => {
  t.equal(maxWorkingDays([{ hours: 24 }, { workingDays: 5 }, { workingDays: 2 }]), 5);
  t.equal(maxWorkingDays([{ hours: 24 }]), 0);
  t.equal(maxWorkingDays([]), 0);
});

t.test('loadHolidays reads the seeded England and Wales bank holidays far enough ahead', async (t) => {
  const h = await buildTestApp(t);
  // From Thursday 24 December 2026, 5 working days reach Tue 5 January 2027: the three holidays on the way are loaded.
  const set = await loadHolidays(h.database.db, new Date('2026-12-24T20:00:00Z'), 5);
  t.ok(set.has('2026-12-25'), 'Christmas Day');
  t.ok(set.has('2026-12-28'), 'Boxing Day substitute');
  t.ok(set.has('2027-01-01'), "New Year's Day 2027");
  t.notOk(set.has('2026-08-31'), 'nothing before the start date');
  // With the loaded set: 2 -> Wed 30 Dec (Tue 29 is the 1st), 5 -> Tue 5 Jan 2027 (Thu 31, Mon 4, Tue 5).
  t.equal(dueAt(new Date('2026-12-24T20:00:00Z'), { workingDays: 5 }, set).toISOString(), '2027-01-05T23:59:59.999Z');
  // Easter 2026 from the database too.
  const easter = await loadHolidays(h.database.db, new Date('2026-04-02T10:00:00Z'), 1);
  t.same([...easter].filter((d) => d < '2026-04-10').sort(), ['2026-04-03', '2026-04-06']);
});
