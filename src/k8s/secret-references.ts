import type * as k8s from '@kubernetes/client-node';
import type { KeyListing } from '../domain/types.js';

/**
 * Secret and ConfigMap names and key names a pod spec refers to (env, envFrom,
 * volumes, projected volumes, imagePullSecrets). k8flex never reads Secrets
 * (docs/adr/0002-secrets-never-read.md): what a pod needs is learned from its spec.
 */
export type PodReferences = { secrets: KeyListing[]; configMaps: KeyListing[] };

export function podReferences(pod: k8s.V1Pod): PodReferences {
  const namespace = pod.metadata?.namespace ?? '';
  const secrets = new Map<string, Set<string>>();
  const configMaps = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, name: string | undefined, key?: string) => {
    if (!name) return;
    const keys = map.get(name) ?? new Set<string>();
    if (key) keys.add(key);
    map.set(name, keys);
  };
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      add(secrets, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key);
      add(configMaps, e.valueFrom?.configMapKeyRef?.name, e.valueFrom?.configMapKeyRef?.key);
    }
    for (const f of c.envFrom ?? []) {
      add(secrets, f.secretRef?.name);
      add(configMaps, f.configMapRef?.name);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    add(secrets, v.secret?.secretName);
    for (const item of v.secret?.items ?? []) add(secrets, v.secret?.secretName, item.key);
    add(configMaps, v.configMap?.name);
    for (const item of v.configMap?.items ?? []) add(configMaps, v.configMap?.name, item.key);
    for (const source of v.projected?.sources ?? []) {
      add(secrets, source.secret?.name);
      add(configMaps, source.configMap?.name);
    }
  }
  for (const s of pod.spec?.imagePullSecrets ?? []) add(secrets, s.name);
  const list = (map: Map<string, Set<string>>) =>
    [...map.entries()].map(([name, keys]) => ({ namespace, name, keys: [...keys].sort() }));
  return { secrets: list(secrets), configMaps: list(configMaps) };
}

/** `secret "db-creds" not found` in events (CreateContainerConfigError, FailedMount) marks a Secret missing. */
export function missingFromEvents(kind: 'secret' | 'configmap', events: k8s.CoreV1Event[]): Set<string> {
  const names = new Set<string>();
  const pattern = new RegExp(`${kind}s? "([^"]+)" not found`, 'gi');
  for (const e of events) for (const m of (e.message ?? '').matchAll(pattern)) if (m[1]) names.add(m[1]);
  return names;
}
