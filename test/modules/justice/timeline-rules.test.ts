// The justice timeline against the incident and the victim: no step of the case before the assault, either way
// round (#20 item 11), and open Victims' Code deadlines that follow a change of enhanced rights (#20 item 13).
import t from 'tap';
import { FORCE_A } from '../../factories.ts';
import { buildTestApp } from '../../helper.ts';
import { auditOf, event, justice, ok, postEvent, problem, recordIncident, type Notification } from './support.ts';

const h = await buildTestApp(t);
const fs = await h.key(['force_system'], FORCE_A, 'force A system');

t.test('item 11: justice events may not predate the assault, and the assault may not move after its events', async (t) => {
  h.clock.set('2025-03-01T12:00:00Z');
  const inc = await recordIncident(t, h, fs, { incident: { occurredAt: '2025-02-10T10:00:00Z' } });
  const suspectId = inc.suspects[0]!;

  const early = problem(
    t,
    await postEvent(h, fs, inc.id, {
      type: 'charging_decision',
      occurredAt: '2025-02-01T10:00:00Z',
      suspectId,
      decision: 'charged',
      charges: [{ offence: 'emergency_worker_common_assault' }],
    }),
    422,
    'rule-violated',
  );
  t.match(early.detail, /charging decision .*before the assault/, 'names the conflicting event');
  t.same(
    early.errors?.map((e) => e.path),
    ['occurredAt'],
  );
  const arrestFirst = problem(t, await postEvent(h, fs, inc.id, { type: 'arrest', occurredAt: '2025-02-10T09:59:00Z', suspectId }), 422, 'rule-violated');
  t.match(arrestFirst.detail, /arrest .*before the assault .*2025-02-10T10:00:00.000Z/);
  t.equal((await justice(t, h, fs, inc.id)).events.length, 0, 'nothing recorded');

  const arrest = await event(t, h, fs, inc.id, { type: 'arrest', occurredAt: '2025-02-10T10:00:00Z', suspectId });
  await event(t, h, fs, inc.id, {
    type: 'charging_decision',
    occurredAt: '2025-02-11T10:00:00Z',
    suspectId,
    decision: 'charged',
    charges: [{ offence: 'emergency_worker_common_assault' }],
  });

  // Moving the assault after its first event: 422 naming that event; nothing changes.
  const moved = problem(
    t,
    await h.call(fs, { method: 'PATCH', url: `/v1/incidents/${inc.id}`, headers: { 'if-match': '"1"' }, payload: { occurredAt: '2025-02-12T10:00:00Z' } }),
    422,
    'rule-violated',
  );
  t.match(moved.detail, new RegExp(`arrest ${arrest.id}`), 'names the conflicting event');
  t.same(
    moved.errors?.map((e) => e.path),
    ['occurredAt'],
  );
  const still = ok(t, await h.call(fs, { method: 'GET', url: `/v1/incidents/${inc.id}` }));
  t.equal(still.occurredAt, '2025-02-10T10:00:00.000Z');
  t.equal(still.version, 1);
  // Earlier is fine, and so is up to the first event itself.
  ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/incidents/${inc.id}`, headers: { 'if-match': '"1"' }, payload: { occurredAt: '2025-02-10T09:00:00Z' } }));
  ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/incidents/${inc.id}`, headers: { 'if-match': '"2"' }, payload: { occurredAt: '2025-02-10T10:00:00Z' } }));
});

t.test("item 13: an enhanced-rights change moves the victim's open Victims' Code deadlines, not the met ones, and is audited", async (t) => {
  // Decisions on Friday 22 May 2026; the answer read on the same day.
  h.clock.set('2026-05-22T12:00:00Z');
  const inc = await recordIncident(t, h, fs, {
    victims: [{ enhancedRights: false }, { enhancedRights: true, role: 'pcso' }],
    incident: { occurredAt: '2026-05-20T10:00:00Z' },
  });
  const [standard, enhanced] = inc.victims as [string, string];
  const suspectId = inc.suspects[0]!;
  const charge = { type: 'charging_decision', suspectId, decision: 'charged', charges: [{ offence: 'emergency_worker_common_assault' }] };
  const told = await event(t, h, fs, inc.id, { ...charge, occurredAt: '2026-05-21T09:00:00Z' });
  await event(t, h, fs, inc.id, {
    type: 'victim_update',
    occurredAt: '2026-05-21T15:00:00Z',
    victimId: standard,
    about: [told.id],
    method: 'phone',
    toldBy: 'Officer in charge (synthetic)',
  });
  const open = await event(t, h, fs, inc.id, { ...charge, suspectId, occurredAt: '2026-05-22T09:00:00Z' });

  const of = async (eventId: string, victimId: string): Promise<Notification> =>
    (await justice(t, h, fs, inc.id)).victimsCode.notifications.find((n) => n.eventId === eventId && n.victimId === victimId)!;
  const toldBefore = await of(told.id, standard);
  const openBefore = await of(open.id, standard);
  const enhancedDeadline = await of(open.id, enhanced);
  t.equal(openBefore.workingDays, 5);
  t.equal(enhancedDeadline.workingDays, 1);

  const patched = await h.call(fs, { method: 'PATCH', url: `/v1/victims/${standard}`, headers: { 'if-match': '*' }, payload: { enhancedRights: true } });
  ok(t, patched);
  const openAfter = await of(open.id, standard);
  t.equal(openAfter.workingDays, 1, 'the open deadline is now 1 working day');
  t.equal(openAfter.deadlineAt, enhancedDeadline.deadlineAt, 'the same deadline as a victim who had enhanced rights from the start');
  t.not(openAfter.deadlineAt, openBefore.deadlineAt);
  t.same(await of(told.id, standard), toldBefore, 'a deadline already met keeps the one it was judged by');

  const audit = await auditOf(h, patched);
  t.same(
    audit.map((a) => [a.action, a.resourceType, a.changedFields]).sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    [
      ['update', 'victim', ['enhancedRights']],
      ['update', 'victim_notification', ['workingDays', 'deadlineAt']],
    ],
    'the flag change and the deadline it moved are both audited',
  );

  // And back.
  ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/victims/${standard}`, headers: { 'if-match': '*' }, payload: { enhancedRights: false } }));
  t.same(await of(open.id, standard), openBefore, 'back to 5 working days');
});
