import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import { findFault, type Fault } from './fake-kube/faults.js';
import { loadFixtureDir } from './fake-kube/load-fixture-dir.js';
import { makeObjectStore, type ObjectStore } from './fake-kube/object-store.js';
import { parseApiPath, type ApiPath } from './fake-kube/parse-api-path.js';
import { apiVersionOf } from './fake-kube/resources.js';
import { matchesFieldSelector, matchesLabelSelector } from './fake-kube/selectors.js';
import { serveLogs } from './fake-kube/serve-logs.js';
import { statusObject } from './fake-kube/status-object.js';
import { readJsonBody, writeLease } from './fake-kube/lease-writes.js';
import { makeWatchHistory } from './fake-kube/watch-history.js';
import { makeWatchStreams, type WatchStreams } from './fake-kube/watch-stream.js';

/**
 * A wire-level fake Kubernetes API server for tests: plain HTTP on loopback, serving
 * objects from an in-memory store by REST path (get and list with label and field
 * selectors), pod logs, and Status objects for errors. Driven by the real
 * `@kubernetes/client-node` through `kubeConfig()`.
 *
 * To extend it (watch streams, Lease writes), add a handler to `HANDLERS` below; the
 * store's `put`/`remove`/`subscribe` already carry resourceVersions and change events.
 */
export type FakeKubeRequest = { method: string; path: string; query: string };

export type FakeKubeApi = {
  url: string;
  kubeConfig(): k8s.KubeConfig;
  store: ObjectStore;
  requests: FakeKubeRequest[];
  /** Adds a fault for paths matching `fault.path`; returns a function that removes it. */
  setFault(fault: Fault): () => void;
  /** Open watch streams: drop them, expire them (ERROR 410), or bookmark them. */
  watches: Pick<WatchStreams, 'dropAll' | 'expireAll' | 'bookmarkAll' | 'open'>;
  /** Forgets the change log: the next watch from an older resourceVersion gets 410 Gone. */
  compactWatchHistory(): void;
  close(): Promise<void>;
};

export type FakeKubeOptions =
  | { fixtureDir: string }
  | { objects: unknown[]; logs?: Record<string, string>; faults?: Fault[] };

type Ctx = { req: IncomingMessage; res: ServerResponse; api: ApiPath; query: URLSearchParams; store: ObjectStore; logs: Record<string, string>; watches: WatchStreams };
type Handler = (ctx: Ctx) => Promise<void> | void;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: ServerResponse, code: number, message: string, details?: { name?: string; kind?: string }): void {
  sendJson(res, code, statusObject(code, message, details));
}

function handleGet({ res, api, query, store, logs }: Ctx): void {
  const { resource, namespace, name, subresource } = api;
  if (subresource === 'log' && resource.plural === 'pods' && namespace && name) {
    const reply = serveLogs(store, resource, logs, namespace, name, query);
    if ('error' in reply) return sendStatus(res, reply.status, reply.error);
    res.writeHead(reply.status, { 'content-type': reply.contentType });
    res.end(reply.body);
    return;
  }
  if (subresource) return sendStatus(res, 404, `the server could not find the requested resource`);
  if (name) {
    const object = store.get(resource, namespace, name);
    if (!object) return sendStatus(res, 404, `${resource.plural} "${name}" not found`, { name, kind: resource.plural });
    return sendJson(res, 200, object);
  }
  const labelSelector = query.get('labelSelector');
  const fieldSelector = query.get('fieldSelector');
  const items = store
    .list(resource, namespace)
    .filter((o) => matchesLabelSelector(o.metadata.labels, labelSelector) && matchesFieldSelector(o, fieldSelector));
  const limit = Number(query.get('limit') ?? NaN);
  sendJson(res, 200, {
    apiVersion: apiVersionOf(resource),
    kind: `${resource.kind}List`,
    metadata: { resourceVersion: store.resourceVersion() },
    items: Number.isInteger(limit) && limit > 0 ? items.slice(0, limit) : items,
  });
}

function handleGetOrWatch(ctx: Ctx): void {
  if (ctx.query.get('watch') === 'true' || ctx.query.get('watch') === '1') {
    if (ctx.api.name || ctx.api.subresource) return sendStatus(ctx.res, 400, 'watch a collection, not a single object');
    return ctx.watches.serve(ctx.res, ctx.api.resource, ctx.api.namespace, ctx.query);
  }
  return handleGet(ctx);
}

async function handleWrite(ctx: Ctx): Promise<void> {
  const method = ctx.req.method === 'PUT' ? 'PUT' : 'POST';
  const body = await readJsonBody(ctx.req);
  const reply = writeLease(ctx.store, method, ctx.api.resource, ctx.api.namespace, ctx.api.name, body);
  if ('error' in reply) return sendStatus(ctx.res, reply.status, reply.error, reply.details);
  sendJson(ctx.res, reply.status, reply.body);
}

const HANDLERS: Record<string, Handler> = { GET: handleGetOrWatch, POST: handleWrite, PUT: handleWrite };

export async function startFakeKubeApi(opts: FakeKubeOptions): Promise<FakeKubeApi> {
  const fixture = 'fixtureDir' in opts ? loadFixtureDir(opts.fixtureDir) : { objects: opts.objects, logs: opts.logs ?? {}, faults: opts.faults ?? [] };
  const store = makeObjectStore(fixture.objects);
  const history = makeWatchHistory(store);
  const watches = makeWatchStreams(history);
  const faults: Fault[] = [...fixture.faults];
  const requests: FakeKubeRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, '') });
    void (async () => {
      const fault = findFault(faults, url.pathname);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (res.destroyed) return;
      if (fault?.status) return sendStatus(res, fault.status, `injected fault ${fault.status} for ${url.pathname}`);
      const api = parseApiPath(url.pathname);
      if (!api) return sendStatus(res, 404, 'the server could not find the requested resource');
      const handler = HANDLERS[req.method ?? 'GET'];
      if (!handler) return sendStatus(res, 405, `method ${req.method ?? ''} not allowed`);
      await handler({ req, res, api, query: url.searchParams, store, logs: fixture.logs, watches });
    })().catch((error: unknown) => {
      if (!res.headersSent) sendStatus(res, 500, String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    store,
    requests,
    kubeConfig() {
      const kc = new k8s.KubeConfig();
      kc.loadFromOptions({
        // The client refuses plain http unless the cluster skips TLS verification.
        clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
        users: [{ name: 'fake', token: 'fake-token' }],
        contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
        currentContext: 'fake',
      });
      return kc;
    },
    setFault(fault) {
      faults.unshift(fault);
      return () => {
        const index = faults.indexOf(fault);
        if (index >= 0) faults.splice(index, 1);
      };
    },
    watches,
    compactWatchHistory: () => history.compact(),
    close() {
      history.close();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
