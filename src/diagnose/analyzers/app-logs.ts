import type { Finding } from '../../domain/analysis.js';
import type { Analyzer } from '../analyzer.js';
import type { CauseId } from '../causes.js';
import { matchLogPatterns, targetOfLine } from '../log-patterns.js';
import { makeFinding } from '../make-finding.js';
import { isInit, logSource, logsFor, nameOf, nsOf, podIsReady, podsForService, scopedPods } from '../snapshot-queries.js';

const TEXT: Partial<Record<CauseId, { what: string; action: string; confidence: number }>> = {
  'certificate-invalid': { what: 'TLS fails on a certificate', action: 'Renew or fix the certificate (cert-manager: kubectl get certificate -A), or the CA bundle the client trusts.', confidence: 0.88 },
  'dependency-connection-refused': { what: 'a dependency refuses connections', action: 'Check that the dependency is running and its Service has ready endpoints, and that host/port in the configuration are right.', confidence: 0.85 },
  'volume-filling-up': { what: 'the disk it writes to is full', action: 'Free or expand the volume (kubectl exec … -- df -h).', confidence: 0.82 },
  'permission-denied': { what: 'the process is denied access', action: 'Check runAsUser/fsGroup and file ownership in the image, or the RBAC/IAM permission named in the log.', confidence: 0.8 },
  'app-panic': { what: 'the process panics', action: 'Fix the bug at the panic site (the stack trace follows the line quoted).', confidence: 0.8 },
  'app-exception': { what: 'the process dies on an unhandled exception', action: 'Fix the exception quoted (configuration or code).', confidence: 0.78 },
  'app-fatal': { what: 'the application logs a fatal error', action: 'Fix the condition the fatal log line names.', confidence: 0.76 },
};

/** The decisive line of a failing container's log, quoted. */
export const analyzeAppLogs: Analyzer = ({ evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const pod of scopedPods(evidence)) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const cs of statuses) {
      const failing = (cs.restartCount ?? 0) > 0 || cs.state?.waiting !== undefined || (cs.state?.terminated?.exitCode ?? 0) !== 0 || !podIsReady(pod);
      const log = logsFor(snapshot, pod, cs.name)[0];
      if (!log) continue;
      const match = matchLogPatterns(log.text).find((m) => m.kind !== 'dns' && m.kind !== 'timeout');
      if (!match) continue;
      const cause = match.kind as CauseId;
      const text = TEXT[cause];
      if (!text) continue;
      const pn = `${nsOf(pod)}/${nameOf(pod)}`;
      let extra = '';
      if (cause === 'dependency-connection-refused') {
        const t = targetOfLine(match.line);
        const svc = t ? snapshot.services.find((s) => s.spec?.clusterIP === t.host || t.host.split('.')[0] === nameOf(s)) : undefined;
        if (t) extra = ` (${t.host}${t.port ? `:${t.port}` : ''}${svc ? `, Service ${nameOf(svc)} has ${podsForService(snapshot, svc).filter(podIsReady).length} ready pod(s)` : ''})`;
      }
      findings.push(makeFinding({
        analyzer: 'app-logs', cause, category: cause === 'volume-filling-up' ? 'storage' : 'pod-crash',
        confidence: failing ? text.confidence - (isInit(pod, cs.name) ? 0.05 : 0) : 0.5,
        title: `Container ${cs.name} in pod ${pn}: ${text.what}${extra} — "${match.line}".`,
        detail: `Decisive log line from ${log.previous ? 'the previous (crashed) container' : 'the current container'}.`,
        evidence: [{ line: match.line, source: logSource(log) }],
        actions: [`kubectl -n ${nsOf(pod)} logs ${nameOf(pod)} -c ${cs.name}${log.previous ? ' --previous' : ''} --tail=100`, text.action],
      }));
    }
  }
  return findings;
};
