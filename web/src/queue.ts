// The welfare queue grouped by assaulted officer: one entry per officer with their overdue and due-soon items, the
// worst (most overdue) first. Pure, so it is unit-tested without a browser.
import type { OarSchema } from '../../clients/typescript/index.ts';

export type QueueItem = OarSchema<'QueueItem'>;

export interface OfficerEntry {
  victimId: string;
  incidentReference: string;
  victimRole: string;
  staffNumber: string | null;
  overdue: QueueItem[];
  dueSoon: QueueItem[];
  /** The most overdue item's seconds overdue (0 when nothing is overdue). */
  worst: number;
  firstDue: string;
}

export function groupByOfficer(items: QueueItem[]): OfficerEntry[] {
  const byVictim = new Map<string, OfficerEntry>();
  for (const item of items) {
    let entry = byVictim.get(item.victimId);
    if (!entry) {
      entry = {
        victimId: item.victimId,
        incidentReference: item.incidentReference,
        victimRole: item.victimRole,
        staffNumber: item.staffNumber,
        overdue: [],
        dueSoon: [],
        worst: 0,
        firstDue: item.dueAt,
      };
      byVictim.set(item.victimId, entry);
    }
    (item.overdueSeconds > 0 ? entry.overdue : entry.dueSoon).push(item);
    entry.worst = Math.max(entry.worst, item.overdueSeconds);
    if (item.dueAt < entry.firstDue) entry.firstDue = item.dueAt;
  }
  return [...byVictim.values()].sort((a, b) => b.worst - a.worst || a.firstDue.localeCompare(b.firstDue) || a.victimId.localeCompare(b.victimId));
}

/** Entries whose staff number or incident reference contains the search (case and spacing ignored). */
export function matches(entry: OfficerEntry, search: string): boolean {
  const norm = (s: string | null) => (s ?? '').toLowerCase().replace(/\s+/g, '');
  const q = norm(search);
  return q === '' || norm(entry.staffNumber).includes(q) || norm(entry.incidentReference).includes(q);
}
