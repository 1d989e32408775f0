import * as k8s from '@kubernetes/client-node';
import type { Logger } from '../observability/logger.js';
import { leaseDecision, observe, type LeaseRecord, type Observation } from './lease-decision.js';

/**
 * Leader election over a coordination.k8s.io Lease (client-node has no elector):
 * read, then create, renew or take over with replace, relying on the API server's
 * resourceVersion check so two candidates cannot both win. The leader renews every
 * `renewIntervalMs` and steps down when it cannot renew within the renew deadline
 * (two thirds of the lease) or finds another holder; candidates retry every
 * `retryIntervalMs` and take over once the record has not changed for a lease
 * duration. `stop()` releases the lease so a successor need not wait.
 */
export type LeaderElector = {
  start(): void;
  /** Stops campaigning; releases the lease unless `release` is false (as when a process dies). */
  stop(options?: { release?: boolean }): Promise<void>;
  isLeader(): boolean;
};

export type LeaseElectorOptions = {
  kubeConfig: k8s.KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewIntervalMs: number;
  retryIntervalMs: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  logger: Logger;
  now?: () => number;
};

function recordOf(lease: k8s.V1Lease): LeaseRecord {
  return {
    holder: lease.spec?.holderIdentity || null,
    renewTime: lease.spec?.renewTime ? new Date(lease.spec.renewTime).toISOString() : null,
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

function codeOf(error: unknown): number | null {
  return error instanceof k8s.ApiException ? error.code : null;
}

export function makeLeaseElector(opts: LeaseElectorOptions): LeaderElector {
  const now = opts.now ?? Date.now;
  const api = opts.kubeConfig.makeApiClient(k8s.CoordinationV1Api);
  const log = opts.logger.child({ component: 'leader', lease: `${opts.namespace}/${opts.name}`, identity: opts.identity });
  const seconds = Math.max(1, Math.ceil(opts.leaseDurationMs / 1000));
  const renewDeadlineMs = Math.floor((opts.leaseDurationMs * 2) / 3);
  let leading = false;
  let lastRenew = 0;
  let observation: Observation | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let tick: Promise<void> = Promise.resolve();

  function spec(acquireTime: Date | undefined): k8s.V1LeaseSpec {
    const t = now();
    return {
      holderIdentity: opts.identity,
      leaseDurationSeconds: seconds,
      acquireTime: new k8s.V1MicroTime(acquireTime ? acquireTime.getTime() : t),
      renewTime: new k8s.V1MicroTime(t),
    };
  }

  function setLeading(value: boolean): void {
    if (value === leading) return;
    leading = value;
    if (value) {
      log.info('became the leader');
      opts.onStartedLeading();
    } else {
      log.info('stopped leading');
      opts.onStoppedLeading();
    }
  }

  async function attempt(): Promise<void> {
    let lease: k8s.V1Lease | null = null;
    try {
      lease = await api.readNamespacedLease({ name: opts.name, namespace: opts.namespace });
    } catch (error) {
      if (codeOf(error) !== 404) throw error;
    }
    const record = lease ? recordOf(lease) : null;
    if (record) observation = observe(record, observation, now());
    const action = leaseDecision(record, observation, opts.identity, now(), opts.leaseDurationMs);
    if (action === 'wait') {
      setLeading(false);
      return;
    }
    if (action === 'create') {
      await api.createNamespacedLease({ namespace: opts.namespace, body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: opts.name, namespace: opts.namespace }, spec: spec(undefined) } });
    } else {
      const keepAcquire = action === 'renew' && lease?.spec?.acquireTime ? new Date(lease.spec.acquireTime) : undefined;
      await api.replaceNamespacedLease({
        name: opts.name,
        namespace: opts.namespace,
        body: { ...lease, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { ...lease?.metadata, name: opts.name, namespace: opts.namespace }, spec: { ...lease?.spec, ...spec(keepAcquire) } },
      });
    }
    lastRenew = now();
    setLeading(true);
  }

  async function loop(): Promise<void> {
    try {
      await attempt();
    } catch (error) {
      // 409: another candidate wrote first; it is the leader now.
      const conflict = codeOf(error) === 409;
      if (conflict) setLeading(false);
      else log.warn({ err: error }, 'lease read or write failed');
      if (leading && now() - lastRenew >= renewDeadlineMs) setLeading(false);
    }
    if (running) timer = setTimeout(() => void (tick = loop()), leading ? opts.renewIntervalMs : opts.retryIntervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      tick = loop();
    },
    async stop(options = {}) {
      running = false;
      if (timer) clearTimeout(timer);
      await tick;
      if (!leading) return;
      setLeading(false);
      if (options.release === false) return;
      try {
        const lease = await api.readNamespacedLease({ name: opts.name, namespace: opts.namespace });
        if (lease.spec?.holderIdentity === opts.identity) {
          await api.replaceNamespacedLease({ name: opts.name, namespace: opts.namespace, body: { ...lease, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } } });
        }
      } catch (error) {
        log.warn({ err: error }, 'could not release the lease; a successor takes over after it expires');
      }
    },
    isLeader: () => leading,
  };
}
