import { apiVersionOf, resourceByKind, type ResourceInfo } from './resources.js';

/**
 * The fake API server's state: Kubernetes objects keyed by group/kind/namespace/name.
 * Mutable on purpose — watch streams and Lease writes are built on `put`/`remove`
 * and `subscribe`. Every change bumps a global resourceVersion, as etcd does.
 */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
};

export type StoreChange = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject; resource: ResourceInfo };

export type ObjectStore = {
  put(object: KubeObject): KubeObject;
  remove(resource: ResourceInfo, namespace: string | null, name: string): KubeObject | undefined;
  get(resource: ResourceInfo, namespace: string | null, name: string): KubeObject | undefined;
  list(resource: ResourceInfo, namespace: string | null): KubeObject[];
  resourceVersion(): string;
  subscribe(listener: (change: StoreChange) => void): () => void;
};

function keyOf(resource: ResourceInfo, namespace: string | null, name: string): string {
  return `${resource.group}/${resource.kind}/${resource.namespaced ? (namespace ?? '') : ''}/${name}`;
}

export function makeObjectStore(initial: unknown[] = []): ObjectStore {
  const objects = new Map<string, { resource: ResourceInfo; object: KubeObject }>();
  const listeners = new Set<(change: StoreChange) => void>();
  let version = 1000;
  let uid = 0;

  function resourceOf(object: KubeObject): ResourceInfo {
    const resource = resourceByKind(object.apiVersion, object.kind);
    if (!resource) throw new Error(`fake kube: no resource for ${object.apiVersion} ${object.kind}`);
    return resource;
  }

  const store: ObjectStore = {
    put(input) {
      const resource = resourceOf(input);
      const namespace = resource.namespaced ? (input.metadata.namespace ?? 'default') : null;
      const key = keyOf(resource, namespace, input.metadata.name);
      const existing = objects.get(key);
      version += 1;
      const object: KubeObject = {
        ...input,
        apiVersion: apiVersionOf(resource),
        metadata: {
          ...input.metadata,
          ...(namespace ? { namespace } : {}),
          uid: input.metadata.uid ?? existing?.object.metadata.uid ?? `uid-${++uid}`,
          resourceVersion: String(version),
        },
      };
      objects.set(key, { resource, object });
      for (const listener of listeners) listener({ type: existing ? 'MODIFIED' : 'ADDED', object, resource });
      return object;
    },
    remove(resource, namespace, name) {
      const key = keyOf(resource, namespace, name);
      const existing = objects.get(key);
      if (!existing) return undefined;
      objects.delete(key);
      version += 1;
      for (const listener of listeners) listener({ type: 'DELETED', object: existing.object, resource });
      return existing.object;
    },
    get(resource, namespace, name) {
      return objects.get(keyOf(resource, namespace, name))?.object;
    },
    list(resource, namespace) {
      return [...objects.values()]
        .filter((e) => e.resource === resource && (namespace === null || e.object.metadata.namespace === namespace))
        .map((e) => e.object);
    },
    resourceVersion: () => String(version),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  for (const object of initial) store.put(object as KubeObject);
  return store;
}
