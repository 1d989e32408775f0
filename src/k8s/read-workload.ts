import type * as k8s from '@kubernetes/client-node';
import type { WorkloadRef } from '../domain/types.js';
import { remember, type CollectContext } from './collect-context.js';
import type { ReadResult } from './make-kube-reader.js';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

export type WorkloadObject = k8s.V1Deployment | k8s.V1StatefulSet | k8s.V1DaemonSet | k8s.V1ReplicaSet | k8s.V1Job | k8s.V1CronJob;

/** Reads one workload by kind and files it in the snapshot. */
export async function readWorkload(ctx: CollectContext, ref: WorkloadRef & { kind: WorkloadKind }): Promise<ReadResult<WorkloadObject>> {
  const { apps, batch } = ctx.clients;
  const p = { name: ref.name, namespace: ref.namespace };
  const s = ctx.snapshot;
  switch (ref.kind) {
    case 'Deployment': {
      const r = await ctx.reader.read((o) => apps.readNamespacedDeployment(p, o));
      if (r.ok) remember(s.deployments, [r.value]);
      return r;
    }
    case 'StatefulSet': {
      const r = await ctx.reader.read((o) => apps.readNamespacedStatefulSet(p, o));
      if (r.ok) remember(s.statefulSets, [r.value]);
      return r;
    }
    case 'DaemonSet': {
      const r = await ctx.reader.read((o) => apps.readNamespacedDaemonSet(p, o));
      if (r.ok) remember(s.daemonSets, [r.value]);
      return r;
    }
    case 'ReplicaSet': {
      const r = await ctx.reader.read((o) => apps.readNamespacedReplicaSet(p, o));
      if (r.ok) remember(s.replicaSets, [r.value]);
      return r;
    }
    case 'Job': {
      const r = await ctx.reader.read((o) => batch.readNamespacedJob(p, o));
      if (r.ok) remember(s.jobs, [r.value]);
      return r;
    }
    case 'CronJob': {
      const r = await ctx.reader.read((o) => batch.readNamespacedCronJob(p, o));
      if (r.ok) remember(s.cronJobs, [r.value]);
      return r;
    }
  }
}

/** `matchLabels` (and simple `matchExpressions`) as a label selector string. */
export function selectorString(selector: k8s.V1LabelSelector | undefined): string | null {
  if (!selector) return null;
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'In') terms.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
  }
  return terms.length > 0 ? terms.join(',') : null;
}

export function podSelectorOf(workload: WorkloadObject): string | null {
  if ('jobTemplate' in (workload.spec ?? {})) return null;
  return selectorString((workload.spec as { selector?: k8s.V1LabelSelector } | undefined)?.selector);
}
