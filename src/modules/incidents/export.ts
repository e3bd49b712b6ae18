// The incident list as one NDJSON stream (Accept: application/x-ndjson): every matching incident, read a chunk at a time.
import type { Queryable } from '../../db/client.ts';
import { incidents } from '../../db/schema/index.ts';
import { inScope, type ScopeDeps } from '../../db/scope.ts';
import { decodeCursor, type CursorPosition } from '../../shared/cursor.ts';
import { olderThan } from '../../shared/keyset.ts';
import type { Actor } from '../../shared/principal.ts';
import type { IncidentListQuery, IncidentSummary } from './schemas.ts';
import { incidentFilters, incidentSummaries, listedForce } from './service.ts';

/** Incidents read per query while streaming: the most a list page holds. */
export const EXPORT_CHUNK = 500;

/**
 * The list's incidents, newest first from the cursor on, in chunks; limit does not apply. The first chunk is
 * read with the export's audit event before anything is sent, so a failure there is still a problem answer.
 * Each later chunk is one short scoped query, run when the client has taken the one before: no transaction or pooled
 * connection is held while a slow client reads. So the stream is not a snapshot: an incident recorded, or
 * whose occurredAt is corrected, while it runs may or may not appear.
 */
export async function exportIncidents(deps: ScopeDeps, actor: Actor, query: IncidentListQuery): Promise<AsyncIterable<IncidentSummary[]>> {
  const force = actor.principal.forceId;
  const filters = incidentFilters(force, query);
  const chunk = (q: Queryable, after: CursorPosition | undefined) =>
    incidentSummaries(q, [...filters, olderThan(incidents.occurredAt, incidents.id, after)], EXPORT_CHUNK);
  const first = await inScope('read', deps, actor, async (scope) => {
    const rows = await chunk(scope.tx, decodeCursor(query.cursor));
    scope.audit({ action: 'export', resourceType: 'incident', forceId: listedForce(force, query) });
    return rows;
  });
  return (async function* () {
    let rows = first;
    for (;;) {
      yield rows;
      const last = rows.at(-1);
      if (rows.length < EXPORT_CHUNK || !last) return;
      const after = { at: last.occurredAt, id: last.id };
      // Each chunk in a short scope of its own: the same row-level security, no transaction held between chunks.
      rows = await inScope('read', deps, actor, (scope) => chunk(scope.tx, after));
    }
  })();
}
