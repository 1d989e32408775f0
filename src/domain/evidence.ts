import type * as k8s from '@kubernetes/client-node';
import type {
  ContainerLog,
  EvidenceItem,
  KeyListing,
  MetricSample,
  ResolvedTarget,
} from './types.js';

/**
 * The structured cluster data an investigation read, as `@kubernetes/client-node`
 * returns it (timestamps are `Date`s). Analyzers read this; people and LLMs read
 * `Evidence.items`. A snapshot lives only in memory for the duration of one job:
 * what is persisted is the redacted `items`.
 */
export type ClusterSnapshot = {
  pods: k8s.V1Pod[];
  events: k8s.CoreV1Event[];
  logs: ContainerLog[];
  nodes: k8s.V1Node[];
  services: k8s.V1Service[];
  endpointSlices: k8s.V1EndpointSlice[];
  deployments: k8s.V1Deployment[];
  replicaSets: k8s.V1ReplicaSet[];
  statefulSets: k8s.V1StatefulSet[];
  daemonSets: k8s.V1DaemonSet[];
  jobs: k8s.V1Job[];
  cronJobs: k8s.V1CronJob[];
  pvcs: k8s.V1PersistentVolumeClaim[];
  pvs: k8s.V1PersistentVolume[];
  storageClasses: k8s.V1StorageClass[];
  networkPolicies: k8s.V1NetworkPolicy[];
  hpas: k8s.V2HorizontalPodAutoscaler[];
  resourceQuotas: k8s.V1ResourceQuota[];
  namespaces: k8s.V1Namespace[];
  configMaps: KeyListing[];
  secrets: KeyListing[];
  metrics: MetricSample[];
};

export type Evidence = {
  target: ResolvedTarget;
  snapshot: ClusterSnapshot;
  items: EvidenceItem[];
  /** Human-readable notes on what could not be read or resolved. */
  missing: string[];
  /** False when no cluster access is configured or the API could not be reached at all. */
  clusterReadable: boolean;
  apiCalls: number;
  /** Size of the reduced prompt context built from `items`. */
  context: { chars: number; estimatedTokens: number; charsBeforeReduction: number };
};

export function emptySnapshot(): ClusterSnapshot {
  return {
    pods: [],
    events: [],
    logs: [],
    nodes: [],
    services: [],
    endpointSlices: [],
    deployments: [],
    replicaSets: [],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    cronJobs: [],
    pvcs: [],
    pvs: [],
    storageClasses: [],
    networkPolicies: [],
    hpas: [],
    resourceQuotas: [],
    namespaces: [],
    configMaps: [],
    secrets: [],
    metrics: [],
  };
}

export function emptyEvidence(note: string, clusterReadable = false): Evidence {
  return {
    target: { namespace: null, pod: null, container: null, node: null, service: null, pvc: null, workload: null, unresolved: [] },
    snapshot: emptySnapshot(),
    items: [],
    missing: [note],
    clusterReadable,
    apiCalls: 0,
    context: { chars: 0, estimatedTokens: 0, charsBeforeReduction: 0 },
  };
}
