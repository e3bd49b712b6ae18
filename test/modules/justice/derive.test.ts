// Pure rules of the justice timeline: the charges on record, the derived case status and the checks that
// turn impossible sequences into 422 problems. No app, no database.
import t from 'tap';
import { AppError } from '../../../src/errors.ts';
import { chargesOf, checkSequence, deriveCase, resultsOf, type StoredEvent } from '../../../src/modules/justice/derive.ts';

const A = '019b0000-0000-7000-8000-00000000000a'; // suspect A
const B = '019b0000-0000-7000-8000-00000000000b'; // suspect B
const V = '019b0000-0000-7000-8000-0000000000f1'; // victim
const people = { suspects: new Set([A, B]), victims: new Set([V]) };

let seq = 0;
const nextId = () => `019b0000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;

/** One stored event; suspectId/victimId are lifted out of data the way the service stores them. */
function ev(type: string, at: string, data: Record<string, unknown> = {}): StoredEvent {
  const { suspectId, victimId, ...rest } = data as { suspectId?: string; victimId?: string };
  return { id: nextId(), type, occurredAt: new Date(at), suspectId: suspectId ?? null, victimId: victimId ?? null, data: rest };
}

function charged(suspectId: string, at: string, ...offences: string[]): StoredEvent {
  return ev('charging_decision', at, { suspectId, decision: 'charged', charges: offences.map((offence) => ({ id: nextId(), offence })) });
}
const decision = (suspectId: string, at: string, d: string) => ev('charging_decision', at, { suspectId, decision: d, charges: [] });
const chargeIds = (e: StoredEvent) => (e.data.charges as { id: string }[]).map((c) => c.id);
const result = (suspectId: string, chargeId: string, at: string, r: string) => ev('court_result', at, { suspectId, chargeId, result: r });
const outcome = (code: number, at: string) => ev('outcome_code', at, { code, scheme: '2021-04' });

/** Runs checkSequence and returns the 422 it throws (or null when the event is accepted). */
/** The event checked is dated after everything in these fixtures unless it says otherwise. */
function rejection(
  event: Omit<Parameters<typeof checkSequence>[0], 'occurredAt'> & { occurredAt?: string },
  existing: StoredEvent[],
): { status: number; paths: string[] } | null {
  try {
    checkSequence({ occurredAt: '2026-12-31T00:00:00Z', ...event }, existing, people);
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { status: err.status, paths: (err.errors ?? []).map((e) => e.path) };
  }
}

t.test('chargesOf', async (t) => {
  t.test('only charged and summonsed decisions carry charges, each with its defendant and time', async (t) => {
    const c1 = charged(A, '2026-03-02T10:00:00Z', 'emergency_worker_common_assault', 'abh_s47');
    const s1 = ev('charging_decision', '2026-03-05T10:00:00Z', {
      suspectId: B,
      decision: 'summonsed',
      charges: [{ id: nextId(), offence: 'threats_or_abuse' }],
    });
    const events = [ev('arrest', '2026-03-01T01:00:00Z', { suspectId: A }), c1, decision(B, '2026-03-03T10:00:00Z', 'released_under_investigation'), s1];
    const charges = chargesOf(events);
    t.same(
      charges.map((c) => [c.id, c.suspectId, c.offence, c.chargedAt.toISOString()]),
      [
        [chargeIds(c1)[0], A, 'emergency_worker_common_assault', '2026-03-02T10:00:00.000Z'],
        [chargeIds(c1)[1], A, 'abh_s47', '2026-03-02T10:00:00.000Z'],
        [chargeIds(s1)[0], B, 'threats_or_abuse', '2026-03-05T10:00:00.000Z'],
      ],
    );
  });

  t.test('no charges from a no-further-action, caution or community resolution', async (t) => {
    t.same(
      chargesOf([
        decision(A, '2026-03-02T10:00:00Z', 'no_further_action'),
        decision(B, '2026-03-02T10:00:00Z', 'caution'),
        decision(A, '2026-03-03T10:00:00Z', 'community_resolution'),
      ]),
      [],
    );
    t.same(chargesOf([]), []);
  });
});

t.test('resultsOf keeps the latest result per charge by when it happened, not by array order', async (t) => {
  const c = charged(A, '2026-03-02T10:00:00Z', 'abh_s47');
  const [id] = chargeIds(c);
  const later = result(A, id!, '2026-06-01T10:00:00Z', 'acquitted');
  const earlier = result(A, id!, '2026-05-01T10:00:00Z', 'convicted');
  const results = resultsOf([c, later, earlier]);
  t.equal(results.size, 1);
  t.same(results.get(id!), { result: 'acquitted', at: new Date('2026-06-01T10:00:00Z') });
});

t.test('deriveCase', async (t) => {
  t.test('no events: under investigation, nothing else known', async (t) => {
    t.same(deriveCase([]), { status: 'under_investigation', outcome: null, chargedAt: null, resultAt: null, convicted: false, outOfCourt: false });
  });

  t.test('arrest, release under investigation and bail keep it under investigation', async (t) => {
    const events = [ev('arrest', '2026-03-01T01:00:00Z', { suspectId: A })];
    t.equal(deriveCase(events).status, 'under_investigation');
    events.push(decision(A, '2026-03-01T12:00:00Z', 'released_under_investigation'));
    t.equal(deriveCase(events).status, 'under_investigation');
    events.push(decision(A, '2026-04-01T12:00:00Z', 'bailed'));
    t.equal(deriveCase(events).status, 'under_investigation');
    t.equal(deriveCase(events).outOfCourt, false);
  });

  t.test('charged -> awaiting court -> convicted when every charge has a result and one is a conviction', async (t) => {
    const c = charged(A, '2026-03-02T10:00:00Z', 'emergency_worker_common_assault', 'abh_s47');
    const [c1, c2] = chargeIds(c);
    const events: StoredEvent[] = [ev('arrest', '2026-03-01T01:00:00Z', { suspectId: A }), c];
    let d = deriveCase(events);
    t.equal(d.status, 'charged');
    t.same(d.chargedAt, new Date('2026-03-02T10:00:00Z'));
    t.equal(d.resultAt, null);

    events.push(ev('court_hearing', '2026-03-20T10:00:00Z', { suspectId: A, kind: 'first_appearance', court: 'Synthetic Magistrates' }));
    t.equal(deriveCase(events).status, 'awaiting_court', 'a hearing means awaiting court');

    events.push(result(A, c1!, '2026-03-20T11:00:00Z', 'guilty_plea'));
    d = deriveCase(events);
    t.equal(d.status, 'awaiting_court', 'one charge still open');
    t.equal(d.convicted, true, 'already convicted on one charge');
    t.equal(d.resultAt, null, 'no result time until the case is resolved');

    events.push(result(A, c2!, '2026-05-11T15:00:00Z', 'convicted'));
    d = deriveCase(events);
    t.equal(d.status, 'convicted');
    t.same(d.resultAt, new Date('2026-05-11T15:00:00Z'), 'the last result');
    t.equal(d.outOfCourt, false);
  });

  t.test('a result without a hearing on record also means awaiting court', async (t) => {
    const c = charged(A, '2026-03-02T10:00:00Z', 'emergency_worker_common_assault', 'abh_s47');
    t.equal(deriveCase([c, result(A, chargeIds(c)[0]!, '2026-03-03T10:00:00Z', 'dismissed')]).status, 'awaiting_court');
  });

  for (const r of ['acquitted', 'dismissed', 'withdrawn_discontinued']) {
    t.test(`every charge ${r}: not convicted`, async (t) => {
      const c = charged(A, '2026-03-02T10:00:00Z', 'abh_s47');
      const d = deriveCase([c, result(A, chargeIds(c)[0]!, '2026-04-02T10:00:00Z', r)]);
      t.equal(d.status, 'not_convicted');
      t.equal(d.convicted, false);
      t.same(d.resultAt, new Date('2026-04-02T10:00:00Z'));
    });
  }

  t.test('two defendants: one convicted, one acquitted -> convicted; before the second result -> awaiting court', async (t) => {
    const ca = charged(A, '2026-03-02T10:00:00Z', 'abh_s47');
    const cb = charged(B, '2026-03-01T10:00:00Z', 'emergency_worker_common_assault');
    const events = [ca, cb, result(B, chargeIds(cb)[0]!, '2026-05-01T10:00:00Z', 'acquitted')];
    t.equal(deriveCase(events).status, 'awaiting_court');
    t.same(deriveCase(events).chargedAt, new Date('2026-03-01T10:00:00Z'), 'the first charge of any defendant');
    events.push(result(A, chargeIds(ca)[0]!, '2026-05-02T10:00:00Z', 'convicted'));
    t.equal(deriveCase(events).status, 'convicted');
  });

  t.test('summonsed counts as charged', async (t) => {
    const s = ev('charging_decision', '2026-03-02T10:00:00Z', {
      suspectId: A,
      decision: 'summonsed',
      charges: [{ id: nextId(), offence: 'threats_or_abuse' }],
    });
    t.equal(deriveCase([s]).status, 'charged');
  });

  t.test('a charge of one defendant outweighs a no-further-action for another', async (t) => {
    const events = [decision(B, '2026-03-01T10:00:00Z', 'no_further_action'), charged(A, '2026-03-02T10:00:00Z', 'abh_s47')];
    t.equal(deriveCase(events).status, 'charged');
  });

  for (const d of ['no_further_action', 'caution', 'community_resolution']) {
    t.test(`${d} without charges: closed without charge`, async (t) => {
      const derived = deriveCase([ev('arrest', '2026-03-01T01:00:00Z', { suspectId: A }), decision(A, '2026-03-02T10:00:00Z', d)]);
      t.equal(derived.status, 'closed_without_charge');
      t.equal(derived.outOfCourt, d !== 'no_further_action', 'cautions and community resolutions are out-of-court disposals');
    });
  }

  t.test('outcome codes: any code but 1 closes an uncharged case; 2, 3, 6, 7, 8 and 22 are out of court', async (t) => {
    for (const code of [2, 3, 6, 7, 8, 22]) {
      const d = deriveCase([outcome(code, '2026-04-01T10:00:00Z')]);
      t.equal(d.status, 'closed_without_charge', `code ${code}`);
      t.equal(d.outOfCourt, true, `code ${code} is out of court`);
      t.same(d.outcome, { scheme: '2021-04', code }, `code ${code} is the outcome`);
    }
    for (const code of [14, 15, 16, 18, 21]) {
      const d = deriveCase([outcome(code, '2026-04-01T10:00:00Z')]);
      t.equal(d.status, 'closed_without_charge', `code ${code}`);
      t.equal(d.outOfCourt, false, `code ${code} is not out of court`);
    }
    t.equal(deriveCase([outcome(1, '2026-04-01T10:00:00Z')]).status, 'under_investigation', 'code 1 with no charge on record does not close the case');
  });

  t.test('a charged case keeps its court status whatever the outcome code', async (t) => {
    const c = charged(A, '2026-03-02T10:00:00Z', 'abh_s47');
    const d = deriveCase([c, outcome(1, '2026-03-02T11:00:00Z')]);
    t.equal(d.status, 'charged');
    t.same(d.outcome, { scheme: '2021-04', code: 1 });
  });

  t.test('the outcome is the latest outcome code', async (t) => {
    t.same(deriveCase([outcome(21, '2026-04-01T10:00:00Z'), outcome(8, '2026-05-01T10:00:00Z')]).outcome, { scheme: '2021-04', code: 8 });
  });

  t.test('the same events give the same case whatever order they are passed in', async (t) => {
    // The service derives the stored case from [...recorded, newEvent]: a back-dated event comes last.
    const c = charged(A, '2026-03-02T10:00:00Z', 'abh_s47');
    const inOrder = [
      decision(B, '2026-03-01T10:00:00Z', 'no_further_action'),
      c,
      result(A, chargeIds(c)[0]!, '2026-04-01T10:00:00Z', 'convicted'),
      outcome(21, '2026-04-02T10:00:00Z'),
      outcome(1, '2026-05-02T10:00:00Z'),
    ];
    const expected = deriveCase(inOrder);
    t.same(expected.outcome, { scheme: '2021-04', code: 1 });
    t.same(deriveCase([...inOrder].reverse()), expected, 'reversed');
    t.same(deriveCase([inOrder[4]!, inOrder[0]!, inOrder[1]!, inOrder[2]!, inOrder[3]!]), expected, 'latest outcome recorded first');
  });
});

t.test('checkSequence', async (t) => {
  const c = charged(A, '2026-03-02T10:00:00Z', 'emergency_worker_common_assault', 'abh_s47');
  const [c1, c2] = chargeIds(c);
  const cb = charged(B, '2026-03-02T10:00:00Z', 'emergency_worker_common_assault');
  const [b1] = chargeIds(cb);
  const arrest = ev('arrest', '2026-03-01T01:00:00Z', { suspectId: A });
  const base = [arrest, c, cb];

  t.test('people must belong to the incident', async (t) => {
    t.same(rejection({ type: 'arrest', suspectId: nextId() }, []), { status: 422, paths: ['suspectId'] });
    t.same(rejection({ type: 'victim_personal_statement', victimId: nextId() }, []), { status: 422, paths: ['victimId'] });
    t.equal(rejection({ type: 'arrest', suspectId: A }, []), null);
    t.equal(rejection({ type: 'victim_personal_statement', victimId: V }, []), null);
  });

  t.test('a court result needs a charge of that defendant', async (t) => {
    t.equal(rejection({ type: 'court_result', suspectId: A, chargeId: c1! }, base), null);
    t.same(rejection({ type: 'court_result', suspectId: A, chargeId: b1! }, base), { status: 422, paths: ['chargeId'] }, 'a charge of another defendant');
    t.same(rejection({ type: 'court_result', suspectId: A, chargeId: nextId() }, base), { status: 422, paths: ['chargeId'] }, 'an unknown charge');
    t.same(rejection({ type: 'court_result', suspectId: A, chargeId: c1! }, [arrest]), { status: 422, paths: ['chargeId'] }, 'before any charge');
  });

  t.test('a sentence needs a conviction of that defendant (on that charge when named)', async (t) => {
    t.same(rejection({ type: 'sentence', suspectId: A }, base), { status: 422, paths: ['suspectId'] }, 'charged but not convicted');
    t.same(rejection({ type: 'sentence', suspectId: A, chargeId: c1! }, base), { status: 422, paths: ['chargeId'] });
    const convictedOnC1 = [...base, result(A, c1!, '2026-04-01T10:00:00Z', 'guilty_plea'), result(A, c2!, '2026-04-01T10:00:00Z', 'acquitted')];
    t.equal(rejection({ type: 'sentence', suspectId: A }, convictedOnC1), null, 'a sentence covering all convictions');
    t.equal(rejection({ type: 'sentence', suspectId: A, chargeId: c1! }, convictedOnC1), null);
    t.same(rejection({ type: 'sentence', suspectId: A, chargeId: c2! }, convictedOnC1), { status: 422, paths: ['chargeId'] }, 'the acquitted charge');
    t.same(rejection({ type: 'sentence', suspectId: B }, convictedOnC1), { status: 422, paths: ['suspectId'] }, 'the other defendant was not convicted');
    t.same(
      rejection({ type: 'sentence', suspectId: B, chargeId: c1! }, convictedOnC1),
      { status: 422, paths: ['chargeId'] },
      'a conviction of another defendant',
    );
    const quashed = [...convictedOnC1, result(A, c1!, '2026-07-01T10:00:00Z', 'acquitted')];
    t.same(rejection({ type: 'sentence', suspectId: A }, quashed), { status: 422, paths: ['suspectId'] }, 'the latest result counts');
  });

  t.test('a victim update is about decisions of this incident', async (t) => {
    const r = result(A, c1!, '2026-04-01T10:00:00Z', 'guilty_plea');
    const events = [...base, r];
    t.equal(rejection({ type: 'victim_update', victimId: V, about: [c.id, r.id] }, events), null);
    t.same(rejection({ type: 'victim_update', victimId: V, about: [arrest.id] }, events), { status: 422, paths: ['about'] }, 'an arrest is not a decision');
    t.same(rejection({ type: 'victim_update', victimId: V, about: [c.id, nextId()] }, events), { status: 422, paths: ['about'] }, 'an unknown event');
  });

  t.test('a review is of a charging decision', async (t) => {
    const nfa = decision(B, '2026-03-03T10:00:00Z', 'no_further_action');
    t.equal(rejection({ type: 'review_requested', victimId: V, decisionEventId: nfa.id }, [...base, nfa]), null);
    t.same(rejection({ type: 'review_requested', victimId: V, decisionEventId: arrest.id }, [...base, nfa]), { status: 422, paths: ['decisionEventId'] });
  });
});

t.test('checkSequence: an event cannot be dated before what it follows', async (t) => {
  const c = charged(A, '2026-03-02T10:00:00Z', 'emergency_worker_common_assault');
  const [c1] = chargeIds(c);
  const convicted = result(A, c1!, '2026-04-01T10:00:00Z', 'guilty_plea');
  t.same(
    rejection({ type: 'court_result', suspectId: A, chargeId: c1!, occurredAt: '2026-03-01T10:00:00Z' }, [c]),
    { status: 422, paths: ['occurredAt'] },
    'a result before the charge',
  );
  t.equal(
    rejection({ type: 'court_result', suspectId: A, chargeId: c1!, occurredAt: '2026-03-02T10:00:00Z' }, [c]),
    null,
    'a result the same instant as the charge',
  );
  t.same(
    rejection({ type: 'sentence', suspectId: A, occurredAt: '2026-03-31T10:00:00Z' }, [c, convicted]),
    { status: 422, paths: ['occurredAt'] },
    'a sentence before the conviction',
  );
  t.equal(rejection({ type: 'sentence', suspectId: A, occurredAt: '2026-04-01T10:00:00Z' }, [c, convicted]), null);
  t.same(
    rejection({ type: 'victim_update', victimId: V, about: [convicted.id], occurredAt: '2026-03-15T10:00:00Z' }, [c, convicted]),
    { status: 422, paths: ['occurredAt'] },
    'told before the decision',
  );
});
