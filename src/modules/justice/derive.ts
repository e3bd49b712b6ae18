// Pure rules over an incident's justice events: the charges on record, the case status, and the
// checks that reject impossible sequences. No I/O: easy to reason about and to test.
import { Errors } from '../../errors.ts';
import { CHARGING, CONVICTIONS, OUT_OF_COURT, type CaseStatus } from './schemas.ts';

export interface StoredEvent {
  id: string;
  type: string;
  occurredAt: Date;
  suspectId: string | null;
  victimId: string | null;
  data: Record<string, unknown>;
}

export interface Charge {
  id: string;
  suspectId: string;
  offence: string;
  chargedAt: Date;
}

export function chargesOf(events: StoredEvent[]): Charge[] {
  return events.flatMap((e) =>
    e.type === 'charging_decision' && (CHARGING as readonly string[]).includes(e.data.decision as string)
      ? (e.data.charges as { id: string; offence: string }[]).map((c) => ({ id: c.id, suspectId: e.suspectId!, offence: c.offence, chargedAt: e.occurredAt }))
      : [],
  );
}

/** Events in the order they happened (ties by id, which is time-ordered): the order every rule reads them in. */
export function inOrder(events: StoredEvent[]): StoredEvent[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The latest result per charge id. */
export function resultsOf(events: StoredEvent[]): Map<string, { result: string; at: Date }> {
  const results = new Map<string, { result: string; at: Date }>();
  for (const e of inOrder(events)) {
    if (e.type === 'court_result') results.set(e.data.chargeId as string, { result: e.data.result as string, at: e.occurredAt });
  }
  return results;
}

const isConviction = (result: string) => (CONVICTIONS as readonly string[]).includes(result);

export interface DerivedCase {
  status: CaseStatus;
  outcome: { scheme: string; code: number } | null;
  chargedAt: Date | null;
  resultAt: Date | null;
  convicted: boolean;
  outOfCourt: boolean;
}

export function deriveCase(events: StoredEvent[]): DerivedCase {
  const charges = chargesOf(events);
  const results = resultsOf(events);
  // The latest outcome by date, whatever order the events were recorded in.
  const outcomeEvent = inOrder(events)
    .reverse()
    .find((e) => e.type === 'outcome_code');
  const outcome = outcomeEvent ? { scheme: outcomeEvent.data.scheme as string, code: outcomeEvent.data.code as number } : null;
  const decisions = events.filter((e) => e.type === 'charging_decision').map((e) => e.data.decision as string);
  const outOfCourt = decisions.some((d) => (OUT_OF_COURT as readonly string[]).includes(d)) || [2, 3, 6, 7, 8, 22].includes(outcome?.code ?? 0);
  const chargedAt = charges.length ? new Date(Math.min(...charges.map((c) => c.chargedAt.getTime()))) : null;
  const convicted = charges.some((c) => isConviction(results.get(c.id)?.result ?? ''));
  let status: CaseStatus;
  if (charges.length > 0) {
    const resolved = charges.every((c) => results.has(c.id));
    if (resolved) status = convicted ? 'convicted' : 'not_convicted';
    else status = results.size > 0 || events.some((e) => e.type === 'court_hearing') ? 'awaiting_court' : 'charged';
  } else if ((outcome && outcome.code !== 1) || decisions.some((d) => d === 'no_further_action' || (OUT_OF_COURT as readonly string[]).includes(d))) {
    status = 'closed_without_charge';
  } else {
    status = 'under_investigation';
  }
  const resultTimes = charges.map((c) => results.get(c.id)?.at.getTime()).filter((t): t is number => t !== undefined);
  const resultAt = status === 'convicted' || status === 'not_convicted' ? new Date(Math.max(...resultTimes)) : null;
  return { status, outcome, chargedAt, resultAt, convicted, outOfCourt };
}

/** Rejects an event that cannot follow the ones already recorded (422 problems). */
export function checkSequence(
  event: { type: string; occurredAt: string; suspectId?: string; victimId?: string; chargeId?: string; about?: string[]; decisionEventId?: string },
  existing: StoredEvent[],
  people: { suspects: Set<string>; victims: Set<string> },
): void {
  const at = new Date(event.occurredAt).getTime();
  const notBefore = (when: Date, what: string, path: string) => {
    if (at < when.getTime())
      throw Errors.rule(`This event is dated before the ${what} it follows.`, [{ path: 'occurredAt', message: `is before the ${what} (${path})` }]);
  };
  if (event.suspectId !== undefined && !people.suspects.has(event.suspectId)) {
    throw Errors.rule('The suspect is not one of this incident’s suspects.', [{ path: 'suspectId', message: 'is not a suspect of this incident' }]);
  }
  if (event.victimId !== undefined && !people.victims.has(event.victimId)) {
    throw Errors.rule('The victim is not one of this incident’s victims.', [{ path: 'victimId', message: 'is not a victim of this incident' }]);
  }
  const charges = chargesOf(existing);
  if (event.type === 'court_result') {
    const charge = charges.find((c) => c.id === event.chargeId);
    if (!charge || charge.suspectId !== event.suspectId) {
      throw Errors.rule('A court result needs a charge of that defendant.', [{ path: 'chargeId', message: 'is not a charge of this suspect' }]);
    }
    notBefore(charge.chargedAt, 'charge', 'chargeId');
  }
  if (event.type === 'sentence') {
    const results = resultsOf(existing);
    const convictions = charges.filter((c) => c.suspectId === event.suspectId && isConviction(results.get(c.id)?.result ?? ''));
    const relevant = event.chargeId ? convictions.filter((c) => c.id === event.chargeId) : convictions;
    const ok = relevant.length > 0;
    if (!ok) {
      throw Errors.rule('A sentence needs a conviction (guilty plea or convicted) of that defendant' + (event.chargeId ? ' on that charge.' : '.'), [
        { path: event.chargeId ? 'chargeId' : 'suspectId', message: 'has no conviction' },
      ]);
    }
    notBefore(new Date(Math.min(...relevant.map((c) => results.get(c.id)!.at.getTime()))), 'conviction', event.chargeId ? 'chargeId' : 'suspectId');
  }
  if (event.type === 'victim_update') {
    const notifiable = new Set(existing.filter((e) => ['charging_decision', 'court_result', 'sentence'].includes(e.type)).map((e) => e.id));
    const unknown = (event.about ?? []).filter((id) => !notifiable.has(id));
    if (unknown.length) {
      throw Errors.rule('A victim update must be about decisions of this incident (charging decision, court result, sentence).', [
        { path: 'about', message: `not a decision of this incident: ${unknown.join(', ')}` },
      ]);
    }
    for (const id of event.about ?? []) notBefore(existing.find((e) => e.id === id)!.occurredAt, 'decision it reports', 'about');
  }
  if (event.type === 'review_requested' && !existing.some((e) => e.id === event.decisionEventId && e.type === 'charging_decision')) {
    throw Errors.rule('A review is of a charging decision of this incident.', [
      { path: 'decisionEventId', message: 'is not a charging decision of this incident' },
    ]);
  }
}
