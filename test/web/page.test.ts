// The web page's modules (web/src) in a DOM shim (happy-dom), with nothing but Node: the queue grouped by officer
// and searched, the GOV.UK radios' conditional reveal with nothing preselected, text never parsed as HTML, formats.
import { Window } from 'happy-dom';
import t from 'tap';

const window = new Window({ url: 'http://127.0.0.1/app/' });
Object.assign(globalThis, { window, document: window.document, Node: window.Node, CSS: { escape: (s: string) => s.replace(/[^\w-]/g, (c) => `\\${c}`) } });

const { groupByOfficer, matches } = await import('../../web/src/queue.ts');
const { h } = await import('../../web/src/dom.ts');
const { radios, syncReveals, errorSummary } = await import('../../web/src/ui.ts');
const { duration, label, fromInput } = await import('../../web/src/format.ts');
const { sessionFrom, loginUrl, signInMethods } = await import('../../web/src/session.ts');

const item = (victimId: string, staffNumber: string, overdueSeconds: number, dueAt: string) => ({
  kind: 'care_step' as const,
  id: `${victimId}-${dueAt}`,
  forceId: 'f',
  incidentId: `i-${victimId}`,
  incidentReference: `AS/2026/${staffNumber}`,
  victimId,
  victimRole: 'constable',
  staffNumber,
  stepKey: 'k',
  title: 'Step',
  ownerRole: 'supervisor',
  dueAt,
  overdueSeconds,
  version: 1,
});

t.test('the queue: one entry per officer, overdue and due soon apart, worst first; searched by staff number or reference', async (t) => {
  const entries = groupByOfficer([
    item('a', '0001', 0, '2026-03-02T12:00:00Z'),
    item('b', '0002', 3600, '2026-03-02T08:00:00Z'),
    item('a', '0001', 90_000, '2026-03-01T07:00:00Z'),
    item('c', '0003', 0, '2026-03-02T10:00:00Z'),
  ]);
  t.same(
    entries.map((e) => e.victimId),
    ['a', 'b', 'c'],
    'most overdue first, then the earliest due',
  );
  t.equal(entries[0]!.overdue.length, 1);
  t.equal(entries[0]!.dueSoon.length, 1);
  t.ok(matches(entries[1]!, '0002'), 'by staff number');
  t.ok(matches(entries[1]!, 'as/2026/0002'), 'by incident reference, any case');
  t.notOk(matches(entries[1]!, '0003'));
  t.ok(matches(entries[1]!, ''), 'an empty search shows all');
});

t.test('radios: nothing chosen by default, the conditional part shows only for its option', async (t) => {
  const field = radios({
    name: 'status',
    legend: 'Update',
    options: [
      { value: 'done', label: 'Done' },
      { value: 'not_applicable', label: 'Not applicable', reveal: h('p', {}, 'reason') },
    ],
  });
  document.body.append(field);
  const inputs = Array.from(field.querySelectorAll('input'));
  t.equal(inputs.filter((i) => i.checked).length, 0, 'no option preselected');
  const reveal = field.querySelector('.govuk-radios__conditional')!;
  t.ok(reveal.classList.contains('govuk-radios__conditional--hidden'), 'hidden at first');
  inputs[1]!.checked = true;
  syncReveals(field);
  t.notOk(reveal.classList.contains('govuk-radios__conditional--hidden'), 'shown when chosen');
  t.equal(inputs[1]!.getAttribute('aria-expanded'), 'true');
  t.equal(field.querySelector('legend')!.textContent, 'Update', 'a legend names the group');
});

t.test('text from records is shown as text, never parsed as HTML', async (t) => {
  const hostile = '<img src=x onerror="alert(1)">';
  const el = h('p', {}, hostile);
  t.equal(el.textContent, hostile);
  t.equal(el.querySelector('img'), null);
  const summary = errorSummary('There is a problem', [{ text: hostile }]);
  t.equal(summary.querySelector('img'), null);
  t.match(summary.textContent, hostile);
});

t.test('formats and the session', async (t) => {
  t.equal(duration(2 * 86_400 + 11 * 3_600 + 5), '2 days 11 hours');
  t.equal(duration(3_600), '1 hour');
  t.equal(duration(60), 'less than an hour');
  t.equal(label('inspector_and_above'), 'Inspector and above');
  t.equal(label('pcso'), 'PCSO');
  t.equal(label(null), 'Not recorded');
  t.equal(fromInput(''), null);
  t.match(fromInput('2026-03-20'), /^2026-03-20T/);
  const s = sessionFrom({
    name: 'Wendy',
    roles: ['welfare_officer', 3],
    forceId: 'f',
    csrfToken: 'c',
    idleTimeoutSeconds: 900,
    idleExpiresAt: '2026-03-02T09:15:00Z',
  });
  t.same([s.mode, s.name, s.roles, s.csrfToken, s.idleTimeoutSeconds], ['oidc', 'Wendy', ['welfare_officer'], 'c', 900]);
  t.equal(loginUrl('#/queue'), '/auth/login?returnTo=%2Fapp%2F%23%2Fqueue');
});

t.test('how the page may sign in is read from GET /auth/methods ({ oidc, apiKey })', async (t) => {
  const real = globalThis.fetch;
  t.teardown(() => {
    globalThis.fetch = real;
  });
  const answer = (status: number, body: unknown) => {
    const asked: string[] = [];
    globalThis.fetch = (async (url: string) => {
      asked.push(String(url));
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return asked;
  };
  const asked = answer(200, { oidc: true, apiKey: false });
  t.same(await signInMethods(), { oidc: true, apiKeySignIn: false });
  t.same(asked, ['/auth/methods']);
  answer(200, { oidc: false, apiKey: true });
  t.same(await signInMethods(), { oidc: false, apiKeySignIn: true }, 'the development key form');
  answer(200, { apiKeySignIn: true, apiKeySignInEnabled: true });
  t.same(await signInMethods(), { oidc: false, apiKeySignIn: false }, 'guessed field names are not read');
  answer(404, {});
  t.same(await signInMethods(), { oidc: false, apiKeySignIn: true }, 'a service without /auth: the key only');
  t.equal(loginUrl('#/officers/019b76da-0000-7000-8000-000000000001'), '/auth/login?returnTo=%2Fapp%2F%23%2Fofficers%2F019b76da-0000-7000-8000-000000000001');
});
