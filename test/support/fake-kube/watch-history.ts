import type { KubeObject, ObjectStore, StoreChange } from './object-store.js';

/**
 * The change log behind watch streams, as etcd keeps one: every store change with
 * the resourceVersion it produced. A watch from resourceVersion N replays the
 * changes after N; one older than the oldest kept change is answered 410 Gone, which
 * `compact()` forces, so tests can make the informer re-list.
 */
export type WatchEvent = { rv: number; change: StoreChange };

export type WatchHistory = {
  /** Changes after `rv`, or 'gone' when they were compacted away. */
  since(rv: number): WatchEvent[] | 'gone';
  /** Forgets every change so far: watches from an older resourceVersion get 410. */
  compact(): void;
  subscribe(listener: (event: WatchEvent) => void): () => void;
  close(): void;
};

export function makeWatchHistory(store: ObjectStore): WatchHistory {
  let events: WatchEvent[] = [];
  let oldest = Number(store.resourceVersion());
  const listeners = new Set<(event: WatchEvent) => void>();
  const unsubscribe = store.subscribe((change) => {
    const rv = Number(store.resourceVersion());
    // A deletion's object carries the version of the deletion, as the API server sends it.
    const object: KubeObject = change.type === 'DELETED' ? { ...change.object, metadata: { ...change.object.metadata, resourceVersion: String(rv) } } : change.object;
    const event = { rv, change: { ...change, object } };
    events.push(event);
    for (const listener of listeners) listener(event);
  });
  return {
    since(rv) {
      if (rv < oldest) return 'gone';
      return events.filter((e) => e.rv > rv);
    },
    compact() {
      oldest = Number(store.resourceVersion());
      events = [];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
