// The federation view (GET /v1/cases, /v1/cases/{incidentId}): case outcomes of the rep's own force; an
// officer's identity only with their federation consent; never care, TRiM, injury, narrative, location or
// suspect detail (proven by scanning every key and value); filters, cursor paging, CSV, roles, audit.
import t from 'tap';
import { buildTestApp } from '../../helper.ts';
import { FORCE_A, FORCE_B, unique } from '../../factories.ts';
import { auditOf, event, ok, problem, recordIncident, type Recorded, type T } from '../justice/support.ts';

/** Keys the federation view must never carry, wherever they sit. */
const FORBIDDEN_KEYS = new Set([
  'injury',
  'injuryDetail',
  'hospitalTreatment',
  'daysLost',
  'safetyTrainingInDate',
  'protectiveEquipment',
  'note',
  'notes',
  'statusReason',
  'trim',
  'trimReferrals',
  'carePlan',
  'steps',
  'followUps',
  'reference',
  'narrative',
  'location',
  'suspectId',
  'suspects',
  'victimId',
  'victims',
  'ageBand',
]);
/** Nothing about care, TRiM, health or injury under any spelling. */
const FORBIDDEN_PATTERN = /trim|care|injur|hospital|health|welfare|narrative|nominal/i;
/** Identity fields allowed only on an officer who gave federation consent. */
const IDENTITY = new Set(['role', 'serviceBand', 'staffNumber']);

interface Found {
  path: string;
  key: string;
  parent: Record<string, unknown>;
}

/** Every key anywhere in a JSON value, with its path and the object holding it. */
function collectKeys(value: unknown, path = '$', out: Found[] = []): Found[] {
  if (Array.isArray(value)) value.forEach((v, i) => collectKeys(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out.push({ path: `${path}.${key}`, key, parent: value as Record<string, unknown> });
      collectKeys(v, `${path}.${key}`, out);
    }
  }
  return out;
}

t.test('collectKeys finds keys at any depth (the scanner itself works)', async (t) => {
  const found = collectKeys({ a: [{ b: { injuryDetail: 'x' } }], c: null, d: [[{ trim: 1 }]] });
  t.same(
    found.map((f) => f.path),
    ['$.a', '$.a[0].b', '$.a[0].b.injuryDetail', '$.c', '$.d', '$.d[0][0].trim'],
  );
});

t.test('federation case view', async (t) => {
  const h = await buildTestApp(t);
  h.clock.set('2026-09-01T09:00:00Z');
  const fs = await h.key(['force_system'], FORCE_A);
  const welfare = await h.key(['welfare_officer'], FORCE_A);
  const rep = await h.key(['federation_rep'], FORCE_A);
  const fsB = await h.key(['force_system'], FORCE_B);
  const repB = await h.key(['federation_rep'], FORCE_B);

  // Distinctive values stored in fields the federation must never see.
  const secret = {
    narrative: unique('SECRET-NARRATIVE'),
    location: unique('SECRET-LOCATION'),
    injuryDetail: unique('SECRET-INJURY'),
    injuryDetail2: unique('SECRET-INJURY'),
    suspectReference: unique('SECRET-NOMINAL'),
    noConsentStaffNumber: unique('SECRET-STAFF'),
    eventNote: unique('SECRET-EVENT-NOTE'),
    careNote: unique('SECRET-CARE-NOTE'),
    followUpNote: unique('SECRET-FOLLOW-UP'),
    trimNote: unique('SECRET-TRIM'),
    statusReason: unique('SECRET-REASON'),
    withdrawnStaffNumber: unique('SWS'),
  };
  const consentStaffNumber = unique('SYN-CONSENT');

  const walk = (inc: Recorded, events: Record<string, unknown>[]) =>
    events.reduce<Promise<unknown>>((p, e) => p.then(() => event(t, h, fs, inc.id, e)), Promise.resolve());

  // K1: convicted, outcome 1; one officer consents, one does not; care, follow-up and TRiM notes on record.
  const k1 = await recordIncident(t, h, fs, {
    incident: {
      occurredAt: '2026-03-10T20:00:00Z',
      offences: ['abh_s47', 'emergency_worker_common_assault'],
      narrative: secret.narrative,
      location: { description: secret.location, locationType: 'street', latitude: 51.45, longitude: -2.59 },
    },
    victims: [
      {
        federationConsent: true,
        role: 'sergeant',
        serviceBand: '5_to_10_years',
        staffNumber: consentStaffNumber,
        injury: 'serious',
        injuryDetail: secret.injuryDetail,
        hospitalTreatment: 'admitted',
        daysLost: 12,
      },
      {
        federationConsent: false,
        role: 'pcso',
        serviceBand: 'under_1_year',
        staffNumber: secret.noConsentStaffNumber,
        injury: 'minor',
        injuryDetail: secret.injuryDetail2,
        daysLost: 3,
      },
    ],
    suspects: [{ reference: secret.suspectReference, ageBand: '18_to_24' }],
  });
  const [consenting, notConsenting] = k1.victims as [string, string];
  const [k1s] = k1.suspects as [string];
  await event(t, h, fs, k1.id, { type: 'arrest', occurredAt: '2026-03-10T20:30:00Z', suspectId: k1s, note: secret.eventNote });
  const k1c = await event(t, h, fs, k1.id, {
    type: 'charging_decision',
    occurredAt: '2026-03-11T12:00:00Z',
    suspectId: k1s,
    decision: 'charged',
    charges: [{ offence: 'abh_s47' }],
    note: secret.eventNote,
  });
  await walk(k1, [
    {
      type: 'court_result',
      occurredAt: '2026-04-01T11:00:00+01:00',
      suspectId: k1s,
      chargeId: k1c.charges[0].id,
      result: 'guilty_plea',
      note: secret.eventNote,
    },
    {
      type: 'sentence',
      occurredAt: '2026-04-29T11:00:00+01:00',
      suspectId: k1s,
      chargeId: k1c.charges[0].id,
      sentence: 'fine',
      amountPence: 30_000,
      aggravationStated: 'yes',
      note: secret.eventNote,
    },
    { type: 'outcome_code', occurredAt: '2026-04-30T09:00:00+01:00', code: 1 },
    {
      type: 'victim_update',
      occurredAt: '2026-03-12T10:00:00Z',
      victimId: consenting,
      about: [k1c.id],
      method: 'in_person',
      toldBy: 'OIC (synthetic)',
      note: secret.eventNote,
    },
  ]);
  // Care and TRiM detail about the consenting officer (health data).
  const reason = { 'x-access-reason': 'Synthetic welfare review (test)' };
  const plan = ok(t, await h.call(welfare, { method: 'GET', url: `/v1/victims/${consenting}/care-plan`, headers: reason }));
  const step = plan.steps[0];
  ok(
    t,
    await h.call(welfare, {
      method: 'PATCH',
      url: `/v1/care-steps/${step.id}`,
      headers: { 'if-match': `"${step.version}"` },
      payload: { status: 'done', note: secret.careNote },
    }),
  );
  ok(
    t,
    await h.call(welfare, {
      method: 'POST',
      url: `/v1/victims/${consenting}/follow-ups`,
      payload: { occurredAt: '2026-03-12T10:00:00Z', kind: 'call', contactBy: 'Welfare officer (synthetic)', note: secret.followUpNote },
    }),
    201,
  );
  ok(
    t,
    await h.call(welfare, {
      method: 'POST',
      url: `/v1/victims/${consenting}/trim-referrals`,
      payload: { referredBy: 'Supervisor (synthetic)', consent: 'given', note: secret.trimNote },
    }),
    201,
  );

  // K2: acquitted. K3: community resolution with outcome 8. K4: nothing yet. K5: withdrawn.
  // K2's second officer (consenting) is withdrawn as recorded in error before anything happens.
  const k2 = await recordIncident(t, h, fs, {
    incident: { occurredAt: '2026-04-10T20:00:00Z', offences: ['emergency_worker_common_assault'] },
    victims: [{}, { federationConsent: true, staffNumber: secret.withdrawnStaffNumber }],
  });
  ok(
    t,
    await h.call(fs, {
      method: 'PATCH',
      url: `/v1/victims/${k2.victims[1]}`,
      headers: { 'if-match': '*' },
      payload: { status: 'withdrawn', statusReason: secret.statusReason },
    }),
  );
  const k2c = await event(t, h, fs, k2.id, {
    type: 'charging_decision',
    occurredAt: '2026-04-11T12:00:00+01:00',
    suspectId: k2.suspects[0],
    decision: 'charged',
    charges: [{ offence: 'emergency_worker_common_assault' }],
  });
  await event(t, h, fs, k2.id, {
    type: 'court_result',
    occurredAt: '2026-06-01T15:00:00+01:00',
    suspectId: k2.suspects[0],
    chargeId: k2c.charges[0].id,
    result: 'acquitted',
  });
  const k3 = await recordIncident(t, h, fs, { incident: { occurredAt: '2026-05-10T20:00:00Z', offences: ['threats_or_abuse'] } });
  await walk(k3, [
    { type: 'charging_decision', occurredAt: '2026-05-11T12:00:00+01:00', suspectId: k3.suspects[0], decision: 'community_resolution' },
    { type: 'outcome_code', occurredAt: '2026-05-12T12:00:00+01:00', code: 8 },
  ]);
  const k4 = await recordIncident(t, h, fs, { incident: { occurredAt: '2026-06-10T20:00:00Z', offences: ['emergency_worker_common_assault'] } });
  const k5 = await recordIncident(t, h, fs, { incident: { occurredAt: '2026-07-10T20:00:00Z', offences: ['emergency_worker_common_assault'] } });
  await event(t, h, fs, k5.id, {
    type: 'charging_decision',
    occurredAt: '2026-07-11T12:00:00+01:00',
    suspectId: k5.suspects[0],
    decision: 'no_further_action',
  });
  ok(
    t,
    await h.call(fs, {
      method: 'PATCH',
      url: `/v1/incidents/${k5.id}`,
      headers: { 'if-match': `"${k5.version}"` },
      payload: { status: 'withdrawn', statusReason: secret.statusReason },
    }),
  );
  // Another force's case.
  const kb = await recordIncident(t, h, fsB, { incident: { occurredAt: '2026-03-15T20:00:00Z' } });

  const list = async (query = '', key = rep) =>
    ok<{ items: any[]; nextCursor: string | null }>(t, await h.call(key, { method: 'GET', url: `/v1/cases${query ? `?${query}` : ''}` }));
  const ids = (items: { incidentId: string }[]) => items.map((i) => i.incidentId);
  const newestFirst = [k4.id, k3.id, k2.id, k1.id];

  /** No forbidden key anywhere; identity only on consenting officers; no secret value anywhere. */
  function assertClean(t: T, raw: string) {
    const found = collectKeys(JSON.parse(raw));
    t.same(
      found.filter((f) => FORBIDDEN_KEYS.has(f.key)).map((f) => f.path),
      [],
      'no forbidden key',
    );
    t.same(
      found.filter((f) => FORBIDDEN_PATTERN.test(f.key)).map((f) => f.path),
      [],
      'no care, TRiM, health or injury key',
    );
    t.same(
      found.filter((f) => IDENTITY.has(f.key) && f.parent.federationConsent !== true).map((f) => f.path),
      [],
      'identity only with consent',
    );
    for (const [name, value] of Object.entries(secret)) t.notOk(raw.includes(value), `no ${name} value`);
    for (const id of [...k1.suspects, ...k2.suspects, ...k3.suspects, notConsenting]) t.notOk(raw.includes(id), 'no suspect id or non-consenting victim id');
  }

  t.test('the list: own force, newest first, withdrawn incidents left out', async (t) => {
    const page = await list();
    t.same(ids(page.items), newestFirst);
    t.equal(page.nextCursor, null);
    t.same(
      page.items.map((c) => c.status),
      ['under_investigation', 'closed_without_charge', 'not_convicted', 'convicted'],
    );
    t.notOk(ids(page.items).includes(kb.id), "no other force's case");
    t.notOk(ids(page.items).includes(k5.id), 'no withdrawn incident');
    t.same(ids((await list(`forceId=${FORCE_B}`)).items), [], 'asking for another force does not widen the scope');
  });

  t.test('one case: status, outcome, defendants, sentences, compliance', async (t) => {
    const c = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k1.id}` }));
    t.match(c, {
      incidentId: k1.id,
      incidentReference: k1.body.forceReference,
      forceId: FORCE_A,
      occurredAt: '2026-03-10T20:00:00.000Z',
      circumstances: 'arrest',
      offences: ['abh_s47', 'emergency_worker_common_assault'],
      status: 'convicted',
      outcome: { scheme: '2021-04', code: 1, label: 'Charge/summons', outcomeGroup: 'charged_summonsed' },
    });
    t.same(c.defendants, [
      {
        label: 'Defendant 1',
        decisions: [{ decision: 'charged', at: '2026-03-11T12:00:00.000Z' }],
        charges: [
          {
            offence: 'abh_s47',
            chargedAt: '2026-03-11T12:00:00.000Z',
            result: { result: 'guilty_plea', at: '2026-04-01T10:00:00.000Z' },
            sentences: [{ sentence: 'fine', amountPence: 30_000, custodyMonths: null, aggravationStated: 'yes', at: '2026-04-29T10:00:00.000Z' }],
          },
        ],
        sentences: [],
      },
    ]);
    // 2 officers x 3 decisions; the consenting officer was told of the charge the next day; the rest are long overdue.
    t.same(c.victimsCode, { onTime: 1, late: 0, notYetDue: 0, overdue: 5 });
    t.same(ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k3.id}` })).outcome, {
      scheme: '2021-04',
      code: 8,
      label: 'Community resolution',
      outcomeGroup: 'out_of_court_informal',
    });
    const none = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k4.id}` }));
    t.match(none, { status: 'under_investigation', outcome: null, defendants: [], victimsCode: { onTime: 0, late: 0, notYetDue: 0, overdue: 0 } });
  });

  t.test('consent: identity of a consenting officer only; nothing identifying without consent', async (t) => {
    const c = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k1.id}` }));
    t.equal(c.officers.length, 2);
    const withConsent = c.officers.filter((o: { federationConsent: boolean }) => o.federationConsent);
    const without = c.officers.filter((o: { federationConsent: boolean }) => !o.federationConsent);
    t.same(withConsent, [{ federationConsent: true, role: 'sergeant', serviceBand: '5_to_10_years', staffNumber: consentStaffNumber }]);
    t.same(without, [{ federationConsent: false }], 'no role, serviceBand or staffNumber key at all');
    t.same(Object.keys(without[0]), ['federationConsent']);

    // Consent changes take effect on the next read, both ways.
    ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/victims/${consenting}`, headers: { 'if-match': '*' }, payload: { federationConsent: false } }));
    ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/victims/${notConsenting}`, headers: { 'if-match': '*' }, payload: { federationConsent: true } }));
    const after = ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k1.id}` }));
    t.same(
      after.officers.filter((o: { federationConsent: boolean }) => o.federationConsent),
      [{ federationConsent: true, role: 'pcso', serviceBand: 'under_1_year', staffNumber: secret.noConsentStaffNumber }],
    );
    t.notOk(JSON.stringify(after).includes(consentStaffNumber), 'the officer who withdrew consent is no longer identified');
    t.same(
      ok(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k2.id}` })).officers,
      [{ federationConsent: false }],
      'a withdrawn officer is not listed, consent or not',
    );
    // Put consent back as it was for the other tests.
    ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/victims/${consenting}`, headers: { 'if-match': '*' }, payload: { federationConsent: true } }));
    ok(t, await h.call(fs, { method: 'PATCH', url: `/v1/victims/${notConsenting}`, headers: { 'if-match': '*' }, payload: { federationConsent: false } }));
  });

  t.test('a deep scan finds no forbidden field in any answer', async (t) => {
    const answers = [
      await h.call(rep, { method: 'GET', url: '/v1/cases' }),
      await h.call(rep, { method: 'GET', url: '/v1/cases?limit=1' }),
      ...(await Promise.all(newestFirst.map((id) => h.call(rep, { method: 'GET', url: `/v1/cases/${id}` })))),
    ];
    for (const res of answers) {
      t.equal(res.statusCode, 200);
      assertClean(t, res.body);
    }
    // The scan sees the officers: the consenting officer's identity is there, and only theirs.
    t.ok(answers[0]!.body.includes(consentStaffNumber), 'the consenting officer is identified');
    const csv = await h.call(rep, { method: 'GET', url: '/v1/cases', headers: { accept: 'text/csv' } });
    for (const [name, value] of Object.entries(secret)) t.notOk(csv.body.includes(value), `CSV: no ${name} value`);
  });

  t.test('filters: status, offence, outcome and the occurred date range', async (t) => {
    const cases: [string, string[]][] = [
      ['status=convicted', [k1.id]],
      ['status=not_convicted', [k2.id]],
      ['status=closed_without_charge', [k3.id]],
      ['status=under_investigation', [k4.id]],
      ['status=awaiting_court', []],
      ['offence=abh_s47', [k1.id]],
      ['offence=emergency_worker_common_assault', [k4.id, k2.id, k1.id]],
      ['offence=threats_or_abuse', [k3.id]],
      ['outcome=1', [k1.id]],
      ['outcome=8', [k3.id]],
      ['outcome=21', []],
      ['occurredFrom=2026-04-10T20:00:00Z', [k4.id, k3.id, k2.id]],
      ['occurredTo=2026-04-10T20:00:00Z', [k1.id]],
      [`occurredFrom=${encodeURIComponent('2026-04-10T21:00:00+01:00')}&occurredTo=${encodeURIComponent('2026-06-10T21:00:00+01:00')}`, [k3.id, k2.id]],
      ['occurredFrom=2026-04-01T00:00:00Z&status=not_convicted&offence=emergency_worker_common_assault', [k2.id]],
      ['status=convicted&offence=threats_or_abuse', []],
    ];
    for (const [query, expected] of cases) t.same(ids((await list(query)).items), expected, query);
    for (const bad of ['status=sentenced', 'outcome=23', 'offence=burglary', 'occurredFrom=yesterday']) {
      problem(t, await h.call(rep, { method: 'GET', url: `/v1/cases?${bad}` }), 400, 'validation-failed');
    }
  });

  t.test('cursor paging walks every case once, newest first', async (t) => {
    for (const limit of [1, 3]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: { incidentId: string }[]; nextCursor: string | null } = await list(`limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        t.ok(page.items.length <= limit);
        seen.push(...ids(page.items));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      t.same(seen, newestFirst, `limit=${limit}`);
      t.equal(pages, Math.ceil(newestFirst.length / limit));
    }
    const filtered = await list('offence=emergency_worker_common_assault&limit=2');
    t.same(ids(filtered.items), [k4.id, k2.id]);
    t.same(ids((await list(`offence=emergency_worker_common_assault&limit=2&cursor=${filtered.nextCursor}`)).items), [k1.id], 'the cursor keeps the filter');
    problem(t, await h.call(rep, { method: 'GET', url: '/v1/cases?cursor=not-a-cursor' }), 400);
  });

  t.test('CSV on request: a header row and one line per case', async (t) => {
    const json = await list();
    const res = await h.call(rep, { method: 'GET', url: '/v1/cases', headers: { accept: 'text/csv' } });
    t.equal(res.statusCode, 200);
    t.match(String(res.headers['content-type']), /^text\/csv/);
    const lines = res.body.split('\r\n');
    t.equal(lines.pop(), '', 'ends with a line break');
    t.equal(
      lines[0],
      'incidentId,incidentReference,occurredAt,circumstances,offences,status,outcomeCode,charges,results,sentences,victimsCodeOnTime,victimsCodeLate,victimsCodeOverdue,victimsCodeNotYetDue',
    );
    t.equal(lines.length, 1 + newestFirst.length);
    t.same(
      lines.slice(1).map((l) => l.split(',')[0]),
      newestFirst,
    );
    const k1json = json.items.find((c) => c.incidentId === k1.id);
    const vc = k1json.victimsCode;
    t.equal(
      lines.find((l) => l.startsWith(k1.id)),
      [
        k1.id,
        k1.body.forceReference,
        '2026-03-10T20:00:00.000Z',
        'arrest',
        'abh_s47;emergency_worker_common_assault',
        'convicted',
        '1',
        'abh_s47',
        'guilty_plea',
        'fine',
        vc.onTime,
        vc.late,
        vc.overdue,
        vc.notYetDue,
      ].join(','),
    );
    t.equal(
      lines.find((l) => l.startsWith(k4.id)),
      [
        k4.id,
        k4.body.forceReference,
        '2026-06-10T20:00:00.000Z',
        'arrest',
        'emergency_worker_common_assault',
        'under_investigation',
        '',
        '',
        '',
        '',
        0,
        0,
        0,
        0,
      ].join(','),
    );

    const paged = await h.call(rep, { method: 'GET', url: '/v1/cases?limit=2&status=convicted', headers: { accept: 'text/csv' } });
    t.equal(paged.body.split('\r\n').length, 3, 'header, one case, final line break');
    const first = await h.call(rep, { method: 'GET', url: '/v1/cases?limit=2', headers: { accept: 'text/csv' } });
    t.type(first.headers['x-next-cursor'], 'string', 'the next cursor travels in a header');
  });

  t.test('scope and roles', async (t) => {
    problem(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${kb.id}` }), 404, 'case-not-found');
    problem(t, await h.call(repB, { method: 'GET', url: `/v1/cases/${k1.id}` }), 404, 'case-not-found');
    problem(t, await h.call(rep, { method: 'GET', url: `/v1/cases/${k5.id}` }), 404, 'case-not-found');
    problem(t, await h.call(rep, { method: 'GET', url: '/v1/cases/019b76da-ffff-7fff-bfff-ffffffffffff' }), 404, 'case-not-found');
    t.same(ids((await list('', repB)).items), [kb.id], "the other force's rep sees only theirs");
    for (const key of [fs, welfare, await h.key(['analyst'], FORCE_A), await h.key(['force_system', 'welfare_officer'], FORCE_A)]) {
      problem(t, await h.call(key, { method: 'GET', url: '/v1/cases' }), 403, 'forbidden');
      problem(t, await h.call(key, { method: 'GET', url: `/v1/cases/${k1.id}` }), 403, 'forbidden');
    }
    problem(t, await h.call(null, { method: 'GET', url: '/v1/cases' }), 401);
  });

  t.test('every read appends an audit event', async (t) => {
    const listed = await h.call(rep, { method: 'GET', url: '/v1/cases?status=convicted' });
    t.match(await auditOf(h, listed), [{ action: 'list', resourceType: 'case', resourceId: null, forceId: FORCE_A, actorRoles: ['federation_rep'] }]);
    t.equal((await auditOf(h, listed)).length, 1);
    const read = await h.call(rep, { method: 'GET', url: `/v1/cases/${k1.id}` });
    const rows = await auditOf(h, read);
    t.equal(rows.length, 1);
    t.match(rows[0], { action: 'read', resourceType: 'case', resourceId: k1.id, forceId: FORCE_A });
    const csv = await h.call(rep, { method: 'GET', url: '/v1/cases', headers: { accept: 'text/csv' } });
    t.match(await auditOf(h, csv), [{ action: 'list', resourceType: 'case', forceId: FORCE_A }], 'a CSV export is a read too');
    const empty = await h.call(rep, { method: 'GET', url: '/v1/cases?status=awaiting_court' });
    t.equal((await auditOf(h, empty)).length, 1, 'even an empty list');
  });
});
