// Disclosure control as pure functions (src/modules/stats/disclosure.ts), over many generated datasets (fast-check):
// every published relation still adds up, no cell can be pinned to one value by the relations an answer (or a period
// and its months) publishes, derived figures on a small base are withheld, every breakdown lists every key.
// The HTTP side (who gets what, the grid): protected.test.ts.
import t from 'tap';
import fc from 'fast-check';
import { BREAKDOWN_KEYS, MIN_BASE, nearest, publishedCounts, roundMonth, split } from '../../../src/modules/stats/disclosure.ts';
import type { RawStats } from '../../../src/modules/stats/queries.ts';
import { OUT_OF_COURT_DISPOSALS, SUPPRESSED } from '../../../src/modules/stats/schemas.ts';
import { computeEmpty, summaryOf, withhold } from '../../../src/modules/stats/summary.ts';
import { CIRCUMSTANCES, CREWING, OFFENCES, SERVICE_BANDS, VICTIM_ROLES } from '../../../src/shared/enums.ts';
import { ADDITIVE, addAnswer, at, LinearSystem, PUBLISHED_RELATIONS } from './disclosure-check.ts';

// ----- A generated month: incidents and their victims, counted as docs/statistics.md defines -----

const victim = fc.record({
  role: fc.constantFrom(...VICTIM_ROLES),
  band: fc.option(fc.constantFrom(...SERVICE_BANDS)),
  injured: fc.boolean(),
  hospital: fc.constantFrom('none', 'attended', 'admitted'),
  daysLost: fc.nat(30),
  training: fc.option(fc.boolean()),
  staff: fc.option(fc.constantFrom('S1', 'S2', 'S3', 'S4')),
  plan: fc.boolean(),
  first: fc.constantFrom('none', 'late', 'on_time'),
  overdue: fc.nat(7),
  trim: fc.constantFrom('none', 'offered', 'accepted', 'completed'),
  due: fc.nat(2),
  onTime: fc.nat(2),
});

const incident = fc.record({
  circumstances: fc.constantFrom(...CIRCUMSTANCES),
  crewing: fc.option(fc.constantFrom(...CREWING)),
  hour: fc.nat(23),
  day: fc.integer({ min: 1, max: 7 }),
  offences: fc.subarray([...OFFENCES]),
  equipment: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  justice: fc.constantFrom('none', 'charged', 'convicted', 'acquitted', 'out_of_court'),
  /** A convicted incident's one defendant: sentenced or not yet, in immediate custody (and for how long), s.67. */
  sentence: fc.record({
    sentenced: fc.boolean(),
    custody: fc.boolean(),
    months: fc.integer({ min: 1, max: 60 }),
    aggravation: fc.constantFrom('yes', 'no', 'not_recorded'),
  }),
  days: fc.double({ min: 0, max: 300, noNaN: true }),
  victims: fc.array(victim, { maxLength: 3 }),
});

type Incident = typeof incident extends fc.Arbitrary<infer T> ? T : never;

/** Small months (a handful of assaults, where disclosure bites) and larger ones. */
const month = fc.oneof(fc.array(incident, { maxLength: 6 }), fc.array(incident, { maxLength: 40 }));

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function tally<T>(items: T[], key: (x: T) => string | string[]): { key: string; count: number }[] {
  const m = new Map<string, number>();
  for (const x of items) for (const k of [key(x)].flat()) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].map(([k, count]) => ({ key: k, count })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** The exact figures of some incidents (what computeRaw returns for them). */
function rawOf(incidents: Incident[]): RawStats {
  const vs = incidents.flatMap((i, n) => i.victims.map((v) => ({ ...v, incident: n })));
  const count = <T>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length;
  const plans = vs.filter((v) => v.plan);
  const staff = new Map<string, Set<number>>();
  for (const v of vs) if (v.staff) staff.set(v.staff, (staff.get(v.staff) ?? new Set()).add(v.incident));
  const charged = incidents.filter((i) => ['charged', 'convicted', 'acquitted'].includes(i.justice));
  const resolved = incidents.filter((i) => ['convicted', 'acquitted'].includes(i.justice));
  const sentenced = incidents.filter((i) => i.justice === 'convicted' && i.sentence.sentenced).map((i) => i.sentence);
  const outOfCourt = incidents.filter((i) => i.justice === 'out_of_court');
  return {
    ...computeEmpty(),
    incidents: incidents.length,
    bwvWorn: count(incidents, (i) => i.equipment[0]!),
    bwvActivated: count(incidents, (i) => i.equipment[1]!),
    spitGuard: count(incidents, (i) => i.equipment[2]!),
    taserDrawn: count(incidents, (i) => i.equipment[3]!),
    taserDischarged: count(incidents, (i) => i.equipment[4]!),
    people: vs.length,
    withInjury: count(vs, (v) => v.injured),
    withoutInjury: count(vs, (v) => !v.injured),
    attendedHospital: count(vs, (v) => v.hospital !== 'none'),
    hospitalised: count(vs, (v) => v.hospital === 'admitted'),
    daysLost: vs.reduce((a, v) => a + v.daysLost, 0),
    officerVictims: count(vs, (v) => ['constable', 'sergeant', 'inspector_and_above'].includes(v.role)),
    constableVictims: count(vs, (v) => v.role === 'constable'),
    repeatVictims: [...staff.values()].filter((s) => s.size >= 2).length,
    charged: charged.length,
    resolved: resolved.length,
    convicted: count(incidents, (i) => i.justice === 'convicted'),
    outOfCourt: count(incidents, (i) => i.justice === 'out_of_court'),
    medianDaysToCharge: median(charged.map((i) => i.days)),
    medianDaysToResult: median(resolved.map((i) => i.days)),
    plans: plans.length,
    firstSteps: count(plans, (v) => v.first !== 'none'),
    firstOnTime: count(plans, (v) => v.first === 'on_time'),
    plansComplete: count(plans, (v) => v.overdue === 0),
    openOverdue: plans.reduce((a, v) => a + v.overdue, 0),
    trimOffered: count(vs, (v) => v.trim !== 'none'),
    trimAccepted: count(vs, (v) => v.trim === 'accepted' || v.trim === 'completed'),
    trimCompleted: count(vs, (v) => v.trim === 'completed'),
    notificationsDue: vs.reduce((a, v) => a + v.due, 0),
    notificationsOnTime: vs.reduce((a, v) => a + Math.min(v.onTime, v.due), 0),
    sentenced: sentenced.length,
    custody: count(sentenced, (s) => s.custody),
    aggravationRecorded: count(sentenced, (s) => s.aggravation !== 'not_recorded'),
    aggravationStated: count(sentenced, (s) => s.aggravation === 'yes'),
    medianCustodyMonths: median(sentenced.filter((s) => s.custody).map((s) => s.months)),
    // Each out-of-court incident under one disposal (here: by its hour).
    outOfCourtByType: OUT_OF_COURT_DISPOSALS.map((_, k) => count(outOfCourt, (i) => i.hour % OUT_OF_COURT_DISPOSALS.length === k)),
    breakdowns: {
      circumstances: tally(incidents, (i) => i.circumstances),
      offence: tally(incidents, (i) => i.offences),
      crewing: tally(incidents, (i) => i.crewing ?? 'not_recorded'),
      hourOfDay: tally(incidents, (i) => String(i.hour).padStart(2, '0')),
      dayOfWeek: tally(incidents, (i) => String(i.day)),
      victimRole: tally(vs, (v) => v.role),
      serviceBand: tally(vs, (v) => v.band ?? 'not_recorded'),
      safetyTrainingInDate: tally(vs, (v) => (v.training === null ? 'not_recorded' : String(v.training))),
    },
  };
}

const HEAD = { officers: 2000, constables: 1600, asOf: '2026-01-01', forces: 1 };
const view = (raw: RawStats) => summaryOf(raw, 'force', 'Force', HEAD, 30);

/** A period of 1-3 months as the protected audience sees it: each month, and the period (the sum of its months). */
function answers(months: Incident[][]) {
  const raws = months.map(rawOf);
  const rounded = raws.map(roundMonth);
  const whole = rawOf(months.flat());
  return {
    months: rounded.map((r, i) => ({ published: view(r), shown: withhold(view(r)), exact: view(raws[i]!) })),
    period: { shown: withhold(view(publishedCounts(rounded, whole))), exact: view(whole) },
  };
}

const RUNS = Number(process.env.DISCLOSURE_RUNS ?? 300);

t.test('controlled rounding: adjacent multiples of 5 that add up to the published total', async (t) => {
  t.same(split(10, 7, [5, 2]), [5, 5], '7 = 5 + 2: 2 has the larger remainder, it goes up');
  t.same(split(5, 7, [5, 2]), [5, 0]);
  t.same(split(5, 3, [1, 1, 1]), [5, 0, 0], 'ties: the first goes up');
  t.same(split(0, 3, [1, 1, 1]), [0, 0, 0]);
  t.same(split(10, 12, [3]), [0], 'a part of 3 and its unnamed rest of 9: the rest has the larger remainder');
  t.throws(() => split(15, 7, [5, 2]), /not next to/);
  fc.assert(
    fc.property(fc.array(fc.nat(30), { maxLength: 12 }), fc.boolean(), (parts, up) => {
      const total = parts.reduce((a, p) => a + p, 0);
      const published = total % 5 === 0 ? total : up ? total - (total % 5) + 5 : total - (total % 5);
      const out = split(published, total, parts);
      return out.reduce((a, p) => a + p, 0) === published && out.every((p, i) => p % 5 === 0 && Math.abs(p - parts[i]!) < 5);
    }),
    { numRuns: 500 },
  );
  t.equal(nearest(2), 0);
  t.equal(nearest(3), 5);
  t.equal(nearest(12), 10);
});

t.test('every published relation adds up, every count is a multiple of 5, every key is listed', async () => {
  fc.assert(
    fc.property(fc.array(month, { minLength: 1, maxLength: 3 }), (months) => {
      const { months: ms, period } = answers(months);
      for (const s of [...ms.map((m) => m.published), period.shown]) {
        for (const [total, parts, complete] of PUBLISHED_RELATIONS) {
          const tv = at(s, total);
          const pv = parts.map((p) => at(s, p));
          if (typeof tv !== 'number' || !pv.every((x) => typeof x === 'number')) continue;
          const sum = (pv as number[]).reduce((a, x) => a + x, 0);
          if (complete ? sum !== tv : sum > tv) throw new Error(`${total} = ${tv} but ${parts.join(' + ')} = ${sum}`);
        }
        for (const [dim, list] of Object.entries(s.breakdowns)) {
          if (JSON.stringify(list.map((b) => b.key)) !== JSON.stringify(BREAKDOWN_KEYS[dim])) throw new Error(`${dim}: keys ${list.map((b) => b.key)}`);
          for (const b of list) if (typeof b.count !== 'number' || b.count % 5 !== 0) throw new Error(`${dim}.${b.key} = ${b.count}`);
        }
        for (const [k, v] of Object.entries(s.counts)) if (typeof v === 'number' && v % 5 !== 0) throw new Error(`counts.${k} = ${v}`);
      }
      return true;
    }),
    { numRuns: RUNS },
  );
});

t.test('no cell is pinned by what a month and its period publish (subtraction, within and between answers)', async (t) => {
  let cells = 0;
  fc.assert(
    fc.property(fc.array(month, { minLength: 1, maxLength: 3 }), (months) => {
      const { months: ms, period } = answers(months);
      const sys = new LinearSystem();
      // The attacker is given every month's rounded figures, even those withheld (a period's sum could give them away).
      ms.forEach((m, i) => addAnswer(sys, `m${i}:`, m.published, m.exact, true));
      addAnswer(sys, 'period:', period.shown, period.exact, ms.length === 1, ms.length === 1);
      if (ms.length > 1)
        for (const path of ADDITIVE())
          sys.relate(
            `period:${path}`,
            ms.map((_, i) => `m${i}:${path}`),
          );
      const pinned = sys.pinned();
      cells += sys.vars.size;
      if (pinned.length) throw new Error(`pinned: ${pinned.join(', ')}`);
      return true;
    }),
    { numRuns: RUNS },
  );
  t.ok(cells > RUNS * 100, `${cells} cells checked`);
});

t.test('the checker finds what plain small-number suppression gives away (the issue, item 4)', async (t) => {
  // assaultedPeople 7, withInjury 5, withoutInjury "<5": the hidden cell is 2.
  const sys = new LinearSystem();
  sys.variable('people', 7, 7, 7);
  sys.variable('with', 5, 5, 5);
  sys.variable('without', 1, 4, 2);
  sys.relate('people', ['with', 'without']);
  t.same(sys.pinned(), ['people', 'with', 'without']);
  // The same figures rounded as published: 5 (nearest), 5 and 0 (controlled): nothing pinned.
  const rounded = new LinearSystem();
  const [w, wo] = split(nearest(7), 7, [5, 2]) as [number, number];
  rounded.variable('people', 3, 7, 7);
  rounded.variable('with', Math.max(0, w - 4), w + 4, 5);
  rounded.variable('without', Math.max(0, wo - 4), wo + 4, 2);
  rounded.relate('people', ['with', 'without']);
  t.same(rounded.pinned(), []);
  // Why controlled rounding and months as the atom: a year rounded on its own beside its months, each rounded to the
  // nearest 5, can be solved. Four months of 3 (each 5, so 3..7) and a year of 12 (10, so 8..12): every month is 3.
  const independent = new LinearSystem();
  independent.variable('year', 8, 12, 12);
  for (const m of ['m1', 'm2', 'm3', 'm4']) independent.variable(m, 3, 7, 3);
  independent.relate('year', ['m1', 'm2', 'm3', 'm4']);
  t.same(independent.pinned(), ['year', 'm1', 'm2', 'm3', 'm4']);
});

t.test('derived figures on a small base are withheld; on a base of 10 or more they are shown', async (t) => {
  fc.assert(
    fc.property(fc.array(month, { minLength: 1, maxLength: 3 }), (months) => {
      const s = answers(months).period.shown;
      const small = (v: unknown) => typeof v !== 'number' || v < MIN_BASE;
      const expect = (cond: boolean, v: unknown, what: string) => {
        if (cond !== (v === SUPPRESSED)) throw new Error(`${what}: ${String(v)}`);
      };
      expect(small(s.counts.assaultedPeople), s.counts.daysLost, 'daysLost');
      expect(small(s.counts.assaultedPeople), s.counts.repeatVictims, 'repeatVictims');
      expect(small(s.counts.assaultedPeople), s.trim.offered, 'trim.offered');
      expect(small(s.care.plansComplete.denominator), s.care.openOverdueSteps, 'openOverdueSteps');
      expect(small(s.justice.chargeRate.numerator), s.justice.medianDaysToCharge, 'medianDaysToCharge');
      expect(small(s.justice.convictionRate.denominator), s.justice.medianDaysToCourtResult, 'medianDaysToCourtResult');
      expect(small(s.deterrent.custodyRate.numerator), s.deterrent.medianCustodyMonths, 'medianCustodyMonths');
      for (const d of s.deterrent.outOfCourtDisposals) expect(small(s.justice.outOfCourtRate.denominator), d.count, `outOfCourtDisposals.${d.key}`);
      for (const [name, sh] of Object.entries({ custodyRate: s.deterrent.custodyRate, aggravationStated: s.deterrent.aggravationStated })) {
        expect(small(sh.denominator), sh.value, `${name}.value`);
        expect(small(sh.denominator), sh.numerator, `${name}.numerator`);
      }
      for (const [name, sh] of Object.entries({ ...s.equipment, ...s.justice, ...s.care, ...s.victimsCode })) {
        if (typeof sh !== 'object' || sh === null) continue;
        expect(small(sh.denominator), sh.value, `${name}.value`);
        expect(small(sh.denominator), sh.numerator, `${name}.numerator`);
      }
      for (const [name, r] of Object.entries(s.rates)) expect(small(r.numerator === SUPPRESSED ? 0 : r.numerator), r.value, name);
      return true;
    }),
    { numRuns: RUNS },
  );
  // The case: 3 plans with 7 overdue steps each, 3 people: 21 steps would say there are at least 3 plans.
  const raw = { ...computeEmpty(), incidents: 2, people: 3, withInjury: 3, officerVictims: 3, constableVictims: 3, plans: 3, openOverdue: 21 };
  raw.breakdowns = { ...raw.breakdowns, victimRole: [{ key: 'constable', count: 3 }] };
  for (const dim of ['circumstances', 'crewing', 'hourOfDay', 'dayOfWeek']) raw.breakdowns[dim] = [{ key: BREAKDOWN_KEYS[dim]![0]!, count: 2 }];
  raw.breakdowns.serviceBand = [{ key: 'not_recorded', count: 3 }];
  raw.breakdowns.safetyTrainingInDate = [{ key: 'not_recorded', count: 3 }];
  const shown = withhold(view(publishedCounts([roundMonth(raw)], raw)));
  t.equal(shown.counts.assaultedPeople, 5);
  t.equal(shown.care.openOverdueSteps, SUPPRESSED, 'overdue steps withheld on 5 plans as published');
  t.equal(shown.counts.daysLost, SUPPRESSED);
});

t.test('a month with one assault: every key listed, nothing tells which', async (t) => {
  const one = rawOf([
    {
      circumstances: 'arrest',
      crewing: 'single',
      hour: 20,
      day: 5,
      offences: ['emergency_worker_common_assault'],
      equipment: [true, true, false, false, false],
      justice: 'charged',
      sentence: { sentenced: false, custody: false, months: 1, aggravation: 'not_recorded' },
      days: 3,
      victims: [
        {
          role: 'pcso',
          band: null,
          injured: true,
          hospital: 'none',
          daysLost: 2,
          training: true,
          staff: null,
          plan: true,
          first: 'on_time',
          overdue: 3,
          trim: 'none',
          due: 1,
          onTime: 1,
        },
      ],
    },
  ]);
  const s = withhold(view(publishedCounts([roundMonth(one)], one)));
  for (const [dim, list] of Object.entries(s.breakdowns)) {
    t.same(
      list.map((b) => b.key),
      BREAKDOWN_KEYS[dim],
      `${dim}: every key, in the fixed order`,
    );
    t.ok(
      list.every((b) => b.count === 0),
      `${dim}: all 0 (1 rounds to 0)`,
    );
  }
  t.equal(s.counts.incidents, 0);
  t.equal(s.justice.medianDaysToCharge, SUPPRESSED, 'a median over one case is withheld, not null');
});
