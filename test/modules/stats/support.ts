// Helpers for the statistics tests (not a test file itself): summary and series calls, small builders for
// expected figures, a CSV reader, and the doc's metric-to-value mapping (docs/statistics.md, Series).
import type t from 'tap';
import type { RawStats } from '../../../src/modules/stats/queries.ts';
import type { TestApp } from '../../helper.ts';

export type T = Parameters<Parameters<typeof t.test>[0]>[0];

/** A withheld figure (src/modules/stats/schemas.ts SUPPRESSED). */
export const S = '[c]' as const;
type N = number | typeof S;

export interface Share {
  numerator: N;
  denominator: N;
  value: N | null;
}

export interface Summary {
  forceId: string | null;
  forceName: string;
  headcount: { officers: number; constables: number; asOf: string; forces: number } | null;
  counts: Record<'incidents' | 'assaultedPeople' | 'withInjury' | 'withoutInjury' | 'attendedHospital' | 'hospitalised' | 'daysLost' | 'repeatVictims', N>;
  rates: { perThousandOfficers: Share; perThousandConstables: Share };
  breakdowns: Record<
    'circumstances' | 'offence' | 'crewing' | 'hourOfDay' | 'dayOfWeek' | 'victimRole' | 'serviceBand' | 'safetyTrainingInDate',
    { key: string; count: N }[]
  >;
  equipment: Record<'bodyWornVideoWorn' | 'bodyWornVideoActivated' | 'spitAndBiteGuardUsed' | 'taserDrawn' | 'taserDischarged', Share>;
  justice: { chargeRate: Share; convictionRate: Share; outOfCourtRate: Share; medianDaysToCharge: N | null; medianDaysToCourtResult: N | null };
  care: { firstStepOnTime: Share; plansComplete: Share; openOverdueSteps: N };
  trim: { offered: N; accepted: N; completed: N };
  victimsCode: { updatesOnTime: Share };
  deterrent: { custodyRate: Share; medianCustodyMonths: N | null; aggravationStated: Share; outOfCourtDisposals: { key: string; count: N }[] };
}

/** Out-of-court disposal types, in the order published (src/modules/stats/schemas.ts OUT_OF_COURT_DISPOSALS). */
export const DISPOSALS = ['caution', 'community_resolution', 'penalty_notice_for_disorder', 'cannabis_khat_warning', 'diversionary'] as const;

/** The deterrent figures: shares and median as given, out-of-court disposals by type (types not named: 0). */
export function deterrent(
  figures: { custodyRate?: Share; medianCustodyMonths?: N | null; aggravationStated?: Share } = {},
  disposals: Partial<Record<(typeof DISPOSALS)[number], N>> = {},
): Summary['deterrent'] {
  return {
    custodyRate: figures.custodyRate ?? share(0, 0, null),
    medianCustodyMonths: figures.medianCustodyMonths ?? null,
    aggravationStated: figures.aggravationStated ?? share(0, 0, null),
    outOfCourtDisposals: DISPOSALS.map((key) => ({ key, count: disposals[key] ?? 0 })),
  };
}

export interface SummaryResponse {
  from: string;
  to: string;
  days: number;
  pendingSince: string | null;
  notice: string;
  forces: Summary[];
  total: Summary;
}

export interface Point {
  period: string;
  from: string;
  to: string;
  value: N | null;
}

export interface SeriesResponse {
  metric: string;
  interval: string;
  notice: string;
  forces: { forceId: string; forceName: string; points: Point[] }[];
  total: Point[];
}

/** A share or rate: { numerator, denominator, value }. */
export const share = (numerator: N, denominator: N, value: N | null): Share => ({ numerator, denominator, value });

/** A breakdown written as [key, count] pairs, in the order expected (sorted by key). */
export const list = (...pairs: [string, N][]) => pairs.map(([key, count]) => ({ key, count }));

/** The figures of a force with nothing recorded in the period. */
export function emptySummary(forceId: string | null, forceName: string, headcount: Summary['headcount'] = null): Summary {
  const zero = share(0, 0, null);
  return {
    forceId,
    forceName,
    headcount,
    counts: { incidents: 0, assaultedPeople: 0, withInjury: 0, withoutInjury: 0, attendedHospital: 0, hospitalised: 0, daysLost: 0, repeatVictims: 0 },
    rates: {
      perThousandOfficers: share(0, headcount?.officers ?? 0, headcount ? 0 : null),
      perThousandConstables: share(0, headcount?.constables ?? 0, headcount ? 0 : null),
    },
    breakdowns: { circumstances: [], offence: [], crewing: [], hourOfDay: [], dayOfWeek: [], victimRole: [], serviceBand: [], safetyTrainingInDate: [] },
    equipment: { bodyWornVideoWorn: zero, bodyWornVideoActivated: zero, spitAndBiteGuardUsed: zero, taserDrawn: zero, taserDischarged: zero },
    justice: { chargeRate: zero, convictionRate: zero, outOfCourtRate: zero, medianDaysToCharge: null, medianDaysToCourtResult: null },
    care: { firstStepOnTime: zero, plansComplete: zero, openOverdueSteps: 0 },
    trim: { offered: 0, accepted: 0, completed: 0 },
    victimsCode: { updatesOnTime: zero },
    deterrent: deterrent(),
  };
}

export function summaryUrl(q: { forceId?: string; from: string; to: string }): string {
  const params = new URLSearchParams();
  if (q.forceId) params.set('forceId', q.forceId);
  params.set('from', q.from);
  params.set('to', q.to);
  return `/v1/stats/summary?${params.toString()}`;
}

export function seriesUrl(q: { forceId?: string; from: string; to: string; metric: string; interval: string; forces?: string }): string {
  const params = new URLSearchParams();
  if (q.forceId) params.set('forceId', q.forceId);
  if (q.forces) params.set('forces', q.forces);
  params.set('metric', q.metric);
  params.set('interval', q.interval);
  params.set('from', q.from);
  params.set('to', q.to);
  return `/v1/stats/series?${params.toString()}`;
}

/** GET /v1/stats/summary; throws unless 200. */
export async function summary(h: TestApp, key: string, q: { forceId?: string; from: string; to: string }): Promise<SummaryResponse> {
  const res = await h.call(key, { method: 'GET', url: summaryUrl(q) });
  if (res.statusCode !== 200) throw new Error(`summary ${summaryUrl(q)}: ${res.statusCode} ${res.body}`);
  return res.json() as SummaryResponse;
}

/** GET /v1/stats/series; throws unless 200. */
export async function series(
  h: TestApp,
  key: string,
  q: { forceId?: string; from: string; to: string; metric: string; interval: string; forces?: string },
): Promise<SeriesResponse> {
  const res = await h.call(key, { method: 'GET', url: seriesUrl(q) });
  if (res.statusCode !== 200) throw new Error(`series ${seriesUrl(q)}: ${res.statusCode} ${res.body}`);
  return res.json() as SeriesResponse;
}

/** Every metric the series accepts (docs/statistics.md), and where its value sits in a summary. */
export const METRIC_OF: Record<string, (s: Summary) => N | null> = {
  incidents: (s) => s.counts.incidents,
  assaultedPeople: (s) => s.counts.assaultedPeople,
  withInjury: (s) => s.counts.withInjury,
  withoutInjury: (s) => s.counts.withoutInjury,
  attendedHospital: (s) => s.counts.attendedHospital,
  hospitalised: (s) => s.counts.hospitalised,
  daysLost: (s) => s.counts.daysLost,
  repeatVictims: (s) => s.counts.repeatVictims,
  perThousandOfficers: (s) => s.rates.perThousandOfficers.value,
  perThousandConstables: (s) => s.rates.perThousandConstables.value,
  bodyWornVideoWorn: (s) => s.equipment.bodyWornVideoWorn.value,
  bodyWornVideoActivated: (s) => s.equipment.bodyWornVideoActivated.value,
  spitAndBiteGuardUsed: (s) => s.equipment.spitAndBiteGuardUsed.value,
  taserDrawn: (s) => s.equipment.taserDrawn.value,
  taserDischarged: (s) => s.equipment.taserDischarged.value,
  chargeRate: (s) => s.justice.chargeRate.value,
  convictionRate: (s) => s.justice.convictionRate.value,
  outOfCourtRate: (s) => s.justice.outOfCourtRate.value,
  medianDaysToCharge: (s) => s.justice.medianDaysToCharge,
  medianDaysToCourtResult: (s) => s.justice.medianDaysToCourtResult,
  firstStepOnTime: (s) => s.care.firstStepOnTime.value,
  plansComplete: (s) => s.care.plansComplete.value,
  openOverdueSteps: (s) => s.care.openOverdueSteps,
  trimOffered: (s) => s.trim.offered,
  trimAccepted: (s) => s.trim.accepted,
  trimCompleted: (s) => s.trim.completed,
  victimsCodeOnTime: (s) => s.victimsCode.updatesOnTime.value,
  custodyRate: (s) => s.deterrent.custodyRate.value,
  medianCustodyMonths: (s) => s.deterrent.medianCustodyMonths,
  aggravationStated: (s) => s.deterrent.aggravationStated.value,
};

/** RFC 4180 CSV into rows of cells (quoted cells, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects keyed by the header row. */
export function csvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  return { header, records: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

/** Every leaf of a summary as a CSV column name (breakdowns as breakdowns.<dimension>.<key>) and its cell text. */
export function flatCells(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(value)) {
    for (const b of value as { key: string; count: unknown }[]) out[`${prefix}.${b.key}`] = String(b.count);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatCells(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = value === null || value === undefined ? '' : String(value);
  }
  return out;
}

const MEDIANS = new Set(['medianDaysToCharge', 'medianDaysToResult', 'medianCustodyMonths']);

/** The differences between two answers ('' when equal): every key, every field; medians within 1e-9. */
export function differences(expected: Map<string, RawStats>, actual: Map<string, RawStats>): string[] {
  const out: string[] = [];
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  for (const k of keys) {
    const e = expected.get(k);
    const a = actual.get(k);
    if (!e || !a) {
      out.push(`${k}: ${e ? 'missing from the rollup' : 'only in the rollup'}`);
      continue;
    }
    for (const field of Object.keys(e) as (keyof RawStats)[]) {
      const [x, y] = [e[field], a[field]];
      if (MEDIANS.has(field)) {
        const same = x === null || y === null ? x === y : Math.abs((x as number) - (y as number)) <= 1e-9;
        if (!same) out.push(`${k}.${field}: reference ${String(x)}, rollup ${String(y)}`);
      } else if (JSON.stringify(x) !== JSON.stringify(y)) {
        out.push(`${k}.${field}: reference ${JSON.stringify(x)}, rollup ${JSON.stringify(y)}`);
      }
    }
    for (const field of Object.keys(a)) if (!(field in e)) out.push(`${k}.${field}: only in the rollup`);
  }
  return out;
}
