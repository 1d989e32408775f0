import type { Evidence } from '../domain/evidence.js';
import type { IncidentSubject, ResolvedTarget } from '../domain/types.js';
import type { Collect } from '../pipeline/stages.js';
import { snapshotFromFixture } from './snapshot-from-fixture.js';

/** The target named by an alert's labels (the fixture stands in for the API, so no owner walk). */
export function targetFromLabels(subject: IncidentSubject): ResolvedTarget {
  const l = subject.labels;
  const node = l.node ?? (l.instance && !subject.namespace ? l.instance.replace(/:\d+$/, '') : null);
  return {
    namespace: subject.namespace,
    pod: l.pod ?? null,
    container: l.container ?? null,
    node: node ?? null,
    service: l.service && !/kube-state-metrics|node-exporter|kubelet/.test(l.service) ? l.service : null,
    pvc: l.persistentvolumeclaim ?? null,
    workload: subject.workload,
    unresolved: [],
  };
}

/** A Collect that reads a scenario directory instead of a cluster. */
export function collectFromFixture(dir: string): Collect {
  return async (subject) => {
    const snapshot = snapshotFromFixture(dir);
    const evidence: Evidence = {
      target: targetFromLabels(subject),
      snapshot,
      items: [],
      missing: [],
      clusterReadable: true,
      apiCalls: 0,
      context: { chars: 0, estimatedTokens: 0, charsBeforeReduction: 0 },
    };
    return evidence;
  };
}
