// The incident list as one NDJSON stream (Accept: application/x-ndjson): every matching incident, read a chunk at a time.
import type { Db, Queryable } from '../../db/client.ts';
import { incidents } from '../../db/schema/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, type CursorPosition } from '../../shared/cursor.ts';
import { olderThan } from '../../shared/keyset.ts';
import type { Actor } from '../../shared/principal.ts';
import { inRead } from '../../shared/tx.ts';
import { recordAudit } from '../audit/record.ts';
import type { IncidentListQuery, IncidentSummary } from './schemas.ts';
import { incidentFilters, incidentSummaries, listedForce } from './service.ts';

/** Incidents read per query while streaming: the most a list page holds. */
export const EXPORT_CHUNK = 500;

/**
 * The list's incidents, newest first from the cursor on, in chunks; limit does not apply. The first chunk is
 * read with the export's audit event before anything is sent, so a failure there is still a problem answer.
 * Each later chunk is one short query, run when the client has taken the one before: no transaction or pooled
 * connection is held while a slow client reads. So the stream is not a snapshot: an incident recorded, or
 * whose occurredAt is corrected, while it runs may or may not appear.
 */
export async function exportIncidents(db: Db, clock: Clock, actor: Actor, query: IncidentListQuery): Promise<AsyncIterable<IncidentSummary[]>> {
  const filters = incidentFilters(actor, query);
  const chunk = (q: Queryable, after: CursorPosition | undefined) => incidentSummaries(q, [...filters, olderThan(incidents.occurredAt, incidents.id, after)], EXPORT_CHUNK);
  const first = await inRead(db, async (tx) => {
    const rows = await chunk(tx, decodeCursor(query.cursor));
    await recordAudit(tx, clock, actor, { action: 'export', resourceType: 'incident', forceId: listedForce(actor, query) });
    return rows;
  });
  return (async function* () {
    let rows = first;
    for (;;) {
      yield rows;
      const last = rows.at(-1);
      if (rows.length < EXPORT_CHUNK || !last) return;
      rows = await chunk(db, { at: last.occurredAt, id: last.id });
    }
  })();
}
