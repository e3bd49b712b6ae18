// Victims' Code deadlines: 5 working days (1 with enhanced rights) to tell each active victim of each charging
// decision, court result and sentence, ending at the end of that UK working day; weekends and bank holidays
// (data) skipped. Deadlines here are computed by hand. Then the told/late/overdue statuses, the summary, and
// the overdue queue (force-scoped, withdrawn victims dropped, roles).
import t from 'tap';
import { buildTestApp, type TestApp } from '../../helper.ts';
import { FORCE_B } from '../../factories.ts';
import { auditOf, event, FORCE_C, FORCE_D, justice, ok, problem, recordIncident, type Notification, type T } from './support.ts';

/** The notification of one (decision, victim) pair. */
function pair(t: T, list: Notification[], eventId: string, victimId: string): Notification {
  const found = list.filter((n) => n.eventId === eventId && n.victimId === victimId);
  t.equal(found.length, 1, 'one deadline per decision and victim');
  return found[0]!;
}

async function withdrawVictim(t: T, h: TestApp, key: string, victimId: string) {
  ok(
    t,
    await h.call(key, {
      method: 'PATCH',
      url: `/v1/victims/${victimId}`,
      headers: { 'if-match': '*' },
      payload: { status: 'withdrawn', statusReason: 'Recorded in error (synthetic)' },
    }),
  );
}

const tell = (victimId: string, about: string[], occurredAt: string) => ({
  type: 'victim_update',
  occurredAt,
  victimId,
  about,
  method: 'phone',
  toldBy: 'Officer in charge (synthetic)',
});

t.test("Victims' Code", async (t) => {
  const h = await buildTestApp(t);

  /** An incident in `force` with a standard victim and an enhanced-rights victim, charged at `decidedAt`. */
  async function chargedCase(t: T, key: string, decidedAt: string, occurredAt: string) {
    const inc = await recordIncident(t, h, key, { victims: [{ enhancedRights: false }, { enhancedRights: true, role: 'pcso' }], incident: { occurredAt } });
    const [standard, enhanced] = inc.victims as [string, string];
    const decision = await event(t, h, key, inc.id, {
      type: 'charging_decision',
      occurredAt: decidedAt,
      suspectId: inc.suspects[0],
      decision: 'charged',
      charges: [{ offence: 'emergency_worker_common_assault' }],
    });
    return { inc, standard, enhanced, decision };
  }

  t.test('deadlines computed by hand', async (t) => {
    const fs = await h.key(['force_system'], FORCE_D);

    t.test('across a weekend and the spring bank holiday, in BST', async (t) => {
      // Decision: Friday 22 May 2026, 10:00 BST (09:00Z). Counting starts the next day:
      //   Sat 23, Sun 24: weekend; Mon 25: Spring bank holiday (migrations/0004);
      //   Tue 26 = 1, Wed 27 = 2, Thu 28 = 3, Fri 29 = 4; Sat 30, Sun 31: weekend; Mon 1 June = 5.
      // Standard (5 days): end of Mon 1 June UK time = 23:59:59.999 BST = 2026-06-01T22:59:59.999Z.
      // Enhanced (1 day):  end of Tue 26 May UK time = 23:59:59.999 BST = 2026-05-26T22:59:59.999Z.
      h.clock.set('2026-05-22T09:30:00Z');
      const { inc, standard, enhanced, decision } = await chargedCase(t, fs, '2026-05-22T10:00:00+01:00', '2026-05-21T22:00:00+01:00');
      const j = await justice(t, h, fs, inc.id);
      t.equal(j.victimsCode.notifications.length, 2);
      t.same(pair(t, j.victimsCode.notifications, decision.id, standard), {
        eventId: decision.id,
        victimId: standard,
        decisionType: 'charging_decision',
        decidedAt: '2026-05-22T09:00:00.000Z',
        workingDays: 5,
        deadlineAt: '2026-06-01T22:59:59.999Z',
        toldAt: null,
        status: 'not_yet_told',
      });
      t.same(pair(t, j.victimsCode.notifications, decision.id, enhanced), {
        eventId: decision.id,
        victimId: enhanced,
        decisionType: 'charging_decision',
        decidedAt: '2026-05-22T09:00:00.000Z',
        workingDays: 1,
        deadlineAt: '2026-05-26T22:59:59.999Z',
        toldAt: null,
        status: 'not_yet_told',
      });
      t.same(j.victimsCode.summary, { onTime: 0, late: 0, notYetDue: 2, overdue: 0 });
    });

    t.test('across a plain weekend in winter (GMT)', async (t) => {
      // Decision: Friday 16 January 2026, 10:00 GMT. Sat 17, Sun 18: weekend;
      //   Mon 19 = 1, Tue 20 = 2, Wed 21 = 3, Thu 22 = 4, Fri 23 = 5 (no bank holiday in between).
      // Standard: end of Fri 23 January = 23:59:59.999 GMT = 2026-01-23T23:59:59.999Z.
      // Enhanced: end of Mon 19 January = 2026-01-19T23:59:59.999Z.
      h.clock.set('2026-01-16T12:00:00Z');
      const { inc, standard, enhanced, decision } = await chargedCase(t, fs, '2026-01-16T10:00:00Z', '2026-01-15T20:00:00Z');
      const n = (await justice(t, h, fs, inc.id)).victimsCode.notifications;
      t.match(pair(t, n, decision.id, standard), { workingDays: 5, deadlineAt: '2026-01-23T23:59:59.999Z', status: 'not_yet_told' });
      t.match(pair(t, n, decision.id, enhanced), { workingDays: 1, deadlineAt: '2026-01-19T23:59:59.999Z', status: 'not_yet_told' });
    });

    t.test('the day counted from is the UK date, not the UTC date', async (t) => {
      // Decision: Thursday 21 May 2026 23:30Z = Friday 22 May 00:30 BST, so counting starts after Friday,
      // exactly as in the first case: Mon 1 June (standard) and Tue 26 May (enhanced).
      // (Counted from the UTC date, Thursday, it would wrongly be Fri 29 May and Fri 22 May.)
      h.clock.set('2026-05-22T06:00:00Z');
      const { inc, standard, enhanced, decision } = await chargedCase(t, fs, '2026-05-21T23:30:00Z', '2026-05-21T20:00:00Z');
      const n = (await justice(t, h, fs, inc.id)).victimsCode.notifications;
      t.match(pair(t, n, decision.id, standard), { decidedAt: '2026-05-21T23:30:00.000Z', deadlineAt: '2026-06-01T22:59:59.999Z' });
      t.match(pair(t, n, decision.id, enhanced), { deadlineAt: '2026-05-26T22:59:59.999Z' });
    });

    t.test('over Christmas and New Year: three bank holidays and a year end', async (t) => {
      // Decision: Thursday 24 December 2026, 15:00 GMT. Fri 25: Christmas Day; Sat 26, Sun 27: weekend;
      //   Mon 28: Boxing Day (substitute day); Tue 29 = 1, Wed 30 = 2, Thu 31 = 3; Fri 1 Jan 2027: New Year's Day;
      //   Sat 2, Sun 3: weekend; Mon 4 = 4, Tue 5 = 5.
      // Standard: 2027-01-05T23:59:59.999Z. Enhanced: 2026-12-29T23:59:59.999Z.
      h.clock.set('2026-12-24T16:00:00Z');
      const { inc, standard, enhanced, decision } = await chargedCase(t, fs, '2026-12-24T15:00:00Z', '2026-12-23T20:00:00Z');
      const n = (await justice(t, h, fs, inc.id)).victimsCode.notifications;
      t.match(pair(t, n, decision.id, standard), { deadlineAt: '2027-01-05T23:59:59.999Z' });
      t.match(pair(t, n, decision.id, enhanced), { deadlineAt: '2026-12-29T23:59:59.999Z' });
    });
  });

  t.test('told on time, told late, not yet told, overdue; the summary counts them', async (t) => {
    const fs = await h.key(['force_system'], FORCE_D);
    h.clock.set('2026-05-22T09:30:00Z');
    const { inc, standard, enhanced, decision } = await chargedCase(t, fs, '2026-05-22T10:00:00+01:00', '2026-05-21T22:00:00+01:00');
    const status = async (victimId: string) => pair(t, (await justice(t, h, fs, inc.id)).victimsCode.notifications, decision.id, victimId).status;

    // At the last millisecond of the enhanced deadline nothing is overdue yet.
    h.clock.set('2026-05-26T22:59:59.999Z');
    t.equal(await status(enhanced), 'not_yet_told', 'at the deadline');
    t.same((await justice(t, h, fs, inc.id)).victimsCode.summary, { onTime: 0, late: 0, notYetDue: 2, overdue: 0 });
    h.clock.advance(1);
    t.equal(await status(enhanced), 'overdue', 'one millisecond after the deadline');
    t.equal(await status(standard), 'not_yet_told');
    t.same((await justice(t, h, fs, inc.id)).victimsCode.summary, { onTime: 0, late: 0, notYetDue: 1, overdue: 1 });

    // Told the next morning: late. Told on the evening of the standard deadline: on time.
    h.clock.set('2026-05-27T09:00:00Z');
    await event(t, h, fs, inc.id, tell(enhanced, [decision.id], '2026-05-27T08:00:00+01:00'));
    let n = pair(t, (await justice(t, h, fs, inc.id)).victimsCode.notifications, decision.id, enhanced);
    t.same({ toldAt: n.toldAt, status: n.status }, { toldAt: '2026-05-27T07:00:00.000Z', status: 'told_late' });

    h.clock.set('2026-06-02T08:00:00Z');
    t.equal(await status(standard), 'overdue', 'the standard deadline has passed too');
    await event(t, h, fs, inc.id, tell(standard, [decision.id], '2026-06-01T23:59:59.999+01:00'));
    n = pair(t, (await justice(t, h, fs, inc.id)).victimsCode.notifications, decision.id, standard);
    t.same(
      { toldAt: n.toldAt, status: n.status },
      { toldAt: '2026-06-01T22:59:59.999Z', status: 'told_on_time' },
      'told at the last millisecond of the deadline',
    );
    t.same((await justice(t, h, fs, inc.id)).victimsCode.summary, { onTime: 1, late: 1, notYetDue: 0, overdue: 0 });

    // A later update does not move the time the victim was first told.
    await event(t, h, fs, inc.id, tell(enhanced, [decision.id], '2026-06-02T08:30:00+01:00'));
    n = pair(t, (await justice(t, h, fs, inc.id)).victimsCode.notifications, decision.id, enhanced);
    t.equal(n.toldAt, '2026-05-27T07:00:00.000Z');
  });

  t.test('court results and sentences start the clock too; arrests, hearings, outcome codes and updates do not', async (t) => {
    const fs = await h.key(['force_system'], FORCE_D);
    h.clock.set('2026-07-01T09:00:00Z');
    const inc = await recordIncident(t, h, fs, { victims: [{}, { enhancedRights: true }, {}], incident: { occurredAt: '2026-03-01T22:00:00Z' } });
    const [a, b, gone] = inc.victims as [string, string, string];
    const s = inc.suspects[0];
    await withdrawVictim(t, h, fs, gone);
    await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2026-03-01T23:00:00Z', suspectId: s });
    const charged = await event(t, h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-03-02T10:00:00Z',
      suspectId: s,
      decision: 'charged',
      charges: [{ offence: 'abh_s47' }],
    });
    await event(t, h, fs, inc.id, {
      type: 'court_hearing',
      occurredAt: '2026-04-14T10:00:00+01:00',
      suspectId: s,
      kind: 'trial',
      court: 'Synthetic Crown Court',
    });
    // Result on Thursday 16 April 2026 (after Easter): Fri 17 = 1, Mon 20 = 2, Tue 21, Wed 22, Thu 23 = 5.
    const result = await event(t, h, fs, inc.id, {
      type: 'court_result',
      occurredAt: '2026-04-16T15:00:00+01:00',
      suspectId: s,
      chargeId: charged.charges[0].id,
      result: 'convicted',
    });
    // Sentence on Thursday 30 April: Fri 1 May = 1, Mon 4 May bank holiday, Tue 5 = 2, ..., Fri 8 = 5.
    const sentence = await event(t, h, fs, inc.id, {
      type: 'sentence',
      occurredAt: '2026-04-30T11:00:00+01:00',
      suspectId: s,
      sentence: 'immediate_custody',
      custodyMonths: 8,
    });
    await event(t, h, fs, inc.id, { type: 'outcome_code', occurredAt: '2026-05-01T10:00:00+01:00', code: 1 });
    await event(t, h, fs, inc.id, { type: 'victim_personal_statement', occurredAt: '2026-04-20T10:00:00+01:00', victimId: a, status: 'made' });
    await event(t, h, fs, inc.id, tell(a, [result.id, sentence.id], '2026-05-01T12:00:00+01:00'));

    const j = await justice(t, h, fs, inc.id);
    t.same(
      j.victimsCode.notifications.map((n) => `${n.decisionType}:${n.victimId === a ? 'a' : n.victimId === b ? 'b' : 'withdrawn'}`).sort(),
      ['charging_decision:a', 'charging_decision:b', 'court_result:a', 'court_result:b', 'sentence:a', 'sentence:b'],
      'one per decision and active victim; none for the withdrawn victim',
    );
    const n = j.victimsCode.notifications;
    t.match(pair(t, n, result.id, a), {
      decisionType: 'court_result',
      deadlineAt: '2026-04-23T22:59:59.999Z',
      toldAt: '2026-05-01T11:00:00.000Z',
      status: 'told_late',
    });
    t.match(pair(t, n, result.id, b), { deadlineAt: '2026-04-17T22:59:59.999Z', status: 'overdue' });
    t.match(pair(t, n, sentence.id, a), { decisionType: 'sentence', deadlineAt: '2026-05-08T22:59:59.999Z', status: 'told_on_time' });
    t.match(pair(t, n, sentence.id, b), { deadlineAt: '2026-05-01T22:59:59.999Z', status: 'overdue' }, 'an update to one victim does not count for another');
    t.match(pair(t, n, charged.id, a), { status: 'overdue' });
    t.same(j.victimsCode.summary, { onTime: 1, late: 1, notYetDue: 0, overdue: 4 });
  });

  t.test('the overdue queue', async (t) => {
    // FORCE_C belongs to this test alone, so its queue holds exactly what is recorded here.
    const fs = await h.key(['force_system'], FORCE_C);
    const welfare = await h.key(['welfare_officer'], FORCE_C);
    h.clock.set('2026-05-22T09:30:00Z');
    // Q1: charged Fri 22 May 10:00 BST; standard due 1 June, enhanced due 26 May.
    const q1 = await chargedCase(t, fs, '2026-05-22T10:00:00+01:00', '2026-05-21T22:00:00+01:00');
    // Q2: charged Mon 11 May 10:00 BST: Tue 12 = 1 ... Mon 18 = 5, so both standard victims are due end of 18 May.
    const q2inc = await recordIncident(t, h, fs, { victims: [{}, {}], incident: { occurredAt: '2026-05-10T22:00:00+01:00' } });
    const [w, s2] = q2inc.victims as [string, string];
    const d2 = await event(t, h, fs, q2inc.id, {
      type: 'charging_decision',
      occurredAt: '2026-05-11T10:00:00+01:00',
      suspectId: q2inc.suspects[0],
      decision: 'no_further_action',
    });

    type Item = {
      incidentId: string;
      incidentReference: string;
      forceId: string;
      victimId: string;
      eventId: string;
      decisionType: string;
      decidedAt: string;
      deadlineAt: string;
      overdueSeconds: number;
    };
    const queue = async (key: string, query = 'status=overdue') =>
      ok<{ items: Item[]; nextCursor: string | null }>(t, await h.call(key, { method: 'GET', url: `/v1/justice/victim-updates?${query}` }));
    const pairs = (items: Item[]) => items.map((i) => [i.eventId, i.victimId]);

    h.clock.set('2026-05-27T09:00:00Z');
    const overdue = await queue(welfare);
    // Exactly the overdue pairs, oldest deadline first; the standard Q1 victim is not due until 1 June.
    t.equal(overdue.items.length, 3);
    t.same(
      pairs(overdue.items.slice(0, 2)).map(String).sort(),
      [
        [d2.id, w],
        [d2.id, s2],
      ]
        .map(String)
        .sort(),
      'both Q2 victims (due 18 May)',
    );
    t.same(pairs(overdue.items.slice(2)), [[q1.decision.id, q1.enhanced]], 'then the enhanced Q1 victim (due 26 May)');
    t.equal(overdue.nextCursor, null);
    t.match(overdue.items.at(-1), {
      incidentId: q1.inc.id,
      incidentReference: q1.inc.body.forceReference,
      forceId: FORCE_C,
      decisionType: 'charging_decision',
      decidedAt: '2026-05-22T09:00:00.000Z',
      deadlineAt: '2026-05-26T22:59:59.999Z',
      overdueSeconds: 36_000, // 09:00:00Z on the 27th minus 22:59:59.999Z on the 26th = 10 h 0.001 s
    });
    t.same(pairs((await queue(fs)).items), pairs(overdue.items), 'the force system sees the same queue');
    t.same(pairs((await queue(welfare, '')).items), pairs(overdue.items), 'overdue is the default');

    const pending = await queue(welfare, 'status=pending');
    t.same(pairs(pending.items), [...pairs(overdue.items), [q1.decision.id, q1.standard]], 'pending adds the one not yet due');

    // Paging walks the same list.
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await queue(welfare, `status=pending&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      t.ok(page.items.length <= 1);
      seen.push(...pairs(page.items).map((p) => p.map(String)));
      cursor = page.nextCursor;
    } while (cursor);
    t.same(seen, pairs(pending.items), 'cursor pages cover the list once, in order');

    t.test('reading the queue is audited', async (t) => {
      const res = await h.call(welfare, { method: 'GET', url: '/v1/justice/victim-updates' });
      t.match(await auditOf(h, res), [{ action: 'list', resourceType: 'victim_update_queue', forceId: FORCE_C }]);
    });

    t.test('another force sees none of it', async (t) => {
      const welfareB = await h.key(['welfare_officer'], FORCE_B);
      const fsB = await h.key(['force_system'], FORCE_B);
      for (const key of [welfareB, fsB]) {
        for (const status of ['overdue', 'pending']) {
          const items = (await queue(key, `status=${status}`)).items;
          t.same(items, [], `${status}: empty`);
        }
      }
      // Asking for another force by id does not widen a force-scoped key.
      t.same((await queue(welfareB, `status=pending&forceId=${FORCE_C}`)).items, []);
    });

    t.test('federation reps and analysts may not read it', async (t) => {
      for (const roles of [['federation_rep'], ['analyst']] as const) {
        problem(t, await h.call(await h.key([...roles], FORCE_C), { method: 'GET', url: '/v1/justice/victim-updates?status=overdue' }), 403, 'forbidden');
      }
      problem(t, await h.call(await h.key(['analyst'], null), { method: 'GET', url: '/v1/justice/victim-updates' }), 403, 'forbidden');
    });

    t.test('a withdrawn victim and a victim told (even late) leave the queue', async (t) => {
      await withdrawVictim(t, h, fs, w);
      t.same(pairs((await queue(welfare)).items), [
        [d2.id, s2],
        [q1.decision.id, q1.enhanced],
      ]);
      await event(t, h, fs, q2inc.id, tell(s2, [d2.id], '2026-05-27T09:30:00+01:00'));
      t.same(pairs((await queue(welfare)).items), [[q1.decision.id, q1.enhanced]]);
    });

    t.test('once the standard deadline passes, that pair joins the queue', async (t) => {
      h.clock.set('2026-06-01T22:59:59.999Z');
      t.same(pairs((await queue(welfare)).items), [[q1.decision.id, q1.enhanced]], 'not at the deadline itself');
      h.clock.advance(1);
      t.same(pairs((await queue(welfare)).items), [
        [q1.decision.id, q1.enhanced],
        [q1.decision.id, q1.standard],
      ]);
    });
  });
});
