// GET /v1/stats/series as an SVG chart (src/modules/stats/chart.ts; issue #18 item 6): well-formed XML with role img,
// a <title> and a <desc> in words; withheld points ([c], the protected view of federation reps) marked on the chart
// and in its legend, none for analysts; null points as gaps; the lines drawn for one, a few or many forces.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t from 'tap';
import { seriesChart } from '../../../src/modules/stats/chart.ts';
import { FORCE_A, incidentBody, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { seriesUrl } from './support.ts';

type Value = number | '[c]' | null;
const NOTICE = 'Recorded assaults only.';
const points = (values: Value[]) => values.map((value, i) => ({ period: `2026-0${i + 1}`, from: `2026-0${i + 1}-01`, to: `2026-0${i + 1}-28`, value }));
const force = (n: number, values: Value[]) => ({
  forceId: `019b76da-a800-71a8-a40e-525f8a6c0${String(n).padStart(3, '0')}`,
  forceName: `Force ${n}`,
  points: points(values),
});

/** The SVG parsed: it must be well-formed XML (the validator's error otherwise). */
function parse(svg: string): { svg: Record<string, any> } {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}`);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
}
const withheldMarkers = (svg: string) => svg.match(/<g class="withheld">/g)?.length ?? 0;

t.test('one force: one line, title and desc in words, [c] points marked, null points gaps', async (t) => {
  const svg = seriesChart({
    metric: 'chargeRate',
    interval: 'month',
    pendingSince: null,
    notice: NOTICE,
    forces: [force(1, [0.5, '[c]', 0.25, null, 0.75])],
    total: points([0.5, '[c]', 0.25, null, 0.75]),
  });
  const doc = parse(svg).svg;
  t.equal(doc.role, 'img');
  t.equal(doc['aria-labelledby'], 'chart-title chart-desc');
  t.equal(doc.title['#text'], 'Charge rate, Force 1, by month, 2026-01 to 2026-05');
  const desc = String(doc.desc['#text']);
  t.match(desc, 'Line chart of charge rate (%) by month from 2026-01-01 to 2026-05-28, for Force 1.');
  t.match(desc, 'first 2026-01 50.0%, last 2026-05 75.0%; lowest 25.0% (2026-03), highest 75.0% (2026-05); 1 of 5 points withheld ([c]), 1 with no figure.');
  t.match(desc, NOTICE, 'the notice is part of the description');
  t.equal(withheldMarkers(svg), 1, 'one labelled [c] marker on the chart');
  t.match(svg, /<title>Force 1, 2026-02: withheld \(\[c\]\)<\/title>/);
  t.match(svg, /class="withheld-key"/, 'the legend explains the marker');
  t.match(svg, 'A gap without a marker: no figure', 'and the gaps');
  // The line breaks at the withheld and the missing point: three pieces (M commands) for points 1, 3 and 5.
  const path = /<g class="series"[^>]*><path d="([^"]+)"/.exec(svg)![1]!;
  t.equal(path.match(/M/g)!.length, 3, 'a gap at each point without a figure');
  const sizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
  t.ok(Math.min(...sizes) >= 12, 'no text smaller than 12 px');
});

t.test('a few forces: the total and each force, told apart by dash and marker as well as colour', async (t) => {
  const svg = seriesChart({
    metric: 'incidents',
    interval: 'quarter',
    pendingSince: null,
    notice: NOTICE,
    forces: [force(1, [1, 2]), force(2, [3, 4])],
    total: points([4, 6]),
  });
  parse(svg);
  const series = [...svg.matchAll(/<g class="series" data-name="([^"]+)">(<path [^>]+>)/g)];
  t.same(
    series.map((m) => m[1]),
    ['Total of 2 forces', 'Force 1', 'Force 2'],
  );
  const dashes = series.map((m) => /stroke-dasharray="([^"]+)"/.exec(m[2]!)?.[1] ?? 'solid');
  t.equal(new Set(dashes).size, 3, 'each line its own dash pattern');
  t.equal(withheldMarkers(svg), 0);
  t.notMatch(svg, 'withheld-key', 'no [c] legend line when nothing is withheld');
});

t.test('many forces: only the total is drawn, and the description says so', async (t) => {
  const forces = Array.from({ length: 44 }, (_, i) => force(i, [i, i + 1]));
  const svg = seriesChart({ metric: 'perThousandOfficers', interval: 'year', pendingSince: null, notice: NOTICE, forces, total: points([10.5, 11.25]) });
  const doc = parse(svg).svg;
  t.equal([...svg.matchAll(/<g class="series"/g)].length, 1);
  t.match(String(doc.desc['#text']), "Only the total is drawn; each force's own series is in the JSON and CSV answers.");
  t.match(String(doc.desc['#text']), 'Total of 44 forces (solid line, circle markers): first 2026-01 10.50, last 2026-02 11.25');
});

t.test('over HTTP: the protected view marks its withheld points, the analyst view has none', async (t) => {
  const h = await buildTestApp(t);
  h.clock.set('2026-04-15T12:00:00Z');
  const system = await h.key(['force_system'], FORCE_A, 'chart force system');
  for (const occurredAt of ['2026-01-05T10:00:00Z', '2026-01-12T10:00:00Z', '2026-01-19T10:00:00Z', '2026-02-09T10:00:00Z', '2026-02-16T10:00:00Z']) {
    const res = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: { ...incidentBody({ occurredAt }), victims: [victimBody()] } });
    t.equal(res.statusCode, 201, 'incident recorded');
  }
  const analyst = await h.key(['analyst'], null, 'chart analyst');
  const rep = await h.key(['federation_rep'], FORCE_A, 'chart federation rep');
  const url = seriesUrl({ forceId: FORCE_A, metric: 'chargeRate', interval: 'month', from: '2026-01-01', to: '2026-03-31' });
  const get = (key: string) => h.call(key, { method: 'GET', url, headers: { accept: 'image/svg+xml' } });

  const exact = await get(analyst);
  t.equal(exact.statusCode, 200);
  t.match(String(exact.headers['content-type']), /^image\/svg\+xml/);
  t.equal(exact.headers['cache-control'], 'no-store');
  const exactDoc = parse(exact.body).svg;
  t.equal(withheldMarkers(exact.body), 0, 'analysts: no withheld point');
  t.match(
    String(exactDoc.desc['#text']),
    'first 2026-01 0.0%, last 2026-03 no figure; lowest 0.0% (2026-01), highest 0.0% (2026-01); 0 of 3 points withheld ([c]), 1 with no figure.',
  );

  // Protected: 3, 2 and 0 incidents round to 5, 0, 0; each month's base is under 10, so every charge rate is [c].
  const shown = await get(rep);
  t.equal(shown.statusCode, 200);
  const doc = parse(shown.body).svg;
  t.equal(withheldMarkers(shown.body), 3, 'federation rep: each withheld month marked');
  t.match(String(doc.desc['#text']), 'nothing to draw; 3 of 3 points withheld ([c]), 0 with no figure.');
  t.match(String(doc.desc['#text']), 'Disclosure control', 'the protected notice');
  t.match(shown.body, /class="withheld-key"/);

  const json = await h.call(rep, { method: 'GET', url });
  t.match(String(json.headers['content-type']), /^application\/json/, 'JSON stays the default');
});
