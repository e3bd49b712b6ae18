// Synthetic national dataset for the benchmark: rows of every domain table, one incident at a time, in the
// value shapes the services write (so the API reads them back), as COPY text lines. Nothing here is real.
import { createHash } from 'node:crypto';
import type { TemplateStep } from '../src/db/schema/index.ts';
import { deriveCase, type StoredEvent } from '../src/modules/justice/derive.ts';
import { dueAt, ukDate } from '../src/shared/calendar.ts';
import * as I from '../src/modules/incidents/schemas.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: fast, seeded, reproducible; 32-bit unsigned integers. */
export function rng32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ESCAPED = /[\\\t\n\r]/;

/** A jsonb value (arrays otherwise become Postgres arrays). */
export class Json {
  constructor(readonly value: unknown) {}
}

/** One COPY text field: \N for null, backslash, tab and line breaks escaped. */
export function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const t = typeof v;
  if (t === 'number' || t === 'boolean') return String(v);
  if (t === 'string' && !ESCAPED.test(v as string)) return v as string;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Json) return field(JSON.stringify(v.value));
  if (Array.isArray(v)) return field(`{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return ESCAPED.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

export const line = (values: unknown[]): string => values.map(field).join('\t') + '\n';

/** The columns each table is copied with, in the order `line` values are given. */
export const COLUMNS = {
  incidents: [
    'id',
    'force_id',
    'force_reference',
    'occurred_at',
    'location',
    'circumstances',
    'deployment',
    'equipment',
    'methods',
    'hate_aggravation',
    'offences',
    'narrative',
    'status',
    'status_reason',
    'version',
    'created_at',
    'updated_at',
  ],
  victims: [
    'id',
    'incident_id',
    'force_id',
    'role',
    'service_band',
    'staff_number',
    'injury',
    'injury_detail',
    'hospital_treatment',
    'days_lost',
    'safety_training_in_date',
    'protective_equipment',
    'federation_consent',
    'enhanced_rights',
    'status',
    'status_reason',
    'version',
    'created_at',
    'updated_at',
  ],
  suspects: ['id', 'incident_id', 'force_id', 'reference', 'age_band', 'arrested', 'status', 'status_reason', 'version', 'created_at', 'updated_at'],
  care_steps: [
    'id',
    'victim_id',
    'incident_id',
    'force_id',
    'template_id',
    'position',
    'key',
    'title',
    'description',
    'owner_role',
    'due',
    'due_at',
    'status',
    'status_reason',
    'note',
    'completed_at',
    'completed_by',
    'history',
    'version',
    'created_at',
    'updated_at',
  ],
  follow_ups: [
    'id',
    'victim_id',
    'incident_id',
    'force_id',
    'occurred_at',
    'kind',
    'contact_by',
    'note',
    'next_follow_up_at',
    'latest',
    'created_by',
    'created_at',
  ],
  trim_referrals: [
    'id',
    'victim_id',
    'incident_id',
    'force_id',
    'referred_at',
    'referred_by',
    'consent',
    'status',
    'planning_meeting_due_at',
    'planning_meeting_at',
    'initial_assessment_due_at',
    'initial_assessment_at',
    'follow_up_due_at',
    'follow_up_at',
    'outcome',
    'closed_at',
    'close_reason',
    'note',
    'history',
    'version',
    'created_at',
    'updated_at',
  ],
  justice_events: ['id', 'incident_id', 'force_id', 'type', 'occurred_at', 'suspect_id', 'victim_id', 'data', 'recorded_by', 'created_at'],
  justice_cases: ['incident_id', 'force_id', 'status', 'outcome_scheme', 'outcome_code', 'charged_at', 'result_at', 'convicted', 'out_of_court', 'updated_at'],
  victim_notifications: [
    'id',
    'event_id',
    'victim_id',
    'incident_id',
    'force_id',
    'decision_type',
    'decided_at',
    'working_days',
    'deadline_at',
    'told_at',
    'told_event_id',
  ],
  audit_events: [
    'id',
    'occurred_at',
    'actor_id',
    'actor_name',
    'actor_roles',
    'actor_force_id',
    'action',
    'resource_type',
    'resource_id',
    'force_id',
    'request_id',
    'reason',
    'changed_fields',
    'seq',
    'prev_hash',
    'hash',
    'sealed_at',
  ],
} as const;

export type Table = keyof typeof COLUMNS;
export type Out = Record<Table, string[]>;

export interface ForceInfo {
  id: string;
  code: string;
  weight: number;
  systemId: string;
  welfareId: string;
}

export interface Context {
  now: Date;
  forces: ForceInfo[];
  template: { id: string; steps: TemplateStep[] };
  holidays: Set<string>;
  outcomeCodes: Map<number, { label: string; outcomeGroup: string }>;
}

const INCIDENT_FIELDS = [
  'forceReference',
  'occurredAt',
  'location',
  'circumstances',
  'deployment',
  'equipment',
  'methods',
  'hateAggravation',
  'offences',
  'narrative',
];
const VICTIM_FIELDS = [
  'role',
  'serviceBand',
  'staffNumber',
  'injury',
  'injuryDetail',
  'hospitalTreatment',
  'daysLost',
  'safetyTrainingInDate',
  'protectiveEquipment',
  'federationConsent',
  'enhancedRights',
];
const SUSPECT_FIELDS = ['reference', 'ageBand', 'arrested'];

/** The state that runs across chunks: the random stream, the audit chain head, counters. */
export class Generator {
  readonly u32: () => number;
  readonly random: () => number;
  seq = 0;
  head: string | null = null;
  /** false: no audit rows (a faster seed for tests whose queries never read the audit trail). */
  auditTrail = true;
  private refs = new Map<string, number>();
  private dueMemo = new Map<string, Date>();
  private weights: number[];

  constructor(
    readonly ctx: Context,
    seed: number,
  ) {
    const u32 = (this.u32 = rng32(seed));
    this.random = () => u32() / 4294967296;
    const total = ctx.forces.reduce((a, f) => a + f.weight, 0);
    let acc = 0;
    this.weights = ctx.forces.map((f) => (acc += f.weight / total));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
  private chance(p: number): boolean {
    return this.random() < p;
  }
  private some<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }
  private between(lo: number, hi: number): number {
    return lo + this.random() * (hi - lo);
  }
  private hex(n: number): string {
    let s = '';
    while (s.length < n) {
      const x = this.u32();
      s += HEX[x & 255]! + HEX[(x >>> 8) & 255]! + HEX[(x >>> 16) & 255]! + HEX[x >>> 24]!;
    }
    return s.length === n ? s : s.slice(0, n);
  }

  /** A UUIDv7 of the given instant, like the ids the service makes. */
  id(at: Date | number): string {
    const ms = typeof at === 'number' ? at : at.getTime();
    const t = Math.floor(ms).toString(16).padStart(12, '0');
    const r = this.hex(19);
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${'89ab'[Math.floor(this.random() * 4)]}${r.slice(3, 6)}-${r.slice(6, 18)}`;
  }

  private force(): ForceInfo {
    const x = this.random();
    const i = this.weights.findIndex((w) => x < w);
    return this.ctx.forces[i < 0 ? this.ctx.forces.length - 1 : i]!;
  }

  /** Memoised: a working-day due time depends only on the UK date it runs from. */
  private due(from: Date, offset: TemplateStep['due']): Date {
    if ('hours' in offset) return new Date(from.getTime() + offset.hours * HOUR);
    const k = `${ukDate(from)}|${offset.workingDays}`;
    let d = this.dueMemo.get(k);
    if (!d) this.dueMemo.set(k, (d = dueAt(from, offset, this.ctx.holidays)));
    return d;
  }

  private audit(
    out: Out,
    at: Date,
    actor: { id: string; name: string; role: string; forceId: string | null },
    action: string,
    resourceType: string,
    resourceId: string | null,
    forceId: string | null,
    changed: string[] | null,
    reason: string | null = null,
  ) {
    if (!this.auditTrail) return;
    this.seq += 1;
    const id = this.id(at);
    const h = this.hex(32);
    const requestId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
    const roles = [actor.role];
    // The same canonical form as audit_event_digest() in migrations/0001: a jsonb array as text.
    const canon =
      '[' +
      [
        this.head,
        this.seq,
        id,
        at.getTime() * 1000,
        actor.id,
        actor.name,
        roles,
        actor.forceId,
        action,
        resourceType,
        resourceId,
        forceId,
        requestId,
        reason,
        changed,
      ]
        .map((v) => (Array.isArray(v) ? '[' + v.map((x) => JSON.stringify(x)).join(', ') + ']' : JSON.stringify(v)))
        .join(', ') +
      ']';
    const hash = createHash('sha256').update(canon, 'utf8').digest('hex');
    out.audit_events.push(
      line([
        id,
        at,
        actor.id,
        actor.name,
        roles,
        actor.forceId,
        action,
        resourceType,
        resourceId,
        forceId,
        requestId,
        reason,
        changed,
        this.seq,
        this.head,
        hash,
        new Date(at.getTime() + 1000),
      ]),
    );
    this.head = hash;
  }

  /** One incident with its people, care plans, TRiM, follow-ups, justice timeline and audit trail. */
  incident(out: Out, occurredAt: Date): string {
    const { now } = this.ctx;
    const f = this.force();
    const system = { id: f.systemId, name: `Synthetic ${f.code} force system`, role: 'force_system', forceId: f.id };
    const welfare = { id: f.welfareId, name: `Synthetic ${f.code} welfare officer`, role: 'welfare_officer', forceId: f.id };
    const createdAt = new Date(Math.min(occurredAt.getTime() + this.between(0.5, 48) * HOUR, now.getTime() - 60_000));
    const id = this.id(createdAt);
    const year = occurredAt.getUTCFullYear();
    const n = (this.refs.get(f.id) ?? 0) + 1;
    this.refs.set(f.id, n);
    const withdrawn = this.chance(0.01);
    const old = now.getTime() - occurredAt.getTime() > 180 * DAY;
    const closed = !withdrawn && old && this.chance(0.7);
    const status = withdrawn ? 'withdrawn' : closed ? 'closed' : 'open';
    const offences = this.chance(0.8) ? ['emergency_worker_common_assault'] : [this.pick(I.OFFENCES)];
    const equipment = {
      bodyWornVideo: { worn: this.chance(0.8), activated: this.chance(0.6), footageRetained: this.chance(0.5) },
      taser: { drawn: this.chance(0.1), discharged: this.chance(0.02) },
      spitAndBiteGuardUsed: this.chance(0.08),
      bodyArmourWorn: this.chance(0.9),
    };
    out.incidents.push(
      line([
        id,
        f.id,
        `${f.code.toUpperCase()}-${year}-${String(n).padStart(7, '0')}`,
        occurredAt,
        {
          description: this.chance(0.5) ? `Synthetic location ${Math.floor(this.random() * 999)}` : null,
          locationType: this.pick(I.LOCATION_TYPES),
          latitude: null,
          longitude: null,
        },
        this.pick(I.CIRCUMSTANCES),
        { crewing: this.pick(I.CREWING), dutyType: this.pick(I.DUTY_TYPES) },
        equipment,
        [...new Set([this.pick(I.METHODS), this.pick(I.METHODS)])],
        this.chance(0.03) ? [this.pick(I.HATE)] : [],
        offences,
        this.chance(0.3) ? 'Synthetic narrative for benchmarking; no real person or place.' : null,
        status,
        withdrawn ? 'Synthetic: recorded in error' : closed ? 'Synthetic: investigation concluded' : null,
        1,
        createdAt,
        createdAt,
      ]),
    );
    this.audit(out, createdAt, system, 'create', 'incident', id, f.id, INCIDENT_FIELDS);

    const victims: { id: string; active: boolean; enhanced: boolean }[] = [];
    const nv = this.chance(0.6) ? 1 : this.chance(0.75) ? 2 : 3;
    for (let v = 0; v < nv; v++) {
      const vid = this.id(createdAt.getTime() + v + 1);
      const active = !this.chance(0.01);
      const enhanced = this.chance(0.1);
      const injury = this.chance(0.55) ? 'none' : this.chance(0.85) ? 'minor' : 'serious';
      const hospital = injury === 'serious' ? this.pick(['attended', 'admitted'] as const) : injury === 'minor' && this.chance(0.1) ? 'attended' : 'none';
      out.victims.push(
        line([
          vid,
          id,
          f.id,
          this.pick(['constable', 'constable', 'constable', 'sergeant', 'pcso', 'special_constable', 'police_staff', 'inspector_and_above'] as const),
          this.chance(0.9) ? this.pick(I.SERVICE_BANDS) : null,
          `SYN${String(Math.floor(this.random() * 40000)).padStart(5, '0')}`,
          injury,
          null,
          hospital,
          injury === 'none' ? 0 : Math.floor(this.random() * 15),
          this.chance(0.8) ? this.chance(0.85) : null,
          { carried: this.some(I.PROTECTIVE_ITEMS, 0.4), used: [] },
          this.chance(0.6),
          enhanced,
          active ? 'active' : 'withdrawn',
          active ? null : 'Synthetic: entered in error',
          1,
          createdAt,
          createdAt,
        ]),
      );
      victims.push({ id: vid, active, enhanced });
      this.audit(out, createdAt, system, 'create', 'victim', vid, f.id, VICTIM_FIELDS);
      this.carePlan(out, f, welfare, id, vid, occurredAt, createdAt);
      this.audit(out, createdAt, system, 'create', 'care_plan', vid, f.id, ['steps']);
      if (this.chance(injury === 'serious' ? 0.5 : 0.2)) this.trim(out, f, welfare, id, vid, occurredAt);
      if (this.chance(0.1)) this.followUps(out, f, welfare, id, vid, occurredAt);
      if (this.chance(0.6)) {
        const at = new Date(Math.min(createdAt.getTime() + this.between(1, 30) * DAY, now.getTime() - 60_000));
        this.audit(out, at, welfare, 'read', 'care_plan', vid, f.id, null, 'Synthetic welfare check');
      }
    }

    const suspects: string[] = [];
    const ns = this.chance(0.1) ? 0 : this.chance(0.78) ? 1 : 2;
    for (let s = 0; s < ns; s++) {
      const sid = this.id(createdAt.getTime() + 10 + s);
      out.suspects.push(line([sid, id, f.id, `N-${this.hex(8)}`, this.pick(I.AGE_BANDS), this.chance(0.7), 'active', null, 1, createdAt, createdAt]));
      suspects.push(sid);
      this.audit(out, createdAt, system, 'create', 'suspect', sid, f.id, SUSPECT_FIELDS);
    }
    if (!withdrawn && suspects.length > 0)
      this.justice(
        out,
        f,
        system,
        id,
        occurredAt,
        createdAt,
        suspects,
        victims.filter((v) => v.active),
        offences,
      );
    if (this.chance(0.5)) {
      const at = new Date(Math.min(createdAt.getTime() + this.between(0.1, 60) * DAY, now.getTime() - 60_000));
      this.audit(out, at, system, 'read', 'incident', id, f.id, null);
    }
    return id;
  }

  private carePlan(
    out: Out,
    f: ForceInfo,
    welfare: { id: string; name: string; role: string; forceId: string },
    incidentId: string,
    victimId: string,
    occurredAt: Date,
    createdAt: Date,
  ) {
    const now = this.ctx.now.getTime();
    this.ctx.template.steps.forEach((step, i) => {
      const dueAtTime = this.due(occurredAt, step.due);
      // Settled long ago, mostly on time; recent plans are still being worked; a few old steps were forgotten.
      const age = now - dueAtTime.getTime();
      const forgotten = age > 0 && age < 365 * DAY && this.chance(0.004);
      const settled = !forgotten && (age > 30 * DAY ? true : age > -2 * DAY ? this.chance(0.6) : this.chance(0.2));
      let status = 'pending';
      let completedAt: Date | null = null;
      let reason: string | null = null;
      const history: { status: string; reason: string | null; at: string; by: string }[] = [];
      if (settled) {
        const x = this.random();
        status = x < 0.92 ? 'done' : x < 0.97 ? 'not_applicable' : 'declined';
        reason = status === 'not_applicable' ? 'Synthetic: not applicable' : null;
        const late = this.chance(0.15);
        const at = late ? dueAtTime.getTime() + this.between(1, 240) * HOUR : Math.max(createdAt.getTime(), dueAtTime.getTime() - this.between(0, 20) * HOUR);
        completedAt = new Date(Math.min(at, now - 60_000));
        history.push({ status, reason, at: completedAt.toISOString(), by: welfare.name });
      }
      const stepId = this.id(createdAt.getTime() + i);
      out.care_steps.push(
        line([
          stepId,
          victimId,
          incidentId,
          f.id,
          this.ctx.template.id,
          i + 1,
          step.key,
          step.title,
          step.description,
          step.ownerRole,
          step.due,
          dueAtTime,
          status,
          reason,
          null,
          completedAt,
          settled ? welfare.name : null,
          new Json(history),
          settled ? 2 : 1,
          createdAt,
          completedAt ?? createdAt,
        ]),
      );
      if (completedAt) this.audit(out, completedAt, welfare, 'update', 'care_step', stepId, f.id, ['status', 'statusReason', 'completedAt', 'completedBy']);
    });
  }

  private trim(
    out: Out,
    f: ForceInfo,
    welfare: { id: string; name: string; role: string; forceId: string },
    incidentId: string,
    victimId: string,
    occurredAt: Date,
  ) {
    const now = this.ctx.now.getTime();
    const from = occurredAt.getTime();
    const referredAt = new Date(Math.min(from + this.between(24, 72) * HOUR, now - 60_000));
    const recent = now - from < 60 * DAY;
    const consent = recent && this.chance(0.2) ? 'pending' : this.chance(0.82) ? 'given' : 'declined';
    const history = [{ event: 'referred', at: referredAt.toISOString(), by: welfare.name, detail: `consent ${consent}` }];
    const initialDue = from + 72 * HOUR;
    let status = consent === 'declined' ? 'declined' : 'open';
    let planning: Date | null = null,
      initial: Date | null = null,
      followUp: Date | null = null,
      closedAt: Date | null = null,
      outcome: string | null = null;
    const done = (t: number) => (t < now - 60_000 ? new Date(t) : null);
    if (consent === 'given') {
      planning = done(from + this.between(24, 60) * HOUR);
      initial = planning && done(initialDue + this.between(-24, 48) * HOUR);
      followUp = initial && done(initial.getTime() + this.between(26, 35) * DAY);
      if (followUp && now - followUp.getTime() > 7 * DAY) {
        status = 'closed';
        outcome = this.pick(['no_further_action', 'monitor', 'refer_occupational_health', 'refer_professional_help']);
        closedAt = new Date(followUp.getTime() + DAY);
        history.push({ event: 'closed', at: closedAt.toISOString(), by: welfare.name, detail: outcome });
      }
    } else if (consent === 'declined') closedAt = referredAt;
    const followUpDue = initial ? initial.getTime() + 28 * DAY : initialDue + 28 * DAY;
    const referralId = this.id(referredAt);
    out.trim_referrals.push(
      line([
        referralId,
        victimId,
        incidentId,
        f.id,
        referredAt,
        welfare.name,
        consent,
        status,
        new Date(from + 48 * HOUR),
        planning,
        new Date(initialDue),
        initial,
        new Date(followUpDue),
        followUp,
        outcome,
        closedAt,
        null,
        null,
        new Json(history),
        history.length,
        referredAt,
        closedAt ?? referredAt,
      ]),
    );
    this.audit(out, referredAt, welfare, 'create', 'trim_referral', referralId, f.id, ['referredAt', 'referredBy', 'consent', 'note']);
  }

  private followUps(out: Out, f: ForceInfo, welfare: { id: string; name: string }, incidentId: string, victimId: string, occurredAt: Date) {
    const now = this.ctx.now.getTime();
    let at = occurredAt.getTime() + this.between(3, 14) * DAY;
    const rows: { at: number; next: number | null }[] = [];
    for (let k = 0; k < 2 && at < now - 60_000; k++) {
      const next = at + this.between(7, 28) * DAY;
      rows.push({ at, next: k === 0 ? next : null });
      at = next;
    }
    // Only the victim's last follow-up is the latest (the service marks earlier ones superseded).
    rows.forEach((r, k) => {
      out.follow_ups.push(
        line([
          this.id(r.at),
          victimId,
          incidentId,
          f.id,
          new Date(r.at),
          this.pick(['call', 'visit', 'message', 'meeting'] as const),
          welfare.name,
          null,
          r.next === null ? null : new Date(r.next),
          k === rows.length - 1,
          welfare.id,
          new Date(r.at),
        ]),
      );
    });
  }

  private justice(
    out: Out,
    f: ForceInfo,
    system: { id: string; name: string; role: string; forceId: string },
    incidentId: string,
    occurredAt: Date,
    createdAt: Date,
    suspects: string[],
    victims: { id: string; enhanced: boolean }[],
    offences: string[],
  ) {
    const now = this.ctx.now.getTime() - 60_000;
    const events: StoredEvent[] = [];
    const add = (
      type: string,
      at: number,
      data: Record<string, unknown>,
      suspectId: string | null = null,
      victimId: string | null = null,
    ): StoredEvent | null => {
      if (at > now) return null;
      const e: StoredEvent = {
        id: this.id(Math.max(at, createdAt.getTime())),
        type,
        occurredAt: new Date(at),
        suspectId,
        victimId,
        data: { note: null, ...data },
      };
      events.push(e);
      return e;
    };
    const notify = (e: StoredEvent | null) => {
      if (!e) return;
      for (const v of victims) {
        const workingDays = v.enhanced ? 1 : 5;
        const deadline = this.due(e.occurredAt, { workingDays });
        let toldAt: Date | null = null;
        let toldEventId: string | null = null;
        if (this.chance(0.85)) {
          const t = this.chance(0.8)
            ? e.occurredAt.getTime() + this.random() * (deadline.getTime() - e.occurredAt.getTime())
            : deadline.getTime() + this.between(1, 20) * DAY;
          const update = add(
            'victim_update',
            t,
            { victimId: v.id, about: [e.id], method: this.pick(['phone', 'email', 'in_person', 'letter'] as const), toldBy: 'Synthetic officer in charge' },
            null,
            v.id,
          );
          if (update) [toldAt, toldEventId] = [update.occurredAt, update.id];
        }
        out.victim_notifications.push(
          line([this.id(e.occurredAt), e.id, v.id, incidentId, f.id, e.type, e.occurredAt, workingDays, deadline, toldAt, toldEventId]),
        );
      }
    };
    const from = occurredAt.getTime();
    let chargedAny = false;
    for (const s of suspects) {
      const arrestAt = from + this.between(0, 48) * HOUR;
      if (this.chance(0.7)) add('arrest', arrestAt, { suspectId: s }, s);
      const x = this.random();
      const decision =
        x < 0.4
          ? 'charged'
          : x < 0.45
            ? 'summonsed'
            : x < 0.55
              ? 'released_under_investigation'
              : x < 0.8
                ? 'no_further_action'
                : x < 0.92
                  ? 'caution'
                  : 'community_resolution';
      const charging = decision === 'charged' || decision === 'summonsed';
      const charges = charging ? offences.map((o) => ({ id: this.id(arrestAt), offence: o })) : [];
      const decided = add('charging_decision', arrestAt + this.between(1, 120) * DAY, { suspectId: s, decision, charges }, s);
      if (!decided) continue;
      notify(decided);
      if (!charging) continue;
      chargedAny = true;
      const t = decided.occurredAt.getTime();
      add('court_hearing', t + this.between(7, 40) * DAY, { suspectId: s, kind: 'first_appearance', court: 'Synthetic Magistrates Court' }, s);
      let convicted = false;
      let lastResult = t;
      for (const c of charges) {
        const y = this.random();
        const result = y < 0.45 ? 'guilty_plea' : y < 0.7 ? 'convicted' : y < 0.82 ? 'acquitted' : y < 0.87 ? 'dismissed' : 'withdrawn_discontinued';
        const r = add('court_result', t + this.between(30, 300) * DAY, { suspectId: s, chargeId: c.id, result }, s);
        if (!r) continue;
        notify(r);
        lastResult = Math.max(lastResult, r.occurredAt.getTime());
        convicted ||= result === 'guilty_plea' || result === 'convicted';
      }
      if (convicted) {
        const sentence = this.pick(['discharge', 'fine', 'compensation', 'community_order', 'suspended_sentence', 'immediate_custody'] as const);
        const extra =
          sentence === 'fine' || sentence === 'compensation'
            ? { amountPence: Math.floor(this.between(5_000, 100_000)) }
            : sentence.endsWith('custody') || sentence === 'suspended_sentence'
              ? { custodyMonths: Math.floor(this.between(1, 24)) }
              : {};
        notify(add('sentence', lastResult + this.between(0, 40) * DAY, { suspectId: s, sentence, ...extra }, s));
      }
    }
    const firstDecision = events.find((e) => e.type === 'charging_decision');
    if (firstDecision) {
      const code = chargedAny
        ? 1
        : firstDecision.data.decision === 'caution'
          ? 3
          : firstDecision.data.decision === 'community_resolution'
            ? 8
            : firstDecision.data.decision === 'no_further_action'
              ? 16
              : null;
      const known = code === null ? undefined : this.ctx.outcomeCodes.get(code);
      if (code !== null && known)
        add('outcome_code', firstDecision.occurredAt.getTime() + HOUR, { code, scheme: '2021-04', label: known.label, outcomeGroup: known.outcomeGroup });
    }
    if (events.length === 0) return;
    for (const e of events) {
      out.justice_events.push(line([e.id, incidentId, f.id, e.type, e.occurredAt, e.suspectId, e.victimId, e.data, system.name, e.occurredAt]));
      this.audit(out, e.occurredAt, system, 'create', 'justice_event', e.id, f.id, ['type', 'occurredAt', ...Object.keys(e.data)]);
    }
    const d = deriveCase(events);
    const last = events.reduce((a, e) => Math.max(a, e.occurredAt.getTime()), 0);
    out.justice_cases.push(
      line([
        incidentId,
        f.id,
        d.status,
        d.outcome?.scheme ?? null,
        d.outcome?.code ?? null,
        d.chargedAt,
        d.resultAt,
        d.convicted ? 1 : 0,
        d.outOfCourt ? 1 : 0,
        new Date(last),
      ]),
    );
  }
}
