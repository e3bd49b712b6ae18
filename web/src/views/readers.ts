// Federation rep: cases with filters, one case (with sentences and whether the s.67 aggravation was stated), CSV.
// Analyst: the summary of a period and force, and the series chart (drawn from the series data, with its table).
import { api, ok } from '../api.ts';
import { h, s, show } from '../dom.ts';
import { date, label } from '../format.ts';
import type { OarSchema } from '../../../clients/typescript/index.ts';
import { busy, button, heading, input, link, p, select, summaryList, table, values } from '../ui.ts';

type CaseStatus = OarSchema<'Case'>['status'];
const STATUSES: CaseStatus[] = ['under_investigation', 'charged', 'awaiting_court', 'convicted', 'not_convicted', 'closed_without_charge'];

export async function casesView(view: HTMLElement, query: URLSearchParams): Promise<void> {
  const filters = { status: query.get('status') ?? '', occurredFrom: query.get('from') ?? '', occurredTo: query.get('to') ?? '' };
  const q = {
    limit: 100,
    ...(filters.status ? { status: filters.status as CaseStatus } : {}),
    ...(filters.occurredFrom ? { occurredFrom: `${filters.occurredFrom}T00:00:00Z` } : {}),
    ...(filters.occurredTo ? { occurredTo: `${filters.occurredTo}T23:59:59Z` } : {}),
  };
  const page = await busy(view, () => ok(api().GET('/v1/cases', { params: { query: q } })));
  const form: HTMLFormElement = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        const v = values(form);
        location.hash = `#/cases?${new URLSearchParams({ status: v.status ?? '', from: v.from ?? '', to: v.to ?? '' })}`;
      },
    },
    select({ name: 'status', label: 'Status', value: filters.status, options: [['', 'Any status'], ...STATUSES.map((x): [string, string] => [x, label(x)])] }),
    input({ name: 'from', label: 'Occurred from', type: 'date', value: filters.occurredFrom }),
    input({ name: 'to', label: 'Occurred to (inclusive)', type: 'date', value: filters.occurredTo }),
    h(
      'div',
      { class: 'govuk-button-group' },
      button('Apply filters', () => undefined, { type: 'submit' }),
      button('Download CSV', () => void downloadCsv(q), { kind: 'secondary' }),
    ),
  );
  show(
    view,
    heading('Cases'),
    form,
    page.items.length
      ? table(
          `${page.items.length} case${page.items.length === 1 ? '' : 's'}`,
          ['Incident', 'Occurred', 'Offences', 'Status'],
          page.items.map((c) => [link(c.incidentReference, `#/cases/${c.incidentId}`), date(c.occurredAt), c.offences.map(label).join(', '), label(c.status)]),
          { id: 'cases-table' },
        )
      : p('No cases match these filters.'),
  );
}

async function downloadCsv(query: Record<string, unknown>) {
  const { data } = await api().GET('/v1/cases', { params: { query: query as never }, headers: { accept: 'text/csv' }, parseAs: 'text' });
  const url = URL.createObjectURL(new Blob([String(data ?? '')], { type: 'text/csv' }));
  const a = h('a', { href: url, download: `cases-${new Date().toISOString().slice(0, 10)}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const AGGRAVATION: Record<string, string> = { yes: 'Stated in court', no: 'Not stated', not_recorded: 'Not recorded' };

export async function caseView(view: HTMLElement, id: string): Promise<void> {
  const c = await busy(view, () => ok(api().GET('/v1/cases/{incidentId}', { params: { path: { incidentId: id } } })));
  show(
    view,
    link('Back to the cases', '#/cases', { class: 'govuk-back-link' }),
    heading(`Case ${c.incidentReference}`),
    summaryList([
      ['Status', label(c.status)],
      ['Occurred', date(c.occurredAt)],
      ['Offences', c.offences.map(label).join(', ')],
      ['Outcome', c.outcome ? `${c.outcome.code}: ${c.outcome.label}` : 'Not yet'],
      [
        'Officers',
        c.officers
          .map((o) => (o.federationConsent ? `${label(o.role)}, ${o.staffNumber ?? 'no staff number'}` : 'Not identified (no federation consent)'))
          .join('; '),
      ],
    ]),
    ...c.defendants.map((d) =>
      table(
        `Charges against ${d.label}`,
        ['Charge', 'Charged', 'Result', 'Sentence', 's.67 aggravation'],
        d.charges.map((ch) => [
          label(ch.offence),
          date(ch.chargedAt),
          ch.result ? `${label(ch.result.result)} (${date(ch.result.at)})` : 'Awaiting',
          ch.sentences.map((x) => label(x.sentence)).join(', ') || 'None',
          ch.sentences.map((x) => AGGRAVATION[x.aggravationStated] ?? x.aggravationStated).join(', ') || 'None',
        ]),
      ),
    ),
  );
}

export async function statsView(view: HTMLElement, query: URLSearchParams): Promise<void> {
  const year = new Date().getUTCFullYear();
  const from = query.get('from') || `${year - 1}-01-01`;
  const to = query.get('to') || `${year}-12-31`;
  const forceId = query.get('force') || undefined;
  const [forces, summary, series] = await busy(view, () =>
    Promise.all([
      ok(api().GET('/v1/forces')),
      ok(api().GET('/v1/stats/summary', { params: { query: { from, to, ...(forceId ? { forceId } : {}) } } })),
      ok(api().GET('/v1/stats/series', { params: { query: { from, to, metric: 'incidents', interval: 'month', ...(forceId ? { forceId } : {}) } } })),
    ]),
  );
  const forceList = (Array.isArray(forces) ? forces : ((forces as { items?: unknown[] }).items ?? [])) as { id: string; name: string }[];
  const form: HTMLFormElement = h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        const v = values(form);
        location.hash = `#/stats?${new URLSearchParams({ from: v.from ?? '', to: v.to ?? '', force: v.force ?? '' })}`;
      },
    },
    input({ name: 'from', label: 'From', type: 'date', value: from }),
    input({ name: 'to', label: 'To', type: 'date', value: to }),
    select({
      name: 'force',
      label: 'Force',
      value: forceId ?? '',
      options: [['', 'All forces you may see'], ...forceList.map((f): [string, string] => [f.id, f.name])],
    }),
    button('Show figures', () => undefined, { type: 'submit' }),
  );
  const counts = summary.total.counts as Record<string, number | string | null>;
  show(
    view,
    heading('Statistics'),
    form,
    h('h2', { class: 'govuk-heading-m' }, `${summary.total.forceName}, ${date(summary.from)} to ${date(summary.to)}`),
    summaryList(
      Object.entries(counts).map(([k, v]): [string, string] => [label(k.replace(/([A-Z])/g, '_$1').toLowerCase()), v === null ? 'Not available' : String(v)]),
    ),
    h('h2', { class: 'govuk-heading-m' }, 'Incidents by month'),
    chart(series.total),
    table(
      'Incidents by month (the chart’s data)',
      ['Month', 'Incidents'],
      series.total.map((pt) => [pt.period, pt.value === null ? 'Not available' : String(pt.value)]),
    ),
    p(summary.notice),
  );
}

/** A bar chart of a series, as SVG made of DOM nodes (no inline style: the page's CSP has none). */
export function chart(points: { period: string; value: number | string | null }[]): SVGElement {
  const W = 640;
  const H = 240;
  const pad = 30;
  const nums = points.map((x) => (typeof x.value === 'number' ? x.value : 0));
  const max = Math.max(1, ...nums);
  const bw = (W - pad * 2) / Math.max(1, points.length);
  const bars = points.map((pt, i) => {
    const v = nums[i]!;
    const bh = ((H - pad * 2) * v) / max;
    return s(
      'g',
      {},
      s(
        'rect',
        {
          class: 'oar-chart__bar',
          x: (pad + i * bw + 2).toFixed(1),
          y: (H - pad - bh).toFixed(1),
          width: Math.max(1, bw - 4).toFixed(1),
          height: bh.toFixed(1),
        },
        s('title', {}, `${pt.period}: ${pt.value ?? 'not available'}`),
      ),
      points.length <= 24 ? s('text', { x: (pad + i * bw + bw / 2).toFixed(1), y: H - pad + 14, 'text-anchor': 'middle' }, pt.period.slice(-2)) : null,
    );
  });
  return s(
    'svg',
    {
      class: 'oar-chart',
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': `Bar chart of incidents by month, highest ${max}. The table below has the figures.`,
    },
    s('line', { class: 'oar-chart__axis', x1: pad, y1: H - pad, x2: W - pad, y2: H - pad }),
    s('text', { x: 2, y: pad }, String(max)),
    ...bars,
  );
}
