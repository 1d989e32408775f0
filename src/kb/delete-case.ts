import type { Queryable } from '../db/make-pool.js';

/** Forgets the case of an incident nobody holds a verdict on any more. */
export async function deleteCaseOfIncident(db: Queryable, incidentId: string): Promise<boolean> {
  const r = await db.query('DELETE FROM kb_cases WHERE incident_id = $1', [incidentId]);
  return (r.rowCount ?? 0) > 0;
}
