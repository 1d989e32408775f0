import type * as k8s from '@kubernetes/client-node';
import { redactRecord } from '../redact/redact-text.js';
import { compact, toYaml } from './to-yaml.js';

function state(s: k8s.V1ContainerState | undefined) {
  if (!s) return undefined;
  if (s.waiting) return { waiting: { reason: s.waiting.reason, message: s.waiting.message } };
  if (s.terminated) {
    const t = s.terminated;
    return { terminated: { reason: t.reason, exitCode: t.exitCode, signal: t.signal, message: t.message, startedAt: t.startedAt, finishedAt: t.finishedAt } };
  }
  if (s.running) return { running: { startedAt: s.running.startedAt } };
  return undefined;
}

function probe(p: k8s.V1Probe | undefined) {
  if (!p) return undefined;
  const how = p.httpGet
    ? `httpGet ${p.httpGet.path ?? '/'}:${String(p.httpGet.port)}`
    : p.tcpSocket
      ? `tcpSocket :${String(p.tcpSocket.port)}`
      : p.exec
        ? `exec ${(p.exec.command ?? []).join(' ')}`
        : p.grpc
          ? `grpc :${p.grpc.port}`
          : 'unknown';
  return `${how} delay=${p.initialDelaySeconds ?? 0}s period=${p.periodSeconds ?? 10}s timeout=${p.timeoutSeconds ?? 1}s failureThreshold=${p.failureThreshold ?? 3}`;
}

/** Env values are shown redacted; values from Secrets and ConfigMaps are shown as references only. */
function env(container: k8s.V1Container) {
  const plain: Record<string, string> = {};
  const refs: string[] = [];
  for (const e of container.env ?? []) {
    if (e.valueFrom?.secretKeyRef) refs.push(`${e.name} ← secret ${e.valueFrom.secretKeyRef.name ?? '?'}/${e.valueFrom.secretKeyRef.key}`);
    else if (e.valueFrom?.configMapKeyRef) refs.push(`${e.name} ← configmap ${e.valueFrom.configMapKeyRef.name ?? '?'}/${e.valueFrom.configMapKeyRef.key}`);
    else if (e.valueFrom?.fieldRef) refs.push(`${e.name} ← field ${e.valueFrom.fieldRef.fieldPath}`);
    else if (e.valueFrom?.resourceFieldRef) refs.push(`${e.name} ← resource ${e.valueFrom.resourceFieldRef.resource}`);
    else plain[e.name] = e.value ?? '';
  }
  for (const from of container.envFrom ?? []) {
    if (from.secretRef) refs.push(`* ← secret ${from.secretRef.name ?? '?'}`);
    if (from.configMapRef) refs.push(`* ← configmap ${from.configMapRef.name ?? '?'}`);
  }
  return { values: redactRecord(plain), refs };
}

function container(c: k8s.V1Container, status: k8s.V1ContainerStatus | undefined) {
  const e = env(c);
  return {
    name: c.name,
    image: c.image,
    ready: status?.ready,
    restartCount: status?.restartCount,
    state: state(status?.state),
    lastState: state(status?.lastState),
    resources: { requests: c.resources?.requests, limits: c.resources?.limits },
    ports: (c.ports ?? []).map((p) => `${p.name ? `${p.name}:` : ''}${p.containerPort}/${p.protocol ?? 'TCP'}`),
    livenessProbe: probe(c.livenessProbe),
    readinessProbe: probe(c.readinessProbe),
    startupProbe: probe(c.startupProbe),
    command: c.command,
    args: c.args,
    env: e.values,
    envRefs: e.refs,
  };
}

export function summarizePod(pod: k8s.V1Pod): string {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const find = (name: string) => statuses.find((s) => s.name === name);
  return toYaml(
    compact({
      pod: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`,
      owner: (pod.metadata?.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`),
      phase: pod.status?.phase,
      reason: pod.status?.reason,
      message: pod.status?.message,
      node: pod.spec?.nodeName,
      qosClass: pod.status?.qosClass,
      startTime: pod.status?.startTime,
      conditions: (pod.status?.conditions ?? []).map(
        (c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
      ),
      initContainers: (pod.spec?.initContainers ?? []).map((c) => container(c, find(c.name))),
      containers: (pod.spec?.containers ?? []).map((c) => container(c, find(c.name))),
      serviceAccount: pod.spec?.serviceAccountName,
      imagePullSecrets: (pod.spec?.imagePullSecrets ?? []).map((s) => s.name),
      nodeSelector: pod.spec?.nodeSelector,
      affinity: pod.spec?.affinity,
      tolerations: (pod.spec?.tolerations ?? []).map(
        (t) => `${t.key ?? '*'}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? '*'}`,
      ),
      volumes: (pod.spec?.volumes ?? []).map((v) =>
        v.persistentVolumeClaim
          ? `${v.name}: pvc ${v.persistentVolumeClaim.claimName}`
          : v.configMap
            ? `${v.name}: configmap ${v.configMap.name ?? '?'}`
            : v.secret
              ? `${v.name}: secret ${v.secret.secretName ?? '?'}`
              : v.emptyDir
                ? `${v.name}: emptyDir${v.emptyDir.sizeLimit ? ` ${v.emptyDir.sizeLimit}` : ''}`
                : `${v.name}`,
      ),
    }),
  );
}
