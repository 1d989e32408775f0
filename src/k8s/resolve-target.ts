import type * as k8s from '@kubernetes/client-node';
import type { IncidentSubject, ResolvedTarget, WorkloadRef } from '../domain/types.js';
import { addFailure, remember, type CollectContext } from './collect-context.js';
import { podsBehindService } from './collect-service.js';
import { isWorkloadKind, podSelectorOf, readWorkload, type WorkloadKind } from './read-workload.js';

/**
 * Finds the objects an incident is about from its labels, then walks owners both
 * ways: Pod → ReplicaSet → Deployment (Job → CronJob, StatefulSet, DaemonSet), and a
 * workload → its current pods (the least healthy becomes the target pod). Labels are
 * often missing or stale: what cannot be resolved is listed in `unresolved`, and read
 * errors other than 404 become evidence items. Never throws.
 */

const EXPLICIT_WORKLOAD: ReadonlyArray<[label: string, kind: WorkloadKind]> = [
  ['deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['job_name', 'Job'],
  ['cronjob', 'CronJob'],
  ['replicaset', 'ReplicaSet'],
];

/** Services that are the metrics exporter, not the subject (kube-prometheus-stack). */
const EXPORTER_SERVICE = /kube-state-metrics|node-exporter|kubelet|prometheus-operator/;

function first(labels: Record<string, string>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = labels[key]?.trim();
    if (value) return value;
  }
  return null;
}

/** Least healthy first: not ready, then most restarts. */
export function pickWorstPod(pods: k8s.V1Pod[]): k8s.V1Pod | undefined {
  const score = (p: k8s.V1Pod) => {
    const statuses = p.status?.containerStatuses ?? [];
    const ready = p.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready);
    const restarts = statuses.reduce((sum, s) => sum + s.restartCount, 0);
    return (ready ? 0 : 1_000_000) + restarts;
  };
  return [...pods].sort((a, b) => score(b) - score(a) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}

function pickContainer(pod: k8s.V1Pod): string | null {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const worst = [...statuses].sort((a, b) => Number(a.ready) - Number(b.ready) || b.restartCount - a.restartCount)[0];
  return worst?.name ?? pod.spec?.containers[0]?.name ?? null;
}

async function walkOwners(
  ctx: CollectContext,
  namespace: string,
  owners: k8s.V1OwnerReference[] | undefined,
  unresolved: string[],
): Promise<WorkloadRef | null> {
  const owner = owners?.find((o) => o.controller) ?? owners?.[0];
  if (!owner || !isWorkloadKind(owner.kind)) return null;
  const ref = { kind: owner.kind, namespace, name: owner.name };
  const result = await readWorkload(ctx, ref);
  if (!result.ok) {
    // The owner reference still names the workload; report it as far as it is known.
    unresolved.push(`${owner.kind.toLowerCase()} ${namespace}/${owner.name} (owner): ${result.error}`);
    return ref;
  }
  // A ReplicaSet is reported as its Deployment, a Job as its CronJob.
  const parent = await walkOwners(ctx, namespace, result.value.metadata?.ownerReferences, unresolved);
  return parent ?? ref;
}

export async function resolveTarget(ctx: CollectContext, subject: IncidentSubject): Promise<ResolvedTarget> {
  const labels = subject.labels;
  const unresolved: string[] = [];
  const namespace = first(labels, 'namespace', 'exported_namespace') ?? subject.namespace ?? (subject.workload?.namespace || null);
  const podLabel = first(labels, 'pod', 'pod_name', 'exported_pod');
  const containerLabel = first(labels, 'container', 'exported_container');
  let node = first(labels, 'node', 'kubernetes_node');
  let pod: k8s.V1Pod | undefined;
  let workload: WorkloadRef | null = null;
  const { core, autoscaling } = ctx.clients;

  if (podLabel && namespace) {
    const r = await ctx.reader.read((o) => core.readNamespacedPod({ name: podLabel, namespace }, o));
    if (r.ok) {
      pod = r.value;
      remember(ctx.snapshot.pods, [pod]);
      workload = await walkOwners(ctx, namespace, pod.metadata?.ownerReferences, unresolved);
    } else if (r.status === 404) unresolved.push(`pod ${namespace}/${podLabel}: not found (it may have been replaced)`);
    else addFailure(ctx, `pod/${namespace}/${podLabel}/read`, 'pod', { kind: 'Pod', namespace, name: podLabel }, r);
  } else if (podLabel) unresolved.push(`pod ${podLabel}: no namespace label`);

  if (!workload && namespace) {
    const hpaName = first(labels, 'horizontalpodautoscaler');
    let explicit = EXPLICIT_WORKLOAD.map(([label, kind]) => ({ kind, name: labels[label] })).find((w) => w.name);
    if (!explicit && hpaName) {
      const r = await ctx.reader.read((o) => autoscaling.readNamespacedHorizontalPodAutoscaler({ name: hpaName, namespace }, o));
      if (r.ok) {
        remember(ctx.snapshot.hpas, [r.value]);
        const t = r.value.spec?.scaleTargetRef;
        if (t && isWorkloadKind(t.kind)) explicit = { kind: t.kind, name: t.name };
      } else unresolved.push(`horizontalpodautoscaler ${namespace}/${hpaName}: ${r.error}`);
    }
    if (!explicit && subject.workload && isWorkloadKind(subject.workload.kind)) {
      explicit = { kind: subject.workload.kind, name: subject.workload.name };
    }
    if (explicit?.name) {
      const ref = { kind: explicit.kind, namespace, name: explicit.name };
      const r = await readWorkload(ctx, ref);
      if (r.ok) {
        workload = (await walkOwners(ctx, namespace, r.value.metadata?.ownerReferences, unresolved)) ?? ref;
        if (!pod) {
          const selector = podSelectorOf(r.value);
          const pods = selector
            ? await ctx.reader.read((o) => core.listNamespacedPod({ namespace, labelSelector: selector }, o))
            : null;
          if (pods?.ok) {
            remember(ctx.snapshot.pods, pods.value.items);
            pod = pickWorstPod(pods.value.items);
          } else if (pods) addFailure(ctx, `${ref.kind.toLowerCase()}/${namespace}/${ref.name}/pods`, 'pods of workload', { kind: 'Pod', namespace }, pods);
        }
      } else if (r.status === 404) unresolved.push(`${ref.kind.toLowerCase()} ${namespace}/${ref.name}: not found`);
      else addFailure(ctx, `${ref.kind.toLowerCase()}/${namespace}/${ref.name}/read`, ref.kind, ref, r);
    }
  }

  const serviceLabel = first(labels, 'service', 'exported_service');
  let service: string | null = null;
  if (serviceLabel && namespace && !EXPORTER_SERVICE.test(serviceLabel)) {
    const r = await ctx.reader.read((o) => core.readNamespacedService({ name: serviceLabel, namespace }, o));
    if (r.ok) {
      remember(ctx.snapshot.services, [r.value]);
      service = serviceLabel;
      // An alert about a Service is about the pods behind it and the workload that owns them.
      if (!pod && !workload) {
        const behind = await podsBehindService(ctx, r.value);
        pod = pickWorstPod(behind);
        if (pod) workload = await walkOwners(ctx, namespace, pod.metadata?.ownerReferences, unresolved);
      }
    } else unresolved.push(`service ${namespace}/${serviceLabel}: ${r.error}`);
  }

  let container: string | null = null;
  if (pod) {
    const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
    if (containerLabel && containerLabel !== 'POD' && names.includes(containerLabel)) container = containerLabel;
    else {
      if (containerLabel && containerLabel !== 'POD') unresolved.push(`container ${containerLabel}: not in pod ${pod.metadata?.name ?? ''}`);
      container = pickContainer(pod);
    }
    node = pod.spec?.nodeName ?? node;
  }

  const instance = first(labels, 'instance');
  if (!node && !pod && instance && !namespace) node = await nodeFromInstance(ctx, instance, unresolved);

  const pvcLabel = first(labels, 'persistentvolumeclaim');
  let pvc: string | null = null;
  if (pvcLabel && namespace) {
    const r = await ctx.reader.read((o) => core.readNamespacedPersistentVolumeClaim({ name: pvcLabel, namespace }, o));
    if (r.ok) {
      remember(ctx.snapshot.pvcs, [r.value]);
      pvc = pvcLabel;
    } else unresolved.push(`persistentvolumeclaim ${namespace}/${pvcLabel}: ${r.error}`);
  }

  if (!namespace && !node) unresolved.push('no namespace, pod, workload or node label to resolve');
  return { namespace, pod: pod?.metadata?.name ?? null, container, node, service, pvc, workload, unresolved };
}

/** kube-prometheus-stack node alerts carry `instance` = `<node IP or name>:<port>`. */
async function nodeFromInstance(ctx: CollectContext, instance: string, unresolved: string[]): Promise<string | null> {
  const host = instance.replace(/:\d+$/, '');
  const r = await ctx.reader.read((o) => ctx.clients.core.listNode({}, o));
  if (!r.ok) {
    unresolved.push(`instance ${instance}: nodes could not be listed (${r.error})`);
    return null;
  }
  const match = r.value.items.find(
    (n) => n.metadata?.name === host || (n.status?.addresses ?? []).some((a) => a.address === host),
  );
  if (!match?.metadata?.name) {
    unresolved.push(`instance ${instance}: no node with that name or address`);
    return null;
  }
  remember(ctx.snapshot.nodes, [match]);
  return match.metadata.name;
}
