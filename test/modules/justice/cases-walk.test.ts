// Realistic cases walked from arrest to result through the API, reading the derived status after each step:
// conviction with sentences, acquittal, discontinuance, an out-of-court outcome, two defendants, and RUI.
import t from 'tap';
import { outcomeCodes } from '../../../src/db/schema/index.ts';
import { buildTestApp } from '../../helper.ts';
import { FORCE_A } from '../../factories.ts';
import { event, justice, ok, postEvent, recordIncident, type T } from './support.ts';

const COURT = 'Synthetic Magistrates Court (test)';
const CROWN = 'Synthetic Crown Court (test)';

t.test('justice walks', async (t) => {
  const h = await buildTestApp(t);
  // Every walk happens in spring and summer 2026; "now" is later, so no event is in the future.
  h.clock.set('2026-09-01T09:00:00Z');
  const fs = await h.key(['force_system'], FORCE_A);
  const rep = await h.key(['federation_rep'], FORCE_A);

  /** Reads the status (and outcome) now, and checks the federation view agrees. */
  async function statusIs(t: T, incidentId: string, expected: string) {
    const j = await justice(t, h, fs, incidentId);
    t.equal(j.status, expected, `status ${expected}`);
    const c = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${incidentId}` }));
    t.equal(c.status, expected, 'the federation view has the same status');
    t.same(c.outcome, j.outcome, 'and the same outcome');
    return j;
  }

  t.test('(a) arrest -> charged on two charges -> hearing -> plea and conviction after trial -> sentences -> outcome 1', async (t) => {
    const inc = await recordIncident(t, h, fs, { incident: { offences: ['emergency_worker_common_assault', 'abh_s47'] } });
    const [suspect] = inc.suspects;
    const before = await statusIs(t, inc.id, 'under_investigation');
    t.same(before.events, [], 'no events yet');
    t.equal(before.outcome, null);

    const arrest = await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2026-02-28T00:15:00Z', suspectId: suspect });
    t.match(arrest, { type: 'arrest', incidentId: inc.id, suspectId: suspect, occurredAt: '2026-02-28T00:15:00.000Z', note: null, recordedBy: String });
    await statusIs(t, inc.id, 'under_investigation');

    const charging = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-02-28T16:00:00Z',
      suspectId: suspect,
      decision: 'charged',
      charges: [{ offence: 'emergency_worker_common_assault' }, { offence: 'abh_s47' }],
    });
    t.equal(charging.charges.length, 2, 'two charges');
    t.same(
      charging.charges.map((c: { offence: string }) => c.offence),
      ['emergency_worker_common_assault', 'abh_s47'],
    );
    t.not(charging.charges[0].id, charging.charges[1].id, 'each charge has its own id');
    const [assault, abh] = charging.charges.map((c: { id: string }) => c.id) as [string, string];
    await statusIs(t, inc.id, 'charged');

    await event(t, h, fs, inc.id, { type: 'court_hearing', occurredAt: '2026-03-16T10:00:00Z', suspectId: suspect, kind: 'first_appearance', court: COURT });
    await statusIs(t, inc.id, 'awaiting_court');

    await event(t, h, fs, inc.id, { type: 'court_result', occurredAt: '2026-03-16T11:00:00Z', suspectId: suspect, chargeId: assault, result: 'guilty_plea' });
    await statusIs(t, inc.id, 'awaiting_court');

    await event(t, h, fs, inc.id, { type: 'court_hearing', occurredAt: '2026-06-08T10:00:00Z', suspectId: suspect, kind: 'trial', court: CROWN });
    await event(t, h, fs, inc.id, { type: 'court_result', occurredAt: '2026-06-10T15:30:00Z', suspectId: suspect, chargeId: abh, result: 'convicted' });
    await statusIs(t, inc.id, 'convicted');

    const compensation = await event(t, h, fs, inc.id, {
      type: 'sentence',
      occurredAt: '2026-07-06T11:00:00+01:00',
      suspectId: suspect,
      chargeId: assault,
      sentence: 'compensation',
      amountPence: 25_000,
    });
    t.match(compensation, { type: 'sentence', sentence: 'compensation', amountPence: 25_000, chargeId: assault, occurredAt: '2026-07-06T10:00:00.000Z' });
    t.equal(compensation.aggravationStated, 'not_recorded', 's.67 aggravation: not_recorded when the client does not say');
    const badAggravation = await postEvent(h, fs, inc.id, {
      type: 'sentence',
      occurredAt: '2026-07-06T11:01:00+01:00',
      suspectId: suspect,
      chargeId: abh,
      sentence: 'fine',
      amountPence: 10_000,
      aggravationStated: 'maybe',
    });
    t.equal(badAggravation.statusCode, 400, 'aggravationStated is yes, no or not_recorded');
    const suspended = await event(t, h, fs, inc.id, {
      type: 'sentence',
      occurredAt: '2026-07-06T11:05:00+01:00',
      suspectId: suspect,
      chargeId: abh,
      sentence: 'suspended_sentence',
      custodyMonths: 6,
      aggravationStated: 'no',
    });
    t.match(suspended, { sentence: 'suspended_sentence', custodyMonths: 6, aggravationStated: 'no' });
    await statusIs(t, inc.id, 'convicted');

    const code = await event(t, h, fs, inc.id, { type: 'outcome_code', occurredAt: '2026-07-07T09:00:00Z', code: 1 });
    t.match(code, { type: 'outcome_code', code: 1, scheme: '2021-04', label: 'Charge/summons', outcomeGroup: 'charged_summonsed' });
    const end = await statusIs(t, inc.id, 'convicted');
    t.same(end.outcome, { scheme: '2021-04', code: 1, label: 'Charge/summons', outcomeGroup: 'charged_summonsed' });
    t.same(
      end.events.map((e) => e.type),
      ['arrest', 'charging_decision', 'court_hearing', 'court_result', 'court_hearing', 'court_result', 'sentence', 'sentence', 'outcome_code'],
      'the timeline in the order things happened',
    );
    t.same(
      end.victimsCode.notifications.map((n) => n.decisionType).sort(),
      ['charging_decision', 'court_result', 'court_result', 'sentence', 'sentence'],
      "one Victims' Code deadline per decision for the one victim",
    );

    const c = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${inc.id}` }));
    t.equal(c.defendants.length, 1);
    t.match(c.defendants[0], {
      label: 'Defendant 1',
      decisions: [{ decision: 'charged', at: '2026-02-28T16:00:00.000Z' }],
      charges: [
        {
          offence: 'emergency_worker_common_assault',
          result: { result: 'guilty_plea' },
          sentences: [{ sentence: 'compensation', amountPence: 25_000, custodyMonths: null, aggravationStated: 'not_recorded' }],
        },
        { offence: 'abh_s47', result: { result: 'convicted' }, sentences: [{ sentence: 'suspended_sentence', amountPence: null, custodyMonths: 6 }] },
      ],
      sentences: [],
    });
  });

  t.test('(b) acquittal: charged -> trial -> acquitted -> not convicted', async (t) => {
    const inc = await recordIncident(t, h, fs);
    const [suspect] = inc.suspects;
    await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2026-03-01T02:00:00Z', suspectId: suspect });
    const charging = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-01T18:00:00Z',
      suspectId: suspect,
      decision: 'charged',
      charges: [{ offence: 'emergency_worker_common_assault' }],
    });
    await statusIs(t, inc.id, 'charged');
    await event(t, h, fs, inc.id, { type: 'court_hearing', occurredAt: '2026-05-12T10:00:00+01:00', suspectId: suspect, kind: 'trial', court: COURT });
    await statusIs(t, inc.id, 'awaiting_court');
    await event(t, h, fs, inc.id, {
      type: 'court_result',
      occurredAt: '2026-05-12T16:00:00+01:00',
      suspectId: suspect,
      chargeId: charging.charges[0].id,
      result: 'acquitted',
    });
    const end = await statusIs(t, inc.id, 'not_convicted');
    t.equal(end.outcome, null, 'no outcome code recorded yet');
  });

  t.test('(c) discontinuance: charged -> withdrawn/discontinued -> not convicted', async (t) => {
    const inc = await recordIncident(t, h, fs);
    const [suspect] = inc.suspects;
    const charging = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-03T12:00:00Z',
      suspectId: suspect,
      decision: 'charged',
      charges: [{ offence: 'emergency_worker_common_assault' }],
    });
    await statusIs(t, inc.id, 'charged');
    await event(t, h, fs, inc.id, {
      type: 'court_result',
      occurredAt: '2026-04-20T09:30:00+01:00',
      suspectId: suspect,
      chargeId: charging.charges[0].id,
      result: 'withdrawn_discontinued',
      note: 'CPS discontinued (synthetic)',
    });
    await statusIs(t, inc.id, 'not_convicted');
  });

  t.test('(d) out of court: arrest -> community resolution -> outcome 8 -> closed without charge', async (t) => {
    const inc = await recordIncident(t, h, fs);
    const [suspect] = inc.suspects;
    await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2026-03-01T03:00:00Z', suspectId: suspect });
    await statusIs(t, inc.id, 'under_investigation');
    await event(t, h, fs, inc.id, { type: 'charging_decision', occurredAt: '2026-03-01T09:00:00Z', suspectId: suspect, decision: 'community_resolution' });
    await statusIs(t, inc.id, 'closed_without_charge');
    await event(t, h, fs, inc.id, { type: 'outcome_code', occurredAt: '2026-03-02T09:00:00Z', code: 8 });
    const end = await statusIs(t, inc.id, 'closed_without_charge');

    // The label and group come from the outcome-code data (migrations/0006), not from code.
    const rows = await h.database.db.select().from(outcomeCodes);
    const row = rows.find((r) => r.scheme === '2021-04' && r.code === 8);
    t.ok(row, 'outcome 8 is in the data');
    t.same(end.outcome, { scheme: '2021-04', code: 8, label: row!.label, outcomeGroup: row!.outcomeGroup });
    t.same(end.outcome, { scheme: '2021-04', code: 8, label: 'Community resolution', outcomeGroup: 'out_of_court_informal' });
    t.match(end.events.at(-1), { type: 'outcome_code', code: 8, label: 'Community resolution', outcomeGroup: 'out_of_court_informal' });
  });

  t.test('(e) two defendants: one convicted, one acquitted -> convicted', async (t) => {
    const inc = await recordIncident(t, h, fs, { suspects: [{}, { ageBand: '18_to_24' }] });
    const [first, second] = inc.suspects;
    const c1 = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-02T10:00:00Z',
      suspectId: first,
      decision: 'charged',
      charges: [{ offence: 'abh_s47' }],
    });
    await statusIs(t, inc.id, 'charged');
    const c2 = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-04T10:00:00Z',
      suspectId: second,
      decision: 'summonsed',
      charges: [{ offence: 'emergency_worker_common_assault' }],
    });
    await statusIs(t, inc.id, 'charged');
    await event(t, h, fs, inc.id, { type: 'court_hearing', occurredAt: '2026-06-01T10:00:00+01:00', suspectId: first, kind: 'trial', court: CROWN });
    await event(t, h, fs, inc.id, {
      type: 'court_result',
      occurredAt: '2026-06-03T15:00:00+01:00',
      suspectId: second,
      chargeId: c2.charges[0].id,
      result: 'acquitted',
    });
    await statusIs(t, inc.id, 'awaiting_court');
    await event(t, h, fs, inc.id, {
      type: 'court_result',
      occurredAt: '2026-06-03T15:10:00+01:00',
      suspectId: first,
      chargeId: c1.charges[0].id,
      result: 'convicted',
    });
    await statusIs(t, inc.id, 'convicted');
    await event(t, h, fs, inc.id, {
      type: 'sentence',
      occurredAt: '2026-07-01T10:00:00+01:00',
      suspectId: first,
      sentence: 'immediate_custody',
      custodyMonths: 14,
      aggravationStated: 'yes',
    });
    await statusIs(t, inc.id, 'convicted');

    const c = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${inc.id}` }));
    t.same(
      c.defendants.map((d: { label: string }) => d.label),
      ['Defendant 1', 'Defendant 2'],
    );
    t.match(c.defendants[0], {
      charges: [{ offence: 'abh_s47', result: { result: 'convicted' }, sentences: [] }],
      sentences: [{ sentence: 'immediate_custody', custodyMonths: 14, aggravationStated: 'yes' }],
    });
    t.match(c.defendants[1], {
      decisions: [{ decision: 'summonsed' }],
      charges: [{ offence: 'emergency_worker_common_assault', result: { result: 'acquitted' } }],
      sentences: [],
    });
  });

  t.test('(f) released under investigation and bail keep the case under investigation; then no further action closes it', async (t) => {
    const inc = await recordIncident(t, h, fs);
    const [suspect] = inc.suspects;
    await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2026-03-01T04:00:00Z', suspectId: suspect });
    await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-01T14:00:00Z',
      suspectId: suspect,
      decision: 'released_under_investigation',
    });
    await statusIs(t, inc.id, 'under_investigation');
    await event(t, h, fs, inc.id, { type: 'charging_decision', occurredAt: '2026-04-01T14:00:00+01:00', suspectId: suspect, decision: 'bailed' });
    await statusIs(t, inc.id, 'under_investigation');
    await event(t, h, fs, inc.id, { type: 'charging_decision', occurredAt: '2026-05-01T14:00:00+01:00', suspectId: suspect, decision: 'no_further_action' });
    await statusIs(t, inc.id, 'closed_without_charge');
    await event(t, h, fs, inc.id, { type: 'outcome_code', occurredAt: '2026-05-02T09:00:00+01:00', code: 15 });
    const end = await statusIs(t, inc.id, 'closed_without_charge');
    t.match(end.outcome, { code: 15, outcomeGroup: 'evidential_difficulties_victim_supports' });
  });

  t.test('victim personal statement and review requests sit on the timeline without changing the status', async (t) => {
    const inc = await recordIncident(t, h, fs);
    const [suspect] = inc.suspects;
    const [victim] = inc.victims;
    const nfa = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-05T10:00:00Z',
      suspectId: suspect,
      decision: 'no_further_action',
    });
    await event(t, h, fs, inc.id, { type: 'victim_personal_statement', occurredAt: '2026-03-06T10:00:00Z', victimId: victim, status: 'offered' });
    const review = await event(t, h, fs, inc.id, { type: 'review_requested', occurredAt: '2026-03-07T10:00:00Z', victimId: victim, decisionEventId: nfa.id });
    t.match(review, { type: 'review_requested', victimId: victim, decisionEventId: nfa.id });
    const end = await statusIs(t, inc.id, 'closed_without_charge');
    t.same(
      end.events.map((e) => e.type),
      ['charging_decision', 'victim_personal_statement', 'review_requested'],
    );
  });

  t.test('events recorded out of order: the timeline is chronological and both views agree on the latest outcome', async (t) => {
    // A force system catching up sends an older event after a newer one.
    const inc = await recordIncident(t, h, fs);
    const [suspect] = inc.suspects;
    await event(t, h, fs, inc.id, { type: 'charging_decision', occurredAt: '2026-03-01T10:00:00Z', suspectId: suspect, decision: 'no_further_action' });
    await event(t, h, fs, inc.id, { type: 'outcome_code', occurredAt: '2026-05-01T10:00:00+01:00', code: 16 });
    await event(t, h, fs, inc.id, { type: 'outcome_code', occurredAt: '2026-03-02T10:00:00Z', code: 21 });
    const end = await statusIs(t, inc.id, 'closed_without_charge');
    t.same(
      end.events.map((e) => e.code ?? e.type),
      ['charging_decision', 21, 16],
      'ordered by when they happened',
    );
    t.equal(end.outcome?.code, 16, 'the outcome is the one decided last');
  });
});
