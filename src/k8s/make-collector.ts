import type * as k8s from '@kubernetes/client-node';
import { emptyEvidence, emptySnapshot, type Evidence } from '../domain/evidence.js';
import type { Category, IncidentSubject, ResolvedTarget } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import type { Collect } from '../pipeline/stages.js';
import { estimateTokens } from '../redact/estimate-tokens.js';
import { redactText } from '../redact/redact-text.js';
import { addItem, type CollectContext } from './collect-context.js';
import { collectDependencies } from './collect-dependencies.js';
import { collectMetrics } from './collect-metrics.js';
import { collectCoreDns, collectNetworkPolicies } from './collect-network.js';
import { collectNode } from './collect-node.js';
import { COLLECT_PLAN, type CollectStep } from './collect-plan.js';
import { collectPod } from './collect-pod.js';
import { collectPvc, collectScheduling } from './collect-scheduling.js';
import { collectService } from './collect-service.js';
import { collectNamespaceEvents, collectWorkload } from './collect-workload.js';
import { makeKubeClients } from './kube-clients.js';
import { makeKubeReader } from './make-kube-reader.js';
import { redactSnapshot } from './redact-snapshot.js';
import { resolveTarget } from './resolve-target.js';
import { compact, toYaml } from './to-yaml.js';

export type CollectorDeps = {
  kubeConfig: k8s.KubeConfig | null;
  cluster: string;
  prometheusUrl?: string | null;
  requestTimeoutMs: number;
  logTailLines: number;
  logMaxBytes: number;
  logger?: Logger;
};

/** Events per list (pod, node, namespace) kept in evidence. */
const EVENT_LIMIT = 20;

const STEP: Record<CollectStep, (ctx: CollectContext, target: ResolvedTarget) => Promise<void>> = {
  'pod-logs': (ctx, t) => collectPod(ctx, t, { logs: true, references: true }),
  pod: (ctx, t) => collectPod(ctx, t, { logs: false, references: false }),
  scheduling: collectScheduling,
  service: collectService,
  node: collectNode,
  'network-policies': collectNetworkPolicies,
  coredns: (ctx) => collectCoreDns(ctx),
  metrics: collectMetrics,
  workload: collectWorkload,
  storage: async (ctx, t) => {
    if (t.namespace && t.pvc) await collectPvc(ctx, t.namespace, t.pvc);
    const pod = ctx.snapshot.pods.find((p) => p.metadata?.name === t.pod && p.metadata.namespace === t.namespace);
    const claims = (pod?.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
    await Promise.all(claims.filter((c) => c !== t.pvc).map((c) => collectPvc(ctx, t.namespace ?? '', c)));
  },
  'namespace-events': collectNamespaceEvents,
  dependencies: collectDependencies,
};

/**
 * The collect + redact/reduce stages: resolve the target, read what the category
 * needs (in parallel, each read bounded), then mask secrets in every item and
 * measure the prompt context. Never throws; without cluster access it returns
 * evidence that says so.
 */
export function makeCollector(deps: CollectorDeps): Collect {
  const clients = deps.kubeConfig ? makeKubeClients(deps.kubeConfig) : null;
  return async (subject: IncidentSubject, category: Category, signal?: AbortSignal): Promise<Evidence> => {
    if (!clients) return emptyEvidence(`the cluster ${deps.cluster} could not be read: no Kubernetes access is configured`);
    const ctx: CollectContext = {
      clients,
      reader: makeKubeReader({ timeoutMs: deps.requestTimeoutMs, ...(signal ? { signal } : {}) }),
      snapshot: emptySnapshot(),
      items: [],
      missing: [],
      rawChars: 0,
      limits: { logTailLines: deps.logTailLines, logMaxBytes: deps.logMaxBytes, eventLimit: EVENT_LIMIT, timeoutMs: deps.requestTimeoutMs },
      prometheusUrl: deps.prometheusUrl ?? null,
      ...(signal ? { signal } : {}),
    };
    try {
      const target = await resolveTarget(ctx, subject);
      addItem(ctx, {
        id: 'target',
        title: 'What this incident is about',
        source: { kind: 'Target', path: 'alert labels' },
        text: toYaml(compact({ cluster: deps.cluster, category, ...target })),
        truncated: false,
      });
      ctx.missing.push(...target.unresolved);
      const plan = COLLECT_PLAN[category];
      await Promise.all(plan.filter((step) => step !== 'dependencies').map((step) => STEP[step](ctx, target)));
      if (plan.includes('dependencies')) await STEP.dependencies(ctx, target);
      return finish(ctx, target, deps);
    } catch (error) {
      deps.logger?.warn({ err: error, incidentId: subject.incidentId, component: 'collect' }, 'collection failed');
      const evidence = emptyEvidence(`collection failed: ${(error as Error).message}`, true);
      return { ...evidence, apiCalls: ctx.reader.calls() };
    }
  };
}

function finish(ctx: CollectContext, target: ResolvedTarget, deps: CollectorDeps): Evidence {
  redactSnapshot(ctx.snapshot);
  // Parallel reads finish in any order; a stable order keeps prompts and tests reproducible.
  const items = ctx.items
    .map((item) => ({ ...item, text: redactText(item.text) }))
    .sort((a, b) => (a.id === 'target' ? -1 : b.id === 'target' ? 1 : a.id.localeCompare(b.id)));
  const context = items.map((i) => `## ${i.title}\n${i.text}`).join('\n\n');
  // The API was reachable if any read got an answer, even an HTTP error.
  const readable = ctx.reader.calls() === 0 || ctx.reader.answered() > 0;
  if (!readable) ctx.missing.unshift(`the cluster ${deps.cluster} could not be reached`);
  return {
    target,
    snapshot: ctx.snapshot,
    items,
    missing: [...new Set(ctx.missing)],
    clusterReadable: readable,
    apiCalls: ctx.reader.calls(),
    context: {
      chars: context.length,
      estimatedTokens: estimateTokens(context),
      charsBeforeReduction: context.length - items.reduce((n, i) => n + i.text.length, 0) + ctx.rawChars,
    },
  };
}
