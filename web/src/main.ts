// The page's entry: who is signed in, the menu for their role, the screen the address names (#/queue,
// #/officers/<id>, #/cases, #/cases/<id>, #/stats), and the idle-time warning before the session ends.
import { configureApi } from './api.ts';
import { byId, h, show } from './dom.ts';
import { label } from './format.ts';
import { keepAlive, keySession, loadSession, loginUrl, refresh, signInMethods, signOut, type Session, type SignedOut } from './session.ts';
import { banner, button, errorSummary, heading, input, p, problemSummary, values } from './ui.ts';
import { caseView, casesView, statsView } from './views/readers.ts';
import { officerView, queueView, reasons } from './views/welfare.ts';

/** The warning shows this long before the idle expiry. */
export const WARN_BEFORE_MS = 120_000;

let session: Session | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const view = () => byId('view');

function home(s: Session): string {
  if (s.roles.includes('welfare_officer')) return '#/queue';
  if (s.roles.includes('federation_rep')) return '#/cases';
  return '#/stats';
}

async function route(): Promise<void> {
  if (!session) return;
  const [path = '', queryString = ''] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(queryString);
  const parts = path.split('/').filter(Boolean);
  show(byId('banner'));
  try {
    if (parts[0] === 'queue') await queueView(view(), query.get('q') ?? '');
    else if (parts[0] === 'officers' && parts[1]) await officerView(view(), parts[1], session.name);
    else if (parts[0] === 'cases' && parts[1]) await caseView(view(), parts[1]);
    else if (parts[0] === 'cases') await casesView(view(), query);
    else if (parts[0] === 'stats') await statsView(view(), query);
    else return void (location.hash = home(session));
  } catch (error) {
    if (!session) return;
    show(view(), heading('Sorry, there is a problem'), problemSummary(error), p(h('a', { class: 'govuk-link', href: home(session) }, 'Go to your start page')));
  }
  document.title = `${byId('page-heading').textContent ?? ''} – Officer Assault Register`;
  byId('page-heading').focus();
}

function nav(s: Session) {
  const links: [string, string][] = [];
  if (s.roles.includes('welfare_officer')) links.push(['#/queue', 'Welfare queue']);
  if (s.roles.includes('federation_rep')) links.push(['#/cases', 'Cases']);
  if (s.roles.includes('analyst') || s.roles.includes('federation_rep')) links.push(['#/stats', 'Statistics']);
  show(
    byId('nav'),
    ...links.map(([href, text]) => h('a', { class: 'govuk-link govuk-link--inverse', href }, text)),
    h('p', { class: 'oar-whoami govuk-body-s', id: 'whoami' }, `${s.name}, ${s.roles.map(label).join(', ')}`),
    button('Sign out', () => void end('You have signed out.'), { kind: 'secondary' }),
  );
}

/** Signed out (by choice, by the idle time, or because the session or key is no longer accepted). */
async function end(message: string): Promise<void> {
  const was = session;
  session = null;
  reasons.clear();
  clearTimeout(idleTimer);
  clearTimeout(refreshTimer);
  show(byId('modal'));
  configureApi(null);
  if (was) await signOut(was);
  show(byId('nav'));
  signInView(await signInMethods().catch(() => ({ apiKeySignIn: was?.mode === 'key', oidc: true })), message);
}

/** What the page says when the service sent the browser back with /app/?signInError=<code> (GET /auth/callback). */
const SIGN_IN_ERRORS: Record<string, string> = {
  unknown_force: 'Your account is not set up for a force this register knows. Ask your force administrator to check your force.',
  no_role: 'Your account has no role in this register. Ask your force administrator for access.',
  token_rejected: 'Your identity provider’s answer could not be checked. Try signing in again.',
  state_mismatch: 'The sign-in took too long or was started in another tab. Try signing in again.',
  idp_error: 'Your identity provider could not sign you in. Try again, or contact your service desk.',
};

/** The sign-in refusal in the address, once: it is taken out of the address so a reload does not repeat it. */
function signInError(): string | undefined {
  const code = new URLSearchParams(location.search).get('signInError');
  if (code === null) return undefined;
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  return `You were not signed in. ${SIGN_IN_ERRORS[code] ?? 'Try signing in again.'}`;
}

function signInView(out: SignedOut, message?: string): void {
  const area = h('div', {});
  const keyForm: HTMLFormElement = h(
    'form',
    {
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const who = await keySession(values(keyForm).key ?? '');
        if (!who) return show(area, errorSummary('There is a problem', [{ text: 'That key was not accepted', href: '#api-key' }]));
        start(who);
      },
    },
    h('h2', { class: 'govuk-heading-m' }, 'Sign in with an API key (development)'),
    input({ name: 'key', id: 'api-key', label: 'API key', type: 'password', attrs: { autocomplete: 'off' } }),
    button('Sign in with key', () => undefined, { type: 'submit', kind: 'secondary' }),
  );
  show(
    view(),
    message ? banner(message, []) : null,
    heading('Sign in'),
    area,
    out.oidc ? p('Sign in with your force account to see the work your role allows.') : null,
    out.oidc
      ? h(
          'a',
          { href: loginUrl(location.hash || '#/'), class: 'govuk-button govuk-button--start', role: 'button', draggable: 'false', id: 'sign-in' },
          'Sign in',
        )
      : null,
    out.apiKeySignIn ? keyForm : null,
  );
  document.title = 'Sign in – Officer Assault Register';
}

/** Shows the idle warning WARN_BEFORE_MS before the idle expiry, and ends the sitting at it. */
function scheduleIdle(): void {
  clearTimeout(idleTimer);
  if (!session?.idleExpiresAt) return;
  const left = new Date(session.idleExpiresAt).getTime() - Date.now();
  if (left <= 0) return void end('You were signed out because you were inactive.');
  idleTimer = setTimeout(() => (left <= WARN_BEFORE_MS ? void warnIdle() : scheduleIdle()), Math.max(0, left - WARN_BEFORE_MS) || Math.min(left, 1_000));
}

function warnIdle(): void {
  if (!session?.idleExpiresAt) return;
  const expires = new Date(session.idleExpiresAt);
  const stay = button('Stay signed in', async () => {
    const next = session && (await keepAlive(session));
    if (!next) return void end('You were signed out because you were inactive.');
    session = next;
    configureApi(session);
    show(byId('modal'));
    scheduleIdle();
  });
  const box = h(
    'div',
    { class: 'oar-modal' },
    h(
      'div',
      { class: 'oar-modal__box', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'idle-title', 'aria-describedby': 'idle-text' },
      h('h2', { class: 'govuk-heading-m', id: 'idle-title' }, 'You will be signed out soon'),
      h(
        'p',
        { class: 'govuk-body', id: 'idle-text' },
        `You have been inactive. You will be signed out at ${expires.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })} unless you stay signed in.`,
      ),
      h(
        'div',
        { class: 'govuk-button-group' },
        stay,
        button('Sign out', () => void end('You have signed out.'), { kind: 'secondary' }),
      ),
    ),
  );
  show(byId('modal'), box);
  stay.focus();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void end('You were signed out because you were inactive.'), Math.max(0, expires.getTime() - Date.now()));
}

function start(s: Session): void {
  session = s;
  configureApi(s, {
    onUnauthorised: () => void end('Your sign-in has ended. Sign in again.'),
    // The server moved the idle expiry: read it again (reading does not extend it), at most once a few seconds.
    onActivity: () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(async () => {
        if (session?.mode !== 'oidc') return;
        const next = await refresh(session);
        if (!next) return void end('You were signed out because you were inactive.');
        session = next;
        configureApi(session);
        if (!byId('modal').childElementCount) scheduleIdle();
      }, 2_000);
    },
  });
  nav(s);
  scheduleIdle();
  if (!location.hash || location.hash === '#/') location.hash = home(s);
  else void route();
}

async function boot(): Promise<void> {
  document.body.classList.add('govuk-frontend-supported', 'js-enabled');
  window.addEventListener('hashchange', () => void route());
  try {
    const found = await loadSession();
    if ('roles' in found) start(found);
    else signInView(found, signInError());
  } catch (error) {
    show(view(), heading('Sorry, there is a problem'), problemSummary(error));
  }
}

void boot();
