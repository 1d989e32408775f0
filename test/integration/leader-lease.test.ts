import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeLeaseElector, type LeaderElector } from '../../src/leader/make-lease-elector.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api.js';
import { eventually } from '../support/test-service.js';

describe('Lease leader election against the fake API server', () => {
  let kube: FakeKubeApi;
  const electors: LeaderElector[] = [];
  const log: string[] = [];

  function candidate(identity: string): LeaderElector {
    const e = makeLeaseElector({
      kubeConfig: kube.kubeConfig(),
      namespace: 'k8flex',
      name: 'k8flex-watcher',
      identity,
      leaseDurationMs: 400,
      renewIntervalMs: 50,
      retryIntervalMs: 50,
      onStartedLeading: () => log.push(`${identity} leads`),
      onStoppedLeading: () => log.push(`${identity} stops`),
      logger: silentLogger(),
    });
    electors.push(e);
    return e;
  }
  const holder = () => (kube.store.get({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true }, 'k8flex', 'k8flex-watcher') as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity;

  before(async () => {
    kube = await startFakeKubeApi({ objects: [] });
  });
  after(async () => {
    await Promise.all(electors.map((e) => e.stop({ release: false })));
    await kube.close();
  });

  it('exactly one of three candidates leads, and the Lease names it', async () => {
    const all = [candidate('a'), candidate('b'), candidate('c')];
    all.forEach((e) => e.start());
    const leader = await eventually(async () => all.find((e) => e.isLeader()), 5000, 'a leader');
    // Several renew periods later there is still exactly one.
    await eventually(async () => (log.filter((l) => l.endsWith('leads')).length >= 1 && kube.requests.filter((r) => r.method === 'PUT').length >= 5 ? true : undefined), 5000, 'renewals');
    assert.equal(all.filter((e) => e.isLeader()).length, 1);
    assert.equal(holder(), ['a', 'b', 'c'][all.indexOf(leader)]);
  });

  it('when the leader dies without releasing, another candidate takes over after the lease duration', async () => {
    const leader = electors.find((e) => e.isLeader());
    assert.ok(leader);
    const old = holder();
    await leader.stop({ release: false });
    const next = await eventually(async () => electors.find((e) => e !== leader && e.isLeader()), 5000, 'a new leader');
    assert.ok(next);
    assert.notEqual(holder(), old);
  });

  it('a leader that stops gracefully releases the Lease and a successor takes over', async () => {
    const leader = electors.find((e) => e.isLeader());
    assert.ok(leader);
    const old = holder();
    await leader.stop();
    assert.ok(!leader.isLeader());
    const next = await eventually(async () => electors.find((e) => e.isLeader()), 5000, 'a successor');
    assert.notEqual(next, leader);
    assert.notEqual(holder(), old);
    assert.ok(holder());
  });
});
