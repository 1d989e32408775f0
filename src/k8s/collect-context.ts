import type { ClusterSnapshot } from '../domain/evidence.js';
import type { EvidenceItem, EvidenceSource } from '../domain/types.js';
import type { KubeClients } from './kube-clients.js';
import type { KubeReader, ReadFailed, ReadResult } from './make-kube-reader.js';

/**
 * What one collection accumulates. Collect steps run in parallel and append here;
 * `rawChars` counts item text before logs were reduced (for the context report).
 */
export type CollectContext = {
  clients: KubeClients;
  reader: KubeReader;
  snapshot: ClusterSnapshot;
  items: EvidenceItem[];
  missing: string[];
  rawChars: number;
  limits: { logTailLines: number; logMaxBytes: number; eventLimit: number; timeoutMs: number };
  prometheusUrl: string | null;
  signal?: AbortSignal;
};

export function addItem(ctx: CollectContext, item: EvidenceItem, rawChars = item.text.length): void {
  if (ctx.items.some((i) => i.id === item.id)) return;
  ctx.items.push(item);
  ctx.rawChars += rawChars;
}

/** A failed read becomes an evidence item saying what could not be read, and a note in `missing`. */
export function addFailure(ctx: CollectContext, id: string, title: string, source: Omit<EvidenceSource, 'path'>, failed: ReadFailed): void {
  const what = [source.kind, source.namespace, source.name].filter(Boolean).join('/');
  const text = `could not read ${title} (${what}): ${failed.error}`;
  addItem(ctx, { id, title, source: { ...source, path: failed.path }, text, truncated: false, error: failed.error });
  ctx.missing.push(text);
}

/** Adds objects to a snapshot list once, by namespace/name. */
export function remember<T extends { metadata?: { name?: string; namespace?: string } }>(list: T[], objects: T[]): void {
  for (const object of objects) {
    const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    if (!list.some((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}` === key)) list.push(object);
  }
}

export function isOk<T>(result: ReadResult<T>): result is Extract<ReadResult<T>, { ok: true }> {
  return result.ok;
}
