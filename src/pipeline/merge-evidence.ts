import type { ClusterSnapshot, Evidence } from '../domain/evidence.js';

type Keyed = { metadata?: { uid?: string; name?: string; namespace?: string } };

function keyOf(o: unknown): string {
  const m = (o as Keyed).metadata;
  if (m) return m.uid ?? `${m.namespace ?? ''}/${m.name ?? ''}`;
  return JSON.stringify(o);
}

/**
 * Evidence from a second collection (after the evidence pass changed the category)
 * added to the first: objects de-duplicated by uid, items by id.
 */
export function mergeEvidence(a: Evidence, b: Evidence): Evidence {
  const snapshot = { ...a.snapshot } as Record<keyof ClusterSnapshot, unknown[]>;
  for (const field of Object.keys(b.snapshot) as Array<keyof ClusterSnapshot>) {
    const seen = new Set(snapshot[field].map(keyOf));
    snapshot[field] = [...snapshot[field], ...(b.snapshot[field] as unknown[]).filter((o) => !seen.has(keyOf(o)))];
  }
  const ids = new Set(a.items.map((i) => i.id));
  return {
    target: a.target,
    snapshot: snapshot as unknown as ClusterSnapshot,
    items: [...a.items, ...b.items.filter((i) => !ids.has(i.id))],
    missing: [...new Set([...a.missing, ...b.missing])],
    clusterReadable: a.clusterReadable || b.clusterReadable,
    apiCalls: a.apiCalls + b.apiCalls,
    context: b.context,
  };
}
