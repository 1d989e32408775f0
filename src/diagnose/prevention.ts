import type { CauseId } from './causes.js';

/** One or two habits that stop a cause from recurring, for the Prevention section. */
const PREVENTION: Partial<Record<CauseId, string[]>> = {
  'oom-killed': ['Set memory limits from observed peak usage plus headroom (VPA recommendations help) and alert on working-set / limit > 90%.', 'Cap runtime heaps (-Xmx, GOMEMLIMIT, --max-old-space-size) below the container limit.'],
  'command-not-found': ['Run the image\'s entrypoint in CI (a smoke test of the built image) before it can be deployed.'],
  'command-not-executable': ['Run the image\'s entrypoint in CI (a smoke test of the built image) before it can be deployed.'],
  'app-error': ['Add a pre-deploy smoke test and a canary so a crashing build stops before it reaches every replica.'],
  'missing-configmap': ['Ship ConfigMaps and Secrets in the same release as the workload (Helm/Kustomize) and validate references in CI (kubeconform, conftest).'],
  'missing-secret': ['Ship Secrets with the workload (External Secrets / Sealed Secrets) and validate references in CI.'],
  'missing-config-key': ['Validate that every referenced key exists in CI, or mark optional keys `optional: true`.'],
  'liveness-probe-failed': ['Keep liveness probes cheap and independent of dependencies; use a startupProbe for slow starts.'],
  'readiness-probe-failed': ['Alert on endpoints with zero ready addresses; test health endpoints in CI.'],
  'startup-probe-failed': ['Size startupProbe failureThreshold × periodSeconds from measured start-up time.'],
  'probe-port-not-exposed': ['Reference probe ports by name (`port: http`) so a port change cannot leave a probe behind.'],
  'image-not-found': ['Deploy immutable tags or digests produced by CI, and check that the tag exists before rollout.'],
  'image-pull-unauthorized': ['Attach pull secrets to the namespace ServiceAccount and rotate registry tokens before they expire.'],
  'registry-unreachable': ['Mirror images in a registry close to the cluster (pull-through cache) and monitor egress to it.'],
  'insufficient-cpu': ['Right-size requests from real usage and enable the cluster autoscaler with headroom.'],
  'insufficient-memory': ['Right-size requests from real usage and enable the cluster autoscaler with headroom.'],
  'node-selector-mismatch': ['Validate nodeSelector/affinity labels against the node pools in CI.'],
  'untolerated-taint': ['Document node-pool taints and template the matching tolerations with the workload.'],
  'quota-exceeded': ['Alert on quota usage at 80% (KubeQuotaAlmostFull) and review quotas with the team that owns the namespace.'],
  'service-selector-no-match': ['Render Service selectors and pod labels from the same values (one Helm helper) and test that every Service has endpoints after deploy.'],
  'target-port-mismatch': ['Use named targetPorts (`targetPort: http`) that match named container ports.'],
  'node-not-ready': ['Run node-problem-detector and auto-repair/replace unhealthy nodes.'],
  'node-unreachable': ['Run node-problem-detector and auto-repair/replace unhealthy nodes; spread replicas across nodes and zones (PodDisruptionBudgets, topology spread).'],
  'node-disk-pressure': ['Set image garbage collection thresholds and log rotation on nodes; alert on filesystem usage before the eviction threshold.'],
  'pod-evicted': ['Set requests close to real usage so eviction order is predictable; alert on node pressure conditions.'],
  'pvc-no-storageclass': ['Keep one default StorageClass and validate storageClassName values in CI.'],
  'volume-filling-up': ['Alert earlier (KubePersistentVolumeFillingUp predicts 4 days out), set data retention, and use expandable StorageClasses.'],
  'progress-deadline-exceeded': ['Gate rollouts on a canary or `kubectl rollout status` in CD, with automatic rollback.'],
  'job-backoff-limit-exceeded': ['Make Jobs idempotent and alert on KubeJobFailed; test the job\'s image and config before scheduling it.'],
  'job-deadline-exceeded': ['Track job durations and set activeDeadlineSeconds from their history.'],
  'hpa-maxed-out': ['Load-test to find per-pod capacity and set maxReplicas from peak traffic with margin.'],
  'cpu-throttled': ['Set CPU requests from usage and avoid tight CPU limits on latency-sensitive services.'],
  'network-policy-deny': ['Test NetworkPolicies with the traffic they must allow (e.g. a connectivity check job) when they change.'],
  'dns-resolution-failed': ['Configure service addresses as FQDNs from one source of truth; monitor CoreDNS errors.'],
  'dependency-connection-refused': ['Make the application retry dependencies with backoff at start-up instead of exiting, and alert on the dependency itself.'],
  'certificate-invalid': ['Issue certificates with cert-manager and alert 30 days before expiry.'],
};

export function preventionFor(cause: string): string[] {
  return PREVENTION[cause as CauseId] ?? ['Add an alert or a CI check that would have caught this before it reached production.'];
}
