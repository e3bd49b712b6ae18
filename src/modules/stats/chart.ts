// GET /v1/stats/series as an SVG line chart (Accept: image/svg+xml), drawn on the server from the series answer:
// d3-scale for the axes and d3-shape for the lines' paths, as plain strings (no DOM, no browser). Accessible: role
// img with a <title> and a <desc> saying in words what the chart shows, text of 12 px or more, and each line told
// apart by colour, dash pattern and marker shape. Withheld points ([c], the protected view) are gaps with a
// labelled "[c]" marker; points with no figure (null) are gaps. What is drawn: docs/statistics.md, Series.
import { scaleLinear, scalePoint } from 'd3-scale';
import { line as linePath } from 'd3-shape';
import type { z } from 'zod';
import { SUPPRESSED, type Metric, type SeriesResponseSchema } from './schemas.ts';

type Series = z.output<typeof SeriesResponseSchema>;
type Point = Series['total'][number];

type Kind = 'count' | 'rate' | 'share' | 'days' | 'months';

/** Each metric in words, and the kind of figure it is (how its values are written). */
const METRIC_TEXT: Record<Metric, readonly [string, Kind]> = {
  incidents: ['Incidents', 'count'],
  assaultedPeople: ['Assaulted people', 'count'],
  withInjury: ['Assaulted people injured', 'count'],
  withoutInjury: ['Assaulted people not injured', 'count'],
  attendedHospital: ['Assaulted people who attended hospital', 'count'],
  hospitalised: ['Assaulted people admitted to hospital', 'count'],
  daysLost: ['Working days lost', 'count'],
  repeatVictims: ['Repeat victims', 'count'],
  perThousandOfficers: ['Assaults on police officers per 1,000 officers', 'rate'],
  perThousandConstables: ['Assaults on constables per 1,000 constables', 'rate'],
  bodyWornVideoWorn: ['Incidents with body-worn video worn', 'share'],
  bodyWornVideoActivated: ['Incidents with body-worn video activated', 'share'],
  spitAndBiteGuardUsed: ['Incidents with a spit and bite guard used', 'share'],
  taserDrawn: ['Incidents with Taser drawn', 'share'],
  taserDischarged: ['Incidents with Taser discharged', 'share'],
  chargeRate: ['Charge rate', 'share'],
  convictionRate: ['Conviction rate', 'share'],
  outOfCourtRate: ['Out-of-court rate', 'share'],
  medianDaysToCharge: ['Median days to charge', 'days'],
  medianDaysToCourtResult: ['Median days to court result', 'days'],
  firstStepOnTime: ['Care plans with the first step on time', 'share'],
  plansComplete: ['Care plans complete', 'share'],
  openOverdueSteps: ['Open overdue care steps', 'count'],
  trimOffered: ['TRiM referrals offered', 'count'],
  trimAccepted: ['TRiM referrals accepted', 'count'],
  trimCompleted: ['TRiM referrals completed', 'count'],
  victimsCodeOnTime: ["Victims' Code updates on time", 'share'],
  custodyRate: ['Custody rate (immediate custody among sentenced defendants)', 'share'],
  medianCustodyMonths: ['Median custodial length', 'months'],
  aggravationStated: ['Sentences with the emergency-worker aggravation stated', 'share'],
};

const UNIT: Record<Kind, string> = { count: 'number', rate: 'per year', share: '%', days: 'days', months: 'months' };

/** How a value is written, in the chart and its description. */
function formatter(kind: Kind): (v: number) => string {
  if (kind === 'share') return (v) => `${(v * 100).toFixed(1)}%`;
  if (kind === 'rate') return (v) => v.toFixed(2);
  if (kind === 'count') return (v) => v.toLocaleString('en-GB');
  return (v) => v.toFixed(1);
}

/** Colour (each at least 4.5:1 on white), dash pattern and marker shape of each line, in order: never colour alone. */
const STYLES = [
  { colour: '#0b0c0c', dash: '', marker: 'circle', dashName: 'solid' },
  { colour: '#1d70b8', dash: '9 5', marker: 'square', dashName: 'dashed' },
  { colour: '#d4351c', dash: '2 4', marker: 'triangle', dashName: 'dotted' },
  { colour: '#00703c', dash: '12 4 3 4', marker: 'diamond', dashName: 'dash-dot' },
  { colour: '#4c2c92', dash: '16 6', marker: 'cross', dashName: 'long-dashed' },
] as const;
type Style = (typeof STYLES)[number];

/** With more forces than this the chart draws only their total (a chart of 44 lines is read by nobody). */
export const MAX_FORCE_LINES = STYLES.length - 1;

interface Line {
  name: string;
  points: Point[];
  style: Style;
}

/** The lines drawn: one force alone; up to MAX_FORCE_LINES forces and their total; else the total only (said in the desc). */
function linesOf(s: Series): { lines: Line[]; note: string } {
  const styled = (list: { name: string; points: Point[] }[]) => list.map((l, i) => ({ ...l, style: STYLES[i]! }));
  if (s.forces.length === 0) return { lines: styled([{ name: 'Total of the forces in scope', points: s.total }]), note: '' };
  if (s.forces.length === 1) return { lines: styled([{ name: s.forces[0]!.forceName, points: s.forces[0]!.points }]), note: '' };
  const total = { name: `Total of ${s.forces.length} forces`, points: s.total };
  if (s.forces.length > MAX_FORCE_LINES)
    return { lines: styled([total]), note: ` Only the total is drawn; each force's own series is in the JSON and CSV answers.` };
  return { lines: styled([total, ...s.forces.map((f) => ({ name: f.forceName, points: f.points }))]), note: '' };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (p: Point): p is Point & { value: number } => typeof p.value === 'number';

/** Words wrapped to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + word.length + 1 > width) {
      out.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) out.push(current);
  return out;
}

/** One line in words: its first and last points, lowest and highest, and how many are withheld or missing. */
function describeLine(l: Line, fmt: (v: number) => string): string {
  const shown = l.points.filter(num);
  const withheld = l.points.filter((p) => p.value === SUPPRESSED).length;
  const missing = l.points.filter((p) => p.value === null).length;
  const say = (p: Point) => `${p.period} ${num(p) ? fmt(p.value) : p.value === SUPPRESSED ? `${SUPPRESSED} (withheld)` : 'no figure'}`;
  const counts = `${withheld} of ${l.points.length} points withheld (${SUPPRESSED}), ${missing} with no figure.`;
  if (shown.length === 0) return `${l.name} (${l.style.dashName} line): nothing to draw; ${counts}`;
  const low = shown.reduce((a, p) => (p.value < a.value ? p : a));
  const high = shown.reduce((a, p) => (p.value > a.value ? p : a));
  return (
    `${l.name} (${l.style.dashName} line, ${l.style.marker} markers): first ${say(l.points[0]!)}, last ${say(l.points.at(-1)!)}; ` +
    `lowest ${fmt(low.value)} (${low.period}), highest ${fmt(high.value)} (${high.period}); ${counts}`
  );
}

/** The chart's description: metric, period, forces, each line in words, and the notice. */
function describe(s: Series, lines: Line[], note: string): { title: string; desc: string; heading: string; subheading: string } {
  const [label, kind] = METRIC_TEXT[s.metric];
  const points = s.total;
  const period = points.length ? `${points[0]!.period} to ${points.at(-1)!.period}` : 'no period';
  const forces = s.forces.length === 0 ? 'the forces in scope (total only)' : s.forces.length === 1 ? s.forces[0]!.forceName : `${s.forces.length} forces`;
  const title = `${label}, ${forces}, by ${s.interval}, ${period}`;
  const heading = `${label}, ${forces}`;
  const subheading = `By ${s.interval}, ${period}. Source: Officer Assault Register (GET /v1/stats/series?metric=${s.metric}).`;
  const rate = kind === 'rate' ? ' (annualised: per 1,000 per year)' : '';
  const desc =
    `Line chart of ${label.toLowerCase()} (${UNIT[kind]})${rate} by ${s.interval} from ${points[0]?.from ?? ''} to ${points.at(-1)?.to ?? ''}, ` +
    `for ${forces}.${note} ${lines.map((l) => describeLine(l, formatter(kind))).join(' ')} ${s.notice}`;
  return { title, desc, heading, subheading };
}

/** A marker of a shape at (x, y). */
function marker(style: Style, x: number, y: number): string {
  const a = (n: number) => n.toFixed(1);
  const paint = `fill="${style.colour}" stroke="${style.colour}"`;
  switch (style.marker) {
    case 'circle':
      return `<circle cx="${a(x)}" cy="${a(y)}" r="4.5" ${paint}/>`;
    case 'square':
      return `<rect x="${a(x - 4)}" y="${a(y - 4)}" width="8" height="8" ${paint}/>`;
    case 'triangle':
      return `<path d="M${a(x)},${a(y - 5.5)}L${a(x + 5)},${a(y + 4)}L${a(x - 5)},${a(y + 4)}Z" ${paint}/>`;
    case 'diamond':
      return `<path d="M${a(x)},${a(y - 6)}L${a(x + 6)},${a(y)}L${a(x)},${a(y + 6)}L${a(x - 6)},${a(y)}Z" ${paint}/>`;
    default:
      return `<path d="M${a(x - 5)},${a(y - 5)}L${a(x + 5)},${a(y + 5)}M${a(x + 5)},${a(y - 5)}L${a(x - 5)},${a(y + 5)}" fill="none" stroke="${style.colour}" stroke-width="2.5"/>`;
  }
}

/** The labelled marker of a withheld point: a box with "[c]" in the line's colour and dash, at the foot of the plot. */
function withheldMarker(style: Style, x: number, y: number, tip?: string): string {
  const dash = style.dash ? ` stroke-dasharray="3 2"` : '';
  return (
    `<g class="${tip ? 'withheld' : 'withheld-key'}">${tip ? `<title>${esc(tip)}</title>` : ''}` +
    `<rect x="${(x - 16).toFixed(1)}" y="${(y - 11).toFixed(1)}" width="32" height="20" rx="3" fill="#ffffff" stroke="${style.colour}" stroke-width="1.5"${dash}/>` +
    `<text x="${x.toFixed(1)}" y="${(y + 4).toFixed(1)}" text-anchor="middle" font-size="13" fill="${style.colour}">${SUPPRESSED}</text></g>`
  );
}

const W = 880;
const PLOT = { left: 88, right: W - 24, top: 84, bottom: 384 };

/** The axes: y gridlines and values, x period labels (every k-th when there are many), and both axis titles. */
function axes(s: Series, x: (p: string) => number, y: ReturnType<typeof scaleLinear<number, number>>, kind: Kind): string {
  const out: string[] = [];
  const fmt = kind === 'share' ? (v: number) => `${Math.round(v * 100)}%` : y.tickFormat(6);
  for (const t of y.ticks(6)) {
    const ty = y(t).toFixed(1);
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${ty}" y2="${ty}" stroke="#b1b4b6" stroke-width="1"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${ty}" dy="0.32em" text-anchor="end" font-size="13">${esc(fmt(t))}</text>`);
  }
  const every = Math.max(1, Math.ceil(s.total.length / 12));
  s.total.forEach((p, i) => {
    if (i % every !== 0) return;
    out.push(`<text x="${x(p.period).toFixed(1)}" y="${PLOT.bottom + 20}" text-anchor="middle" font-size="13">${esc(p.period)}</text>`);
  });
  out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#0b0c0c" stroke-width="1.5"/>`);
  const [label] = METRIC_TEXT[s.metric];
  const yTitle = `${label} (${UNIT[kind]}${kind === 'rate' ? ', annualised' : ''})`;
  out.push(`<text transform="translate(20,${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="14">${esc(yTitle)}</text>`);
  const xTitle = { month: 'Month', quarter: 'Quarter', year: 'Year' }[s.interval];
  out.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 44}" text-anchor="middle" font-size="14">${xTitle}</text>`);
  return out.join('');
}

/** Each line's path (gaps where a point is withheld or missing), its markers, and its withheld points' labelled markers. */
function plotLines(lines: Line[], x: (p: string) => number, y: (v: number) => number, fmt: (v: number) => string): string {
  const out: string[] = [];
  lines.forEach((l, i) => {
    const d = linePath<Point>()
      .defined(num)
      .x((p) => x(p.period))
      .y((p) => y(p.value as number))(l.points);
    const dash = l.style.dash ? ` stroke-dasharray="${l.style.dash}"` : '';
    out.push(`<g class="series" data-name="${esc(l.name)}">`);
    if (d) out.push(`<path d="${d}" fill="none" stroke="${l.style.colour}" stroke-width="2.5"${dash}/>`);
    for (const p of l.points.filter(num))
      out.push(`<g><title>${esc(`${l.name}, ${p.period}: ${fmt(p.value)}`)}</title>${marker(l.style, x(p.period), y(p.value))}</g>`);
    for (const p of l.points.filter((q) => q.value === SUPPRESSED))
      out.push(withheldMarker(l.style, x(p.period), PLOT.bottom - 16 - i * 24, `${l.name}, ${p.period}: withheld (${SUPPRESSED})`));
    out.push('</g>');
  });
  return out.join('');
}

/** The legend (a sample of each line; the [c] marker and the gaps, when the chart has them) and the notice below it. */
function legend(lines: Line[], notice: string, top: number): { svg: string; bottom: number } {
  const out: string[] = [];
  let y = top;
  for (const l of lines) {
    const dash = l.style.dash ? ` stroke-dasharray="${l.style.dash}"` : '';
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.left + 44}" y1="${y}" y2="${y}" stroke="${l.style.colour}" stroke-width="2.5"${dash}/>`);
    out.push(marker(l.style, PLOT.left + 22, y));
    out.push(`<text x="${PLOT.left + 56}" y="${y}" dy="0.32em" font-size="14">${esc(l.name)}</text>`);
    y += 24;
  }
  const points = lines.flatMap((l) => l.points);
  if (points.some((p) => p.value === SUPPRESSED)) {
    out.push(withheldMarker(lines[0]!.style, PLOT.left + 22, y - 1));
    const text = `Withheld (disclosure control): too small a base to publish; the line has a gap there`;
    out.push(`<text x="${PLOT.left + 56}" y="${y}" dy="0.32em" font-size="14">${esc(text)}</text>`);
    y += 24;
  }
  if (points.some((p) => p.value === null)) {
    out.push(
      `<text x="${PLOT.left + 56}" y="${y}" dy="0.32em" font-size="14">A gap without a marker: no figure (nothing to divide by, or no headcount)</text>`,
    );
    y += 24;
  }
  for (const text of wrap(notice, 112)) {
    out.push(`<text x="${PLOT.left}" y="${y}" dy="0.32em" font-size="12" fill="#505a5f">${esc(text)}</text>`);
    y += 17;
  }
  return { svg: out.join(''), bottom: y };
}

/** The series as an SVG document. */
export function seriesChart(s: Series): string {
  const [, kind] = METRIC_TEXT[s.metric];
  const fmt = formatter(kind);
  const { lines, note } = linesOf(s);
  const { title, desc, heading, subheading } = describe(s, lines, note);
  const x0 = scalePoint<string>()
    .domain(s.total.map((p) => p.period))
    .range([PLOT.left, PLOT.right])
    .padding(0.5);
  const x = (p: string) => x0(p) ?? PLOT.left;
  const values = lines.flatMap((l) => l.points.filter(num).map((p) => p.value));
  const top = kind === 'share' ? 1 : Math.max(1, ...values);
  const y = scaleLinear().domain([0, top]).range([PLOT.bottom, PLOT.top]).nice();
  const foot = legend(lines, s.notice, PLOT.bottom + 76);
  const height = Math.ceil(foot.bottom + 12);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-labelledby="chart-title chart-desc" xml:lang="en-GB" font-family="Arial, Helvetica, sans-serif" fill="#0b0c0c">`,
    `<title id="chart-title">${esc(title)}</title>`,
    `<desc id="chart-desc">${esc(desc)}</desc>`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="24" y="34" font-size="20" font-weight="bold">${esc(heading)}</text>`,
    `<text x="24" y="58" font-size="14" fill="#505a5f">${esc(subheading)}</text>`,
    axes(s, x, y, kind),
    plotLines(lines, x, y, fmt),
    foot.svg,
    '</svg>',
    '',
  ].join('\n');
}
