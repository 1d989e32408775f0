import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { envSchema } from '../../src/config/config.js';
import { findOne, renderKustomize, type K8sObject } from './support/render.js';
import { modelNameFor, validateK8sObject } from './support/validate-k8s-object.js';

type Container = {
  name: string;
  args?: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string; optional?: boolean } }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodSpec = {
  serviceAccountName: string;
  terminationGracePeriodSeconds: number;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: unknown; persistentVolumeClaim?: { claimName: string } }[];
};
type Deployment = K8sObject & { spec: { replicas: number; strategy?: { type: string }; template: { spec: PodSpec } } };
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*'];
const renders = {
  base: renderKustomize('base'),
  embedded: renderKustomize('overlays/embedded'),
  postgres: renderKustomize('overlays/postgres'),
};
const deploymentOf = (objects: K8sObject[]) => findOne(objects, 'Deployment', 'k8flex') as Deployment;
const containerOf = (objects: K8sObject[]) => deploymentOf(objects).spec.template.spec.containers[0] as Container;
const shutdownSeconds = Number(envSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(undefined)) / 1000;

for (const [name, objects] of Object.entries(renders)) {
  describe(`kustomize ${name}`, () => {
    test('every built-in object matches its Kubernetes schema', () => {
      for (const object of objects.filter((o) => modelNameFor(o.apiVersion, o.kind))) {
        assert.deepEqual(validateK8sObject(object), [], `${object.kind}/${object.metadata.name}`);
      }
    });

    test('the only custom resource is a ServiceMonitor scraping /metrics on the http port', () => {
      const custom = objects.filter((o) => !modelNameFor(o.apiVersion, o.kind));
      assert.deepEqual(custom.map((o) => `${o.apiVersion} ${o.kind}`), ['monitoring.coreos.com/v1 ServiceMonitor']);
      const spec = (custom[0] as K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } }).spec;
      assert.deepEqual(spec.endpoints.map((e) => [e.port, e.path]), [['http', '/metrics']]);
      const service = findOne(objects, 'Service', 'k8flex') as K8sObject & { spec: { ports: { name: string }[] } };
      assert.ok(service.spec.ports.some((p) => p.name === 'http'));
      assert.deepEqual(spec.selector.matchLabels, { 'app.kubernetes.io/name': 'k8flex' });
    });

    test('every namespaced object lives in the k8flex namespace', () => {
      const cluster = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
      for (const object of objects.filter((o) => !cluster.has(o.kind))) assert.equal(object.metadata.namespace, 'k8flex', `${object.kind}/${object.metadata.name}`);
    });

    test('no ClusterRole or Role grants a write verb or any access to secrets', () => {
      const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
      assert.ok(roles.some((r) => r.metadata.name === 'k8flex-reader'));
      for (const role of roles) {
        for (const rule of (role as K8sObject & { rules: Rule[] }).rules) {
          const leaseOnly = role.kind === 'Role' && rule.apiGroups.includes('coordination.k8s.io') && rule.resources.every((r) => r === 'leases');
          const writes = rule.verbs.filter((v) => WRITE_VERBS.includes(v));
          // Leader election is the one write: create/update of a Lease in our own namespace.
          if (leaseOnly) assert.deepEqual(writes.filter((v) => v !== 'create' && v !== 'update'), [], role.metadata.name);
          else assert.deepEqual(writes, [], `${role.kind}/${role.metadata.name}`);
          assert.ok(!rule.resources.includes('secrets') && !rule.resources.includes('*'), `${role.kind}/${role.metadata.name} reaches secrets`);
        }
      }
    });

    test('the reader ClusterRole is bound to the k8flex service account the pod runs as', () => {
      const binding = findOne(objects, 'ClusterRoleBinding', 'k8flex-reader') as K8sObject & { roleRef: { name: string }; subjects: { kind: string; name: string; namespace: string }[] };
      assert.equal(binding.roleRef.name, 'k8flex-reader');
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'k8flex', namespace: 'k8flex' }]);
      assert.equal(deploymentOf(objects).spec.template.spec.serviceAccountName, 'k8flex');
    });

    test('the rollout watcher can watch Deployments and hold its Lease in k8flex, and nothing more', () => {
      const watcher = findOne(objects, 'ClusterRole', 'k8flex-watcher') as K8sObject & { rules: Rule[] };
      assert.deepEqual(new Set(watcher.rules.flatMap((r) => r.resources)), new Set(['deployments', 'replicasets', 'pods', 'namespaces']));
      const lease = findOne(objects, 'Role') as K8sObject & { rules: Rule[] };
      assert.equal(lease.metadata.namespace, 'k8flex');
      assert.deepEqual(lease.rules, [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }]);
      const config = findOne(objects, 'ConfigMap') as K8sObject & { data: Record<string, string> };
      assert.equal(config.data.LEADER_LEASE_NAMESPACE, lease.metadata.namespace);
      for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
        const bindings = objects.filter((o) => o.kind === kind) as (K8sObject & { subjects: { name: string; namespace: string }[] })[];
        for (const b of bindings) assert.deepEqual(b.subjects.map((x) => `${x.namespace}/${x.name}`), ['k8flex/k8flex'], b.metadata.name);
      }
    });

    test('the container probes /healthz and /readyz and is given requests and a memory limit', () => {
      const c = containerOf(objects);
      assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
      assert.equal(c.startupProbe?.httpGet?.path, '/healthz');
      assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
      assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory);
      assert.deepEqual(c.args, ['serve']);
    });

    test('the pod runs non-root with a read-only root filesystem, no capabilities and a writable /tmp', () => {
      const spec = deploymentOf(objects).spec.template.spec;
      const c = containerOf(objects);
      assert.equal(spec.securityContext.runAsNonRoot, true);
      assert.deepEqual(spec.securityContext.seccompProfile, { type: 'RuntimeDefault' });
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
      assert.deepEqual(c.securityContext?.capabilities, { drop: ['ALL'] });
      const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
      assert.ok(tmp && spec.volumes.find((v) => v.name === tmp.name)?.emptyDir !== undefined);
    });

    test('the grace period outlasts the shutdown deadline plus the preStop pause', () => {
      assert.ok(deploymentOf(objects).spec.template.spec.terminationGracePeriodSeconds >= shutdownSeconds + 5 + 5);
    });

    test('the pod reads the generated ConfigMap and the k8flex-secrets Secret', () => {
      const configMap = findOne(objects, 'ConfigMap');
      const from = containerOf(objects).envFrom ?? [];
      assert.ok(from.some((f) => f.configMapRef?.name === configMap.metadata.name));
      assert.match(configMap.metadata.name, /^k8flex-config-[a-z0-9]+$/);
      assert.ok(from.some((f) => f.secretRef?.name === 'k8flex-secrets'));
      assert.ok(!objects.some((o) => o.kind === 'Secret'), 'secret values are never rendered by the kustomization');
    });

    test('the PodDisruptionBudget and NetworkPolicy select the k8flex pods', () => {
      const labels = (deploymentOf(objects).spec.template as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels;
      const pdb = findOne(objects, 'PodDisruptionBudget') as K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } };
      const policy = findOne(objects, 'NetworkPolicy') as K8sObject & { spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { ports: { port: number }[] }[] } };
      for (const selector of [pdb.spec.selector.matchLabels, policy.spec.podSelector.matchLabels]) {
        for (const [k, v] of Object.entries(selector)) assert.equal(labels[k], v);
      }
      assert.deepEqual(policy.spec.ingress.flatMap((i) => i.ports.map((p) => p.port)), [8080]);
    });
  });
}

describe('kustomize overlays', () => {
  test('embedded runs one replica with Recreate and keeps DATA_DIR on a PersistentVolumeClaim', () => {
    const d = deploymentOf(renders.embedded);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
    const data = d.spec.template.spec.volumes.find((v) => v.name === 'data');
    assert.deepEqual(data, { name: 'data', persistentVolumeClaim: { claimName: 'k8flex-data' } });
    findOne(renders.embedded, 'PersistentVolumeClaim', 'k8flex-data');
    const dataDir = findOne(renders.embedded, 'ConfigMap') as K8sObject & { data: Record<string, string> };
    assert.equal(containerOf(renders.embedded).volumeMounts?.find((m) => m.name === 'data')?.mountPath, dataDir.data.DATA_DIR);
  });

  test('postgres runs several replicas and requires DATABASE_URL from the Secret', () => {
    const d = deploymentOf(renders.postgres);
    assert.ok(d.spec.replicas > 1);
    assert.equal(d.spec.strategy?.type, 'RollingUpdate');
    const env = containerOf(renders.postgres).env?.find((e) => e.name === 'DATABASE_URL');
    assert.deepEqual(env?.valueFrom?.secretKeyRef, { name: 'k8flex-secrets', key: 'DATABASE_URL' });
    assert.ok(!renders.postgres.some((o) => o.kind === 'PersistentVolumeClaim'));
  });
});
