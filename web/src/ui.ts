// GOV.UK Frontend components as DOM (the markup of its Nunjucks macros, written out): buttons, fields, radios
// with a conditional reveal, summary lists, tables, tags, the error summary and the notification banner.
import { type Attrs, type Child, h, uid } from './dom.ts';
import type { ApiError } from './api.ts';

export const heading = (text: Child, caption?: string) =>
  h('h1', { class: 'govuk-heading-l', tabindex: '-1', id: 'page-heading' }, caption ? h('span', { class: 'govuk-caption-m' }, caption) : null, text);

export const p = (...children: Child[]) => h('p', { class: 'govuk-body' }, ...children);

export function button(
  text: string,
  onClick: (event: Event) => void,
  opts: { kind?: 'secondary' | 'warning'; type?: 'button' | 'submit'; attrs?: Attrs } = {},
) {
  const cls = `govuk-button${opts.kind ? ` govuk-button--${opts.kind}` : ''}`;
  return h('button', { type: opts.type ?? 'button', class: cls, 'data-module': 'govuk-button', onclick: onClick, ...opts.attrs }, text);
}

export const link = (text: Child, href: string, attrs: Attrs = {}) => h('a', { class: 'govuk-link', href, ...attrs }, text);

export function tag(text: string, colour?: 'red' | 'orange' | 'green' | 'grey' | 'blue' | 'yellow') {
  return h('strong', { class: `govuk-tag${colour ? ` govuk-tag--${colour}` : ''}` }, text);
}

/** A field's wrapper: label, hint, error and the control. */
function field(id: string, labelText: string, control: HTMLElement, opts: { hint?: string; error?: string; bold?: boolean }) {
  const hintId = opts.hint ? `${id}-hint` : null;
  const errorId = opts.error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  if (describedBy) control.setAttribute('aria-describedby', describedBy);
  if (opts.error) control.classList.add(`${control.classList[0]}--error`);
  return h(
    'div',
    { class: `govuk-form-group${opts.error ? ' govuk-form-group--error' : ''}` },
    h('label', { class: `govuk-label${opts.bold ? ' govuk-label--s' : ''}`, for: id }, labelText),
    opts.hint ? h('div', { class: 'govuk-hint', id: hintId }, opts.hint) : null,
    opts.error ? h('p', { class: 'govuk-error-message', id: errorId }, h('span', { class: 'govuk-visually-hidden' }, 'Error:'), ' ', opts.error) : null,
    control,
  );
}

export interface FieldOpts {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  type?: string;
  id?: string;
  width?: string;
  attrs?: Attrs;
}

export function input(o: FieldOpts) {
  const id = o.id ?? uid(o.name);
  const control = h('input', {
    class: `govuk-input${o.width ? ` govuk-input--width-${o.width}` : ''}`,
    id,
    name: o.name,
    type: o.type ?? 'text',
    value: o.value ?? '',
    ...o.attrs,
  });
  return field(id, o.label, control, o);
}

export function textarea(o: FieldOpts & { rows?: number }) {
  const id = o.id ?? uid(o.name);
  const control = h('textarea', { class: 'govuk-textarea', id, name: o.name, rows: o.rows ?? 3, ...o.attrs }, o.value ?? '');
  return field(id, o.label, control, o);
}

export function select(o: FieldOpts & { options: [string, string][] }) {
  const id = o.id ?? uid(o.name);
  const control = h(
    'select',
    { class: 'govuk-select', id, name: o.name, ...o.attrs },
    ...o.options.map(([value, text]) => h('option', { value, selected: value === (o.value ?? '') }, text)),
  );
  return field(id, o.label, control, o);
}

export interface RadioOption {
  value: string;
  label: string;
  hint?: string;
  /** Shown only while this option is chosen (GOV.UK's conditional reveal). */
  reveal?: Child;
}

/** Radios in a fieldset; none is chosen unless `value` says so. */
export function radios(o: { name: string; legend: string; options: RadioOption[]; value?: string; error?: string; hint?: string; small?: boolean }) {
  const base = uid(o.name);
  const errorId = o.error ? `${base}-error` : null;
  const hintId = o.hint ? `${base}-hint` : null;
  const items = o.options.map((opt, i) => {
    const id = `${base}-${i}`;
    const revealId = opt.reveal ? `${id}-reveal` : null;
    const input = h('input', {
      class: 'govuk-radios__input',
      id,
      name: o.name,
      type: 'radio',
      value: opt.value,
      checked: o.value === opt.value,
      'aria-controls': revealId,
      'aria-expanded': revealId ? String(o.value === opt.value) : null,
    });
    return [
      h(
        'div',
        { class: 'govuk-radios__item' },
        input,
        h('label', { class: 'govuk-label govuk-radios__label', for: id }, opt.label),
        opt.hint ? h('div', { class: 'govuk-hint govuk-radios__hint', id: `${id}-hint` }, opt.hint) : null,
      ),
      revealId
        ? h('div', { class: `govuk-radios__conditional${o.value === opt.value ? '' : ' govuk-radios__conditional--hidden'}`, id: revealId }, opt.reveal)
        : null,
    ];
  });
  const group = h('div', { class: `govuk-radios${o.small ? ' govuk-radios--small' : ''}`, 'data-module': 'govuk-radios' }, ...items);
  group.addEventListener('change', () => syncReveals(group));
  return h(
    'div',
    { class: `govuk-form-group${o.error ? ' govuk-form-group--error' : ''}` },
    h(
      'fieldset',
      { class: 'govuk-fieldset', 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || null },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, o.legend),
      o.hint ? h('div', { class: 'govuk-hint', id: hintId }, o.hint) : null,
      o.error ? h('p', { class: 'govuk-error-message', id: errorId }, h('span', { class: 'govuk-visually-hidden' }, 'Error:'), ' ', o.error) : null,
      group,
    ),
  );
}

/** Shows the conditional part of the chosen radio, hides the others. */
export function syncReveals(group: Element): void {
  for (const input of Array.from(group.querySelectorAll<HTMLInputElement>('input[type=radio][aria-controls]'))) {
    const reveal = group.querySelector(`#${CSS.escape(input.getAttribute('aria-controls') ?? '')}`);
    input.setAttribute('aria-expanded', String(input.checked));
    reveal?.classList.toggle('govuk-radios__conditional--hidden', !input.checked);
  }
}

export function summaryList(rows: [string, Child][], attrs: Attrs = {}) {
  return h(
    'dl',
    { class: 'govuk-summary-list', ...attrs },
    ...rows.map(([key, value]) =>
      h(
        'div',
        { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key' }, key),
        h('dd', { class: 'govuk-summary-list__value' }, value),
      ),
    ),
  );
}

/** A GOV.UK table. Its wrapper scrolls sideways on a narrow screen, so it takes the focus (a keyboard can scroll it) and is named by the caption. */
export function table(caption: string, head: string[], rows: Child[][], attrs: Attrs = {}) {
  return h(
    'div',
    { class: 'oar-table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h(
      'table',
      { class: 'govuk-table', ...attrs },
      h('caption', { class: 'govuk-table__caption govuk-table__caption--m' }, caption),
      h(
        'thead',
        { class: 'govuk-table__head' },
        h('tr', { class: 'govuk-table__row' }, ...head.map((x) => h('th', { scope: 'col', class: 'govuk-table__header' }, x))),
      ),
      h(
        'tbody',
        { class: 'govuk-table__body' },
        ...rows.map((r) => h('tr', { class: 'govuk-table__row' }, ...r.map((c) => h('td', { class: 'govuk-table__cell' }, c)))),
      ),
    ),
  );
}

/** GOV.UK's error summary: what went wrong, each linked to its field; takes the focus. */
export function errorSummary(title: string, items: { text: string; href?: string }[]) {
  const box = h(
    'div',
    { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary', tabindex: '-1' },
    h(
      'div',
      { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, title),
      h(
        'div',
        { class: 'govuk-error-summary__body' },
        h('ul', { class: 'govuk-list govuk-error-summary__list' }, ...items.map((i) => h('li', {}, i.href ? h('a', { href: i.href }, i.text) : i.text))),
      ),
    ),
  );
  queueMicrotask(() => box.focus());
  return box;
}

/** The error summary of a failed call: the problem's title, detail and each field it names. */
export function problemSummary(error: unknown) {
  const e = error as Partial<ApiError>;
  const items = [{ text: e.problem?.detail ?? e.message ?? 'Something went wrong. Try again.' }];
  for (const f of e.problem?.errors ?? []) items.push({ text: `${f.path}: ${f.message}` });
  return errorSummary(e.problem?.title ?? 'There is a problem', items);
}

/** GOV.UK's notification banner; `success` says what changed. */
export function banner(title: string, lines: Child[], success = false) {
  return h(
    'div',
    {
      class: `govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}`,
      role: success ? 'alert' : 'region',
      'aria-labelledby': 'banner-title',
      'data-module': 'govuk-notification-banner',
      tabindex: '-1',
    },
    h(
      'div',
      { class: 'govuk-notification-banner__header' },
      h('h2', { class: 'govuk-notification-banner__title', id: 'banner-title' }, success ? 'Success' : 'Important'),
    ),
    h(
      'div',
      { class: 'govuk-notification-banner__content' },
      h('p', { class: 'govuk-notification-banner__heading' }, title),
      ...lines.map((l) => h('p', { class: 'govuk-body' }, l)),
    ),
  );
}

export const warning = (text: string) =>
  h(
    'div',
    { class: 'govuk-warning-text' },
    h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
    h('strong', { class: 'govuk-warning-text__text' }, h('span', { class: 'govuk-visually-hidden' }, 'Warning'), text),
  );

export const details = (summary: string, ...content: Child[]) =>
  h(
    'details',
    { class: 'govuk-details' },
    h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, summary)),
    h('div', { class: 'govuk-details__text' }, ...content),
  );

/** The values of a form's named controls. */
export function values(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    out[k] = String(v).trim();
  });
  return out;
}

/** Marks a region busy while `work` runs (tests wait for no [aria-busy=true]). */
export async function busy<T>(region: Element, work: () => Promise<T>): Promise<T> {
  region.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    region.setAttribute('aria-busy', 'false');
  }
}
