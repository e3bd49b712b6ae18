// Makes docs/images/stats-series.svg through the API (not a test): a year of synthetic assaults on one force,
// then the federation rep's chart of days lost by month, where months with a small base show "[c]".
// Run: npx tsx test/modules/stats/chart-example.ts
import { writeFileSync } from 'node:fs';
import { FORCE_A, incidentBody, victimBody } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';

const teardowns: (() => Promise<void> | void)[] = [];
const h = await buildTestApp({ teardown: (fn: () => Promise<void> | void) => teardowns.push(fn) } as never);
h.clock.set('2026-01-20T12:00:00Z');
const system = await h.key(['force_system'], FORCE_A, 'example force system');
const rep = await h.key(['federation_rep'], FORCE_A, 'example federation rep');
// Assaults a month (January to December 2025): some months have too few people for days lost to be published.
const perMonth = [12, 14, 6, 11, 15, 18, 13, 4, 12, 16, 7, 14];
for (const [m, n] of perMonth.entries()) {
  for (let i = 0; i < n; i++) {
    const occurredAt = `2025-${String(m + 1).padStart(2, '0')}-${String(1 + ((i * 2) % 27)).padStart(2, '0')}T${String(8 + (i % 12)).padStart(2, '0')}:00:00Z`;
    const victims = [victimBody({ daysLost: (i * 7 + m * 3) % 6 })];
    const res = await h.call(system, { method: 'POST', url: '/v1/incidents', payload: { ...incidentBody({ occurredAt }), victims } });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
}
const res = await h.call(rep, {
  method: 'GET',
  url: `/v1/stats/series?forceId=${FORCE_A}&metric=daysLost&interval=month&from=2025-01-01&to=2025-12-31`,
  headers: { accept: 'image/svg+xml' },
});
if (res.statusCode !== 200) throw new Error(res.body);
writeFileSync(new URL('../../../docs/images/stats-series.svg', import.meta.url), res.body);
for (const fn of teardowns.reverse()) await fn();
