// Welfare officer: the queue grouped by officer (searchable), and one officer's page: the seven care steps as a task
// list, follow-ups and TRiM. Every read and write of an officer sends the access reason given once per sitting.
import { api, ApiError, idempotencyKey, ifMatch, ok } from '../api.ts';
import { byId, h, show } from '../dom.ts';
import { date, dateTime, duration, fromInput, label, localInput } from '../format.ts';
import { groupByOfficer, matches, type OfficerEntry } from '../queue.ts';
import type { OarSchema } from '../../../clients/typescript/index.ts';
import {
  banner,
  busy,
  button,
  errorSummary,
  heading,
  input,
  link,
  p,
  problemSummary,
  radios,
  select,
  summaryList,
  table,
  tag,
  textarea,
  values,
} from '../ui.ts';

type Step = OarSchema<'CareStep'>;
type Referral = OarSchema<'TrimReferral'>;

/** The access reason per officer, for this sitting (this tab, until it is closed or signs out). */
export const reasons = new Map<string, string>();
/** What the officer page shows next to its heading after a write (what changed). */
let flash: { title: string; lines: string[] } | null = null;
/** TRiM referral ids seen in the queue, per officer. */
const referrals = new Map<string, string>();

export async function queueView(view: HTMLElement, search = ''): Promise<void> {
  const items = await busy(view, async () => (await ok(api().GET('/v1/care-steps', { params: { query: { status: 'due', limit: 500 } } }))).items);
  for (const i of items) if (i.kind === 'trim_referral') referrals.set(i.victimId, i.id);
  const entries = groupByOfficer(items);
  const results = h('div', { id: 'queue-results' });
  const render = async (q: string) => {
    const shown = entries.filter((e) => matches(e, q));
    // A search also finds the force's officers with nothing due (GET /v1/victims), after those with something due.
    if (q.trim().length >= 2) {
      try {
        const found = await busy(results, async () => (await ok(api().GET('/v1/victims', { params: { query: { q: q.trim(), limit: 50 } } }))).items);
        const inQueue = new Set(shown.map((e) => e.victimId));
        for (const v of found) if (!inQueue.has(v.id)) shown.push(officerWithNothingDue(v));
      } catch (error) {
        return show(results, problemSummary(error));
      }
    }
    const count = `${shown.length} officer${shown.length === 1 ? '' : 's'}`;
    show(results, h('p', { class: 'govuk-body', role: 'status' }, q.trim() ? `${count} found` : `${count} with care due`), ...shown.map(officerCard));
  };
  const form = h(
    'form',
    {
      class: 'govuk-!-margin-bottom-6',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const q = values(e.target as HTMLFormElement).q ?? '';
        history.replaceState(null, '', `#/queue?q=${encodeURIComponent(q)}`);
        void render(q);
      },
    },
    input({
      name: 'q',
      id: 'search',
      label: 'Find an officer',
      hint: 'Staff number or incident reference: any officer of your force, whether or not something is due',
      value: search,
      width: '20',
    }),
    button('Search', () => undefined, { type: 'submit', kind: 'secondary' }),
  );
  show(
    view,
    heading('Welfare queue'),
    p('Officers with a care step, follow-up contact or TRiM milestone overdue or due in the next 24 hours, most overdue first.'),
    form,
    results,
  );
  await render(search);
}

/** An officer found by a search with nothing in the queue. */
function officerWithNothingDue(v: OarSchema<'VictimListItem'>): OfficerEntry {
  return {
    victimId: v.id,
    incidentReference: v.incidentReference,
    victimRole: v.role,
    staffNumber: v.staffNumber,
    overdue: [],
    dueSoon: [],
    worst: 0,
    firstDue: '',
  };
}

function officerCard(e: OfficerEntry) {
  const who = `${label(e.victimRole)} ${e.staffNumber ?? '(no staff number)'}`;
  const row = (i: OfficerEntry['overdue'][number]) =>
    h(
      'div',
      { class: 'govuk-summary-list__row' },
      h('dt', { class: 'govuk-summary-list__key' }, i.title),
      h(
        'dd',
        { class: 'govuk-summary-list__value' },
        i.overdueSeconds > 0 ? tag(`${duration(i.overdueSeconds)} overdue`, 'red') : tag(`Due ${dateTime(i.dueAt)}`, 'yellow'),
      ),
    );
  return h(
    'div',
    { class: 'govuk-summary-card oar-officer-card', 'data-victim': e.victimId },
    h(
      'div',
      { class: 'govuk-summary-card__title-wrapper' },
      h('h2', { class: 'govuk-summary-card__title' }, `${who}, incident ${e.incidentReference}`),
      h(
        'ul',
        { class: 'govuk-summary-card__actions' },
        h(
          'li',
          { class: 'govuk-summary-card__action' },
          link(['Open officer', h('span', { class: 'govuk-visually-hidden' }, ` ${who}`)], `#/officers/${e.victimId}`),
        ),
      ),
    ),
    h(
      'div',
      { class: 'govuk-summary-card__content' },
      e.overdue.length + e.dueSoon.length
        ? h('dl', { class: 'govuk-summary-list' }, ...e.overdue.map(row), ...e.dueSoon.map(row))
        : p('Nothing overdue or due in the next 24 hours.'),
    ),
  );
}

/** Asks why the record is opened (once per officer per sitting), then shows it. */
export async function officerView(view: HTMLElement, victimId: string, myName: string): Promise<void> {
  const reason = reasons.get(victimId);
  if (!reason) return askReason(view, victimId, myName);
  const a = api(reason);
  const [victim, plan, followUps] = await busy(view, () =>
    Promise.all([
      ok(a.GET('/v1/victims/{id}', { params: { path: { id: victimId } } })),
      ok(a.GET('/v1/victims/{id}/care-plan', { params: { path: { id: victimId } } })),
      ok(a.GET('/v1/victims/{id}/follow-ups', { params: { path: { id: victimId }, query: { limit: 50 }, header: { 'X-Access-Reason': reason } } })),
    ]),
  );
  const referralId = referrals.get(victimId);
  const referral = referralId
    ? await ok(a.GET('/v1/trim-referrals/{id}', { params: { path: { id: referralId }, header: { 'X-Access-Reason': reason } } }))
    : null;
  const reload = () => officerView(view, victimId, myName);
  const done = (title: string, lines: string[]) => {
    flash = { title, lines };
    return reload();
  };
  const who = `${label(victim.role)} ${victim.staffNumber ?? ''}`.trim();
  const note = flash ? banner(flash.title, flash.lines, true) : null;
  flash = null;
  show(
    view,
    link('Back to the queue', '#/queue', { class: 'govuk-back-link' }),
    note,
    heading(who, 'Assaulted officer'),
    h('h2', { class: 'govuk-heading-m' }, 'Care plan'),
    h('ul', { class: 'govuk-task-list', id: 'steps' }, ...plan.steps.map((s) => stepItem(s, reason, done, reload))),
    h('h2', { class: 'govuk-heading-m' }, 'Follow-up contacts'),
    followUpSection(followUps.items, victimId, reason, myName, done),
    h('h2', { class: 'govuk-heading-m' }, 'TRiM'),
    trimSection(referral, victimId, reason, myName, done),
  );
  note?.focus();
}

function askReason(view: HTMLElement, victimId: string, myName: string) {
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const reason = values(form).reason ?? '';
        if (reason.length < 3) {
          show(view, errorSummary('There is a problem', [{ text: 'Enter why you are opening this record', href: '#reason' }]), form);
          return;
        }
        reasons.set(victimId, reason);
        void officerView(view, victimId, myName);
      },
    },
    textarea({
      name: 'reason',
      id: 'reason',
      label: 'Why are you opening this record?',
      hint: 'Welfare and health details are personal data. Your reason is recorded with every look.',
    }),
    button('Continue', () => undefined, { type: 'submit' }),
  );
  show(view, link('Back to the queue', '#/queue', { class: 'govuk-back-link' }), heading('Why are you opening this record?'), form);
}

type Done = (title: string, lines: string[]) => Promise<void>;

function stepStatus(s: Step) {
  if (s.status === 'done') return tag('Done', 'green');
  if (s.status === 'not_applicable') return tag('Not applicable', 'grey');
  if (s.status === 'declined') return tag('Declined', 'grey');
  return new Date(s.dueAt) < new Date() ? tag('Overdue', 'red') : tag('To do', 'blue');
}

/** 412: the step changed meanwhile. The newer version is shown; nothing of ours was saved. */
async function conflicted(error: unknown, region: HTMLElement, reload: () => Promise<void>) {
  if (error instanceof ApiError && error.status === 412) {
    await reload();
    const box = errorSummary('Someone else changed this record', [
      { text: 'Your change was not saved. The newer version is shown below: check it and try again.' },
    ]);
    byId('view').prepend(box);
    return;
  }
  region.prepend(problemSummary(error));
}

function stepItem(s: Step, reason: string, done: Done, reload: () => Promise<void>) {
  const formArea = h('div', {});
  const patch = async (body: OarSchema<'CareStepPatch'>, what: string[]) => {
    try {
      await ok(api(reason).PATCH('/v1/care-steps/{id}', { params: { path: { id: s.id }, header: { 'If-Match': ifMatch(s.version) } }, body }));
      await done(`“${s.title}” updated`, what);
    } catch (error) {
      await conflicted(error, formArea, reload);
    }
  };
  const open = s.status === 'pending';
  const form = h('form', { novalidate: true });
  if (open) {
    const reasonBox = (name: string) => textarea({ name, label: 'Reason', rows: 2 });
    form.append(
      radios({
        name: 'status',
        legend: `Update “${s.title}”`,
        small: true,
        options: [
          { value: 'done', label: 'Done' },
          { value: 'not_applicable', label: 'Not applicable', reveal: reasonBox('naReason') },
          { value: 'declined', label: 'Declined by the officer', reveal: reasonBox('declinedReason') },
        ],
      }),
      textarea({ name: 'note', label: 'Note (optional)', rows: 2, value: s.note ?? '' }),
      button('Save', () => undefined, { type: 'submit', attrs: { 'aria-label': `Save ${s.title}` } }),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = values(form);
      const status = v.status as 'done' | 'not_applicable' | 'declined' | undefined;
      if (!status) return show(formArea, errorSummary('There is a problem', [{ text: 'Choose what happened to this step' }]), form);
      const why = status === 'not_applicable' ? v.naReason : status === 'declined' ? v.declinedReason : undefined;
      if (status === 'not_applicable' && !why)
        return show(formArea, errorSummary('There is a problem', [{ text: 'Give a reason when a step does not apply' }]), form);
      const body = { status, ...(why ? { statusReason: why } : {}), ...(v.note && v.note !== (s.note ?? '') ? { note: v.note } : {}) };
      const what = [`Status: ${label(s.status)} → ${label(status)}`, ...(why ? [`Reason: ${why}`] : []), ...(body.note ? ['Note changed'] : [])];
      if (status !== 'not_applicable') return void patch(body, what);
      // Not applicable closes the step for good: confirm first.
      show(
        formArea,
        h('div', { class: 'govuk-warning-text' }, h('strong', { class: 'govuk-warning-text__text' }, `Mark “${s.title}” as not applicable because: ${why}?`)),
        h(
          'div',
          { class: 'govuk-button-group' },
          button('Yes, mark as not applicable', () => void patch(body, what), { kind: 'warning' }),
          button('Cancel', () => show(formArea, form), { kind: 'secondary' }),
        ),
      );
    });
  } else {
    form.append(
      textarea({ name: 'reopenReason', label: 'Reason for reopening', rows: 2 }),
      button('Reopen step', () => undefined, { type: 'submit', kind: 'secondary', attrs: { 'aria-label': `Reopen ${s.title}` } }),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const why = values(form).reopenReason;
      if (!why) return show(formArea, errorSummary('There is a problem', [{ text: 'Give a reason for reopening' }]), form);
      void patch({ status: 'pending', statusReason: why }, [`Status: ${label(s.status)} → Pending`, `Reason: ${why}`]);
    });
  }
  formArea.append(form);
  return h(
    'li',
    { class: 'govuk-task-list__item', 'data-step': s.key },
    h(
      'div',
      { class: 'govuk-task-list__name-and-hint' },
      h('h3', { class: 'govuk-heading-s govuk-!-margin-bottom-1' }, s.title),
      h('div', { class: 'govuk-task-list__hint' }, `Owner: ${label(s.ownerRole)}. Due ${dateTime(s.dueAt)}.`),
      s.completedBy ? h('div', { class: 'govuk-task-list__hint' }, `${label(s.status)} by ${s.completedBy}, ${dateTime(s.completedAt)}`) : null,
      s.statusReason ? h('div', { class: 'govuk-task-list__hint oar-pre' }, `Reason: ${s.statusReason}`) : null,
      s.note ? h('div', { class: 'govuk-task-list__hint oar-pre' }, `Note: ${s.note}`) : null,
      h(
        'details',
        { class: 'govuk-details govuk-!-margin-top-2 govuk-!-margin-bottom-0' },
        h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, open ? 'Update this step' : 'Reopen this step')),
        h('div', { class: 'govuk-details__text' }, formArea),
      ),
    ),
    h('div', { class: 'govuk-task-list__status' }, stepStatus(s)),
  );
}

const CONTACT_KINDS: [string, string][] = ['call', 'visit', 'message', 'meeting', 'return_to_work_review', 'other'].map((k) => [k, label(k)]);

function followUpSection(items: OarSchema<'FollowUp'>[], victimId: string, reason: string, myName: string, done: Done) {
  const area = h('div', {});
  const form: HTMLFormElement = h(
    'form',
    {
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const v = values(form);
        const occurredAt = fromInput(v.occurredAt ?? '');
        const next = fromInput(v.next ?? '');
        if (!occurredAt || !v.contactBy)
          return show(area, errorSummary('There is a problem', [{ text: 'Enter when the contact was made and who made it' }]), form);
        try {
          await ok(
            api(reason).POST('/v1/victims/{id}/follow-ups', {
              params: { path: { id: victimId }, header: { 'Idempotency-Key': idempotencyKey() } },
              body: { occurredAt, kind: v.kind as OarSchema<'FollowUpCreate'>['kind'], contactBy: v.contactBy, note: v.note || null, nextFollowUpAt: next },
            }),
          );
          await done('Contact logged', [`${label(v.kind)} on ${dateTime(occurredAt)}`, next ? `Next contact due ${date(next)}` : 'No further contact planned']);
        } catch (error) {
          area.prepend(problemSummary(error));
        }
      },
    },
    h('h3', { class: 'govuk-heading-s' }, 'Log a contact'),
    input({ name: 'occurredAt', label: 'When', type: 'datetime-local', value: localInput(new Date()) }),
    select({ name: 'kind', label: 'How', options: CONTACT_KINDS, value: 'call' }),
    input({ name: 'contactBy', label: 'Contact made by', value: myName }),
    textarea({ name: 'note', label: 'Note (optional)', rows: 2 }),
    input({ name: 'next', label: 'Next contact date', hint: 'Leave empty if no further contact is planned', type: 'date' }),
    button('Log contact', () => undefined, { type: 'submit' }),
  );
  area.append(form);
  const history = items.length
    ? table(
        'Contacts so far',
        ['When', 'How', 'By', 'Note', 'Next contact'],
        items.map((f) => [dateTime(f.occurredAt), label(f.kind), f.contactBy, f.note ?? '', f.nextFollowUpAt ? date(f.nextFollowUpAt) : 'None planned']),
      )
    : p('No contacts logged yet.');
  return h('div', { id: 'follow-ups' }, history, area);
}

const OUTCOMES: [string, string][] = ['no_further_action', 'monitor', 'refer_occupational_health', 'refer_professional_help'].map((k) => [k, label(k)]);

function trimSection(referral: Referral | null, victimId: string, reason: string, myName: string, done: Done) {
  const area = h('div', { id: 'trim' });
  const run = async (what: string, lines: string[], call: () => Promise<unknown>) => {
    try {
      await call();
      await done(what, lines);
    } catch (error) {
      area.prepend(problemSummary(error));
    }
  };
  const formOf = (title: string, fields: HTMLElement[], submit: string, onSubmit: (v: Record<string, string>) => void) => {
    const f: HTMLFormElement = h(
      'form',
      { novalidate: true, class: 'govuk-!-margin-bottom-6' },
      h('h3', { class: 'govuk-heading-s' }, title),
      ...fields,
      button(submit, () => undefined, { type: 'submit', kind: 'secondary' }),
    );
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      onSubmit(values(f));
    });
    return f;
  };
  if (!referral) {
    area.append(
      p('No TRiM referral is open for this officer.'),
      formOf(
        'Refer to TRiM',
        [
          input({ name: 'referredBy', label: 'Referred by', value: myName }),
          radios({
            name: 'consent',
            legend: 'Has the officer consented to TRiM?',
            small: true,
            options: [
              { value: 'given', label: 'Yes' },
              { value: 'pending', label: 'Not asked yet' },
            ],
          }),
        ],
        'Refer to TRiM',
        (v) =>
          void run('Referred to TRiM', [`Consent: ${label(v.consent || 'pending')}`], async () => {
            const made = await ok(
              api(reason).POST('/v1/victims/{id}/trim-referrals', {
                params: { path: { id: victimId }, header: { 'Idempotency-Key': idempotencyKey() } },
                body: { referredBy: v.referredBy || myName, consent: (v.consent || 'pending') as 'given' | 'pending' },
              }),
            );
            referrals.set(victimId, made.id);
          }),
      ),
    );
    return area;
  }
  const r = referral;
  const patch = (body: OarSchema<'TrimReferralPatch'>) =>
    ok(api(reason).PATCH('/v1/trim-referrals/{id}', { params: { path: { id: r.id }, header: { 'If-Match': ifMatch(r.version) } }, body }));
  area.append(
    summaryList([
      ['Stage', label(r.stage)],
      ['Consent', label(r.consent)],
      ['Planning meeting', r.planningMeeting.doneAt ? `Held ${dateTime(r.planningMeeting.doneAt)}` : `Due ${dateTime(r.planningMeeting.dueAt)}`],
      ['Initial assessment', r.initialAssessment.doneAt ? `Done ${dateTime(r.initialAssessment.doneAt)}` : `Due ${dateTime(r.initialAssessment.dueAt)}`],
      ['Follow-up assessment', r.followUp.doneAt ? `Done ${dateTime(r.followUp.doneAt)}` : `Due ${dateTime(r.followUp.dueAt)}`],
      ['Outcome', r.outcome ? label(r.outcome) : 'Not yet'],
    ]),
  );
  if (r.assessments.length)
    area.append(
      table(
        'Assessments',
        ['Kind', 'When', 'Score', 'Outcome'],
        r.assessments.map((x) => [label(x.kind), dateTime(x.assessedAt), String(x.score), label(x.outcome)]),
      ),
    );
  if (r.status !== 'open') return area;
  if (r.consent === 'pending')
    area.append(
      formOf(
        'Record consent',
        [
          radios({
            name: 'consent',
            legend: 'Does the officer consent to TRiM?',
            small: true,
            options: [
              { value: 'given', label: 'Yes' },
              { value: 'declined', label: 'No, declined' },
            ],
          }),
        ],
        'Save consent',
        (v) => void run('TRiM consent recorded', [`Consent: Pending → ${label(v.consent)}`], () => patch({ consent: v.consent as 'given' | 'declined' })),
      ),
    );
  if (!r.planningMeeting.doneAt)
    area.append(
      formOf(
        'Planning meeting',
        [input({ name: 'at', label: 'Planning meeting held at', type: 'datetime-local', value: localInput(new Date()) })],
        'Save planning meeting',
        (v) => void run('Planning meeting recorded', [`Held ${dateTime(fromInput(v.at ?? ''))}`], () => patch({ planningMeetingAt: fromInput(v.at ?? '') })),
      ),
    );
  area.append(
    formOf(
      'Record an assessment',
      [
        select({
          name: 'kind',
          label: 'Assessment',
          options: [
            ['initial', 'Initial'],
            ['follow_up', 'Follow-up'],
            ['additional', 'Additional'],
          ],
          value: r.initialAssessment.doneAt ? 'follow_up' : 'initial',
        }),
        input({ name: 'assessedAt', label: 'Assessed at', type: 'datetime-local', value: localInput(new Date()) }),
        input({ name: 'score', label: 'Risk score (0 to 100)', type: 'number', width: '3', attrs: { inputmode: 'numeric', min: 0, max: 100 } }),
        select({ name: 'outcome', label: 'Outcome', options: OUTCOMES, value: 'monitor' }),
      ],
      'Record assessment',
      (v) =>
        void run('Assessment recorded', [`${label(v.kind)} assessment, score ${v.score}, ${label(v.outcome)}`], () =>
          ok(
            api(reason).POST('/v1/trim-referrals/{id}/assessments', {
              params: { path: { id: r.id }, header: { 'Idempotency-Key': idempotencyKey() } },
              body: { kind: v.kind as 'initial', assessedAt: fromInput(v.assessedAt ?? '') ?? '', score: Number(v.score), outcome: v.outcome as 'monitor' },
            }),
          ),
        ),
    ),
    formOf(
      'Close the referral',
      [select({ name: 'outcome', label: 'Outcome', options: OUTCOMES }), textarea({ name: 'why', label: 'Reason', rows: 2 })],
      'Close referral',
      (v) =>
        void run('TRiM referral closed', [`Outcome: ${label(v.outcome)}`], () =>
          patch({ status: 'closed', outcome: v.outcome as 'monitor', ...(v.why ? { closeReason: v.why } : {}) }),
        ),
    ),
  );
  return area;
}
