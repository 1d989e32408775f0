import * as k8s from '@kubernetes/client-node';
import type pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { describeRolloutChange, type TemplateLike } from './describe-rollout-change.js';
import { namespaceMetadata } from './namespace-metadata.js';
import { nextRolloutState } from './next-rollout-state.js';
import { openRolloutIncident, resolveRolloutIncident } from './open-rollout-incident.js';
import { saveRollout } from './rollout-queries.js';
import type { RolloutLimits } from './rollout-rate-limit.js';
import { ROLLOUT_STATUS, type PodView, type RolloutConfig, type RolloutState } from './rollout-types.js';
import { toDeploymentView } from './to-deployment-view.js';
import { toPodView } from './to-pod-view.js';

/**
 * The rollout watcher: informers on Deployments (all namespaces, or each of
 * `namespaces`) and Namespaces (for `k8flex/*` annotations and opt-out), feeding
 * nextRolloutState one Deployment at a time. Rollouts in flight are re-checked every
 * `checkIntervalMs` (their pods change without the Deployment changing); every cached
 * Deployment is re-evaluated every `resyncMs`. ReplicaSets and pods are read only
 * for rollouts in flight. Run it on the leader only.
 */
export type RolloutWatcherOptions = {
  kubeConfig: k8s.KubeConfig;
  pool: pg.Pool;
  cluster: string;
  namespaces: string[];
  config: RolloutConfig;
  limits: RolloutLimits;
  maxAttempts: number;
  checkIntervalMs: number;
  resyncMs: number;
  /** Delay before restarting an informer that stopped on an error. */
  restartDelayMs?: number;
  onJobsCreated: () => void;
  logger: Logger;
  now?: () => number;
};

export type RolloutWatcher = { start(): Promise<void>; stop(): Promise<void>; flush(): Promise<void> };

type Informer<T extends k8s.KubernetesObject> = k8s.Informer<T> & k8s.ObjectCache<T>;

const REVISION = 'deployment.kubernetes.io/revision';

function selectorOf(d: k8s.V1Deployment): string {
  return Object.entries(d.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

export function makeRolloutWatcher(opts: RolloutWatcherOptions): RolloutWatcher {
  const now = opts.now ?? Date.now;
  const log = opts.logger.child({ component: 'rollout-watcher' });
  const apps = opts.kubeConfig.makeApiClient(k8s.AppsV1Api);
  const core = opts.kubeConfig.makeApiClient(k8s.CoreV1Api);
  const states = new Map<string, RolloutState>();
  const queued = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let running = false;
  const timers: NodeJS.Timeout[] = [];

  const deployments: Informer<k8s.V1Deployment>[] =
    opts.namespaces.length === 0
      ? [k8s.makeInformer(opts.kubeConfig, '/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces())]
      : opts.namespaces.map((ns) => k8s.makeInformer(opts.kubeConfig, `/apis/apps/v1/namespaces/${ns}/deployments`, () => apps.listNamespacedDeployment({ namespace: ns })));
  const namespaces: Informer<k8s.V1Namespace> = k8s.makeInformer(opts.kubeConfig, '/api/v1/namespaces', () => core.listNamespace());
  const informers: Informer<k8s.KubernetesObject>[] = [...deployments, namespaces] as Informer<k8s.KubernetesObject>[];

  const keyOf = (ns: string, name: string) => `${ns}/${name}`;
  function findDeployment(ns: string, name: string): k8s.V1Deployment | undefined {
    for (const i of deployments) {
      const d = i.get(name, ns);
      if (d) return d;
    }
    return undefined;
  }

  function enqueue(key: string): void {
    if (!running || queued.has(key)) return;
    queued.add(key);
    chain = chain.then(async () => {
      queued.delete(key);
      if (!running) return;
      const [ns = '', name = ''] = key.split('/');
      await evaluate(ns, name).catch((err: unknown) => log.warn({ err, deployment: key }, 'rollout evaluation failed'));
    });
  }

  async function newPodsAndOldTemplate(d: k8s.V1Deployment): Promise<{ pods: PodView[]; oldTemplate: TemplateLike | null; imagesBefore: string[] }> {
    const ns = d.metadata?.namespace ?? '';
    const revision = Number(d.metadata?.annotations?.[REVISION] ?? NaN);
    if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0) || !Number.isFinite(revision)) return { pods: [], oldTemplate: null, imagesBefore: [] };
    const sets = (await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: selectorOf(d) })).items.filter((rs) =>
      (rs.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === d.metadata?.name),
    );
    const rev = (rs: k8s.V1ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? NaN);
    const current = sets.find((rs) => rev(rs) === revision);
    const previous = sets.filter((rs) => rev(rs) < revision).sort((a, b) => rev(b) - rev(a))[0];
    const oldTemplate = (previous?.spec?.template as TemplateLike | undefined) ?? null;
    const imagesBefore = (previous?.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
    const hash = current?.metadata?.labels?.['pod-template-hash'];
    if (!hash) return { pods: [], oldTemplate, imagesBefore };
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `${selectorOf(d)},pod-template-hash=${hash}` });
    return { pods: pods.items.map(toPodView), oldTemplate, imagesBefore };
  }

  async function evaluate(ns: string, name: string): Promise<void> {
    const key = keyOf(ns, name);
    const d = findDeployment(ns, name);
    if (!d) return void states.delete(key);
    const meta = namespaceMetadata(namespaces.get(ns)?.metadata?.annotations);
    if (!meta.watch) return void states.delete(key);
    const view = toDeploymentView(d);
    const prev = states.get(key) ?? null;
    // A settled rollout with the same template needs no reads.
    if (prev?.status === ROLLOUT_STATUS.SUCCESS && prev.templateHash === view.templateHash) {
      states.set(key, { ...prev, generation: Math.max(prev.generation, view.generation) });
      return;
    }
    const at = now();
    const reads = await newPodsAndOldTemplate(d);
    const step = nextRolloutState(prev, view, reads.pods, at, opts.config);
    states.set(key, step.state);
    if (step.state.baseline || step.event === 'none') return;

    const record = {
      cluster: opts.cluster,
      namespace: ns,
      deployment: name,
      state: step.state,
      imagesBefore: reads.imagesBefore,
      imagesAfter: view.images,
      change: reads.oldTemplate ? describeRolloutChange(reads.oldTemplate, d.spec?.template as TemplateLike) : null,
      meta,
    };
    const rolloutId = await saveRollout(opts.pool, record);
    const rlog = log.child({ namespace: ns, deployment: name, generation: step.state.generation });
    if (step.event === 'failed') {
      const opened = await openRolloutIncident(opts.pool, { rolloutId, record, now: at, limits: opts.limits, maxAttempts: opts.maxAttempts });
      rlog.info({ reason: step.state.reason, ...opened }, 'rollout failed');
      if (opened.outcome === 'opened') opts.onJobsCreated();
    } else if (step.event === 'recovered' || step.event === 'succeeded') {
      const resolved = await resolveRolloutIncident(opts.pool, rolloutId, opts.maxAttempts);
      rlog.info({ event: step.event, resolvedIncident: resolved }, 'rollout completed');
      if (resolved) opts.onJobsCreated();
    } else rlog.debug({ event: step.event, status: step.state.status }, 'rollout progressed');
  }

  function wire(informer: Informer<k8s.KubernetesObject>, isNamespaces: boolean): void {
    const onObject = (o: k8s.KubernetesObject) => {
      if (isNamespaces) {
        // A namespace's annotations changed: its Deployments may have opted in or out.
        for (const i of deployments) for (const d of i.list(o.metadata?.name)) enqueue(keyOf(d.metadata?.namespace ?? '', d.metadata?.name ?? ''));
      } else enqueue(keyOf(o.metadata?.namespace ?? '', o.metadata?.name ?? ''));
    };
    informer.on('add', onObject);
    informer.on('update', onObject);
    if (!isNamespaces) informer.on('delete', (o) => void states.delete(keyOf(o.metadata?.namespace ?? '', o.metadata?.name ?? '')));
    // client-node stops an informer on any error but 410 and timeouts; start it again.
    informer.on('error', (err: unknown) => {
      if (!running) return;
      log.warn({ err }, 'informer stopped; restarting');
      const t = setTimeout(() => void (running ? informer.start().catch(() => undefined) : undefined), opts.restartDelayMs ?? 1000);
      timers.push(t);
    });
  }
  deployments.forEach((i) => wire(i as Informer<k8s.KubernetesObject>, false));
  wire(namespaces as Informer<k8s.KubernetesObject>, true);

  return {
    async start() {
      if (running) return;
      running = true;
      // Namespaces first: opt-outs must be known before the first Deployment is judged.
      await namespaces.start().catch((err: unknown) => log.warn({ err }, 'namespace informer failed to start'));
      await Promise.all(deployments.map((i) => i.start().catch((err: unknown) => log.warn({ err }, 'deployment informer failed to start'))));
      // After a stop/start the informer cache fires no events for unchanged objects.
      for (const i of deployments) for (const d of i.list()) enqueue(keyOf(d.metadata?.namespace ?? '', d.metadata?.name ?? ''));
      timers.push(
        setInterval(() => {
          for (const [key, s] of states) if (s.status === ROLLOUT_STATUS.PENDING || s.status === ROLLOUT_STATUS.ROLLING_OUT) enqueue(key);
        }, opts.checkIntervalMs),
        setInterval(() => {
          for (const i of deployments) for (const d of i.list()) enqueue(keyOf(d.metadata?.namespace ?? '', d.metadata?.name ?? ''));
        }, opts.resyncMs),
      );
      log.info({ namespaces: opts.namespaces.length ? opts.namespaces : 'all' }, 'watching Deployment rollouts');
    },
    async stop() {
      if (!running) return;
      running = false;
      for (const t of timers.splice(0)) clearTimeout(t);
      await Promise.all(informers.map((i) => i.stop()));
      await chain;
      states.clear();
    },
    flush: () => chain,
  };
}
