import type { ServerResponse } from 'node:http';
import type { KubeObject } from './object-store.js';
import type { ResourceInfo } from './resources.js';
import { matchesFieldSelector, matchesLabelSelector } from './selectors.js';
import { statusObject } from './status-object.js';
import type { WatchHistory } from './watch-history.js';

/**
 * `GET <list path>?watch=true&resourceVersion=N`: a chunked stream of JSON lines
 * `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":...}`, replaying changes
 * after N and then following the store. An expired N gets an ERROR event carrying a
 * 410 Status and the stream ends, as the real API server does.
 */
export type OpenWatch = { res: ServerResponse; resource: ResourceInfo; namespace: string | null };

export type WatchStreams = {
  serve(res: ServerResponse, resource: ResourceInfo, namespace: string | null, query: URLSearchParams): void;
  /** Ends every open watch without a word: a dropped connection. */
  dropAll(): void;
  /** Sends each open watch an ERROR 410 and ends it: the informer must re-list. */
  expireAll(): void;
  /** Sends each open watch a BOOKMARK at the current resourceVersion. */
  bookmarkAll(resourceVersion: string): void;
  open(): number;
};

function line(res: ServerResponse, type: string, object: unknown): void {
  res.write(`${JSON.stringify({ type, object })}\n`);
}

export function makeWatchStreams(history: WatchHistory): WatchStreams {
  const open = new Set<OpenWatch>();

  function matches(w: OpenWatch, resource: ResourceInfo, object: KubeObject, query: URLSearchParams): boolean {
    return (
      resource === w.resource &&
      (w.namespace === null || object.metadata.namespace === w.namespace) &&
      matchesLabelSelector(object.metadata.labels, query.get('labelSelector')) &&
      matchesFieldSelector(object, query.get('fieldSelector'))
    );
  }

  return {
    serve(res, resource, namespace, query) {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      // Headers go out now, as the API server sends them before the first event.
      res.flushHeaders();
      const rv = Number(query.get('resourceVersion') || 0);
      const replay = history.since(rv);
      if (replay === 'gone') {
        line(res, 'ERROR', statusObject(410, `too old resource version: ${rv}`));
        res.end();
        return;
      }
      const w: OpenWatch = { res, resource, namespace };
      for (const e of replay) if (matches(w, e.change.resource, e.change.object, query)) line(res, e.change.type, e.change.object);
      const unsubscribe = history.subscribe((e) => {
        if (matches(w, e.change.resource, e.change.object, query)) line(res, e.change.type, e.change.object);
      });
      open.add(w);
      res.on('close', () => {
        unsubscribe();
        open.delete(w);
      });
    },
    dropAll() {
      for (const w of [...open]) w.res.destroy();
    },
    expireAll() {
      for (const w of [...open]) {
        line(w.res, 'ERROR', statusObject(410, 'too old resource version'));
        w.res.end();
      }
    },
    bookmarkAll(resourceVersion) {
      for (const w of open) line(w.res, 'BOOKMARK', { kind: w.resource.kind, apiVersion: 'v1', metadata: { resourceVersion } });
    },
    open: () => open.size,
  };
}
