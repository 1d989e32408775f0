import type * as k8s from '@kubernetes/client-node';
import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { ClusterSnapshot } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import type { CauseId } from '../causes.js';
import { matchLogPatterns } from '../log-patterns.js';
import { makeFinding } from '../make-finding.js';
import {
  allContainers, eventLine, eventSource, eventsFor, isInit, logSource, logsFor, metricSource, metricsFor, nameOf, nonEmptyLines, nsOf, podSource, scopedPods,
} from '../snapshot-queries.js';
import { probeFindings } from './probes.js';

const ANALYZER = 'containers';
/** kubernetes-mixin's CPUThrottlingHigh fires above 25% of CFS periods throttled; a measured ratio that high is a finding without the alert. */
const THROTTLED_RATIO = 0.25;

/**
 * Why containers die or never start: last termination reason and exit code, config
 * errors, runtime start errors, failing init containers. Probe failures are in
 * probes.ts; image pulls in images.ts.
 */
export const analyzeContainers: Analyzer = ({ subject, evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const pod of scopedPods(evidence)) {
    const probes = probeFindings(pod, snapshot);
    findings.push(...probes);
    const probeKilled = probes.some((f) => f.cause === 'liveness-probe-failed' || f.cause === 'startup-probe-failed' || f.cause === 'probe-port-not-exposed');
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const cs of statuses) {
      const f = containerFinding(pod, cs, snapshot, probeKilled);
      if (f) findings.push(f);
    }
  }
  const pods = scopedPods(evidence);
  const measured = pods.flatMap((p) => metricsFor(snapshot, 'cpuThrottledRatio', p)).some((m) => m.value >= THROTTLED_RATIO);
  if (subject.alertname === 'CPUThrottlingHigh' || measured) findings.push(...throttling(subject.labels, subject.annotations, snapshot, pods));
  return findings;
};

function containerFinding(pod: k8s.V1Pod, cs: k8s.V1ContainerStatus, snapshot: ClusterSnapshot, probeKilled: boolean): Finding | null {
  const pn = `${nsOf(pod)}/${nameOf(pod)}`;
  const src = podSource(pod);
  const waiting = cs.state?.waiting;
  const terminated = cs.state?.terminated ?? cs.lastState?.terminated;
  const init = isInit(pod, cs.name);
  const events = eventsFor(snapshot, 'Pod', nameOf(pod), nsOf(pod));

  if (waiting?.reason === 'CreateContainerConfigError' || waiting?.reason === 'CreateContainerError') {
    const failed = events.find((e) => e.reason === 'Failed' && /not found|couldn't find key|Error:/.test(e.message ?? ''));
    const message = waiting.message ?? failed?.message ?? '';
    const evidence: EvidenceLine[] = [{ line: `container ${cs.name}: waiting ${waiting.reason}: ${message}`, source: src }];
    if (failed) evidence.push({ line: eventLine(failed), source: eventSource(failed) });
    return configError(pn, cs.name, waiting.reason, `${message} ${failed?.message ?? ''}`, evidence);
  }

  if (waiting?.reason === 'RunContainerError' || terminated?.reason === 'StartError' || terminated?.reason === 'ContainerCannotRun') {
    const message = waiting?.message ?? terminated?.message ?? '';
    const failed = events.find((e) => e.reason === 'Failed' && /exec|start|OCI runtime/i.test(e.message ?? ''));
    const text = `${message} ${failed?.message ?? ''}`;
    const evidence: EvidenceLine[] = [
      { line: `container ${cs.name}: ${waiting?.reason ?? terminated?.reason}: ${message}`.trim(), source: src },
      ...(failed ? [{ line: eventLine(failed), source: eventSource(failed) }] : []),
    ];
    const command = (allContainers(pod).find((c) => c.name === cs.name)?.command ?? []).join(' ');
    if (/executable file not found|no such file or directory/i.test(text)) {
      return crash('command-not-found', pn, cs.name, 0.92, `the command ${command ? `\`${command}\` ` : ''}does not exist in image ${cs.image}`, evidence,
        ['Fix `command`/`args` in the pod spec or the image ENTRYPOINT so it names a binary that exists in the image.', `kubectl -n ${nsOf(pod)} get pod ${nameOf(pod)} -o jsonpath='{.spec.containers[*].command}'`]);
    }
    if (/permission denied/i.test(text)) {
      return crash('command-not-executable', pn, cs.name, 0.9, `the command ${command ? `\`${command}\` ` : ''}is not executable`, evidence,
        ['Make the entrypoint executable in the image (chmod +x) or run it through its interpreter.']);
    }
    return crash('run-container-error', pn, cs.name, 0.8, 'the container runtime could not start the process', evidence, [
      `kubectl -n ${nsOf(pod)} describe pod ${nameOf(pod)}`,
    ]);
  }

  if (!terminated) return null;
  const restarting = waiting?.reason === 'CrashLoopBackOff' || (cs.restartCount ?? 0) > 0 || cs.state?.terminated !== undefined;
  if (!restarting) return null;
  const exitCode = terminated.exitCode;
  if (exitCode === 0 && terminated.reason === 'Completed' && !init && waiting?.reason !== 'CrashLoopBackOff') return null;
  const termLine = `container ${cs.name}: ${waiting?.reason ? `${waiting.reason}, ` : ''}last terminated reason=${terminated.reason ?? '?'} exitCode=${exitCode} (restarts: ${cs.restartCount ?? 0})`;
  const evidence: EvidenceLine[] = [{ line: termLine, source: src }];
  const ns = nsOf(pod);
  const logs = logsFor(snapshot, pod, cs.name);
  const logLines = (n: number): EvidenceLine[] => {
    const log = logs[0];
    if (!log) return [];
    const matches = matchLogPatterns(log.text);
    const lines = matches.length > 0 ? matches.slice(0, 2).map((m) => m.line) : nonEmptyLines(log.text).slice(-n);
    return lines.map((line) => ({ line, source: logSource(log) }));
  };

  if (terminated.reason === 'OOMKilled') {
    const limit = allContainers(pod).find((c) => c.name === cs.name)?.resources?.limits?.memory;
    if (limit) evidence.push({ line: `container ${cs.name}: resources.limits.memory=${limit}`, source: src });
    return makeFinding({
      analyzer: ANALYZER, cause: 'oom-killed', category: 'oom-killed', confidence: 0.95, evidence,
      title: `Container ${cs.name} in pod ${pn} was OOMKilled (exit code 137)${limit ? ` at its ${limit} memory limit` : ''}.`,
      detail: `The kernel killed the container because it exceeded its memory limit${limit ? ` of ${limit}` : ''}; it has restarted ${cs.restartCount ?? 0} times.`,
      actions: [
        `Raise the memory limit if the usage is legitimate: kubectl -n ${ns} set resources ${ownerRef(pod)} -c ${cs.name} --limits=memory=<higher>`,
        `Check memory usage against the limit: kubectl -n ${ns} top pod ${nameOf(pod)} --containers`,
        'Profile the application for leaks or unbounded caches (heap size flags such as -Xmx must stay below the limit).',
      ],
    });
  }
  if (init && exitCode !== 0) {
    return crash('init-container-failed', pn, cs.name, 0.9, `init container ${cs.name} exits with code ${exitCode}, so the main containers never start`, [...evidence, ...logLines(5)], [
      `kubectl -n ${ns} logs ${nameOf(pod)} -c ${cs.name} --previous`,
      'Fix the condition the init container waits for or checks (dependency, migration, permissions).',
    ]);
  }
  if (exitCode === 127) {
    return crash('command-not-found', pn, cs.name, 0.9, 'the command was not found (exit code 127)', [...evidence, ...logLines(3)], [
      'Fix `command`/`args` or the image so the command exists (check spelling and $PATH).',
    ]);
  }
  if (exitCode === 126) {
    return crash('command-not-executable', pn, cs.name, 0.9, 'the command is not executable (exit code 126)', [...evidence, ...logLines(3)], [
      'Make the entrypoint executable in the image (chmod +x) or invoke it through its interpreter.',
    ]);
  }
  if (exitCode === 139) {
    return crash('segfault', pn, cs.name, 0.8, 'the process crashed with a segmentation fault (exit code 139)', [...evidence, ...logLines(5)], [
      'Check native libraries and the image architecture; reproduce with the same image locally.',
    ]);
  }
  if ((exitCode === 137 || exitCode === 143) && probeKilled) return null;
  if (exitCode === 137 || exitCode === 143) {
    return crash('container-killed', pn, cs.name, 0.6, `the container was killed by a signal (exit code ${exitCode})`, [...evidence, ...logLines(5)], [
      `kubectl -n ${ns} describe pod ${nameOf(pod)}`,
    ]);
  }
  if (exitCode === 0) {
    return crash('crash-loop', pn, cs.name, 0.55, 'the main process exits with code 0 and the kubelet restarts it (restartPolicy Always)', [...evidence, ...logLines(5)], [
      'Make the container run a long-lived process, or run one-off work as a Job.',
    ]);
  }
  const lines = logLines(5);
  return crash('app-error', pn, cs.name, lines.length > 0 ? 0.65 : 0.6, `the application exits with code ${exitCode}${lines[0] ? `: "${lines[0].line}"` : ''}`, [...evidence, ...lines], [
    `kubectl -n ${ns} logs ${nameOf(pod)} -c ${cs.name} --previous`,
    'Fix the application error the log shows, then roll out again.',
  ]);
}

function crash(cause: CauseId, pn: string, container: string, confidence: number, what: string, evidence: EvidenceLine[], actions: string[]): Finding {
  return makeFinding({
    analyzer: ANALYZER, cause, confidence, evidence, actions,
    category: cause === 'oom-killed' ? 'oom-killed' : 'pod-crash',
    title: `Container ${container} in pod ${pn} fails: ${what}.`,
    detail: `Container ${container} of pod ${pn}: ${what}.`,
  });
}

function configError(pn: string, container: string, reason: string, text: string, evidence: EvidenceLine[]): Finding {
  const [ns, pod] = pn.split('/');
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) ([\w.-]+)\/([\w.-]+)/.exec(text);
  const missing = /(configmap|secret)s? "([\w.-]+)" not found/i.exec(text);
  let cause: CauseId = 'create-container-error';
  let title = `Container ${container} in pod ${pn} cannot be created (${reason}).`;
  let actions = [`kubectl -n ${ns} describe pod ${pod}`];
  if (key) {
    cause = 'missing-config-key';
    title = `Container ${container} in pod ${pn} references key ${key[1]} that is missing from ${key[2]} ${key[4]}.`;
    actions = [
      `Add key ${key[1]} to ${key[2]} ${key[4]}, or fix the key name in the pod spec (valueFrom/envFrom).`,
      `kubectl -n ${key[3]} describe ${key[2]?.toLowerCase()} ${key[4]}`,
    ];
  } else if (missing) {
    const kind = missing[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
    cause = kind === 'Secret' ? 'missing-secret' : 'missing-configmap';
    title = `Container ${container} in pod ${pn} references ${kind} ${missing[2]}, which does not exist.`;
    actions = [
      `Create the ${kind} or fix the name in the pod spec: kubectl -n ${ns} get ${kind.toLowerCase()} ${missing[2]}`,
      `kubectl -n ${ns} get ${kind.toLowerCase()}s`,
    ];
  }
  return makeFinding({
    analyzer: ANALYZER, cause, category: 'config-error', confidence: cause === 'create-container-error' ? 0.75 : 0.95, evidence, actions, title,
    detail: `${reason}: the kubelet cannot build the container's environment or mounts until the reference resolves.`,
  });
}

function ownerRef(pod: k8s.V1Pod): string {
  const ref = pod.metadata?.ownerReferences?.[0];
  if (!ref) return `pod/${nameOf(pod)}`;
  if (ref.kind === 'ReplicaSet') return `deployment/${ref.name.replace(/-[a-z0-9]{6,10}$/, '')}`;
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

function throttling(labels: Record<string, string>, annotations: Record<string, string>, snapshot: ClusterSnapshot, pods: k8s.V1Pod[]): Finding[] {
  const pod = pods.find((p) => nameOf(p) === labels.pod) ?? pods[0];
  const ratios = pod ? metricsFor(snapshot, 'cpuThrottledRatio', pod).sort((a, b) => b.value - a.value) : [];
  // Without a container label, the most throttled container is the one to look at.
  const container = labels.container ?? ratios[0]?.labels.container;
  const spec = pod ? allContainers(pod).find((c) => c.name === container) ?? allContainers(pod)[0] : undefined;
  const limit = spec?.resources?.limits?.cpu;
  const evidence: EvidenceLine[] = [];
  const text = annotations.description ?? annotations.summary;
  if (text) evidence.push({ line: text, source: 'alert/annotations' });
  const ratio = ratios.find((m) => m.labels.container === spec?.name);
  if (ratio) evidence.push({ line: `Prometheus: container ${spec?.name ?? ''} was throttled in ${+(ratio.value * 100).toFixed(1)}% of CFS periods over the last hour`, source: metricSource(ratio) });
  if (pod && spec) evidence.push({ line: `container ${spec.name}: resources.limits.cpu=${limit ?? 'none'} requests.cpu=${spec.resources?.requests?.cpu ?? 'none'}`, source: podSource(pod) });
  const where = pod ? `pod ${nsOf(pod)}/${nameOf(pod)}` : `pod ${labels.namespace ?? ''}/${labels.pod ?? ''}`;
  return [makeFinding({
    analyzer: ANALYZER, cause: 'cpu-throttled', category: 'cpu-throttling', confidence: limit ? 0.85 : 0.7, evidence,
    title: `Container ${spec?.name ?? container ?? ''} in ${where} is throttled by its CPU limit${limit ? ` of ${limit}` : ''}.`,
    detail: 'The CFS quota stops the container for part of every period, which shows up as latency rather than errors.',
    actions: [
      `Raise or remove the CPU limit: kubectl -n ${labels.namespace ?? (pod ? nsOf(pod) : '')} set resources ${pod ? ownerRef(pod) : 'deployment/<name>'} -c ${spec?.name ?? container ?? '<container>'} --limits=cpu=<higher>`,
      'Compare usage with the limit: kubectl top pod --containers',
    ],
  })];
}
