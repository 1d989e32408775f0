import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type * as k8s from '@kubernetes/client-node';
import type pg from 'pg';
import type { Env } from '../config/config.js';
import { makeLeaseElector } from '../leader/make-lease-elector.js';
import type { Logger } from '../observability/logger.js';
import { makeRolloutWatcher } from './make-rollout-watcher.js';

/**
 * The 'watcher' role: campaign for the Lease and run the rollout watcher only while
 * leading. Returns a stop function that stops watching and releases the Lease.
 */
export function startRolloutWatching(deps: {
  env: Env;
  kubeConfig: k8s.KubeConfig;
  pool: pg.Pool;
  cluster: string;
  onJobsCreated: () => void;
  logger: Logger;
}): () => Promise<void> {
  const { env } = deps;
  const watcher = makeRolloutWatcher({
    kubeConfig: deps.kubeConfig,
    pool: deps.pool,
    cluster: deps.cluster,
    namespaces: env.WATCH_NAMESPACES,
    config: { failureGraceMs: env.ROLLOUT_FAILURE_GRACE_SECONDS * 1000, timeoutMs: env.ROLLOUT_TIMEOUT_SECONDS * 1000 },
    limits: { perNamespacePerHour: env.ROLLOUT_MAX_PER_NAMESPACE_PER_HOUR, perClusterPerHour: env.ROLLOUT_MAX_PER_CLUSTER_PER_HOUR },
    maxAttempts: env.JOB_MAX_ATTEMPTS,
    checkIntervalMs: env.ROLLOUT_CHECK_INTERVAL_SECONDS * 1000,
    resyncMs: env.ROLLOUT_RESYNC_SECONDS * 1000,
    onJobsCreated: deps.onJobsCreated,
    logger: deps.logger,
  });
  let transition: Promise<void> = Promise.resolve();
  const leaseMs = env.LEADER_LEASE_SECONDS * 1000;
  const elector = makeLeaseElector({
    kubeConfig: deps.kubeConfig,
    namespace: env.LEADER_LEASE_NAMESPACE,
    name: env.LEADER_LEASE_NAME,
    identity: `${hostname()}-${randomUUID().slice(0, 8)}`,
    leaseDurationMs: leaseMs,
    renewIntervalMs: Math.max(500, Math.floor(leaseMs / 3)),
    retryIntervalMs: Math.max(500, Math.floor(leaseMs / 3)),
    onStartedLeading: () => void (transition = transition.then(() => watcher.start())),
    onStoppedLeading: () => void (transition = transition.then(() => watcher.stop())),
    logger: deps.logger,
  });
  elector.start();
  return async () => {
    await elector.stop();
    await transition;
    await watcher.stop();
  };
}
