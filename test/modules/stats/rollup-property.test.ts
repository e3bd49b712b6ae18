// The statistics rollup stays exact (issue #18 item 2): random datasets and histories recorded through the API
// (incidents, victims, edits, withdrawals and reinstatements, justice events, care-step changes, TRiM, Victims' Code
// updates, the clock moving between writes), then, at several points of each history, random periods, `now` values
// and scopes: computeRollup (and computeRollupMany, and the rollup after rebuildRollup) must equal the reference
// computeRaw (queries.ts) for every force and the total, every figure, every breakdown; medians within 1e-9.
// Reproduce a failure with the seed fast-check prints (FC_SEED=<seed> npx tap ...).
import fc from 'fast-check';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../../src/db/client.ts';
import { endOfUkDay, ukDate } from '../../../src/shared/calendar.ts';
import { computeRaw, type Period } from '../../../src/modules/stats/queries.ts';
import { computeRollup, computeRollupMany, drainRollup, rebuildRollup, refreshStaleFacts } from '../../../src/modules/stats/rollup.ts';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { differences } from './support.ts';
import {
  perform,
  prepare,
  recordIncident,
  REASON,
  type Action,
  type ForceKey,
  type IncidentSpec,
  type Loaded,
  type VictimSpec,
} from '../../fixtures/stats-dataset.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const ukMidnight = (day: string) => endOfUkDay(shiftDay(day, -1)).getTime() + 1;
const ukDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(ms));

// ------------------------------------------------------------------------------------------------
// What a history is made of (plain data, so fast-check can print it)

const FORCES = ['A', 'B', 'C'] as const;
const CIRCUMSTANCES = ['arrest', 'public_order', 'custody', 'mental_health', 'other'];
const OFFENCES = ['emergency_worker_common_assault', 'abh_s47', 'gbh_s20', 'threats_or_abuse'];
const ROLES = ['constable', 'sergeant', 'inspector_and_above', 'special_constable', 'pcso', 'police_staff', 'volunteer'] as const;
const BANDS = [null, 'under_1_year', '2_to_5_years', '20_years_or_more'];
const STAFF = [null, 'S-1', 'S-2', 'S-3', 'S-4'];

const flag = fc.constantFrom(true, false, null);

/**
 * The machine's time when the file starts: the rollup stores each incident's facts as of the database's clock at
 * commit (clock_timestamp()), so incidents whose care steps and Victims' Code deadlines fall due around it test the
 * stored facts' validity (changes_at) as well as their recomputation.
 */
const REAL_NOW = Date.now();

/** Instants in 2026, many near UK midnight at a month's turn and around the two BST changes, and some just before the real now. */
const instantArb = fc.oneof(
  fc.integer({ min: REAL_NOW - 12 * DAY, max: REAL_NOW - HOUR }),
  fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-11-30T00:00:00Z') }),
  fc
    .record({ month: fc.integer({ min: 2, max: 11 }), minutes: fc.integer({ min: -150, max: 150 }) })
    .map(({ month, minutes }) => ukMidnight(`2026-${String(month).padStart(2, '0')}-01`) + minutes * 60_000),
  fc
    .constantFrom('2026-03-29T00:00:00Z', '2026-03-28T23:00:00Z', '2026-10-25T00:00:00Z', '2026-10-24T23:00:00Z')
    .chain((at) => fc.integer({ min: -90, max: 150 }).map((m) => Date.parse(at) + m * 60_000)),
);

const victimArb = fc.record({
  role: fc.constantFrom(...ROLES),
  staff: fc.constantFrom(...STAFF),
  band: fc.constantFrom(...BANDS),
  injury: fc.constantFrom('none', 'minor', 'serious'),
  hospital: fc.constantFrom('none', 'attended', 'admitted'),
  daysLost: fc.option(fc.integer({ min: 0, max: 40 })),
  training: flag,
  enhancedRights: fc.boolean(),
});
type VictimGen = typeof victimArb extends fc.Arbitrary<infer T> ? T : never;

/** Per victim: care-step changes, a TRiM referral, an edit, a withdrawal (perhaps undone). */
const victimStoryArb = fc.record({
  care: fc.array(
    fc.record({
      afterH: fc.integer({ min: 0, max: 400 }),
      position: fc.integer({ min: 1, max: 7 }),
      status: fc.constantFrom('done', 'done', 'declined', 'not_applicable', 'pending'),
    }),
    { maxLength: 4 },
  ),
  trim: fc.option(
    fc.record({
      afterH: fc.integer({ min: 1, max: 300 }),
      consent: fc.constantFrom('pending', 'given', 'declined'),
      consentLater: fc.option(fc.constantFrom('given', 'declined')),
      closeAfterH: fc.option(fc.integer({ min: 1, max: 500 })),
    }),
  ),
  edit: fc.option(
    fc.record({
      afterH: fc.integer({ min: 1, max: 900 }),
      injury: fc.constantFrom('none', 'minor', 'serious'),
      staff: fc.constantFrom(...STAFF),
      role: fc.constantFrom(...ROLES),
      daysLost: fc.option(fc.integer({ min: 0, max: 40 })),
      enhancedRights: fc.boolean(),
    }),
    { freq: 3 },
  ),
  withdraw: fc.option(fc.record({ afterH: fc.integer({ min: 1, max: 1500 }), reinstateAfterH: fc.option(fc.integer({ min: 1, max: 500 })) }), { freq: 4 }),
  tellAfterH: fc.array(fc.option(fc.integer({ min: 1, max: 300 })), { minLength: 4, maxLength: 4 }),
});

const sentenceArb = fc.record({
  afterH: fc.integer({ min: 1, max: 1500 }),
  onCharge: fc.boolean(),
  sentence: fc.constantFrom('immediate_custody', 'immediate_custody', 'suspended_sentence', 'community_order', 'fine'),
  months: fc.integer({ min: 1, max: 60 }),
  aggravation: fc.constantFrom('yes', 'no', 'not_recorded', undefined),
});

/** The justice story of the incident's one suspect. */
const justiceArb = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({
    kind: fc.constant('charge' as const),
    afterH: fc.integer({ min: 1, max: 2000 }),
    charges: fc.subarray(OFFENCES, { minLength: 1, maxLength: 2 }),
    results: fc.array(fc.option(fc.record({ afterH: fc.integer({ min: 1, max: 3000 }), result: fc.constantFrom('convicted', 'guilty_plea', 'acquitted') })), {
      minLength: 2,
      maxLength: 2,
    }),
    sentences: fc.array(sentenceArb, { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant('decision' as const),
    afterH: fc.integer({ min: 1, max: 2000 }),
    decision: fc.constantFrom('caution', 'community_resolution', 'no_further_action'),
    code: fc.option(fc.record({ afterH: fc.integer({ min: 0, max: 500 }), code: fc.constantFrom(2, 3, 6, 7, 8, 14, 22) })),
  }),
  fc.record({
    kind: fc.constant('code' as const),
    afterH: fc.integer({ min: 1, max: 2000 }),
    code: fc.constantFrom(2, 3, 6, 7, 8, 14, 16, 22),
  }),
);

const incidentArb = fc.record({
  force: fc.constantFrom(...FORCES),
  at: instantArb,
  circumstances: fc.constantFrom(...CIRCUMSTANCES),
  crewing: fc.constantFrom('single', 'double', 'team', null),
  eq: fc.record({ worn: flag, activated: flag, spit: flag, drawn: flag, discharged: flag }),
  offences: fc.subarray(OFFENCES, { minLength: 0, maxLength: 3 }),
  victims: fc.array(fc.tuple(victimArb, victimStoryArb), { minLength: 1, maxLength: 3 }),
  added: fc.option(fc.record({ afterH: fc.integer({ min: 1, max: 700 }), victim: victimArb, story: victimStoryArb }), { freq: 4 }),
  justice: justiceArb,
  // Within the first day, before any justice event: occurredAt moved (often across a month's turn), and more.
  edit: fc.option(
    fc.record({
      afterMin: fc.integer({ min: 5, max: 1300 }),
      moveMin: fc.oneof(fc.integer({ min: -60 * 24 * 40, max: 600 }), fc.integer({ min: -180, max: 60 })),
      circumstances: fc.option(fc.constantFrom(...CIRCUMSTANCES)),
      crewing: fc.option(fc.constantFrom('single', 'double', 'team', null)),
      worn: fc.option(flag),
      drawn: fc.option(flag),
      offences: fc.option(fc.subarray(OFFENCES)),
    }),
    { freq: 2 },
  ),
  withdraw: fc.option(fc.record({ afterH: fc.integer({ min: 1, max: 3000 }), reinstateAfterH: fc.option(fc.integer({ min: 1, max: 1000 })) }), { freq: 3 }),
  /** Closed (still counted) some time after it happened. */
  closeAfterH: fc.option(fc.integer({ min: 1, max: 3000 }), { freq: 4 }),
});
type IncidentGen = typeof incidentArb extends fc.Arbitrary<infer T> ? T : never;

/** One comparison: a period (UK days), a reader's now, a scope. */
const periodArb = fc.oneof(
  fc.record({ kind: fc.constant('days' as const), from: fc.integer({ min: -40, max: 420 }), length: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ kind: fc.constant('month' as const), month: fc.integer({ min: 0, max: 13 }), months: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('year' as const), year: fc.constantFrom(2025, 2026, 2027) }),
  fc.record({ kind: fc.constant('edge' as const), incident: fc.nat(), before: fc.integer({ min: -2, max: 1 }), after: fc.integer({ min: -1, max: 40 }) }),
);
const nowArb = fc.oneof(
  fc.integer({ min: Date.parse('2025-12-01T00:00:00Z'), max: Date.parse('2027-03-01T00:00:00Z') }),
  fc.integer({ min: -10 * DAY, max: 10 * DAY }).map((d) => ({ real: d })),
  // Close to the due times: an incident's time plus whole hours, or the end of a UK day, exactly or 1 ms after.
  fc.record({ incident: fc.nat(), hours: fc.constantFrom(0, 24, 48, 72, 96, 120, 168, 240, 400), ms: fc.constantFrom(-1, 0, 1) }),
  fc.record({ day: fc.integer({ min: 0, max: 400 }), ms: fc.constantFrom(0, 1) }),
  // A recorded due time (care step or Victims' Code deadline), exactly or 1 ms either side.
  fc.record({ due: fc.nat(), ms: fc.constantFrom(-1, 0, 1), later: fc.constant(false) }),
  // One still ahead of the database's clock: the stored facts' changes_at.
  fc.record({ due: fc.nat(), ms: fc.constantFrom(-1, 0, 1), later: fc.constant(true) }),
);
/** scope: national or one force; scoped: read as the service does (oar_app under row-level security), else as the owner. */
const checkArb = fc.record({ period: periodArb, now: nowArb, scope: fc.constantFrom<ForceKey | null>(null, null, 'A', 'B', 'C'), scoped: fc.boolean() });

const historyArb = fc.record({
  incidents: fc.array(incidentArb, { minLength: 5, maxLength: 10 }),
  /** Checks after a share of the writes (0..1), each with its own periods; a rebuild at one of them. */
  checkpoints: fc.array(fc.record({ after: fc.double({ min: 0.2, max: 1, noNaN: true }), checks: fc.array(checkArb, { minLength: 10, maxLength: 12 }) }), {
    minLength: 4,
    maxLength: 4,
  }),
  rebuildAt: fc.nat(),
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

// ------------------------------------------------------------------------------------------------
// Recording a history through the API

interface Step {
  at: number;
  what: string;
  run: () => Promise<void>;
}

/** What the history has done so far: steps on withdrawn records are skipped (the API would refuse most of them). */
interface State {
  withdrawnIncidents: Set<string>;
  withdrawnVictims: Set<string>;
  recorded: Set<string>;
  /** Incident ref -> its occurredAt after edits (ms). */
  occurred: Map<string, number>;
}

function expectStatus(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body);
}

const victimSpec = (ref: string, v: VictimGen): VictimSpec => ({
  ref,
  role: v.role,
  staff: v.staff,
  band: v.band,
  injury: v.injury as VictimSpec['injury'],
  hospital: v.hospital as VictimSpec['hospital'],
  daysLost: v.daysLost,
  training: v.training,
  enhancedRights: v.enhancedRights,
});

async function patchIncident(h: TestApp, ctx: Loaded, ref: string, payload: Record<string, unknown>, what: string) {
  const inc = ctx.incidents[ref]!;
  const key = ctx.keys.system[inc.force];
  const current = expectStatus(await h.call(key, { method: 'GET', url: `/v1/incidents/${inc.id}` }), 200, `read ${ref}`);
  const body = expectStatus(
    await h.call(key, { method: 'PATCH', url: `/v1/incidents/${inc.id}`, payload, headers: { 'if-match': `"${current.version}"` } }),
    200,
    what,
  );
  inc.version = body.version;
}

async function patchVictim(h: TestApp, ctx: Loaded, ref: string, payload: Record<string, unknown>, what: string) {
  const v = ctx.victims[ref]!;
  const key = ctx.keys.system[ctx.incidents[v.incident]!.force];
  const current = expectStatus(await h.call(key, { method: 'GET', url: `/v1/victims/${v.id}` }), 200, `read ${ref}`);
  const body = expectStatus(
    await h.call(key, { method: 'PATCH', url: `/v1/victims/${v.id}`, payload, headers: { 'if-match': `"${current.version}"` } }),
    200,
    what,
  );
  v.version = body.version;
}

/** One care step to a status: done, declined, not applicable, or reopened (pending); skipped when already there. */
async function careStep(h: TestApp, ctx: Loaded, ref: string, position: number, status: string) {
  const v = ctx.victims[ref]!;
  const key = ctx.keys.welfare[ctx.incidents[v.incident]!.force];
  const headers = { 'x-access-reason': REASON };
  const plan = expectStatus(await h.call(key, { method: 'GET', url: `/v1/victims/${v.id}/care-plan`, headers }), 200, `plan ${ref}`);
  const step = plan.steps.find((s: { position: number }) => s.position === position);
  if (!step || step.status === status || (status !== 'pending' && step.status !== 'pending')) return;
  const payload = status === 'done' ? { status } : { status, statusReason: 'Synthetic reason (test data)' };
  expectStatus(
    await h.call(key, { method: 'PATCH', url: `/v1/care-steps/${step.id}`, payload, headers: { ...headers, 'if-match': `"${step.version}"` } }),
    200,
    `care ${ref} step ${position} ${status}`,
  );
}

/** The steps of one victim's story (victim `ref` of incident `inc`, on the record from `from`). */
function victimSteps(
  h: TestApp,
  ctx: Loaded,
  st: State,
  inc: string,
  ref: string,
  from: number,
  story: IncidentGen['victims'][number][1],
  notifiable: [string, number][],
): Step[] {
  const steps: Step[] = [];
  const live = () => st.recorded.has(ref) && !st.withdrawnVictims.has(ref) && !st.withdrawnIncidents.has(inc);
  const add = (at: number, what: string, run: () => Promise<void>) => steps.push({ at, what, run: async () => (live() ? run() : undefined) });
  for (const c of story.care) add(from + c.afterH * HOUR, `care ${ref}`, () => careStep(h, ctx, ref, c.position, c.status));
  if (story.trim) {
    const tr = story.trim;
    const tref = `T-${ref}`;
    const at = from + tr.afterH * HOUR;
    add(at, `trim ${ref}`, () => perform(h, ctx, { at: iso(at), kind: 'trimRefer', victim: ref, ref: tref, consent: tr.consent }));
    const has = () => ctx.referrals[tref] !== undefined;
    // The consent the referral holds: a step skipped (its victim withdrawn at the time) does not change it.
    let consent = tr.consent;
    // Consent changes only while pending; a declined referral cannot change any more.
    const consentLater = tr.consent === 'pending' ? tr.consentLater : null;
    if (consentLater) {
      const c = consentLater;
      add(at + 2 * HOUR, `trim consent ${ref}`, async () => {
        if (!has()) return;
        await perform(h, ctx, { at: iso(at + 2 * HOUR), kind: 'trimConsent', referral: tref, consent: c });
        consent = c;
      });
    }
    if (tr.closeAfterH && (consentLater ?? tr.consent) === 'given') {
      const when = at + 3 * HOUR + tr.closeAfterH * HOUR;
      // Only a referral the officer consented to can be closed (a 422 otherwise, which is the service's rule).
      add(when, `trim close ${ref}`, async () =>
        has() && consent === 'given' ? perform(h, ctx, { at: iso(when), kind: 'trimClose', referral: tref, outcome: 'no_further_action' }) : undefined,
      );
    }
  }
  if (story.edit) {
    const e = story.edit;
    add(from + e.afterH * HOUR, `edit ${ref}`, () =>
      patchVictim(h, ctx, ref, { injury: e.injury, staffNumber: e.staff, role: e.role, daysLost: e.daysLost, enhancedRights: e.enhancedRights }, `edit ${ref}`),
    );
  }
  notifiable.forEach(([event, at], i) => {
    const after = story.tellAfterH[i % 4];
    if (after === null || after === undefined) return;
    const when = Math.max(at, from) + after * HOUR;
    add(when, `tell ${ref}`, async () =>
      ctx.events[event] ? perform(h, ctx, { at: iso(when), kind: 'tell', incident: inc, victim: ref, about: [event] }) : undefined,
    );
  });
  if (story.withdraw) {
    const w = story.withdraw;
    const at = from + w.afterH * HOUR;
    add(at, `withdraw ${ref}`, async () => {
      await perform(h, ctx, { at: iso(at), kind: 'withdrawVictim', victim: ref });
      st.withdrawnVictims.add(ref);
    });
    if (w.reinstateAfterH) {
      const back = at + w.reinstateAfterH * HOUR;
      steps.push({
        at: back,
        what: `reinstate ${ref}`,
        run: async () => {
          if (!st.withdrawnVictims.has(ref) || st.withdrawnIncidents.has(inc)) return;
          await patchVictim(h, ctx, ref, { status: 'active' }, `reinstate ${ref}`);
          st.withdrawnVictims.delete(ref);
        },
      });
    }
  }
  return steps;
}

/** The justice events of one incident, as fixture actions with their times; and the notifiable ones (ref, time). */
function justiceActions(
  inc: string,
  base: number,
  j: IncidentGen['justice'],
): { actions: Action[]; notifiable: [string, number][]; needs: Map<Action, string[]> } {
  const actions: Action[] = [];
  // The events an action follows (skipped when one of them was never recorded: its incident was withdrawn then).
  const needs = new Map<Action, string[]>();
  const notifiable: [string, number][] = [];
  if (j.kind === 'charge') {
    const at = base + j.afterH * HOUR;
    actions.push({ at: iso(at), kind: 'decision', incident: inc, ref: `${inc}-c`, decision: 'charged', charges: j.charges });
    notifiable.push([`${inc}-c`, at]);
    const convictions: { index: number; at: number; ref: string }[] = [];
    j.charges.forEach((_, i) => {
      const r = j.results[i];
      if (!r) return;
      const rat = at + r.afterH * HOUR;
      const result: Action = { at: iso(rat), kind: 'result', incident: inc, ref: `${inc}-r${i}`, charge: `${inc}-c#${i}`, result: r.result };
      actions.push(result);
      needs.set(result, [`${inc}-c`]);
      notifiable.push([`${inc}-r${i}`, rat]);
      if (r.result !== 'acquitted') convictions.push({ index: i, at: rat, ref: `${inc}-r${i}` });
    });
    if (convictions.length > 0) {
      j.sentences.forEach((s, k) => {
        const target = convictions[k % convictions.length]!;
        const sat = Math.max(...convictions.map((c) => c.at)) + s.afterH * HOUR;
        const sentence: Action = {
          at: iso(sat),
          kind: 'sentence',
          incident: inc,
          ref: `${inc}-s${k}`,
          ...(s.onCharge ? { charge: `${inc}-c#${target.index}` as const } : {}),
          sentence: s.sentence,
          ...(s.sentence.includes('custody') || s.sentence === 'suspended_sentence' ? { custodyMonths: s.months } : {}),
          ...(s.sentence === 'fine' ? { amountPence: 10_000 } : {}),
          ...(s.aggravation ? { aggravation: s.aggravation } : {}),
        };
        actions.push(sentence);
        needs.set(sentence, s.onCharge ? [target.ref] : convictions.map((c) => c.ref));
        notifiable.push([`${inc}-s${k}`, sat]);
      });
    }
  } else if (j.kind === 'decision') {
    const at = base + j.afterH * HOUR;
    actions.push({ at: iso(at), kind: 'decision', incident: inc, ref: `${inc}-d`, decision: j.decision });
    notifiable.push([`${inc}-d`, at]);
    if (j.code) actions.push({ at: iso(at + (j.code.afterH + 1) * HOUR), kind: 'outcome', incident: inc, code: j.code.code });
  } else if (j.kind === 'code') {
    actions.push({ at: iso(base + j.afterH * HOUR), kind: 'outcome', incident: inc, code: j.code });
  }
  return { actions, notifiable, needs };
}

/** Every write of a history, in time order. `run` is this history's number (references stay unique per force). */
function stepsOf(h: TestApp, ctx: Loaded, st: State, history: History, run: number): Step[] {
  const steps: Step[] = [];
  history.incidents.forEach((g, n) => {
    const ref = `R${run}-${n}`;
    const recordAt = g.at + 30 * 60_000;
    const victims = g.victims.map(([v], i) => victimSpec(`${ref}-V${i}`, v));
    const spec: IncidentSpec = {
      ref,
      force: g.force,
      occurredAt: iso(g.at),
      circumstances: g.circumstances,
      crewing: g.crewing,
      eq: g.eq,
      offences: g.offences,
      victims,
    };
    steps.push({
      at: recordAt,
      what: `record ${ref}`,
      run: async () => {
        await recordIncident(h, ctx, spec);
        st.recorded.add(ref);
        for (const v of victims) st.recorded.add(v.ref);
        st.occurred.set(ref, g.at);
      },
    });
    const live = () => !st.withdrawnIncidents.has(ref);
    if (g.edit) {
      const e = g.edit;
      const at = recordAt + e.afterMin * 60_000;
      steps.push({
        at,
        what: `edit ${ref}`,
        run: async () => {
          if (!live()) return;
          const moved = Math.min(g.at + e.moveMin * 60_000, at - 60_000);
          const payload = {
            occurredAt: iso(moved),
            ...(e.circumstances ? { circumstances: e.circumstances } : {}),
            ...(e.crewing !== null ? { deployment: { crewing: e.crewing } } : {}),
            equipment: { bodyWornVideo: { ...(e.worn !== null ? { worn: e.worn } : {}) }, taser: { ...(e.drawn !== null ? { drawn: e.drawn } : {}) } },
            ...(e.offences ? { offences: e.offences } : {}),
          };
          await patchIncident(h, ctx, ref, payload, `edit ${ref}`);
          st.occurred.set(ref, moved);
        },
      });
    }
    // Justice events start after the first day (after any edit of occurredAt).
    const base = recordAt + DAY;
    const { actions, notifiable, needs } = justiceActions(ref, base, g.justice);
    const ready = (a: Action) => live() && (needs.get(a) ?? []).every((e) => ctx.events[e] !== undefined);
    for (const a of actions) steps.push({ at: Date.parse(a.at), what: `${a.kind} ${ref}`, run: async () => (ready(a) ? perform(h, ctx, a) : undefined) });
    g.victims.forEach(([, story], i) => steps.push(...victimSteps(h, ctx, st, ref, `${ref}-V${i}`, recordAt, story, notifiable)));
    if (g.added) {
      const added = g.added;
      const vref = `${ref}-V${g.victims.length}`;
      const at = recordAt + added.afterH * HOUR;
      steps.push({
        at,
        what: `add ${vref}`,
        run: async () => {
          if (!live()) return;
          await perform(h, ctx, { at: iso(at), kind: 'addVictim', incident: ref, victim: victimSpec(vref, added.victim) });
          st.recorded.add(vref);
        },
      });
      steps.push(...victimSteps(h, ctx, st, ref, vref, at, added.story, notifiable));
    }
    if (g.closeAfterH) {
      const at = recordAt + g.closeAfterH * HOUR;
      steps.push({
        at,
        what: `close ${ref}`,
        run: async () => (live() ? patchIncident(h, ctx, ref, { status: 'closed', statusReason: 'Finished (synthetic)' }, `close ${ref}`) : undefined),
      });
    }
    if (g.withdraw) {
      const w = g.withdraw;
      const at = recordAt + w.afterH * HOUR;
      steps.push({
        at,
        what: `withdraw ${ref}`,
        run: async () => {
          await perform(h, ctx, { at: iso(at), kind: 'withdrawIncident', incident: ref });
          st.withdrawnIncidents.add(ref);
        },
      });
      if (w.reinstateAfterH) {
        const back = at + w.reinstateAfterH * HOUR;
        steps.push({
          at: back,
          what: `reinstate ${ref}`,
          run: async () => {
            if (!st.withdrawnIncidents.has(ref)) return;
            await patchIncident(h, ctx, ref, { status: 'open' }, `reinstate ${ref}`);
            st.withdrawnIncidents.delete(ref);
          },
        });
      }
    }
  });
  // Stable: equal times keep their written order (a withdrawal after what it withdraws).
  return steps
    .map((s, i) => ({ s, i }))
    .sort((x, y) => x.s.at - y.s.at || x.i - y.i)
    .map(({ s }) => s);
}

// ------------------------------------------------------------------------------------------------
// Comparing

const FIRST_DAY = '2026-01-01';

function periodOf(c: History['checkpoints'][number]['checks'][number], st: State, forceId: string | null, now: Date): Period {
  const p = c.period;
  let from: string;
  let to: string;
  if (p.kind === 'days') {
    from = shiftDay(FIRST_DAY, p.from);
    to = shiftDay(from, p.length);
  } else if (p.kind === 'month') {
    const first = new Date(Date.UTC(2025, 11 + p.month, 1));
    from = first.toISOString().slice(0, 10);
    to = shiftDay(new Date(Date.UTC(2025, 11 + p.month + p.months, 1)).toISOString().slice(0, 10), -1);
  } else if (p.kind === 'year') {
    from = `${p.year}-01-01`;
    to = `${p.year}-12-31`;
  } else {
    const times = [...st.occurred.values()];
    const day = ukDay(times[p.incident % Math.max(times.length, 1)] ?? Date.parse('2026-06-01T12:00:00Z'));
    from = shiftDay(day, p.before);
    to = shiftDay(day, Math.max(p.after, p.before));
  }
  return { start: new Date(ukMidnight(from)), end: new Date(ukMidnight(shiftDay(to, 1))), lastDay: to, forceId, now };
}

function nowOf(n: History['checkpoints'][number]['checks'][number]['now'], st: State, dues: number[]): Date {
  if (typeof n === 'number') return new Date(n);
  if ('due' in n) {
    const from = n.later ? dues.filter((d) => d > Date.now()) : dues;
    return new Date((from[n.due % Math.max(from.length, 1)] ?? Date.now()) + n.ms);
  }
  if ('real' in n) return new Date(Date.now() + n.real);
  if ('incident' in n) {
    const times = [...st.occurred.values()];
    return new Date((times[n.incident % Math.max(times.length, 1)] ?? 0) + n.hours * HOUR + n.ms);
  }
  return new Date(endOfUkDay(shiftDay('2025-12-01', n.day)).getTime() + n.ms);
}

// ------------------------------------------------------------------------------------------------

t.setTimeout(600_000); // a few hundred generated checks: 232 s in one CI run on a slower 2-CPU machine (four suites at once)
const h = await buildTestApp(t);
const ctx = await prepare(h);
const db = h.database.db;
let checks = 0;
let runs = 0;
let rebuilds = 0;
let comparing = 0;

async function compare(st: State, checkpoint: History['checkpoints'][number]): Promise<void> {
  // The changes queued since the last drain (several steps' worth, or none) applied as the service applies them.
  await drainRollup(db, 7);
  const [queued] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from stats_dirty`);
  if (queued!.n !== 0) throw new Error(`run ${runs}: ${queued!.n} changes still queued after a drain`);
  const dues = (
    await queryRows<{ t: Date | string }>(db, sql`select due_at as t from care_steps union select deadline_at from victim_notifications order by 1`)
  ).map((r) => new Date(r.t).getTime());
  // The checks of a checkpoint grouped by scope and now, so computeRollupMany answers each group in one call.
  const groups = new Map<string, { forceId: string | null; now: Date; scoped: boolean; periods: Period[] }>();
  for (const c of checkpoint.checks) {
    const forceId = c.scope ? ctx.forces[c.scope] : null;
    const now = nowOf(c.now, st, dues);
    const period = periodOf(c, st, forceId, now);
    const key = `${forceId}|${now.toISOString()}|${c.scoped}`;
    const g = groups.get(key) ?? { forceId, now, scoped: c.scoped, periods: [] };
    g.periods.push(period);
    groups.set(key, g);
  }
  // And every period of the checkpoint once more at one shared now and scope, in one computeRollupMany.
  const shared = checkpoint.checks[0]!;
  const sharedNow = nowOf(shared.now, st, dues);
  const sharedForce = shared.scope ? ctx.forces[shared.scope] : null;
  const batch = checkpoint.checks.map((c) => periodOf(c, st, sharedForce, sharedNow));
  groups.set('batch', { forceId: sharedForce, now: sharedNow, scoped: shared.scoped, periods: batch });
  for (const g of groups.values()) await (g.scoped ? inScope(g.forceId, (q) => compareGroup(q, g.periods)) : compareGroup(db, g.periods));
  await compareKeptSums(batch, sharedForce, shared.scoped);
}

/**
 * The checkpoint's periods of whole UK months once more as a running service reads them: the sweep has brought every
 * time-bound fact forward and the clock is past every fact's computing, so nothing is to recompute and the sums of
 * each force are kept (stats_extras). Twice: the second answer is read back from what the first kept.
 */
async function compareKeptSums(batch: Period[], forceId: string | null, scoped: boolean): Promise<void> {
  const later = new Date(Date.now() + 60_000);
  await refreshStaleFacts(db, later);
  const whole = batch
    .filter((p) => ukDate(p.start).endsWith('-01') && ukDate(p.end).endsWith('-01') && p.end.getTime() - p.start.getTime() > 20 * DAY)
    .map((p) => ({ ...p, forceId, now: later }));
  for (let i = 0; i < 2 && whole.length > 0; i++) await (scoped ? inScope(forceId, (q) => compareGroup(q, whole)) : compareGroup(db, whole));
}

/** Reads as a request does: a transaction as oar_app, row-level security holding it to the force (or national). */
function inScope(forceId: string | null, fn: (q: Queryable) => Promise<void>): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'oar_app', true), set_config('app.force_id', ${forceId ?? '*'}, true)`);
    await fn(tx);
  });
}

/** computeRollupMany on the periods at once, computeRollup on the first alone, each against computeRaw. */
async function compareGroup(q: Queryable, periods: Period[]): Promise<void> {
  {
    const g = { periods };
    const many = await computeRollupMany(q, g.periods);
    for (const [i, p] of g.periods.entries()) {
      const reference = await computeRaw(q, p);
      const label = `run ${runs}: ${p.start.toISOString()}..${p.end.toISOString()} (${p.lastDay}) force ${p.forceId ?? 'all'} now ${p.now.toISOString()}`;
      const single = i === 0 ? await computeRollup(q, p) : many[i]!;
      const diff = [
        ...differences(reference, single).map((d) => `computeRollup ${d}`),
        ...differences(reference, many[i]!).map((d) => `computeRollupMany ${d}`),
      ];
      if (diff.length > 0) throw new Error(`${label}\n  ${diff.slice(0, 20).join('\n  ')}`);
      checks++;
    }
  }
}

t.test('the rollup equals the reference computation for random histories, periods, nows and scopes', async (t) => {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  await fc.assert(
    fc.asyncProperty(historyArb, async (history) => {
      runs++;
      const st: State = { withdrawnIncidents: new Set(), withdrawnVictims: new Set(), recorded: new Set(), occurred: new Map() };
      const steps = stepsOf(h, ctx, st, history, runs);
      const points = history.checkpoints.map((c) => ({ ...c, at: Math.min(steps.length, Math.ceil(c.after * steps.length)) })).sort((a, b) => a.at - b.at);
      let done = 0;
      for (const [i, point] of points.entries()) {
        for (; done < point.at; done++) {
          await steps[done]!.run().catch((e: Error) => Promise.reject(new Error(`${steps[done]!.what}: ${e.message}`)));
          // Some changes drained as soon as they are made, the rest queued until the checkpoint.
          if ((done + runs) % 3 === 0) await drainRollup(db);
        }
        if (i === history.rebuildAt % points.length) {
          await rebuildRollup(db);
          rebuilds++;
        }
        const started = performance.now();
        await compare(st, point);
        comparing += performance.now() - started;
      }
      for (; done < steps.length; done++) await steps[done]!.run();
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 4), endOnFailure: true, includeErrorInReport: true, ...(seed === undefined ? {} : { seed }) },
  );
  t.comment(
    `rollup property: ${checks} checks (period x now x scope, each against computeRollup and computeRollupMany) over ${runs} histories, ${rebuilds} rebuilds; ${Math.round(comparing)} ms comparing`,
  );
  t.ok(checks >= 300, `at least 300 checks (${checks})`);
});
