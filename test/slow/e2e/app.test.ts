// The web page at /app (built from web/ by Vite), driven end to end in Debian's chromium (playwright-core) against
// the service on 127.0.0.1, at 1366 and at 360 px wide: a welfare officer finds an officer by staff number, gives the
// access reason once, marks a step done, logs a follow-up with a next date (its queue item leaves), refers to TRiM and
// records the initial assessment; a federation rep opens a convicted case; an analyst sees the chart. axe-core finds
// no violation on any screen. Screenshots go to test-artifacts/ and docs/screenshots/ (README, "The web page").
// Sign-in is the OpenID Connect code flow with PKCE against a real provider started in this process
// (test/support/oidc-idp.ts): a token for an unknown force is refused with a message, and the idle time signs out
// after a warning.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import t from 'tap';
import { createOarClient, type OarSchema, type paths } from '../../../clients/typescript/index.ts';
import { answered } from '../../clients/support.ts';
import { FORCE_A, FORCE_B, unique } from '../../factories.ts';
import { buildTestApp, TestClock } from '../../helper.ts';
import { startTestIdp, webSignInOptions } from '../../support/oidc-idp.ts';

// Twice the longest CI has taken (about 3 minutes in the PostgreSQL pass, the PGlite pass holding the other CPU):
// tap's 300 s default is too close on a slow day.
t.setTimeout(600_000);

type T = Parameters<Parameters<typeof t.test>[0]>[0];

// Browser globals, used only inside callbacks that run in the page (the project's TypeScript has no DOM lib).
declare const document: any;
declare const window: any;

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../../', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS = join(ROOT, 'docs', 'screenshots');
const NOW = '2026-03-02T09:00:00Z';
const REASON = 'Reviewing overdue welfare steps (synthetic test)';
const SETUP_REASON = 'Setting up test data';

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

  // The service's address is fixed before it starts: the identity provider knows its redirect URI.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const BASE = `http://127.0.0.1:${port}`;
  const idp = await startTestIdp({ clients: [{ clientId: 'oar-web', redirectUris: [`${BASE}/auth/callback`] }] });
  t.teardown(() => idp.close());

  const IDLE_MS = 15 * 60_000;
  const clock = new TestClock(new Date(NOW));
  const h = await buildTestApp(t, { clock, ...webSignInOptions(idp.issuer, BASE, IDLE_MS) });
  await h.app.listen({ port, host: '127.0.0.1' });

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
      body: {
        occurredAt: '2026-02-28T10:00:00Z',
        kind: 'call',
        contactBy: 'Welfare officer (synthetic)',
        note: SECRET.followUp,
        nextFollowUpAt: '2026-03-01T10:00:00Z',
      },
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

  // ---------------------------------------------------------------------------------------------------------  // Browser helpers.
  const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

  async function newPage(width = 1366) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true });
    // The page's own clock agrees with the service's test clock.
    await context.clock.setFixedTime(new Date(NOW));
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  async function shot(page: Page, name: string, width: number) {
    const file = `${name}${width < 600 ? '-360' : ''}.png`;
    await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
    copyFileSync(join(ARTIFACTS, file), join(DOCS, file));
  }

  /** Waits until no region of the page is loading. */
  const settled = (page: Page) => page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);

  /** axe-core finds nothing, and the page fits its width (nothing hidden off the side). */
  async function checkScreen(t: T, page: Page, name: string, width: number) {
    await settled(page);
    await page.evaluate(AXE); // run through the devtools protocol: the page's CSP allows no inline script
    const violations = await page.evaluate(async () => {
      const result = await (window as any).axe.run(document);
      return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
    });
    t.same(violations, [], `${name} at ${width}px: axe-core finds no violations`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    t.ok(scroll <= width, `${name} at ${width}px: fits the width (${scroll})`);
    t.notMatch(await page.locator('body').innerText(), /\[object |\bundefined\b|\bNaN\b|Invalid Date/, `${name}: no broken values on screen`);
  }

  /** A button or link is visible and inside the viewport (no hidden actions at 360px). */
  async function reachable(t: T, page: Page, locator: ReturnType<Page['locator']>, what: string, width: number) {
    await locator.scrollIntoViewIfNeeded();
    const box = await locator.boundingBox();
    t.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `${what} is inside the ${width}px viewport`);
  }

  /** Signs in through the identity provider as one of its synthetic users (welfare, fedrep, analyst, ...). */
  async function idpSignIn(page: Page, username: string) {
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function signIn(page: Page, username: string) {
    // A new person on the same PC: nothing is left of the last one's sign-in, here or at the identity provider.
    await page.context().clearCookies();
    await page.goto(`${BASE}/app/`);
    await idpSignIn(page, username);
    await page.locator('#whoami').waitFor();
  }

  // ---------------------------------------------------------------------------------------------------------

  t.test('the page is served at /app/, built, outside the API, with a strict content security policy', async (t) => {
    const redirect = await fetch(`${BASE}/app`, { redirect: 'manual' });
    t.equal(redirect.status, 301);
    const page = await fetch(`${BASE}/app/`);
    t.equal(page.status, 200);
    t.match(page.headers.get('content-security-policy'), /script-src 'self'/);
    t.notMatch(await page.text(), /https?:\/\/(?!www\.w3\.org)/, 'no external fonts, scripts or CDNs');
    const js = await (await fetch(`${BASE}/app/assets/app.js`)).text();
    t.notMatch(js, /\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write\(/, 'the script never renders HTML from strings');
    const css = await (await fetch(`${BASE}/app/assets/index.css`)).text();
    t.notMatch(css, /GDS Transport/, 'the system font stack, not GDS Transport');
  });

  for (const width of [1366, 360]) {
    t.test(`the walk at ${width}px: welfare officer, federation rep, analyst`, async (t) => {
      const { context, page, errors } = await newPage(width);
      t.teardown(() => context.close());
      const staff = width === 1366 ? 'AS-7702' : 'AS-4101';

      await page.goto(`${BASE}/app/`);
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await checkScreen(t, page, 'sign-in', width);
      await shot(page, 'sign-in', width);
      await signIn(page, 'welfare');

      // The queue, one entry per officer, worst first; found by staff number.
      await page.getByRole('heading', { name: 'Welfare queue' }).waitFor();
      await settled(page);
      const cards = page.locator('.oar-officer-card');
      t.ok((await cards.count()) >= 2, 'one entry per officer');
      t.match(await cards.first().innerText(), /AS-4101/, 'the most overdue officer first');
      t.notOk((await page.content()).includes('BD-0001'), "no other force's officer");
      await checkScreen(t, page, 'welfare queue', width);
      await shot(page, 'welfare-queue', width);
      // Any officer of the force can be found and opened, even one with nothing due (AS-2230's plan is done).
      await page.getByLabel('Find an officer').fill('as-2230');
      await page.getByRole('button', { name: 'Search' }).click();
      await settled(page);
      await page.getByText('1 officer found').waitFor();
      t.match(await cards.first().innerText(), /AS-2230[\s\S]*Nothing overdue or due in the next 24 hours/, 'an officer with nothing due is found');
      t.equal(
        await cards
          .first()
          .getByRole('link', { name: /Open officer/ })
          .count(),
        1,
        'and can be opened',
      );
      await page.getByLabel('Find an officer').fill(REF.w2);
      await page.getByRole('button', { name: 'Search' }).click();
      await settled(page);
      await page.getByText('1 officer found').waitFor();
      t.match(await cards.first().innerText(), /AS-7702/, 'found by incident reference');
      await page.getByLabel('Find an officer').fill(staff);
      await page.getByRole('button', { name: 'Search' }).click();
      await settled(page);
      await page.getByText('1 officer found').waitFor();
      t.equal(await cards.count(), 1, `found ${staff}`);
      const open = cards.first().getByRole('link', { name: /Open officer/ });
      await reachable(t, page, open, 'Open officer', width);
      await open.click();

      // The access reason, asked once.
      await page.getByRole('heading', { name: 'Why are you opening this record?' }).waitFor();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('Enter why you are opening this record').first().waitFor();
      await page.getByLabel('Why are you opening this record?').fill(REASON);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: new RegExp(staff) }).waitFor();
      await settled(page);
      t.equal(await page.locator('#steps > li').count(), 7, 'seven steps');
      t.equal(await page.locator('#steps input[type=radio]:checked').count(), 0, 'no step preselected');
      await checkScreen(t, page, 'officer', width);
      await shot(page, 'officer', width);

      // Mark a step done.
      const step = page.locator('#steps > li[data-step="supervisor_contact"]');
      await step.getByText('Update this step').click();
      await step.getByLabel('Done').check();
      const save = step.getByRole('button', { name: /^Save/ });
      await reachable(t, page, save, 'Save', width);
      await save.click();
      await page.getByText('“Supervisor contacts the assaulted officer” updated').waitFor();
      await settled(page);
      t.match(await page.locator('#steps > li[data-step="supervisor_contact"]').innerText(), /Done/, 'the step is done');

      // Not applicable asks for a reason, then for confirmation.
      const other = page.locator('#steps > li[data-step="command_informed"]');
      await other.getByText('Update this step').click();
      await other.getByLabel('Not applicable').check();
      await other.getByRole('button', { name: /^Save/ }).click();
      await other.getByText('Give a reason when a step does not apply').waitFor();

      if (width === 1366) {
        // A follow-up with a next date: the overdue follow-up of AS-4101 leaves the queue (done here on AS-7702's walk
        // through AS-4101's page at 360px; at 1366 the contact is logged for AS-7702).
      }
      const follow = page.locator('#follow-ups');
      await follow.getByLabel('Next contact date').fill('2026-03-20');
      const log = follow.getByRole('button', { name: 'Log contact' });
      await reachable(t, page, log, 'Log contact', width);
      await log.click();
      await page.getByText('Next contact due 20 Mar 2026').waitFor();
      await settled(page);

      // TRiM: refer (AS-7702 has none), record the planning meeting and the initial assessment.
      const trim = page.locator('#trim');
      if (width === 1366) {
        await trim.getByLabel('Yes').check();
        await trim.getByRole('button', { name: 'Refer to TRiM' }).click();
        await page.getByText('Referred to TRiM').first().waitFor();
        await settled(page);
      } else {
        await page.locator('#trim').getByLabel('Yes').check();
        await page.locator('#trim').getByRole('button', { name: 'Save consent' }).click();
        await page.getByText('TRiM consent recorded').first().waitFor();
        await settled(page);
      }
      await page.locator('#trim').getByRole('button', { name: 'Save planning meeting' }).click();
      await page.getByText('Planning meeting recorded').first().waitFor();
      await settled(page);
      await page.locator('#trim').getByLabel('Risk score (0 to 100)').fill('12');
      await page.locator('#trim').getByRole('button', { name: 'Record assessment' }).click();
      await page.getByText('Assessment recorded').first().waitFor();
      await settled(page);
      t.match(await page.locator('#trim').innerText(), /Initial\s+.*\s+12\s+Monitor/s, 'the initial assessment is on record');
      await checkScreen(t, page, 'officer after the walk', width);
      await shot(page, 'officer-trim', width);

      if (width === 360) {
        // The overdue follow-up of AS-4101 was answered with a next date: it has left the queue.
        await page.getByRole('link', { name: 'Back to the queue' }).click();
        await settled(page);
        t.notMatch(await page.locator('#queue-results').innerText(), /AS-4101[\s\S]*Follow-up contact due/, 'the follow-up item left the queue');
      }

      // Sign out, then the federation rep opens the convicted case.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await signIn(page, 'fedrep');
      await page.getByRole('heading', { name: 'Cases' }).waitFor();
      await settled(page);
      await page.getByLabel('Status').selectOption('convicted');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await settled(page);
      await checkScreen(t, page, 'cases', width);
      await shot(page, 'cases', width);
      await page.getByRole('link', { name: REF.c1 }).click();
      await page.getByRole('heading', { name: `Case ${REF.c1}` }).waitFor();
      await settled(page);
      t.match(await page.locator('#view').innerText(), /Convicted[\s\S]*Community order/, 'the sentence');
      t.match(await page.locator('#view').innerText(), /s\.67 aggravation/, 'whether the aggravation was stated');
      await checkScreen(t, page, 'case', width);
      await shot(page, 'case', width);

      // The analyst's chart.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, 'analyst');
      await page.getByRole('heading', { name: 'Statistics' }).waitFor();
      await settled(page);
      t.equal(await page.locator('svg.oar-chart').count(), 1, 'the chart');
      await checkScreen(t, page, 'statistics', width);
      await shot(page, 'statistics', width);
      t.same(errors, [], 'no script errors');
    });
  }

  t.test('a token for an unknown force, or a person with no role, is refused with a message on the page', async (t) => {
    for (const [user, says] of [
      ['wrongforce', /not set up for a force this register knows/],
      ['norole', /no role in this register/],
    ] as const) {
      const { context, page, errors } = await newPage(1366);
      await page.goto(`${BASE}/app/`);
      await idpSignIn(page, user);
      await page.getByText('You were not signed in').first().waitFor();
      t.match(await page.locator('#view').innerText(), says, `${user}: the page says why`);
      t.equal(await page.locator('#whoami').count(), 0, `${user}: not signed in`);
      t.notMatch(page.url(), /signInError/, `${user}: the refusal is taken out of the address`);
      await checkScreen(t, page, `refused (${user})`, 1366);
      t.same(errors, [], 'no script errors');
      await context.close();
    }
  });

  t.test('sign-in comes back to the officer asked for; the idle time warns, then signs out', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    t.teardown(() => context.close());
    await context.clock.install({ time: new Date(NOW) });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${BASE}/app/#/officers/${w1Victim}`);
    await idpSignIn(page, 'welfare');
    await page.getByRole('heading', { name: 'Why are you opening this record?' }).waitFor();
    t.match(page.url(), new RegExp(`/app/#/officers/${w1Victim}$`), 'back at the officer asked for (returnTo)');

    // Nothing done for 13 of the 15 minutes: the warning, which takes the focus.
    await page.clock.fastForward('13:30');
    const dialog = page.getByRole('dialog', { name: 'You will be signed out soon' });
    await dialog.waitFor();
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Stay signed in', 'the focus is on "Stay signed in"');
    await checkScreen(t, page, 'idle warning', 1366);
    await shot(page, 'idle-warning', 1366);

    // Still nothing: signed out, here and at the service.
    clock.set(new Date(new Date(NOW).getTime() + IDLE_MS + 60_000).toISOString());
    t.teardown(() => clock.set(NOW));
    await page.clock.fastForward('02:00');
    await page.getByText('You were signed out because you were inactive.').first().waitFor();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    t.equal(await page.locator('#whoami').count(), 0, 'signed out');
    const after = await page.evaluate(async () => (await fetch('/auth/session')).status);
    t.equal(after, 401, 'the session has ended at the service');
  });
}
