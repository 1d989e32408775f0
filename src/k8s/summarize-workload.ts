import type * as k8s from '@kubernetes/client-node';
import type { WorkloadObject } from './read-workload.js';
import { compact, toYaml } from './to-yaml.js';

type Condition = { type: string; status: string; reason?: string; message?: string };

function conditions(list: Condition[] | undefined): string[] {
  return (list ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
}

function images(template: k8s.V1PodTemplateSpec | undefined): string[] {
  return (template?.spec?.containers ?? []).map((c) => `${c.name}=${c.image ?? '?'}`);
}

/** Conditions, replica counts, strategy and images of any workload kind. */
export function summarizeWorkload(kind: string, w: WorkloadObject): string {
  const spec = (w.spec ?? {}) as Record<string, unknown>;
  const status = (w.status ?? {}) as Record<string, unknown>;
  const base = { workload: `${kind} ${w.metadata?.namespace ?? ''}/${w.metadata?.name ?? ''}`, generation: w.metadata?.generation };
  if (kind === 'CronJob') {
    const c = w as k8s.V1CronJob;
    return toYaml(compact({ ...base, schedule: c.spec?.schedule, suspend: c.spec?.suspend, concurrencyPolicy: c.spec?.concurrencyPolicy, lastScheduleTime: c.status?.lastScheduleTime, lastSuccessfulTime: c.status?.lastSuccessfulTime, active: (c.status?.active ?? []).map((a) => a.name), images: images(c.spec?.jobTemplate.spec?.template) }));
  }
  if (kind === 'Job') {
    const j = w as k8s.V1Job;
    return toYaml(compact({ ...base, completions: j.spec?.completions, parallelism: j.spec?.parallelism, backoffLimit: j.spec?.backoffLimit, activeDeadlineSeconds: j.spec?.activeDeadlineSeconds, active: j.status?.active, succeeded: j.status?.succeeded, failed: j.status?.failed, startTime: j.status?.startTime, completionTime: j.status?.completionTime, conditions: conditions(j.status?.conditions), images: images(j.spec?.template) }));
  }
  return toYaml(
    compact({
      ...base,
      observedGeneration: status.observedGeneration,
      replicas: { desired: spec.replicas ?? (status as { desiredNumberScheduled?: number }).desiredNumberScheduled, ready: status.readyReplicas ?? status.numberReady, updated: status.updatedReplicas ?? status.updatedNumberScheduled, available: status.availableReplicas ?? status.numberAvailable, unavailable: status.unavailableReplicas ?? status.numberUnavailable },
      strategy: spec.strategy ?? spec.updateStrategy,
      progressDeadlineSeconds: spec.progressDeadlineSeconds,
      revision: w.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      conditions: conditions(status.conditions as Condition[] | undefined),
      images: images(spec.template as k8s.V1PodTemplateSpec | undefined),
    }),
  );
}
