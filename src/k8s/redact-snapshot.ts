import type * as k8s from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../domain/evidence.js';
import { redactRecord, redactText } from '../redact/redact-text.js';

/**
 * Masks secret-looking values in the structured snapshot, in place: literal env
 * values, annotations (last-applied-configuration included) and event messages.
 * Analyzers quote the snapshot in findings, so it must be as clean as the items.
 */
export function redactSnapshot(snapshot: ClusterSnapshot): void {
  const objects: Array<{ metadata?: k8s.V1ObjectMeta }> = [
    ...snapshot.pods,
    ...snapshot.deployments,
    ...snapshot.replicaSets,
    ...snapshot.statefulSets,
    ...snapshot.daemonSets,
    ...snapshot.jobs,
    ...snapshot.cronJobs,
    ...snapshot.services,
    ...snapshot.nodes,
    ...snapshot.namespaces,
  ];
  for (const o of objects) {
    if (o.metadata?.annotations) o.metadata.annotations = redactRecord(o.metadata.annotations);
  }
  const specs: Array<k8s.V1PodSpec | undefined> = [
    ...snapshot.pods.map((p) => p.spec),
    ...[...snapshot.deployments, ...snapshot.replicaSets, ...snapshot.statefulSets, ...snapshot.daemonSets, ...snapshot.jobs].map((w) => w.spec?.template?.spec),
    ...snapshot.cronJobs.map((c) => c.spec?.jobTemplate.spec?.template.spec),
  ];
  for (const spec of specs) {
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      for (const e of c.env ?? []) {
        if (e.value !== undefined) e.value = redactRecord({ [e.name]: e.value })[e.name];
      }
      if (c.args) c.args = c.args.map(redactText);
      if (c.command) c.command = c.command.map(redactText);
    }
  }
  for (const e of snapshot.events) if (e.message) e.message = redactText(e.message);
}
