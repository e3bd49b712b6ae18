// Extreme but well-formed periods (#20 item 3): dates outside what the service stores (years 1900-2199) are a 400
// problem naming the field on both statistics routes, never a JavaScript date error or a database error (500).
import t from 'tap';
import { buildTestApp } from '../../helper.ts';

t.test('stats periods far in the future or the past are 400 problems', async (t) => {
  const h = await buildTestApp(t);
  const analyst = await h.key(['analyst'], null);
  const periods = [
    ['9999-12-31', '9999-12-31'],
    ['0000-01-01', '0000-01-01'],
    ['0000-01-01', '2026-01-01'],
    ['2026-01-01', '9999-12-31'],
    ['1899-12-31', '1900-01-31'],
    ['2199-12-01', '2200-01-01'],
  ];
  for (const [from, to] of periods) {
    for (const url of [`/v1/stats/summary?from=${from}&to=${to}`, `/v1/stats/series?metric=incidents&from=${from}&to=${to}`]) {
      const res = await h.call(analyst, { method: 'GET', url });
      t.equal(res.statusCode, 400, url);
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
      t.ok(paths.every((p) => p === 'query.from' || p === 'query.to') && paths.length > 0, `${url} names the date: ${paths.join(', ')}`);
    }
  }
  // The edges of the range still answer.
  const edge = await h.call(analyst, { method: 'GET', url: '/v1/stats/summary?from=2199-12-01&to=2199-12-31' });
  t.equal(edge.statusCode, 200, edge.body);
});
