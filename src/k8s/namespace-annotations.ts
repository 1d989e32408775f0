import * as k8s from '@kubernetes/client-node';
import { makeKubeReader } from './make-kube-reader.js';

/**
 * A namespace's annotations (e.g. `k8flex/slack-channel` for routing), cached for
 * `ttlMs` per namespace. A failed read returns `{}` and is cached too, so a missing
 * RBAC grant costs one request per TTL, not one per alert.
 */
export type NamespaceAnnotations = (namespace: string) => Promise<Record<string, string>>;

export function makeNamespaceAnnotations(
  kubeConfig: k8s.KubeConfig | null,
  ttlMs: number,
  opts: { timeoutMs?: number; now?: () => number } = {},
): NamespaceAnnotations {
  const now = opts.now ?? Date.now;
  const reader = makeKubeReader({ timeoutMs: opts.timeoutMs ?? 5000 });
  const core = kubeConfig ? kubeConfig.makeApiClient(k8s.CoreV1Api) : null;
  const cache = new Map<string, { at: number; value: Promise<Record<string, string>> }>();
  return (namespace) => {
    if (!core || !namespace) return Promise.resolve({});
    const hit = cache.get(namespace);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const value = reader
      .read((o) => core.readNamespace({ name: namespace }, o))
      .then((r) => (r.ok ? { ...(r.value.metadata?.annotations ?? {}) } : {}));
    cache.set(namespace, { at: now(), value });
    return value;
  };
}
