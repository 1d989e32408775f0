/**
 * The cause vocabulary: every `Finding.cause` is one of these ids. Ids are stable —
 * evaluation scenarios, recalled cases and dashboards key on them — so add new ones
 * rather than renaming.
 */
export const CAUSES = {
  // containers
  'oom-killed': 'A container exceeded its memory limit and the kernel killed it (OOMKilled, exit 137).',
  'command-not-found': 'The container command or entrypoint does not exist in the image (exit 127).',
  'command-not-executable': 'The container command exists but cannot be executed (exit 126: permissions, wrong format).',
  'app-error': 'The application exited with an error of its own (non-zero exit, no better-known pattern).',
  'container-killed': 'The container was killed by a signal (exit 137/143) without an OOM kill or probe failure recorded.',
  'segfault': 'The process crashed with a segmentation fault (exit 139).',
  'missing-configmap': 'The pod references a ConfigMap that does not exist.',
  'missing-secret': 'The pod references a Secret that does not exist.',
  'missing-config-key': 'The pod references a key that is not in its ConfigMap or Secret.',
  'create-container-error': 'The runtime could not create the container (CreateContainerError).',
  'run-container-error': 'The runtime could not start the container process (RunContainerError).',
  'init-container-failed': 'An init container keeps failing, so the main containers never start.',
  'liveness-probe-failed': 'The liveness probe fails and the kubelet restarts the container.',
  'readiness-probe-failed': 'The readiness probe fails, so the pod receives no traffic.',
  'startup-probe-failed': 'The startup probe fails, so the container is restarted before it finishes starting.',
  'probe-port-not-exposed': 'A probe targets a port the container does not declare or listen on.',
  // images
  'image-not-found': 'The image or tag does not exist in the registry.',
  'image-pull-unauthorized': 'The registry refused the pull: missing or wrong imagePullSecret.',
  'registry-unreachable': 'The node cannot reach the registry (DNS, network, TLS, timeouts).',
  'invalid-image-name': 'The image reference is malformed.',
  'image-pull-failed': 'The image cannot be pulled for a reason the events do not specify.',
  // scheduling
  'insufficient-cpu': 'No node has enough allocatable CPU for the pod’s requests.',
  'insufficient-memory': 'No node has enough allocatable memory for the pod’s requests.',
  'node-selector-mismatch': 'No node matches the pod’s nodeSelector or node affinity.',
  'untolerated-taint': 'The nodes carry taints the pod does not tolerate.',
  'unbound-pvc': 'The pod waits for a PersistentVolumeClaim that is not bound.',
  'too-many-pods': 'The nodes have reached their pod limit.',
  'quota-exceeded': 'A ResourceQuota forbids creating the pods.',
  'unschedulable': 'The scheduler cannot place the pod (reason not recognised).',
  // services
  'service-selector-no-match': 'The Service selector matches no pods, so it has no endpoints.',
  'endpoints-not-ready': 'The Service has endpoints but none of them is ready.',
  'target-port-mismatch': 'The Service targetPort matches no port of the selected containers.',
  'service-unreachable': 'Clients get connection refused / timeouts from a named service.',
  // nodes
  'node-not-ready': 'The node reports Ready=False (kubelet or runtime unhealthy).',
  'node-unreachable': 'The kubelet stopped posting node status (Ready=Unknown).',
  'node-memory-pressure': 'The node is under memory pressure and evicts pods.',
  'node-disk-pressure': 'The node is short of disk space or inodes.',
  'node-pid-pressure': 'The node is running out of process ids.',
  'pod-evicted': 'Pods were evicted by the kubelet to reclaim a node resource.',
  // storage
  'pvc-no-storageclass': 'The PersistentVolumeClaim names a StorageClass that does not exist (or none is default).',
  'pvc-provisioning-failed': 'The provisioner failed to create a volume for the claim.',
  'volume-mount-failed': 'The kubelet cannot attach or mount a volume into the pod.',
  'volume-filling-up': 'A persistent volume is nearly full.',
  // workloads
  'progress-deadline-exceeded': 'The Deployment rollout exceeded its progress deadline.',
  'replicas-mismatch': 'The workload runs fewer ready replicas than desired.',
  'job-backoff-limit-exceeded': 'The Job’s pods failed more times than its backoffLimit allows.',
  'job-deadline-exceeded': 'The Job ran longer than its activeDeadlineSeconds.',
  'hpa-maxed-out': 'The HorizontalPodAutoscaler is pinned at maxReplicas and the metric is still above target.',
  'cpu-throttled': 'Containers are throttled by their CPU limit.',
  // network
  'network-policy-deny': 'A NetworkPolicy selects the pod and no rule allows the traffic.',
  'dns-resolution-failed': 'Name resolution fails (no such host, SERVFAIL, timeouts to the DNS service).',
  // application logs
  'dependency-connection-refused': 'The application cannot connect to a dependency (database, cache, API).',
  'certificate-invalid': 'TLS fails: a certificate is expired, untrusted or for another name.',
  'permission-denied': 'The process is denied access to a file, socket or API.',
  'app-panic': 'The process panicked (Go panic, fatal runtime error).',
  'app-exception': 'The process died on an unhandled exception (stack trace in the log).',
  'app-fatal': 'The application logged a fatal error and stopped.',
  'crash-loop': 'The container restarts repeatedly; no more specific cause was found.',
} as const;

export type CauseId = keyof typeof CAUSES;
