import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import type { DeploymentView } from './rollout-types.js';

/** Key order must not change the hash: the API server may serialize maps in any order. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, stable(v)]));
  }
  return value;
}

export function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(stable(template ?? null))).digest('hex').slice(0, 16);
}

export function toDeploymentView(d: k8s.V1Deployment): DeploymentView {
  const status = d.status ?? {};
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    generation: d.metadata?.generation ?? 0,
    observedGeneration: status.observedGeneration ?? 0,
    revision: d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null,
    templateHash: templateHash(d.spec?.template),
    images: (d.spec?.template.spec?.containers ?? []).map((c) => c.image ?? ''),
    replicas: d.spec?.replicas ?? 1,
    statusReplicas: status.replicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    conditions: (status.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? null, message: c.message ?? null })),
  };
}
