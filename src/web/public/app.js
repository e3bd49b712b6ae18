// Officer Assault Register: the page for welfare officers and federation reps. Plain ES module, no build step.
// It uses only the public API (/v1 with the signed-in key). Data is always rendered as text (textContent,
// never innerHTML): records may hold hostile strings.
/* global document, sessionStorage, fetch, URL, URLSearchParams, Blob, Node, HTMLElement, setTimeout */

const KEY_STORAGE = 'oar.apiKey';
const CONFLICT_MESSAGE = 'This record was changed by someone else: reload and retry.';
const EXPIRED_MESSAGE = 'Your key has expired or been revoked. Sign in again with a current key.';

/** What the page knows while it is open. Cleared on sign-out. */
const state = {
  /** Bumped at every sign-out: an answer that arrives for an earlier session is dropped, never shown. */
  session: 0,
  me: null,
  /** victimId -> the access reason given for it (asked once per victim while the tab is open). */
  reasons: new Map(),
  /** victimId -> { incidentReference, officer } from the queue, to title the plan. */
  victims: new Map(),
  plan: null,
  planVictimId: null,
  trim: null,
  trimItem: null,
  casesQuery: null,
  casesCursor: null,
  enumsLoaded: false,
};

// ---------------------------------------------------------------------------------------------------------
// DOM helpers: text only.

const $ = (id) => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
};

/** Creates an element. props: class, text, attrs (object), on (object of listeners), and plain properties. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = String(value);
    else if (name === 'attrs')
      for (const [a, v] of Object.entries(value)) {
        if (v !== undefined && v !== null && v !== false) node.setAttribute(a, String(v));
      }
    else if (name === 'on') for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node[name] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) {
  node.replaceChildren();
  return node;
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

// ---------------------------------------------------------------------------------------------------------
// Words and dates.

const LABELS = {
  // roles of the API
  admin: 'Admin',
  force_system: 'Force system',
  welfare_officer: 'Welfare officer',
  federation_rep: 'Federation rep',
  analyst: 'Analyst',
  // victim roles
  pcso: 'PCSO',
  inspector_and_above: 'Inspector and above',
  special_constable: 'Special constable',
  police_staff: 'Police staff',
  // offences
  emergency_worker_common_assault: 'Common assault on an emergency worker',
  abh_s47: 'Actual bodily harm (s47)',
  gbh_s20: 'Grievous bodily harm (s20)',
  gbh_with_intent_s18: 'GBH with intent (s18)',
  threats_or_abuse: 'Threats or abuse',
  // queue kinds
  care_step: 'Care step',
  follow_up: 'Follow-up contact',
  trim_referral: 'TRiM',
  // statuses
  not_applicable: 'Not applicable',
  told_on_time: 'Told on time',
  told_late: 'Told late',
  not_yet_told: 'Not yet told',
  refer_occupational_health: 'Refer to occupational health',
  refer_professional_help: 'Refer to professional help',
};

/** A readable label for an enum value. */
function label(value) {
  if (value === null || value === undefined || value === '') return '—';
  const known = LABELS[value];
  if (known) return known;
  const words = String(value).replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
const DATE_ONLY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/London' });

function when(iso, dateOnly = false) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return el('time', { attrs: { datetime: d.toISOString() }, text: (dateOnly ? DATE_ONLY : DATE_TIME).format(d) });
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const part = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${part(days, 'day')} ${part(hours, 'hour')}` : part(days, 'day');
  if (hours > 0) return minutes > 0 ? `${part(hours, 'hour')} ${part(minutes, 'minute')}` : part(hours, 'hour');
  return part(Math.max(minutes, 1), 'minute');
}

function officerOf(item) {
  return item.staffNumber ? `${label(item.victimRole)} ${item.staffNumber}` : label(item.victimRole);
}

const pounds = (pence) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(pence / 100);

// ---------------------------------------------------------------------------------------------------------
// Talking to the API.

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Thrown after a 401: the page has already gone back to sign-in. */
class SignedOut extends Error {}

const getKey = () => sessionStorage.getItem(KEY_STORAGE);

/**
 * Calls the API with the signed-in key. A 401 signs out (key expired or revoked); any other failure
 * becomes an ApiError carrying the problem document. Returns the parsed JSON, or the Response with raw.
 */
async function api(path, { method = 'GET', body, headers = {}, accept = 'application/json', raw = false, signingIn = false } = {}) {
  const key = getKey();
  if (!key) {
    signOut('Sign in to continue.');
    throw new SignedOut();
  }
  const session = state.session;
  const h = { authorization: `Bearer ${key}`, accept, ...headers };
  if (body !== undefined) h['content-type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new ApiError(0, { title: 'The service cannot be reached', detail: 'Check your connection and try again.' });
  }
  if (session !== state.session) throw new SignedOut();
  if (res.status === 401) {
    signOut(signingIn ? 'That key was not accepted. Check it and try again.' : EXPIRED_MESSAGE);
    throw new SignedOut();
  }
  if (!res.ok) {
    let problem;
    try {
      problem = await res.json();
    } catch {
      problem = {};
    }
    throw new ApiError(res.status, { title: problem.title || `HTTP ${res.status}`, detail: problem.detail || '', errors: problem.errors });
  }
  return raw ? res : res.json();
}

/** Every page of a list, following nextCursor (up to a sane limit). */
async function listAll(path, params, maxPages = 10) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const q = new URLSearchParams(params);
    if (cursor) q.set('cursor', cursor);
    const page = await api(`${path}?${q}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** An error as a block of text: the problem's title and detail, or the conflict message for a 412. */
function errorBlock(err, { onReload, reloadLabel = 'Reload' } = {}) {
  const conflict = err instanceof ApiError && err.status === 412;
  const box = el('div', { class: conflict ? 'inline-error conflict' : 'inline-error', attrs: { role: 'alert' } });
  if (conflict) {
    append(box, [el('p', { class: 'title', text: CONFLICT_MESSAGE })]);
  } else if (err instanceof ApiError) {
    append(box, [el('p', {}, el('strong', { text: err.problem.title })), err.problem.detail ? el('p', { text: err.problem.detail }) : null]);
    const fields = err.problem.errors ?? [];
    if (fields.length > 0)
      append(box, [
        el(
          'ul',
          {},
          fields.map((f) => el('li', { text: `${f.path}: ${f.message}` })),
        ),
      ]);
  } else {
    append(box, [el('p', {}, el('strong', { text: 'Something went wrong' })), el('p', { text: String(err && err.message ? err.message : err) })]);
  }
  if (onReload) append(box, [el('p', {}, el('button', { type: 'button', class: 'secondary', text: reloadLabel, on: { click: onReload } }))]);
  return box;
}

function loading(region, text) {
  region.setAttribute('aria-busy', 'true');
  clear(region).append(el('p', { class: 'loading', text }));
}

function done(region) {
  region.removeAttribute('aria-busy');
}

/**
 * Runs a form's save: its button is off meanwhile; a failure is shown in the form and the button is on again. A 412
 * (someone else changed the record first) offers to reload it.
 */
async function saveFrom(button, message, reload, work) {
  button.disabled = true;
  try {
    await work();
  } catch (err) {
    if (err instanceof SignedOut) return;
    setStatus('');
    message.append(errorBlock(err, err.status === 412 ? reload : {}));
    button.disabled = false;
  }
}

/** Runs a region's load: if it fails, the error (with Try again) takes the region's place; the region is not busy after, either way. */
async function loadInto(region, work, onReload) {
  try {
    await work();
  } catch (err) {
    if (err instanceof SignedOut) return;
    clear(region).append(errorBlock(err, { onReload, reloadLabel: 'Try again' }));
  } finally {
    done(region);
  }
}

function setStatus(text) {
  $('status').textContent = text;
}

function setAlert(text) {
  const box = $('alert');
  clear(box);
  if (!text) {
    box.hidden = true;
    return;
  }
  box.append(el('p', { text }));
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------------------------
// Views.

const VIEWS = ['signin', 'norole', 'queue', 'plan', 'trim', 'cases', 'case'];

function show(view, { focus = true } = {}) {
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  const current = view === 'queue' || view === 'plan' || view === 'trim' ? 'queue' : view === 'cases' || view === 'case' ? 'cases' : null;
  for (const [name, id] of [
    ['queue', 'nav-queue'],
    ['cases', 'nav-cases'],
  ]) {
    if (current === name) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
  if (focus) {
    const heading = $(`view-${view}`).querySelector('h2');
    if (heading) heading.focus();
  }
}

const hasRole = (role) => Boolean(state.me && state.me.roles.includes(role));

// ---------------------------------------------------------------------------------------------------------
// Signing in and out.

function signOut(message) {
  state.session += 1;
  sessionStorage.removeItem(KEY_STORAGE);
  state.me = null;
  state.reasons.clear();
  state.victims.clear();
  state.plan = null;
  state.trim = null;
  state.casesQuery = null;
  for (const id of ['queue-overdue', 'queue-due', 'plan-body', 'plan-summary', 'trim-body', 'cases-body', 'case-body', 'reason-context']) clear($(id));
  $('plan-title').textContent = 'Care plan';
  $('trim-title').textContent = 'TRiM referral';
  $('case-title').textContent = 'Case';
  const dialog = $('reason-dialog');
  if (dialog.open) dialog.close('cancel');
  $('whoami').hidden = true;
  $('nav').hidden = true;
  setStatus('');
  setAlert(message || '');
  $('api-key').value = '';
  show('signin');
}

async function signIn(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
  state.me = await api('/v1/me', { signingIn: true });
  $('who-name').textContent = state.me.name;
  $('who-role').textContent = `(${state.me.roles.map(label).join(', ')})`;
  $('who-force').textContent = state.me.forceName ?? 'national scope';
  $('whoami').hidden = false;
  const welfare = hasRole('welfare_officer');
  const rep = hasRole('federation_rep');
  $('nav-queue-item').hidden = !welfare;
  $('nav-cases-item').hidden = !rep;
  $('nav').hidden = !(welfare || rep);
  setAlert('');
  if (welfare) return openQueue();
  if (rep) return openCases();
  $('norole-roles').textContent = state.me.roles.map(label).join(', ');
  show('norole');
}

async function onSignIn(event) {
  event.preventDefault();
  const input = $('api-key');
  const key = input.value.trim();
  if (!key) {
    setAlert('Enter your API key.');
    input.focus();
    return;
  }
  const button = $('signin-submit');
  button.disabled = true;
  setStatus('Signing in…');
  try {
    await signIn(key);
  } catch (err) {
    if (err instanceof SignedOut) return;
    sessionStorage.removeItem(KEY_STORAGE);
    setStatus('');
    show('signin');
    const box = $('alert');
    clear(box).append(errorBlock(err));
    box.hidden = false;
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The access reason, asked once per victim.

/** Resolves with the reason for this victim, asking for it the first time; null when the user cancels. */
function reasonFor(victimId, context) {
  const known = state.reasons.get(victimId);
  if (known) return Promise.resolve(known);
  const dialog = $('reason-dialog');
  const form = $('reason-form');
  const input = $('reason-input');
  const error = $('reason-error');
  const opener = document.activeElement;
  $('reason-context').textContent = context;
  input.value = '';
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  return new Promise((resolve) => {
    let finished = false;
    const finish = (value) => {
      if (finished) return;
      finished = true;
      form.removeEventListener('submit', onSubmit);
      $('reason-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onEscape);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      if (value === null && opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(value);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const reason = input.value.trim();
      if (!reason) {
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      state.reasons.set(victimId, reason);
      finish(reason);
    };
    const onCancel = () => finish(null);
    const onEscape = (event) => {
      event.preventDefault();
      finish(null);
    };
    // Closed some other way (signing out): nothing is opened.
    const onClose = () => finish(null);
    form.addEventListener('submit', onSubmit);
    $('reason-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onEscape);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    input.focus();
  });
}

// ---------------------------------------------------------------------------------------------------------
// Welfare officer: the queue.

async function openQueue() {
  show('queue');
  await loadQueue();
}

async function loadQueue() {
  const overdueRegion = $('queue-overdue');
  const dueRegion = $('queue-due');
  loading(overdueRegion, 'Loading overdue items…');
  loading(dueRegion, 'Loading items due soon…');
  try {
    const [overdue, due] = await Promise.all([
      listAll('/v1/care-steps', { status: 'overdue', limit: '200' }),
      listAll('/v1/care-steps', { status: 'due', limit: '200' }),
    ]);
    const seen = new Set(overdue.map((i) => `${i.kind}:${i.id}`));
    const dueSoon = due.filter((i) => !seen.has(`${i.kind}:${i.id}`) && i.overdueSeconds === 0);
    for (const item of [...overdue, ...dueSoon]) state.victims.set(item.victimId, { incidentReference: item.incidentReference, officer: officerOf(item) });
    renderQueue(overdueRegion, overdue, 'Nothing is overdue.', true);
    renderQueue(dueRegion, dueSoon, 'Nothing is due in the next 24 hours.', false);
    setStatus(`Queue loaded: ${overdue.length} overdue, ${dueSoon.length} due in the next 24 hours.`);
  } catch (err) {
    if (err instanceof SignedOut) return;
    clear(overdueRegion).append(errorBlock(err, { onReload: loadQueue, reloadLabel: 'Try again' }));
    clear(dueRegion);
  } finally {
    done(overdueRegion);
    done(dueRegion);
  }
}

function renderQueue(region, items, emptyText, overdue) {
  clear(region);
  if (items.length === 0) {
    region.append(el('p', { class: 'empty', text: emptyText }));
    return;
  }
  const rows = items.map((item) => {
    const officer = officerOf(item);
    const action =
      item.kind === 'trim_referral'
        ? el('button', {
            type: 'button',
            class: 'secondary',
            text: 'Open TRiM referral',
            attrs: { 'aria-label': `Open TRiM referral: ${item.incidentReference}, ${officer}` },
            on: { click: () => openTrim(item) },
          })
        : el('button', {
            type: 'button',
            class: 'secondary',
            text: 'Open plan',
            attrs: { 'aria-label': `Open plan: ${item.incidentReference}, ${officer}` },
            on: { click: () => openPlan(item.victimId) },
          });
    return el(
      'tr',
      { attrs: { 'data-kind': item.kind, 'data-id': item.id } },
      el('td', { class: 'nowrap' }, when(item.dueAt)),
      el(
        'td',
        {},
        overdue
          ? el('span', { class: 'badge overdue', text: `${duration(item.overdueSeconds)} overdue` })
          : el('span', { class: 'badge due', text: 'Due soon' }),
      ),
      el('td', { class: 'mono', text: item.incidentReference }),
      el('td', { class: 'nowrap', text: officer }),
      el(
        'td',
        {},
        item.kind === 'care_step' ? null : el('span', { class: 'badge neutral', text: label(item.kind) }),
        item.kind === 'care_step' ? '' : ' ',
        item.title,
      ),
      el('td', {}, action),
    );
  });
  region.append(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        {},
        el('caption', { text: overdue ? `${items.length} overdue, oldest first` : `${items.length} due in the next 24 hours, soonest first` }),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ['Due', 'How overdue', 'Incident', 'Officer', 'Step', 'Action'].map((h) => el('th', { attrs: { scope: 'col' }, text: h })),
          ),
        ),
        el('tbody', {}, rows),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Welfare officer: a victim's care plan.

function victimContext(victimId) {
  const known = state.victims.get(victimId);
  return known ? `Incident ${known.incidentReference}, ${known.officer}` : `Officer ${victimId}`;
}

async function openPlan(victimId) {
  const reason = await reasonFor(victimId, `Care plan of: ${victimContext(victimId)}.`);
  if (reason === null) return;
  state.planVictimId = victimId;
  $('plan-title').textContent = `Care plan: ${victimContext(victimId)}`;
  clear($('plan-summary'));
  show('plan');
  await loadPlan();
}

async function loadPlan() {
  const victimId = state.planVictimId;
  const region = $('plan-body');
  loading(region, 'Loading the care plan…');
  // The summary is the plan's: it goes while the plan loads, and comes back with it.
  clear($('plan-summary'));
  await loadInto(
    region,
    async () => {
      const reason = state.reasons.get(victimId) ?? '';
      state.plan = await api(`/v1/victims/${encodeURIComponent(victimId)}/care-plan`, { headers: { 'x-access-reason': reason } });
      renderPlan();
      setStatus('Care plan loaded.');
    },
    loadPlan,
  );
}

function renderPlan() {
  const plan = state.plan;
  const region = clear($('plan-body'));
  const pending = plan.steps.filter((s) => s.status === 'pending').length;
  clear($('plan-summary')).append(
    plan.complete ? 'Every step is closed. ' : `${pending} of ${plan.steps.length} steps still to do. `,
    `Template version ${plan.templateVersion} (${plan.templateForceId ? 'force' : 'national'}).`,
  );
  if (plan.steps.length === 0) {
    region.append(el('p', { class: 'empty', text: 'This plan has no steps.' }));
    return;
  }
  region.append(el('ol', { class: 'steps' }, plan.steps.map(renderStep)));
}

function renderStep(step) {
  const now = Date.now();
  const late = step.status === 'pending' && new Date(step.dueAt).getTime() < now;
  const titleId = nextId('step-title');
  const statusBadge =
    step.status === 'pending'
      ? el('span', {
          class: late ? 'badge overdue' : 'badge due',
          text: late ? `Overdue by ${duration((now - new Date(step.dueAt).getTime()) / 1000)}` : 'To do',
        })
      : el('span', { class: 'badge done', text: label(step.status) });
  const facts = el(
    'dl',
    { class: 'facts' },
    el('dt', { text: 'Status' }),
    el('dd', {}, statusBadge),
    el('dt', { text: 'Due' }),
    el('dd', {}, when(step.dueAt)),
    el('dt', { text: 'Owner' }),
    el('dd', { text: label(step.ownerRole) }),
    step.completedAt ? [el('dt', { text: 'Closed' }), el('dd', {}, when(step.completedAt), step.completedBy ? ` by ${step.completedBy}` : '')] : null,
    step.statusReason ? [el('dt', { text: 'Reason' }), el('dd', { class: 'note', text: step.statusReason })] : null,
    step.note ? [el('dt', { text: 'Note' }), el('dd', { class: 'note', text: step.note })] : null,
  );
  const history =
    step.history && step.history.length > 0
      ? el(
          'details',
          {},
          el('summary', { text: `History (${step.history.length})` }),
          el(
            'ul',
            {},
            step.history.map((h) => el('li', {}, when(h.at), ` ${label(h.status)} by ${h.by}`, h.reason ? `: ${h.reason}` : '')),
          ),
        )
      : null;
  const item = el(
    'li',
    { class: `step ${step.status}`, attrs: { 'aria-labelledby': titleId, 'data-step-id': step.id } },
    el('h3', { id: titleId, text: `${step.position}. ${step.title}` }),
    step.description ? el('p', { class: 'hint', text: step.description }) : null,
    facts,
    history,
  );
  if (step.status === 'pending') item.append(stepForm(step));
  return item;
}

function stepForm(step) {
  const ids = { status: nextId('status'), reason: nextId('reason'), note: nextId('note'), msg: nextId('msg') };
  const status = el(
    'select',
    { id: ids.status, name: 'status' },
    el('option', { value: 'done', text: 'Done' }),
    el('option', { value: 'not_applicable', text: 'Not applicable' }),
    el('option', { value: 'declined', text: 'Declined by the officer' }),
  );
  const reason = el('input', { id: ids.reason, name: 'statusReason', type: 'text', maxLength: 1000, autocomplete: 'off' });
  const note = el('textarea', { id: ids.note, name: 'note', maxLength: 5000, rows: 2 });
  const message = el('div', { id: ids.msg, class: 'step-message' });
  const button = el('button', { type: 'submit', text: 'Save', attrs: { 'aria-label': `Save: ${step.title}` } });
  const form = el(
    'form',
    { attrs: { novalidate: '' } },
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.status }, text: 'Mark as' }), status),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.reason }, text: 'Reason (needed for not applicable)' }), reason),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.note }, text: 'Note' }), note),
    el('div', { class: 'field' }, button),
  );
  const wrap = el('div', {}, form, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(message);
    reason.removeAttribute('aria-invalid');
    const body = { status: status.value };
    const why = reason.value.trim();
    if (status.value === 'not_applicable' && !why) {
      reason.setAttribute('aria-invalid', 'true');
      message.append(el('p', { class: 'field-error', attrs: { role: 'alert' }, text: 'Give a reason when a step does not apply.' }));
      reason.focus();
      return;
    }
    if (why) body.statusReason = why;
    if (note.value.trim()) body.note = note.value;
    setStatus(`Saving “${step.title}”…`);
    await saveFrom(button, message, { onReload: loadPlan, reloadLabel: 'Reload the plan' }, async () => {
      const updated = await api(`/v1/care-steps/${encodeURIComponent(step.id)}`, {
        method: 'PATCH',
        body,
        headers: { 'if-match': `"${step.version}"`, 'x-access-reason': state.reasons.get(step.victimId) ?? '' },
      });
      state.plan.steps = state.plan.steps.map((s) => (s.id === updated.id ? { ...s, ...updated } : s));
      state.plan.complete = state.plan.steps.every((s) => s.status !== 'pending');
      renderPlan();
      setStatus(`“${updated.title}” marked ${label(updated.status).toLowerCase()}.`);
      $('plan-title').focus();
    });
  });
  return wrap;
}

// ---------------------------------------------------------------------------------------------------------
// Welfare officer: a TRiM referral.

async function openTrim(item) {
  const reason = await reasonFor(item.victimId, `TRiM referral of: ${victimContext(item.victimId)}.`);
  if (reason === null) return;
  state.trimItem = item;
  $('trim-title').textContent = `TRiM referral: ${victimContext(item.victimId)}`;
  show('trim');
  await loadTrim();
}

async function loadTrim() {
  const item = state.trimItem;
  const region = $('trim-body');
  loading(region, 'Loading the TRiM referral…');
  await loadInto(
    region,
    async () => {
      state.trim = await api(`/v1/trim-referrals/${encodeURIComponent(item.id)}`, { headers: { 'x-access-reason': state.reasons.get(item.victimId) ?? '' } });
      renderTrim();
      setStatus('TRiM referral loaded.');
    },
    loadTrim,
  );
}

function milestone(name, m, extra) {
  return [el('dt', { text: name }), el('dd', {}, m.doneAt ? ['Done ', when(m.doneAt)] : ['Due ', extra ? [when(extra), ' to '] : null, when(m.dueAt)])];
}

function renderTrim() {
  const r = state.trim;
  const region = clear($('trim-body'));
  const facts = el(
    'dl',
    { class: 'facts' },
    el('dt', { text: 'Status' }),
    el('dd', {}, el('span', { class: r.status === 'open' ? 'badge due' : 'badge done', text: label(r.status) })),
    el('dt', { text: 'Next' }),
    el('dd', { text: label(r.stage) }),
    el('dt', { text: 'Referred' }),
    el('dd', {}, when(r.referredAt), ` by ${r.referredBy}`),
    el('dt', { text: 'Consent' }),
    el('dd', { text: label(r.consent) }),
    milestone('Planning meeting', r.planningMeeting, r.planningMeeting.dueFrom),
    milestone('Initial assessment', r.initialAssessment),
    milestone('Follow-up assessment', r.followUp),
    el('dt', { text: 'Outcome' }),
    el('dd', { text: label(r.outcome) }),
    r.closedAt ? [el('dt', { text: 'Closed' }), el('dd', {}, when(r.closedAt), r.closeReason ? `: ${r.closeReason}` : '')] : null,
    el('dt', { text: 'Note' }),
    el('dd', { class: 'note', text: r.note ?? '—' }),
  );
  const assessments =
    r.assessments.length === 0
      ? el('p', { class: 'empty', text: 'No assessment recorded yet.' })
      : el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['When', 'Kind', 'Score', 'Outcome', 'Note'].map((h) => el('th', { attrs: { scope: 'col' }, text: h })),
              ),
            ),
            el(
              'tbody',
              {},
              r.assessments.map((a) =>
                el(
                  'tr',
                  {},
                  el('td', {}, when(a.assessedAt)),
                  el('td', { text: label(a.kind) }),
                  el('td', { class: 'num', text: a.score }),
                  el('td', { text: label(a.outcome) }),
                  el('td', { class: 'note', text: a.note ?? '' }),
                ),
              ),
            ),
          ),
        );
  const history = el(
    'ul',
    {},
    r.history.map((h) => el('li', {}, when(h.at), ` ${label(h.event)} by ${h.by}`, h.detail ? `: ${h.detail}` : '')),
  );
  region.append(
    el(
      'div',
      { class: 'grid-2' },
      el('div', {}, facts),
      el(
        'div',
        { class: 'panel' },
        el('h3', { text: 'Update the referral' }),
        r.status === 'open' ? trimForm(r) : el('p', { text: 'This referral is no longer open.' }),
      ),
    ),
    el('h3', { text: 'Assessments' }),
    assessments,
    el('h3', { text: 'History' }),
    r.history.length ? history : el('p', { class: 'empty', text: 'No history yet.' }),
  );
}

const OUTCOMES = ['no_further_action', 'monitor', 'refer_occupational_health', 'refer_professional_help'];

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function trimForm(r) {
  const ids = {
    consent: nextId('consent'),
    meeting: nextId('meeting'),
    note: nextId('tnote'),
    close: nextId('close'),
    outcome: nextId('outcome'),
    closeReason: nextId('close-reason'),
  };
  const consent = el(
    'select',
    { id: ids.consent },
    ['pending', 'given', 'declined'].map((c) => el('option', { value: c, text: label(c), selected: r.consent === c })),
  );
  const meeting = el('input', { id: ids.meeting, type: 'datetime-local', value: toLocalInput(r.planningMeeting.doneAt) });
  const note = el('textarea', { id: ids.note, rows: 3, maxLength: 5000, value: r.note ?? '' });
  const close = el('input', { id: ids.close, type: 'checkbox' });
  const outcome = el(
    'select',
    { id: ids.outcome },
    el('option', { value: '', text: r.outcome ? `Keep: ${label(r.outcome)}` : 'Choose an outcome' }),
    OUTCOMES.map((o) => el('option', { value: o, text: label(o) })),
  );
  const closeReason = el('input', { id: ids.closeReason, type: 'text', maxLength: 1000, autocomplete: 'off' });
  const message = el('div', {});
  const button = el('button', { type: 'submit', text: 'Save changes' });
  const form = el(
    'form',
    { class: 'stack', attrs: { novalidate: '' } },
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.consent }, text: 'Consent to TRiM' }), consent),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.meeting }, text: 'Planning meeting held at' }), meeting),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.note }, text: 'Note' }), note),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.close } }, close, ' Close the referral')),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.outcome }, text: 'Outcome' }), outcome),
    el('div', { class: 'field' }, el('label', { attrs: { for: ids.closeReason }, text: 'Reason for closing (optional)' }), closeReason),
    el('div', {}, button),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(message);
    const patch = {};
    if (consent.value !== r.consent) patch.consent = consent.value;
    // The field shows minutes: only a change of the field itself is sent.
    if (meeting.value !== toLocalInput(r.planningMeeting.doneAt)) {
      if (meeting.value && Number.isNaN(new Date(meeting.value).getTime())) {
        message.append(el('p', { class: 'field-error', attrs: { role: 'alert' }, text: 'Enter a valid date and time for the planning meeting.' }));
        meeting.focus();
        return;
      }
      patch.planningMeetingAt = meeting.value ? new Date(meeting.value).toISOString() : null;
    }
    if (note.value !== (r.note ?? '')) patch.note = note.value === '' ? null : note.value;
    if (outcome.value) patch.outcome = outcome.value;
    if (close.checked) {
      patch.status = 'closed';
      if (closeReason.value.trim()) patch.closeReason = closeReason.value.trim();
    }
    if (Object.keys(patch).length === 0) {
      message.append(el('p', { attrs: { role: 'status' }, text: 'Nothing has changed.' }));
      return;
    }
    setStatus('Saving the TRiM referral…');
    await saveFrom(button, message, { onReload: loadTrim, reloadLabel: 'Reload the referral' }, async () => {
      state.trim = await api(`/v1/trim-referrals/${encodeURIComponent(r.id)}`, { method: 'PATCH', body: patch, headers: { 'if-match': `"${r.version}"` } });
      renderTrim();
      setStatus('TRiM referral saved.');
      $('trim-title').focus();
    });
  });
  return form;
}

// ---------------------------------------------------------------------------------------------------------
// Federation rep: cases.

const FALLBACK_ENUMS = {
  status: ['under_investigation', 'charged', 'awaiting_court', 'convicted', 'not_convicted', 'closed_without_charge'],
  offence: ['emergency_worker_common_assault', 'abh_s47', 'gbh_s20', 'gbh_with_intent_s18', 'threats_or_abuse', 'other'],
};

/** The filter choices, from the published OpenAPI document (so new values appear), else the known ones. */
async function loadEnums() {
  if (state.enumsLoaded) return;
  let found = {};
  try {
    const res = await fetch('/openapi.json', { cache: 'no-store', credentials: 'omit' });
    if (res.ok) {
      const doc = await res.json();
      for (const p of doc.paths?.['/v1/cases']?.get?.parameters ?? []) {
        const values = p.schema?.enum;
        if ((p.name === 'status' || p.name === 'offence') && Array.isArray(values)) found[p.name] = values.map(String);
      }
    }
  } catch {
    found = {};
  }
  for (const name of ['status', 'offence']) {
    const select = $(`f-${name}`);
    for (const v of found[name] ?? FALLBACK_ENUMS[name]) select.append(el('option', { value: v, text: label(v) }));
  }
  state.enumsLoaded = true;
}

/** The list query from the filter form; date inputs are whole days in the browser's time zone, both inclusive. */
function casesQueryFromForm() {
  const q = {};
  const from = $('f-from').value;
  const to = $('f-to').value;
  if (from) q.occurredFrom = new Date(`${from}T00:00:00`).toISOString();
  if (to) {
    const end = new Date(`${to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    q.occurredTo = end.toISOString();
  }
  if ($('f-status').value) q.status = $('f-status').value;
  if ($('f-offence').value) q.offence = $('f-offence').value;
  return q;
}

async function openCases() {
  show('cases');
  await loadEnums();
  if (!state.casesQuery) state.casesQuery = casesQueryFromForm();
  await loadCases(false);
}

async function loadCases(more) {
  const region = $('cases-body');
  if (!more) {
    state.casesCursor = null;
    loading(region, 'Loading cases…');
  }
  await loadInto(
    region,
    async () => {
      const q = new URLSearchParams({ ...state.casesQuery, limit: '50' });
      if (more && state.casesCursor) q.set('cursor', state.casesCursor);
      const page = await api(`/v1/cases?${q}`);
      state.casesCursor = page.nextCursor;
      renderCases(page.items, more);
      setStatus(`${region.querySelectorAll('tbody tr').length} case(s) shown${page.nextCursor ? '; more available' : ''}.`);
    },
    () => loadCases(false),
  );
}

/** The Victims' Code counts in a few words: only the ones that are not zero. */
function complianceText(vc) {
  const parts = [
    [vc.onTime, 'on time'],
    [vc.late, 'late'],
    [vc.overdue, 'overdue'],
    [vc.notYetDue, 'not yet due'],
  ].filter(([n]) => n > 0);
  return parts.length ? parts.map(([n, what]) => `${n} ${what}`).join(', ') : 'No decisions yet';
}

function caseRow(c) {
  return el(
    'tr',
    { attrs: { 'data-incident-id': c.incidentId } },
    el('td', { class: 'nowrap' }, when(c.occurredAt)),
    el('td', { class: 'mono', text: c.incidentReference }),
    el('td', { text: c.offences.map(label).join('; ') }),
    el('td', { text: label(c.status) }),
    el('td', { text: c.outcome ? `${c.outcome.code}: ${c.outcome.label}` : '—' }),
    el('td', { text: complianceText(c.victimsCode) }),
    el(
      'td',
      {},
      el('button', {
        type: 'button',
        class: 'secondary',
        text: 'Open case',
        attrs: { 'aria-label': `Open case ${c.incidentReference}` },
        on: { click: () => openCase(c.incidentId) },
      }),
    ),
  );
}

function renderCases(items, more) {
  const region = $('cases-body');
  let tbody = region.querySelector('tbody');
  if (!more || !tbody) {
    clear(region);
    if (items.length === 0) {
      region.append(el('p', { class: 'empty', text: 'No cases match these filters.' }));
      return;
    }
    tbody = el('tbody');
    region.append(
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          {},
          el('caption', { text: 'Cases of your force, newest incident first' }),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['Occurred', 'Reference', 'Offences', 'Status', 'Outcome', "Victims' Code", 'Action'].map((h) => el('th', { attrs: { scope: 'col' }, text: h })),
            ),
          ),
          tbody,
        ),
      ),
    );
  }
  append(tbody, items.map(caseRow));
  region.querySelector('.more')?.remove();
  if (state.casesCursor) {
    region.append(
      el('p', { class: 'more' }, el('button', { type: 'button', class: 'secondary', text: 'Show more cases', on: { click: () => loadCases(true) } })),
    );
  }
}

async function downloadCsv() {
  const button = $('cases-csv');
  button.disabled = true;
  setStatus('Preparing the CSV…');
  try {
    const query = casesQueryFromForm();
    const parts = [];
    let cursor = null;
    for (let i = 0; i < 50; i++) {
      const q = new URLSearchParams({ ...query, limit: '500' });
      if (cursor) q.set('cursor', cursor);
      const res = await api(`/v1/cases?${q}`, { accept: 'text/csv', raw: true });
      const text = await res.text();
      // Later pages repeat the header row: keep it once.
      parts.push(i === 0 ? text : text.slice(text.indexOf('\n') + 1));
      cursor = res.headers.get('x-next-cursor');
      if (!cursor) break;
    }
    const csv = parts.map((p) => (p.endsWith('\n') || p === '' ? p : `${p}\n`)).join('');
    const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: `cases-${new Date().toISOString().slice(0, 10)}.csv`, attrs: { hidden: '' } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    const rows = Math.max(0, csv.split('\n').filter((l) => l !== '').length - 1);
    setStatus(`CSV downloaded: ${rows} case(s).`);
  } catch (err) {
    if (err instanceof SignedOut) return;
    setStatus('');
    const box = $('alert');
    clear(box).append(errorBlock(err));
    box.hidden = false;
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Federation rep: one case.

async function openCase(incidentId) {
  $('case-title').textContent = 'Case';
  show('case');
  const region = $('case-body');
  loading(region, 'Loading the case…');
  await loadInto(
    region,
    async () => {
      const c = await api(`/v1/cases/${encodeURIComponent(incidentId)}`);
      $('case-title').textContent = `Case ${c.incidentReference}`;
      renderCase(c);
      setStatus(`Case ${c.incidentReference} loaded.`);
    },
    () => openCase(incidentId),
  );
}

function sentenceText(s) {
  const extra = [];
  if (s.amountPence !== null && s.amountPence !== undefined) extra.push(pounds(s.amountPence));
  if (s.custodyMonths !== null && s.custodyMonths !== undefined) extra.push(`${s.custodyMonths} months`);
  return `${label(s.sentence)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function renderCase(c) {
  const region = clear($('case-body'));
  const facts = el(
    'dl',
    { class: 'facts' },
    el('dt', { text: 'Reference' }),
    el('dd', { class: 'mono', text: c.incidentReference }),
    el('dt', { text: 'Occurred' }),
    el('dd', {}, when(c.occurredAt)),
    el('dt', { text: 'Circumstances' }),
    el('dd', { text: label(c.circumstances) }),
    el('dt', { text: 'Offences' }),
    el('dd', { text: c.offences.map(label).join('; ') }),
    el('dt', { text: 'Status' }),
    el('dd', { text: label(c.status) }),
    el('dt', { text: 'Outcome' }),
    el('dd', { text: c.outcome ? `${c.outcome.code}: ${c.outcome.label}` : 'None recorded yet' }),
  );
  const vc = c.victimsCode;
  const compliance = el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      {},
      el('caption', { text: "Officers told of decisions within the Victims' Code deadlines" }),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['On time', 'Late', 'Overdue (not told)', 'Not yet due'].map((h) => el('th', { attrs: { scope: 'col' }, text: h })),
        ),
      ),
      el(
        'tbody',
        {},
        el(
          'tr',
          {},
          [vc.onTime, vc.late, vc.overdue, vc.notYetDue].map((n) => el('td', { text: n })),
        ),
      ),
    ),
  );

  const defendants =
    c.defendants.length === 0
      ? el('p', { class: 'empty', text: 'No charging decision recorded yet.' })
      : c.defendants.map((d) =>
          el(
            'div',
            { class: 'defendant' },
            el('h4', { text: d.label }),
            d.decisions.length
              ? el(
                  'p',
                  {},
                  'Decisions: ',
                  d.decisions.map((x, i) => [i ? '; ' : '', label(x.decision), ' (', when(x.at, true), ')']),
                )
              : null,
            d.charges.length
              ? el(
                  'div',
                  { class: 'table-wrap' },
                  el(
                    'table',
                    {},
                    el('caption', { text: `Charges against ${d.label}` }),
                    el(
                      'thead',
                      {},
                      el(
                        'tr',
                        {},
                        ['Charge', 'Charged', 'Result', 'Sentence'].map((h) => el('th', { attrs: { scope: 'col' }, text: h })),
                      ),
                    ),
                    el(
                      'tbody',
                      {},
                      d.charges.map((ch) =>
                        el(
                          'tr',
                          {},
                          el('td', { text: label(ch.offence) }),
                          el('td', {}, when(ch.chargedAt, true)),
                          el('td', {}, ch.result ? [label(ch.result.result), ' (', when(ch.result.at, true), ')'] : 'Pending'),
                          el('td', { text: ch.sentences.length ? ch.sentences.map(sentenceText).join('; ') : '—' }),
                        ),
                      ),
                    ),
                  ),
                )
              : null,
            d.sentences.length ? el('p', { text: `Sentence for all convictions: ${d.sentences.map(sentenceText).join('; ')}` }) : null,
          ),
        );

  // The justice timeline, from what the case view carries.
  const events = [];
  for (const d of c.defendants) {
    for (const x of d.decisions) events.push({ at: x.at, text: `${d.label}: ${label(x.decision)}` });
    for (const ch of d.charges) {
      if (ch.result) events.push({ at: ch.result.at, text: `${d.label}: ${label(ch.result.result)} on ${label(ch.offence)}` });
      for (const s of ch.sentences) events.push({ at: s.at, text: `${d.label}: sentenced for ${label(ch.offence)}: ${sentenceText(s)}` });
    }
    for (const s of d.sentences) events.push({ at: s.at, text: `${d.label}: sentenced: ${sentenceText(s)}` });
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  const timeline = el(
    'ol',
    { class: 'timeline' },
    el('li', {}, when(c.occurredAt), ' Assault'),
    events.map((e) => el('li', {}, when(e.at), ` ${e.text}`)),
  );

  const consenting = c.officers.filter((o) => o.federationConsent);
  const withheld = c.officers.length - consenting.length;
  const officers = el(
    'div',
    {},
    consenting.length
      ? el(
          'ul',
          {},
          consenting.map((o) =>
            el('li', {
              text: [label(o.role), o.staffNumber, o.serviceBand ? `service ${label(o.serviceBand).toLowerCase()}` : null].filter(Boolean).join(', '),
            }),
          ),
        )
      : null,
    withheld ? el('p', { class: 'hint', text: `${withheld} officer(s) without federation consent: not identified.` }) : null,
    c.officers.length === 0 ? el('p', { class: 'empty', text: 'No officers recorded.' }) : null,
  );

  append(region, [
    el('div', { class: 'grid-2' }, el('div', {}, facts), el('div', { class: 'panel' }, el('h3', { text: "Victims' Code compliance" }), compliance)),
    el('h3', { text: 'Defendants, charges, results and sentences' }),
    defendants,
    el('h3', { text: 'Timeline' }),
    timeline,
    el('h3', { text: 'Officers' }),
    officers,
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Wiring.

function start() {
  $('signin-form').addEventListener('submit', onSignIn);
  $('sign-out').addEventListener('click', () => signOut('You have signed out.'));
  $('nav-queue').addEventListener('click', () => openQueue());
  $('nav-cases').addEventListener('click', () => openCases());
  $('queue-refresh').addEventListener('click', () => loadQueue());
  $('plan-back').addEventListener('click', () => openQueue());
  $('plan-reload').addEventListener('click', () => loadPlan());
  $('trim-back').addEventListener('click', () => openQueue());
  $('trim-reload').addEventListener('click', () => loadTrim());
  $('case-back').addEventListener('click', () => {
    show('cases');
  });
  $('cases-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    const from = $('f-from').value;
    const to = $('f-to').value;
    if (from && to && to < from) {
      setAlert('The "to" date is before the "from" date.');
      $('f-to').focus();
      return;
    }
    setAlert('');
    state.casesQuery = casesQueryFromForm();
    loadCases(false);
  });
  $('cases-clear').addEventListener('click', () => {
    $('cases-filter').reset();
    setAlert('');
    state.casesQuery = casesQueryFromForm();
    loadCases(false);
  });
  $('cases-csv').addEventListener('click', () => downloadCsv());

  const key = getKey();
  if (!key) {
    show('signin', { focus: false });
    return;
  }
  signIn(key).catch((err) => {
    if (err instanceof SignedOut) return;
    show('signin', { focus: false });
    const box = $('alert');
    clear(box).append(errorBlock(err));
    box.hidden = false;
  });
}

start();
