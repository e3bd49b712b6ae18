// The attacker's side of disclosure control (not a test file itself): every linear relation a statistics answer
// publishes, as a system over the true values, and a solver-like check that no cell is pinned to one value by them.
//
// A cell's true value is known to lie in its published range: a count rounded to the nearest multiple of 5 (the top
// of each tree: incidents, people, ...) within 2 of it, a count rounded by controlled rounding (either multiple of 5
// next to it) within 4, a withheld one ("<5"/"[c]") anywhere from 0 up. The relations are those the definitions
// publish (docs/statistics.md): a total is the sum of its breakdown's cells, a subset (a share's numerator, injured
// people, hospitalised people, ...) plus its unpublished rest is its total, a share's denominator is the count it
// names, and a period's count is the sum of its months'. A cell is pinned when every assignment of true values that
// satisfies all of that has the same value in it. The check finds, for every cell, a second assignment that
// differs there (a witness), or reports the cell as pinned.
import { BREAKDOWN_KEYS } from '../../../src/modules/stats/disclosure.ts';
import { OUT_OF_COURT_DISPOSALS as DISPOSALS } from '../../../src/modules/stats/schemas.ts';

const BIG = 1_000_000;

interface Variable {
  lo: number;
  hi: number;
  truth: number;
  /** The relations this variable is in. */
  relations: number[];
}

/** A system of relations sum(coefficient x value) = 0 over named integer variables with ranges. */
export class LinearSystem {
  readonly vars = new Map<string, Variable>();
  readonly relations: [string, number][][] = [];

  variable(name: string, lo: number, hi: number, truth: number): void {
    if (truth < lo || truth > hi) throw new Error(`${name}: the true value ${truth} is outside its published range ${lo}..${hi}`);
    this.vars.set(name, { lo, hi, truth, relations: [] });
  }

  /** total = sum(parts). */
  relate(total: string, parts: string[]): void {
    const terms: [string, number][] = [[total, 1], ...parts.map((p) => [p, -1] as [string, number])];
    for (const [name] of terms) if (!this.vars.has(name)) throw new Error(`relation over an unknown cell ${name}`);
    const residual = terms.reduce((a, [n, c]) => a + c * this.vars.get(n)!.truth, 0);
    if (residual !== 0) throw new Error(`the true values do not satisfy ${total} = ${parts.join(' + ')}`);
    for (const [name] of terms) this.vars.get(name)!.relations.push(this.relations.length);
    this.relations.push(terms);
  }

  /** The cells pinned to one value by the published ranges and relations (empty: nothing can be derived). */
  pinned(budget = 20_000): string[] {
    const index = new Map([...this.vars.keys()].map((n, i) => [n, i]));
    const solver = {
      vars: [...this.vars.values()],
      terms: this.relations.map((r) => r.map(([n, c]) => [index.get(n)!, c] as [number, number])),
    };
    return [...this.vars.keys()].filter((_, i) => !moves(solver, i, 1, budget) && !moves(solver, i, -1, budget));
  }
}

interface Solver {
  vars: Variable[];
  terms: [number, number][][];
}

/** True when a second solution exists with cell i moved by `step`: the relations it breaks repaired one by one. */
function moves(s: Solver, i: number, step: number, budget: number): boolean {
  const v = s.vars[i]!;
  if (v.truth + step < v.lo || v.truth + step > v.hi) return false;
  const x = s.vars.map((u) => u.truth);
  const residual = s.terms.map(() => 0);
  const changed = new Set<number>();
  const set = (k: number, value: number) => {
    for (const r of s.vars[k]!.relations) residual[r]! += s.terms[r]!.find(([n]) => n === k)![1] * (value - x[k]!);
    x[k] = value;
  };
  const nodes = { left: budget };
  const repair = (pending: number[]): boolean => {
    if (nodes.left-- <= 0) return false;
    const broken = pending.find((r) => residual[r] !== 0);
    if (broken === undefined) return true;
    const need = residual[broken]!;
    for (const [k, c] of s.terms[broken]!) {
      if (changed.has(k)) continue;
      const u = s.vars[k]!;
      const next = x[k]! - need * c;
      if (next < u.lo || next > u.hi) continue;
      set(k, next);
      changed.add(k);
      if (repair([...pending.filter((r) => residual[r] !== 0), ...u.relations])) return true;
      changed.delete(k);
      set(k, u.truth);
    }
    return false;
  };
  set(i, v.truth + step);
  changed.add(i);
  return repair([...v.relations]);
}

const I = 'counts.incidents';
const P = 'counts.assaultedPeople';
const EQUIPMENT = ['bodyWornVideoWorn', 'bodyWornVideoActivated', 'spitAndBiteGuardUsed', 'taserDrawn', 'taserDischarged'];
const cellsOf = (dim: string) => BREAKDOWN_KEYS[dim]!.map((k) => `breakdowns.${dim}.${k}`);
const role = (r: string) => `breakdowns.victimRole.${r}`;

/** Every relation an answer publishes: [total, parts, complete] (incomplete: the parts plus an unpublished rest). */
export const PUBLISHED_RELATIONS: [string, string[], boolean][] = [
  ...['circumstances', 'crewing', 'hourOfDay', 'dayOfWeek'].map((d) => [I, cellsOf(d), true] as [string, string[], boolean]),
  ...cellsOf('offence').map((c) => [I, [c], false] as [string, string[], boolean]),
  ...EQUIPMENT.flatMap((e): [string, string[], boolean][] => [
    [`equipment.${e}.denominator`, [I], true],
    [`equipment.${e}.denominator`, [`equipment.${e}.numerator`], false],
  ]),
  ['justice.chargeRate.denominator', [I], true],
  ['justice.chargeRate.denominator', ['justice.chargeRate.numerator'], false],
  ['justice.outOfCourtRate.denominator', [I], true],
  ['justice.outOfCourtRate.denominator', ['justice.outOfCourtRate.numerator'], false],
  [I, ['justice.convictionRate.denominator'], false],
  ['justice.convictionRate.denominator', ['justice.convictionRate.numerator'], false],
  [P, ['counts.withInjury', 'counts.withoutInjury'], true],
  [P, ['counts.attendedHospital'], false],
  ['counts.attendedHospital', ['counts.hospitalised'], false],
  [P, cellsOf('victimRole'), true],
  ['rates.perThousandOfficers.numerator', ['constable', 'sergeant', 'inspector_and_above'].map(role), true],
  ['rates.perThousandConstables.numerator', [role('constable')], true],
  [P, cellsOf('serviceBand'), true],
  [P, cellsOf('safetyTrainingInDate'), true],
  [P, ['care.plansComplete.denominator'], false],
  ['care.plansComplete.denominator', ['care.firstStepOnTime.denominator'], false],
  ['care.firstStepOnTime.denominator', ['care.firstStepOnTime.numerator'], false],
  ['care.plansComplete.denominator', ['care.plansComplete.numerator'], false],
  ['trim.offered', ['trim.accepted'], false],
  ['trim.offered', ['trim.completed'], false],
  ['victimsCode.updatesOnTime.denominator', ['victimsCode.updatesOnTime.numerator'], false],
  // The deterrent: out-of-court incidents by disposal; sentenced defendants, those in custody, those with s.67 recorded
  // and, of those, stated.
  ['justice.outOfCourtRate.numerator', DISPOSALS.map((d) => `deterrent.outOfCourtDisposals.${d}`), true],
  ['deterrent.custodyRate.denominator', ['deterrent.custodyRate.numerator'], false],
  ['deterrent.custodyRate.denominator', ['deterrent.aggravationStated.denominator'], false],
  ['deterrent.aggravationStated.denominator', ['deterrent.aggravationStated.numerator'], false],
];

/** Counts published on their own (no relation but their range). */
const STANDALONE = ['counts.daysLost', 'counts.repeatVictims', 'care.openOverdueSteps'];
/** Counts at the top of a rounding tree: rounded to the nearest multiple of 5. */
export const ROOTS = new Set([I, P, ...STANDALONE, 'trim.offered', 'victimsCode.updatesOnTime.denominator', 'deterrent.custodyRate.denominator']);
/** Counts that are sums over months (a period's is the sum of its months'). */
export const ADDITIVE = () => [...new Set(PUBLISHED_RELATIONS.flatMap(([t, parts]) => [t, ...parts]))].concat(['counts.daysLost', 'care.openOverdueSteps']);

/** The value at a path of a summary; breakdown lists by key. */
export function at(summary: unknown, path: string): unknown {
  let v: unknown = summary;
  for (const part of path.split('.')) {
    if (Array.isArray(v)) v = (v as { key: string; count: unknown }[]).find((b) => b.key === part)?.count ?? 0;
    else v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Adds one answer's cells and relations to the system, under `prefix`. `published`: what the audience sees;
 * `exact`: the true figures (the analyst's answer). `ranged`: the published counts carry their rounding range
 * (false: a sum of other answers' counts, ranged through that relation instead). `relations`: false for a period
 * made of months already in the system: its own relations follow from theirs and its sums (they constrain nothing
 * more), so only its cells are added, to be related to its months.
 */
export function addAnswer(sys: LinearSystem, prefix: string, published: unknown, exact: unknown, ranged: boolean, relations = true): void {
  const cell = (path: string) => {
    const name = `${prefix}${path}`;
    if (sys.vars.has(name)) return name;
    const p = at(published, path);
    const truth = Number(at(exact, path) ?? 0);
    const width = ROOTS.has(path) ? 2 : 4;
    if (typeof p === 'number' && ranged) sys.variable(name, Math.max(0, p - width), p + width, truth);
    else sys.variable(name, 0, BIG, truth);
    return name;
  };
  for (const path of STANDALONE) cell(path);
  if (!relations) {
    for (const path of ADDITIVE()) cell(path);
    return;
  }
  for (const [total, parts, complete] of PUBLISHED_RELATIONS) {
    const names = parts.map(cell);
    if (!complete) {
      const rest = `${prefix}${total}-(${parts.join('+')})`;
      const pt = at(published, total);
      const pp = parts.map((p) => at(published, p));
      const truth = Number(at(exact, total) ?? 0) - parts.reduce((a, p) => a + Number(at(exact, p) ?? 0), 0);
      // The rest is rounded with its parts (controlled rounding): within 4 of what the published figures leave.
      const left = typeof pt === 'number' && pp.every((x) => typeof x === 'number') ? pt - pp.reduce<number>((a, x) => a + (x as number), 0) : null;
      if (!sys.vars.has(rest)) sys.variable(rest, left !== null && ranged ? Math.max(0, left - 4) : 0, left !== null && ranged ? left + 4 : BIG, truth);
      names.push(rest);
    }
    sys.relate(cell(total), names);
  }
}
