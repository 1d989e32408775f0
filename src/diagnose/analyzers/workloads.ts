import type * as k8s from '@kubernetes/client-node';
import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { ClusterSnapshot, Evidence } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import { makeFinding } from '../make-finding.js';
import { eventLine, eventSource, eventsFor, nameOf, nsOf, objectSource } from '../snapshot-queries.js';

/** Rollouts, replica counts, Jobs and HPAs, each explained by what their pods show. */
export const analyzeWorkloads: Analyzer = ({ evidence }) => [
  ...deployments(evidence),
  ...replicaSetFailures(evidence.snapshot),
  ...jobs(evidence),
  ...hpas(evidence),
];

function wanted(evidence: Evidence, kind: string, o: { metadata?: k8s.V1ObjectMeta }): boolean {
  const w = evidence.target.workload;
  if (!w || w.kind === 'Pod' || w.kind === 'PodOwner' || w.kind === 'Node') return !evidence.target.namespace || nsOf(o) === evidence.target.namespace;
  return (w.kind === kind || kind === 'ReplicaSet') && (w.name === nameOf(o) || (kind === 'ReplicaSet' && nameOf(o).startsWith(`${w.name}-`)));
}

/** What the pods of the newest ReplicaSet are stuck on, in one phrase. */
export function podReason(pods: k8s.V1Pod[]): string | null {
  for (const p of pods) {
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
      const w = cs.state?.waiting;
      const t = cs.lastState?.terminated ?? cs.state?.terminated;
      if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') {
        return `${w.reason}${t ? ` (last exit ${t.reason ?? ''} ${t.exitCode})` : ''}${w.message ? `: ${w.message}` : ''}`.slice(0, 240);
      }
    }
    const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (sched) return `Pending: ${sched.message ?? sched.reason ?? 'unschedulable'}`;
    const notReady = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
    if (notReady && p.status?.phase === 'Running') return `not ready${notReady.message ? `: ${notReady.message}` : ''}`;
  }
  return null;
}

function newestReplicaSetPods(snapshot: ClusterSnapshot, d: k8s.V1Deployment): { rs: k8s.V1ReplicaSet | undefined; pods: k8s.V1Pod[] } {
  const owned = snapshot.replicaSets.filter((rs) => nsOf(rs) === nsOf(d) && (rs.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === nameOf(d)));
  const revision = (rs: k8s.V1ReplicaSet) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const rs = owned.sort((a, b) => revision(b) - revision(a))[0];
  const pods = snapshot.pods.filter((p) => nsOf(p) === nsOf(d) && (rs
    ? (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'ReplicaSet' && o.name === nameOf(rs))
    : nameOf(p).startsWith(`${nameOf(d)}-`)));
  return { rs, pods };
}

function deployments(evidence: Evidence): Finding[] {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const d of snapshot.deployments.filter((x) => wanted(evidence, 'Deployment', x))) {
    const ns = nsOf(d);
    const name = nameOf(d);
    const desired = d.spec?.replicas ?? 1;
    const ready = d.status?.readyReplicas ?? 0;
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    const { rs, pods } = newestReplicaSetPods(snapshot, d);
    const reason = podReason(pods);
    const src = objectSource('Deployment', d.metadata);
    const lines: EvidenceLine[] = [{ line: `replicas desired=${desired} updated=${d.status?.updatedReplicas ?? 0} ready=${ready} available=${d.status?.availableReplicas ?? 0}`, source: src }];
    if (rs) lines.push({ line: `newest ReplicaSet ${nameOf(rs)} (revision ${rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}): ${reason ?? 'no pod problem recorded'}`, source: objectSource('ReplicaSet', rs.metadata) });
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      lines.unshift({ line: `condition Progressing=False reason=ProgressDeadlineExceeded: ${progressing.message ?? ''}`, source: src });
      findings.push(makeFinding({
        analyzer: 'workloads', cause: 'progress-deadline-exceeded', category: 'rollout-failed', confidence: 0.86, evidence: lines,
        title: `Rollout of Deployment ${ns}/${name} exceeded its progress deadline${reason ? `: the new pods are ${reason}` : ''}.`,
        detail: `The new ReplicaSet${rs ? ` ${nameOf(rs)}` : ''} did not become available within ${d.spec?.progressDeadlineSeconds ?? 600}s.`,
        actions: [`kubectl -n ${ns} rollout status deployment/${name}`, `Roll back while the new version is fixed: kubectl -n ${ns} rollout undo deployment/${name}`, `kubectl -n ${ns} describe pods -l ${Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`],
      }));
    } else if (ready < desired) {
      findings.push(makeFinding({
        analyzer: 'workloads', cause: 'replicas-mismatch', confidence: reason ? 0.6 : 0.5, evidence: lines,
        title: `Deployment ${ns}/${name} has ${ready}/${desired} ready replicas${reason ? `: its newest pods are ${reason}` : ''}.`,
        detail: 'The replica count is a symptom; the pod findings give the cause.',
        actions: [`kubectl -n ${ns} get rs,pods -l ${Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`],
      }));
    }
  }
  for (const s of [...snapshot.statefulSets.filter((x) => wanted(evidence, 'StatefulSet', x)), ...snapshot.daemonSets.filter((x) => wanted(evidence, 'DaemonSet', x))]) {
    const isDs = 'desiredNumberScheduled' in (s.status ?? {});
    const desired = isDs ? (s as k8s.V1DaemonSet).status?.desiredNumberScheduled ?? 0 : (s as k8s.V1StatefulSet).spec?.replicas ?? 1;
    const ready = isDs ? (s as k8s.V1DaemonSet).status?.numberReady ?? 0 : (s as k8s.V1StatefulSet).status?.readyReplicas ?? 0;
    if (ready >= desired) continue;
    const kind = isDs ? 'DaemonSet' : 'StatefulSet';
    const pods = snapshot.pods.filter((p) => nsOf(p) === nsOf(s) && (p.metadata?.ownerReferences ?? []).some((o) => o.kind === kind && o.name === nameOf(s)));
    const reason = podReason(pods);
    findings.push(makeFinding({
      analyzer: 'workloads', cause: 'replicas-mismatch', confidence: reason ? 0.6 : 0.5,
      evidence: [{ line: `${kind} ready ${ready}/${desired}${reason ? `; pods: ${reason}` : ''}`, source: objectSource(kind, s.metadata) }],
      title: `${kind} ${nsOf(s)}/${nameOf(s)} has ${ready}/${desired} ready pods${reason ? `: ${reason}` : ''}.`,
      detail: 'The replica count is a symptom; the pod findings give the cause.',
      actions: [`kubectl -n ${nsOf(s)} rollout status ${kind.toLowerCase()}/${nameOf(s)}`],
    }));
  }
  return findings;
}

function replicaSetFailures(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const e of snapshot.events) {
    if (e.reason !== 'FailedCreate' || !/exceeded quota/.test(e.message ?? '')) continue;
    const key = `${e.involvedObject.namespace}/${e.involvedObject.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const quota = /exceeded quota: ([\w.-]+)/.exec(e.message ?? '')?.[1] ?? '?';
    const detail = /requested: ([^,]+), used: ([^,]+), limited: (.+)$/.exec(e.message ?? '');
    const rq = snapshot.resourceQuotas.find((q) => nameOf(q) === quota);
    const ns = e.involvedObject.namespace ?? '';
    findings.push(makeFinding({
      analyzer: 'workloads', cause: 'quota-exceeded', category: 'pod-pending', confidence: 0.92,
      title: `ResourceQuota ${ns}/${quota} forbids new pods for ${e.involvedObject.kind} ${e.involvedObject.name}${detail ? `: requested ${detail[1]}, used ${detail[2]}, limited ${detail[3]}` : ''}.`,
      detail: 'The controller cannot create pods until usage drops or the quota is raised.',
      evidence: [
        { line: eventLine(e), source: eventSource(e) },
        ...(rq ? [{ line: `quota hard: ${JSON.stringify(rq.status?.hard ?? rq.spec?.hard ?? {})} used: ${JSON.stringify(rq.status?.used ?? {})}`, source: objectSource('ResourceQuota', rq.metadata) }] : []),
      ],
      actions: [`kubectl -n ${ns} describe resourcequota ${quota}`, 'Lower the pods\' requests, scale down other workloads in the namespace, or raise the quota.'],
    }));
  }
  return findings;
}

function jobs(evidence: Evidence): Finding[] {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  const target = evidence.target.workload;
  const ofTarget = (j: k8s.V1Job) =>
    wanted(evidence, 'Job', j) || target?.name === nameOf(j) || (j.metadata?.ownerReferences ?? []).some((o) => o.kind === 'CronJob' && o.name === target?.name);
  for (const job of snapshot.jobs.filter(ofTarget)) {
    const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    if (!failed) continue;
    const ns = nsOf(job);
    const name = nameOf(job);
    const pods = snapshot.pods.filter((p) => nsOf(p) === ns && (p.metadata?.labels?.['job-name'] === name || (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Job' && o.name === name)));
    const term = pods.flatMap((p) => p.status?.containerStatuses ?? []).map((cs) => cs.state?.terminated ?? cs.lastState?.terminated).find((t) => t && t.exitCode !== 0);
    const podWhy = term ? `pods exit with ${term.reason ?? 'Error'} code ${term.exitCode}` : podReason(pods);
    const log = snapshot.logs.find((l) => pods.some((p) => nameOf(p) === l.pod));
    const lastLine = log?.text.split('\n').filter((l) => l.trim()).at(-1);
    const deadline = failed.reason === 'DeadlineExceeded';
    const events = eventsFor(snapshot, 'Job', name, ns).slice(0, 2);
    findings.push(makeFinding({
      analyzer: 'workloads', cause: deadline ? 'job-deadline-exceeded' : 'job-backoff-limit-exceeded', category: 'job-failed', confidence: 0.9,
      title: deadline
        ? `Job ${ns}/${name} failed: it ran longer than activeDeadlineSeconds=${job.spec?.activeDeadlineSeconds ?? '?'} (DeadlineExceeded).`
        : `Job ${ns}/${name} failed: BackoffLimitExceeded after ${job.status?.failed ?? '?'} failed pod(s) (backoffLimit ${job.spec?.backoffLimit ?? 6})${podWhy ? `; ${podWhy}` : ''}${lastLine ? ` — "${lastLine.trim().slice(0, 160)}"` : ''}.`,
      detail: failed.message ?? '',
      evidence: [
        { line: `condition Failed=True reason=${failed.reason ?? ''}: ${failed.message ?? ''}`, source: objectSource('Job', job.metadata) },
        ...events.map((e) => ({ line: eventLine(e), source: eventSource(e) })),
        ...(lastLine && log ? [{ line: lastLine.trim(), source: `pod/${log.namespace}/${log.pod}/logs/${log.container}` }] : []),
      ],
      actions: deadline
        ? [`kubectl -n ${ns} describe job ${name}`, 'Find why the run is slow (dependency waits, data growth) or raise activeDeadlineSeconds.']
        : [`kubectl -n ${ns} logs job/${name} --tail=50`, `Fix the failure, then re-run: kubectl -n ${ns} delete job ${name} && reapply (or kubectl create job --from=cronjob/<name> <new>)`],
    }));
  }
  return findings;
}

function hpas(evidence: Evidence): Finding[] {
  const findings: Finding[] = [];
  for (const hpa of evidence.snapshot.hpas.filter((h) => wanted(evidence, 'HorizontalPodAutoscaler', h) || h.spec?.scaleTargetRef.name === evidence.target.workload?.name)) {
    const max = hpa.spec?.maxReplicas ?? 0;
    const current = hpa.status?.currentReplicas ?? 0;
    const limited = hpa.status?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
    if (current < max && limited?.reason !== 'TooManyReplicas') continue;
    const metrics = (hpa.spec?.metrics ?? []).map((m, i) => {
      const cur = hpa.status?.currentMetrics?.[i];
      if (m.type === 'Resource' && m.resource) {
        return `${m.resource.name} ${cur?.resource?.current.averageUtilization ?? '?'}% / target ${m.resource.target.averageUtilization ?? m.resource.target.averageValue ?? '?'}${m.resource.target.averageUtilization ? '%' : ''}`;
      }
      return `${m.type} metric`;
    });
    const ns = nsOf(hpa);
    findings.push(makeFinding({
      analyzer: 'workloads', cause: 'hpa-maxed-out', category: 'cpu-throttling', confidence: 0.85,
      title: `HPA ${ns}/${nameOf(hpa)} is at maxReplicas ${max} for ${hpa.spec?.scaleTargetRef.kind} ${hpa.spec?.scaleTargetRef.name} and ${metrics.join(', ') || 'its metric'} is still above target.`,
      detail: 'Load exceeds what maxReplicas can serve; the pods run hot and latency grows.',
      evidence: [
        { line: `replicas current=${current} desired=${hpa.status?.desiredReplicas ?? '?'} min=${hpa.spec?.minReplicas ?? 1} max=${max}; ${metrics.join(', ')}`, source: objectSource('HorizontalPodAutoscaler', hpa.metadata) },
        ...(limited ? [{ line: `condition ScalingLimited=True reason=${limited.reason ?? ''}: ${limited.message ?? ''}`, source: objectSource('HorizontalPodAutoscaler', hpa.metadata) }] : []),
      ],
      actions: [`kubectl -n ${ns} describe hpa ${nameOf(hpa)}`, `Raise maxReplicas if the cluster has room: kubectl -n ${ns} patch hpa ${nameOf(hpa)} -p '{"spec":{"maxReplicas":<n>}}'`, 'Check whether the load is legitimate and whether per-pod efficiency regressed.'],
    }));
  }
  return findings;
}
