// The web page at /app, driven end to end in Debian's chromium (playwright-core) against the service listening
// on 127.0.0.1: a welfare officer works the queue (plan, step done, it leaves the queue; TRiM; a stale If-Match
// shows the conflict; a revoked key goes back to sign-in); a federation rep filters cases, opens one and
// downloads the CSV, and never sees another force's case or any care detail. Screenshots go to test-artifacts/;
// the welfare queue and the federation case are also copied to docs/screenshots/ for the README.
// No chromium is a failure, never a skip.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import t from 'tap';
import { createOarClient, type OarSchema, type paths } from '../../../clients/typescript/index.ts';
import { answered } from '../../clients/support.ts';
import { FORCE_A, FORCE_B, unique } from '../../factories.ts';
import { buildTestApp, TestClock } from '../../helper.ts';

type T = Parameters<Parameters<typeof t.test>[0]>[0];

// Browser globals, used only inside callbacks that run in the page (the project's TypeScript has no DOM lib).
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
declare const localStorage: any;
declare const HTMLButtonElement: any;

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS = join(ROOT, 'docs', 'screenshots');
const NOW = '2026-03-02T09:00:00Z';
const REASON = 'Reviewing overdue welfare steps (synthetic test)';
const SETUP_REASON = 'Setting up test data';
const EXPIRED = 'Your key has expired or been revoked';
const CONFLICT = 'changed by someone else: reload and retry';

// Values stored where a federation rep must never see them.
const SECRET = {
  careNote: 'SECRET-CARE-NOTE: officer shaken, GP appointment booked',
  trimNote: 'SECRET-TRIM-NOTE: trauma risk assessment pending',
  injury: 'SECRET-INJURY: fractured wrist',
  followUp: 'SECRET-FOLLOW-UP: called at home',
};
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

const REF = {
  w1: 'AS/2026/000311', // welfare: overdue steps, TRiM
  w2: 'AS/2026/000342', // welfare: steps due today
  c1: 'AS/2025/009876', // convicted
  c2: 'AS/2025/010455', // acquitted
  c3: 'AS/2026/000022', // community resolution
  b1: 'BD/2026/000777', // another force
};

// CI always runs this file (.ci/run installs chromium; a missing one fails it). A plain `npm test` on a machine
// with nothing but Node says why it did not run instead of failing.
const RUN = existsSync(CHROMIUM);
if (!RUN) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (CI runs the e2e test).`);
  t.plan(0, `${CHROMIUM} is not installed here: the browser test runs in CI (apt-get install -y chromium to run it)`);
}

if (RUN) {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });

  const clock = new TestClock(new Date(NOW));
  const h = await buildTestApp(t, { clock });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const BASE = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());

  // ---------------------------------------------------------------------------------------------------------
  // Data, all through the API: with the typed client (clients/typescript), as a force system would send it.

  type IncidentCreate = NonNullable<paths['/v1/incidents']['post']['requestBody']>['content']['application/json'];
  type VictimCreate = NonNullable<IncidentCreate['victims']>[number];
  type JusticeEventCreate = NonNullable<paths['/v1/incidents/{id}/justice-events']['post']['requestBody']>['content']['application/json'];
  type Step = OarSchema<'CareStep'>;

  const api = (key: string) => createOarClient({ baseUrl: BASE, apiKey: key });

  async function incident(
    key: string,
    reference: string,
    occurredAt: string,
    opts: { offences?: IncidentCreate['offences']; victim?: Partial<VictimCreate>; suspects?: number } = {},
  ) {
    const body: IncidentCreate = {
      forceReference: reference,
      occurredAt,
      location: { description: 'Synthetic Street (test data)', locationType: 'street' },
      circumstances: 'arrest',
      deployment: { crewing: 'single', dutyType: 'response' },
      equipment: {
        bodyWornVideo: { worn: true, activated: true, footageRetained: true },
        taser: { drawn: false, discharged: false },
        spitAndBiteGuardUsed: false,
        bodyArmourWorn: true,
      },
      methods: ['kick', 'spit'],
      hateAggravation: [],
      offences: opts.offences ?? ['emergency_worker_common_assault'],
      narrative: 'Synthetic narrative for tests.',
      victims: [
        {
          role: 'constable',
          serviceBand: '1_to_2_years',
          staffNumber: unique('SYN'),
          injury: 'minor',
          hospitalTreatment: 'none',
          daysLost: 0,
          safetyTrainingInDate: true,
          protectiveEquipment: { carried: ['body_worn_video', 'body_armour'], used: ['body_worn_video'] },
          federationConsent: false,
          ...opts.victim,
        },
      ],
      suspects: Array.from({ length: opts.suspects ?? 1 }, () => ({ reference: unique('NOMINAL'), ageBand: '25_to_34' as const, arrested: true })),
    };
    const created = await answered(`POST /v1/incidents ${reference}`, api(key).POST('/v1/incidents', { body }), 201);
    return { ...created, victims: created.victims ?? [], suspects: created.suspects ?? [] };
  }

  const event = (key: string, incidentId: string, body: JusticeEventCreate) =>
    answered(`POST justice event ${body.type}`, api(key).POST('/v1/incidents/{id}/justice-events', { params: { path: { id: incidentId } }, body }), 201);

  /** The id of the first charge of a charging decision's answer. */
  function firstCharge(decision: OarSchema<'JusticeEvent'>): string {
    if (decision.type !== 'charging_decision' || !decision.charges[0]) throw new Error(`not a charging decision with a charge: ${decision.type}`);
    return decision.charges[0].id;
  }

  const fsA = await h.key(['force_system'], FORCE_A, 'Avon crime system (test)');
  const fsB = await h.key(['force_system'], FORCE_B, 'Bedfordshire crime system (test)');
  const welfare = await h.key(['welfare_officer'], FORCE_A, 'Sam Welfare (test)');
  const rep = await h.key(['federation_rep'], FORCE_A, 'Alex Federation (test)');

  const w1 = await incident(fsA, REF.w1, '2026-02-26T22:00:00Z', {
    victim: { role: 'constable', staffNumber: 'AS-4101', injury: 'serious', injuryDetail: SECRET.injury },
  });
  await incident(fsA, REF.w2, '2026-03-01T20:00:00Z', { victim: { role: 'pcso', staffNumber: 'AS-7702' } });
  const c1 = await incident(fsA, REF.c1, '2025-11-14T23:10:00Z', {
    offences: ['abh_s47', 'emergency_worker_common_assault'],
    victim: { role: 'sergeant', serviceBand: '5_to_10_years', staffNumber: 'AS-2230', federationConsent: true },
  });
  const c2 = await incident(fsA, REF.c2, '2025-12-20T01:30:00Z', { victim: { role: 'constable', staffNumber: 'AS-3310' } });
  const c3 = await incident(fsA, REF.c3, '2026-01-08T17:45:00Z', { offences: ['threats_or_abuse'], victim: { role: 'police_staff', staffNumber: 'AS-5120' } });
  const b1 = await incident(fsB, REF.b1, '2026-01-10T20:00:00Z', { victim: { staffNumber: 'BD-0001' } });

  // The justice of the three older cases (a court result or sentence names the charge from the charging decision's answer).
  const c1Charge = await event(fsA, c1.id, {
    type: 'charging_decision',
    occurredAt: '2025-11-15T12:00:00Z',
    suspectId: c1.suspects[0]!.id,
    decision: 'charged',
    charges: [{ offence: 'abh_s47' }],
  });
  await event(fsA, c1.id, {
    type: 'victim_update',
    occurredAt: '2025-11-17T10:00:00Z',
    victimId: c1.victims[0]!.id,
    about: [c1Charge.id],
    method: 'in_person',
    toldBy: 'OIC (synthetic)',
  });
  const c1Result = await event(fsA, c1.id, {
    type: 'court_result',
    occurredAt: '2025-12-10T11:00:00Z',
    suspectId: c1.suspects[0]!.id,
    chargeId: firstCharge(c1Charge),
    result: 'guilty_plea',
  });
  await event(fsA, c1.id, {
    type: 'victim_update',
    occurredAt: '2025-12-11T10:00:00Z',
    victimId: c1.victims[0]!.id,
    about: [c1Result.id],
    method: 'phone',
    toldBy: 'OIC (synthetic)',
  });
  await event(fsA, c1.id, {
    type: 'sentence',
    occurredAt: '2026-01-07T11:00:00Z',
    suspectId: c1.suspects[0]!.id,
    chargeId: firstCharge(c1Charge),
    sentence: 'community_order',
  });
  await event(fsA, c1.id, { type: 'outcome_code', occurredAt: '2026-01-08T09:00:00Z', code: 1 });
  const c2Charge = await event(fsA, c2.id, {
    type: 'charging_decision',
    occurredAt: '2025-12-21T12:00:00Z',
    suspectId: c2.suspects[0]!.id,
    decision: 'charged',
    charges: [{ offence: 'emergency_worker_common_assault' }],
  });
  await event(fsA, c2.id, {
    type: 'court_result',
    occurredAt: '2026-02-03T15:00:00Z',
    suspectId: c2.suspects[0]!.id,
    chargeId: firstCharge(c2Charge),
    result: 'acquitted',
  });
  await event(fsA, c3.id, {
    type: 'charging_decision',
    occurredAt: '2026-01-09T12:00:00Z',
    suspectId: c3.suspects[0]!.id,
    decision: 'community_resolution',
  });
  await event(fsA, c3.id, { type: 'outcome_code', occurredAt: '2026-01-10T12:00:00Z', code: 8 });

  const welfareApi = api(welfare);
  const plan = async (victimId: string): Promise<Step[]> =>
    (
      await answered(
        'GET care plan',
        welfareApi.GET('/v1/victims/{id}/care-plan', { params: { path: { id: victimId }, header: { 'X-Access-Reason': SETUP_REASON } } }),
      )
    ).steps;
  const patchStep = (step: Step, body: NonNullable<paths['/v1/care-steps/{id}']['patch']['requestBody']>['content']['application/json']) =>
    answered(
      `PATCH care step ${step.key}`,
      welfareApi.PATCH('/v1/care-steps/{id}', { params: { path: { id: step.id }, header: { 'If-Match': `"${step.version}"` } }, body }),
    );

  // The older plans are done: the queue holds the two recent incidents only.
  for (const c of [c1, c2, c3]) {
    for (const s of await plan(c.victims[0]!.id)) await patchStep(s, { status: 'done' });
  }
  // W1: care detail on record (a done step with a note, a hostile note on a pending one), a follow-up, a TRiM referral.
  const w1Victim = w1.victims[0]!.id;
  const w1Steps = Object.fromEntries((await plan(w1Victim)).map((s) => [s.key, s])) as Record<string, Step>;
  await patchStep(w1Steps.independent_oic!, { status: 'done', note: SECRET.careNote });
  await patchStep(w1Steps.investigation_standard!, { note: HOSTILE });
  await answered(
    'POST follow-up',
    welfareApi.POST('/v1/victims/{id}/follow-ups', {
      params: { path: { id: w1Victim } },
      body: { occurredAt: '2026-02-28T10:00:00Z', kind: 'call', contactBy: 'Welfare officer (synthetic)', note: SECRET.followUp },
    }),
    201,
  );
  // Referred the day after the assault: TRiM's clock starts at the referral (#20 item 12), so by NOW its planning
  // meeting (due 48 hours on) is overdue and the referral is in the overdue queue.
  clock.set('2026-02-28T08:00:00Z');
  const referral = await answered(
    'POST TRiM referral',
    welfareApi.POST('/v1/victims/{id}/trim-referrals', {
      params: { path: { id: w1Victim } },
      body: { referredBy: 'Duty sergeant (synthetic)', note: SECRET.trimNote },
    }),
    201,
  );
  clock.set(NOW);
  t.ok(referral.id, 'a TRiM referral for W1');
  t.ok(b1.id, "another force's incident, whose officer has overdue steps too");

  // ---------------------------------------------------------------------------------------------------------
  // Browser helpers.

  async function newPage(): Promise<{ context: BrowserContext; page: Page; requests: string[]; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true });
    // The page's own clock agrees with the service's test clock.
    await context.clock.setFixedTime(new Date(new Date(NOW).getTime() + 5 * 60_000));
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return { context, page, requests, errors };
  }

  async function shot(page: Page, name: string, docs = false) {
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path });
    if (docs) copyFileSync(path, join(DOCS, `${name}.png`));
  }

  /** Waits until no region of the page is loading. */
  const settled = (page: Page) => page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);

  /** Checks what every screen must do: labels on every control, headings in order, fits 1366 wide, lang set. */
  async function checkScreen(t: T, page: Page, name: string) {
    const report = await page.evaluate(() => {
      const visible = (e: any) => e.offsetParent !== null || e.getClientRects().length > 0;
      const controls: any[] = [...document.querySelectorAll('input, select, textarea, button')].filter(visible);
      const unlabelled = controls
        .filter((c) => {
          if (c instanceof HTMLButtonElement) return (c.textContent ?? '').trim() === '' && !c.getAttribute('aria-label');
          return (c.labels?.length ?? 0) === 0 && !c.getAttribute('aria-label');
        })
        .map((c) => String(c.outerHTML).slice(0, 80));
      const levels: number[] = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible).map((x: any) => Number(x.tagName[1]));
      const jumps = levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1);
      const clickableDivs = [...document.querySelectorAll('div[onclick], span[onclick], [role="button"]')].length;
      return { unlabelled, levels, jumps, lang: document.documentElement.lang, width: document.documentElement.scrollWidth, clickableDivs };
    });
    t.same(report.unlabelled, [], `${name}: every control has a label`);
    t.equal(report.levels[0], 1, `${name}: starts with h1`);
    t.same(report.jumps, [], `${name}: headings in order (${report.levels.join(',')})`);
    t.equal(report.lang, 'en-GB', `${name}: lang attribute`);
    t.ok(report.width <= 1366, `${name}: fits a 1366-wide screen (${report.width})`);
    t.equal(report.clickableDivs, 0, `${name}: buttons, not clickable divs`);
    t.notMatch(await page.locator('body').innerText(), /\[object |\bundefined\b|\bNaN\b|Invalid Date/, `${name}: no broken values on screen`);
  }

  async function signInByKeyboard(t: T, page: Page, key: string) {
    await page.goto(`${BASE}/app`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // the API key field
    t.equal(await page.evaluate(() => document.activeElement?.id), 'api-key', 'the key field is reached with the keyboard');
    const ring = await page.evaluate(() => {
      const style = window.getComputedStyle(document.activeElement);
      return { outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    t.ok(ring.outline === 'solid' && ring.width >= 2, `visible keyboard focus (${ring.outline} ${ring.width}px)`);
    await page.keyboard.type(key);
    await page.keyboard.press('Enter');
    await page.locator('#whoami').waitFor();
  }

  // ---------------------------------------------------------------------------------------------------------

  t.test('the page is served at /app/, outside the API, with a strict content security policy', async (t) => {
    const redirect = await fetch(`${BASE}/app`, { redirect: 'manual' });
    t.equal(redirect.status, 301);
    t.equal(redirect.headers.get('location'), '/app/');
    const page = await fetch(`${BASE}/app/`);
    t.equal(page.status, 200);
    t.match(page.headers.get('content-type'), /^text\/html/);
    t.match(page.headers.get('content-security-policy'), /script-src 'self'/);
    const html = await page.text();
    t.notMatch(html, /https?:\/\//, 'no external fonts, scripts or CDNs');
    const js = await (await fetch(`${BASE}/app/app.js`)).text();
    t.notMatch(js, /\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write\(/, 'the script never renders HTML from strings');
    t.equal((await fetch(`${BASE}/app/missing.js`)).status, 404);
    const openapi = (await (await fetch(`${BASE}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    t.notOk(
      Object.keys(openapi.paths).some((p) => p.startsWith('/app')),
      'the page is not in the OpenAPI document',
    );
    t.ok(openapi.paths['/v1/me'], 'GET /v1/me is');
  });

  t.test('a welfare officer works the queue', async (t) => {
    const { context, page, errors } = await newPage();
    t.teardown(() => context.close());

    await page.goto(`${BASE}/app`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkScreen(t, page, 'sign-in');
    await shot(page, 'sign-in');

    // A wrong key stays on the sign-in page with a message.
    await page.getByLabel('API key').fill('oar_not_a_real_key_000000000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key was not accepted').waitFor();

    await signInByKeyboard(t, page, welfare);
    t.match(
      await page.locator('#whoami').innerText(),
      /Sam Welfare \(test\).*Welfare officer.*Avon and Somerset Constabulary/s,
      'who is signed in, role and force',
    );
    t.same(await page.evaluate(() => [sessionStorage.length, localStorage.length, document.cookie]), [1, 0, ''], 'the key is in sessionStorage only');

    // The queue: overdue steps of W1 oldest first, W2 due today, nothing of another force.
    await page.getByRole('heading', { name: 'Welfare queue' }).waitFor();
    await settled(page);
    const overdue = page.locator('#queue-overdue tbody tr');
    const supervisorRow = overdue.filter({ hasText: REF.w1 }).filter({ hasText: 'Supervisor contacts the assaulted officer' });
    t.equal(await supervisorRow.count(), 1, 'the overdue step is in the queue');
    t.match(await supervisorRow.innerText(), /Constable AS-4101/, 'officer: role and staff number');
    t.match(await supervisorRow.innerText(), /2 days 11 hours overdue/, 'how overdue');
    t.equal(await overdue.filter({ hasText: 'TRiM' }).count(), 1, 'the TRiM referral is in the queue');
    const dueSoon = page.locator('#queue-due tbody tr');
    t.ok((await dueSoon.filter({ hasText: REF.w2 }).count()) > 0, 'steps due in the next 24 hours');
    const dues = await overdue.evaluateAll((rows) => rows.map((r) => r.querySelector('time')?.getAttribute('datetime') ?? ''));
    t.same(dues, [...dues].sort(), 'oldest first');
    t.notOk((await page.content()).includes(REF.b1), "no other force's incident");
    t.notOk((await page.content()).includes('BD-0001'), "no other force's officer");
    await checkScreen(t, page, 'welfare queue');
    await shot(page, 'welfare-queue', true);

    // Open the plan with the keyboard: the access reason is asked for once.
    await supervisorRow.getByRole('button', { name: /Open plan/ }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Why are you opening this record?' });
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await dialog.getByText('Enter a reason.').waitFor();
    await page.keyboard.type(REASON);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Care plan: Incident ${REF.w1}, Constable AS-4101` }).waitFor();
    await settled(page);
    const steps = page.locator('#plan-body li.step');
    t.equal(await steps.count(), 7, 'seven steps');

    // A hostile note is shown as text and runs nothing.
    const hostileStep = steps.filter({ has: page.getByRole('heading', { name: /Assault investigated like any other/ }) });
    t.equal(await hostileStep.locator('dd.note').innerText(), HOSTILE, 'the note is shown literally');
    t.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran');
    t.equal(await page.locator('#plan-body img, #plan-body script').count(), 0, 'no element was made from data');
    t.match(
      await steps.filter({ hasText: 'Officer is not the officer in charge' }).innerText(),
      new RegExp(SECRET.careNote.slice(0, 20)),
      'care notes are shown to the welfare officer',
    );
    await checkScreen(t, page, 'care plan');
    await shot(page, 'care-plan');

    // Not applicable needs a reason: the page says so before sending anything.
    const supervisorStep = steps.filter({ has: page.getByRole('heading', { name: /Supervisor contacts the assaulted officer/ }) });
    await supervisorStep.getByLabel('Mark as').selectOption('not_applicable');
    await supervisorStep.getByRole('button', { name: /^Save/ }).click();
    await supervisorStep.getByText('Give a reason when a step does not apply.').waitFor();

    // Complete the step with a note.
    await supervisorStep.getByLabel('Mark as').selectOption('done');
    await supervisorStep.getByLabel('Note').fill('Spoke to the officer by phone (synthetic).');
    await supervisorStep.getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('status').getByText('“Supervisor contacts the assaulted officer” marked done.').waitFor();
    t.match(
      await supervisorStep.innerText(),
      /Done[\s\S]*Sam Welfare \(test\)[\s\S]*Spoke to the officer by phone/,
      'the step shows done, by whom, with the note',
    );
    t.equal(await supervisorStep.locator('form').count(), 0, 'no form on a closed step');

    // Back to the queue: the step has left it, the others of the plan have not.
    await page.getByRole('button', { name: 'Back to the queue' }).first().click();
    await settled(page);
    t.equal(await supervisorRow.count(), 0, 'the completed step left the queue');
    t.ok((await overdue.filter({ hasText: REF.w1 }).count()) > 0, 'the other steps are still there');

    // A stale If-Match: someone else changes a step while the plan is open.
    const commandRow = overdue.filter({ hasText: REF.w1 }).filter({ hasText: 'Command informed' });
    await commandRow.getByRole('button', { name: /Open plan/ }).click();
    t.equal(await dialog.isVisible(), false, 'the reason is not asked again for the same officer');
    await page.getByRole('heading', { name: /^Care plan:/ }).waitFor();
    await settled(page);
    const current = (await plan(w1Victim)).find((s) => s.key === 'command_informed')!;
    await patchStep(current, { note: 'Changed elsewhere (synthetic).' });
    const commandStep = steps.filter({ has: page.getByRole('heading', { name: /Command informed/ }) });
    await commandStep.getByLabel('Mark as').selectOption('declined');
    await commandStep.getByRole('button', { name: /^Save/ }).click();
    await commandStep.getByText(CONFLICT).waitFor();
    await checkScreen(t, page, 'conflict');
    await commandStep.scrollIntoViewIfNeeded();
    await shot(page, 'conflict');
    // Reload and retry: it works, and the other person's note is there.
    await commandStep.getByRole('button', { name: 'Reload the plan' }).click();
    await settled(page);
    t.match(await commandStep.innerText(), /Changed elsewhere/, 'the reload shows the other change');
    await commandStep.getByLabel('Mark as').selectOption('declined');
    await commandStep.getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('status').getByText('“Command informed” marked declined.').waitFor();

    // TRiM: open from the queue, a rule problem shows its title and detail, then consent and save.
    await page.getByRole('button', { name: 'Back to the queue' }).first().click();
    await settled(page);
    await overdue
      .filter({ hasText: 'TRiM' })
      .getByRole('button', { name: /Open TRiM referral/ })
      .click();
    await page.getByRole('heading', { name: `TRiM referral: Incident ${REF.w1}, Constable AS-4101` }).waitFor();
    await settled(page);
    const trim = page.locator('#trim-body');
    t.match(await trim.innerText(), /Awaiting consent/, 'the stage');
    await trim.getByLabel('Planning meeting held at').fill('2026-03-01T10:00');
    await trim.getByRole('button', { name: 'Save changes' }).click();
    await trim.getByText('Unprocessable request').waitFor();
    t.match(await trim.getByRole('alert').innerText(), /has not given consent/, "the problem's detail is shown");
    await trim.getByLabel('Consent to TRiM').selectOption('given');
    await trim.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('TRiM referral saved.').waitFor();
    t.match(await trim.innerText(), /Consent\s+Given/, 'consent given');
    t.match(await trim.innerText(), /Planning meeting\s+Done/, 'planning meeting held');
    await checkScreen(t, page, 'TRiM referral');
    await shot(page, 'trim-referral');

    // The key is revoked: the next call goes back to sign-in, and nothing is left on the page.
    const me = await answered('GET /v1/me', welfareApi.GET('/v1/me'));
    await answered('DELETE principal', api(h.adminKey).DELETE('/v1/principals/{id}', { params: { path: { id: me.id } } }));
    await page.getByRole('button', { name: 'Back to the queue' }).first().click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText(EXPIRED).waitFor();
    t.equal(await page.evaluate(() => sessionStorage.length), 0, 'the key is forgotten');
    t.notOk((await page.content()).includes(REF.w1), 'no record is left on the page');
    await shot(page, 'expired-key');
    t.same(
      errors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
      'no script errors',
    );
  });

  t.test('a federation rep filters cases and opens one, and never sees care detail or another force', async (t) => {
    const { context, page, requests, errors } = await newPage();
    t.teardown(() => context.close());
    const seen: string[] = [];
    const look = async () => {
      seen.push(await page.content());
      const text = await page.locator('body').innerText();
      t.notMatch(text, /TRiM|care plan|welfare queue|injur/i, 'no care, TRiM or injury on screen');
    };

    await signInByKeyboard(t, page, rep);
    t.match(await page.locator('#whoami').innerText(), /Alex Federation \(test\).*Federation rep.*Avon and Somerset Constabulary/s);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await settled(page);
    const rows = page.locator('#cases-body tbody tr');
    const refs = async () => rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td.mono')?.textContent ?? ''));
    t.same(await refs(), [REF.w2, REF.w1, REF.c3, REF.c2, REF.c1], 'own force, newest first');
    await look();
    await checkScreen(t, page, 'cases');
    await shot(page, 'cases');

    // Filters: status, offence, date range.
    await page.getByLabel('Status').selectOption({ label: 'Convicted' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await settled(page);
    t.same(await refs(), [REF.c1], 'status = convicted');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Offence').selectOption({ label: 'Threats or abuse' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await settled(page);
    t.same(await refs(), [REF.c3], 'offence = threats or abuse');
    await page.getByLabel('Offence').selectOption('');
    await page.getByLabel('Occurred from').fill('2025-12-01');
    await page.getByLabel('Occurred to (inclusive)').fill('2026-01-08');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await settled(page);
    t.same(await refs(), [REF.c3, REF.c2], 'occurred between 1 December and 8 January');
    await page.getByLabel('Occurred from').fill('2027-01-01');
    await page.getByLabel('Occurred to (inclusive)').fill('2027-01-31');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await settled(page);
    await page.getByText('No cases match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await settled(page);
    t.equal(await rows.count(), 5, 'cleared');
    await page.getByLabel('Status').selectOption({ label: 'Convicted' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await settled(page);

    // CSV of the filtered list.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    t.match(download.suggestedFilename(), /^cases-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    t.match(lines[0], /^incidentId,incidentReference,/, 'a header row');
    t.equal(lines.length, 2, 'one case');
    t.ok(lines[1]!.includes(REF.c1));
    for (const value of [REF.b1, ...Object.values(SECRET)]) t.notOk(csv.includes(value), 'nothing of another force or of care in the CSV');

    // One case: defendants, charges, results, sentences, Victims' Code compliance.
    await rows
      .filter({ hasText: REF.c1 })
      .getByRole('button', { name: /Open case/ })
      .click();
    await page.getByRole('heading', { name: `Case ${REF.c1}` }).waitFor();
    await settled(page);
    const body = await page.locator('#case-body').innerText();
    t.match(body, /Convicted/);
    t.match(body, /1: Charge\/summons/, 'outcome code');
    t.match(body, /Defendant 1/);
    const charges = page.getByRole('table', { name: 'Charges against Defendant 1' });
    t.match(
      await charges.innerText(),
      /Actual bodily harm \(s47\)\s+15 Nov 2025\s+Guilty plea \(10 Dec 2025\)\s+Community order/,
      'charge, result and sentence in one row',
    );
    t.match(body, /Actual bodily harm \(s47\)/, 'the charge');
    t.match(body, /Guilty plea/, 'the result');
    t.match(body, /Community order/, 'the sentence');
    t.match(body, /Victims' Code compliance/);
    t.match(body, /On time\s+Late\s+Overdue \(not told\)\s+Not yet due\s+2\s+0\s+1\s+0/, 'compliance counts');
    t.match(body, /Sergeant, AS-2230/, 'a consenting officer is identified');
    await look();
    await checkScreen(t, page, 'federation case');
    await shot(page, 'federation-case', true);

    // The recent case with care notes, TRiM and an injury on record: none of it shows.
    await page.getByRole('button', { name: 'Back to the cases' }).click();
    await page.getByRole('button', { name: 'Clear' }).click();
    await settled(page);
    await rows
      .filter({ hasText: REF.w1 })
      .getByRole('button', { name: /Open case/ })
      .click();
    await page.getByRole('heading', { name: `Case ${REF.w1}` }).waitFor();
    await settled(page);
    t.match(await page.locator('#case-body').innerText(), /Under investigation/);
    t.match(await page.locator('#case-body').innerText(), /1 officer\(s\) without federation consent: not identified/);
    await look();

    for (const html of seen) {
      for (const [name, value] of Object.entries(SECRET)) t.notOk(html.includes(value), `no ${name} in the page`);
      t.notOk(html.includes(REF.b1), "no other force's case");
      t.notOk(html.includes('AS-4101'), 'no officer without consent');
      t.notOk(html.includes('onerror'), 'no care note');
    }
    const api = requests.filter((u) => u.includes('/v1/')).map((u) => new URL(u).pathname);
    t.same(
      api.filter((p) => !/^\/v1\/(me|cases)(\/|$)/.test(p)),
      [],
      'the rep page calls only /v1/me and /v1/cases',
    );
    t.same(errors, [], 'no script errors');
  });
}
