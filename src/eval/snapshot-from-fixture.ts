import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { load, loadAll } from 'js-yaml';
import { emptySnapshot, type ClusterSnapshot } from '../domain/evidence.js';

/** kind → snapshot field and client-node model, for the kinds analyzers read. */
const KINDS: Record<string, [field: keyof ClusterSnapshot, model: string]> = {
  Pod: ['pods', 'V1Pod'],
  Event: ['events', 'CoreV1Event'],
  Node: ['nodes', 'V1Node'],
  Service: ['services', 'V1Service'],
  EndpointSlice: ['endpointSlices', 'V1EndpointSlice'],
  Deployment: ['deployments', 'V1Deployment'],
  ReplicaSet: ['replicaSets', 'V1ReplicaSet'],
  StatefulSet: ['statefulSets', 'V1StatefulSet'],
  DaemonSet: ['daemonSets', 'V1DaemonSet'],
  Job: ['jobs', 'V1Job'],
  CronJob: ['cronJobs', 'V1CronJob'],
  PersistentVolumeClaim: ['pvcs', 'V1PersistentVolumeClaim'],
  PersistentVolume: ['pvs', 'V1PersistentVolume'],
  StorageClass: ['storageClasses', 'V1StorageClass'],
  NetworkPolicy: ['networkPolicies', 'V1NetworkPolicy'],
  HorizontalPodAutoscaler: ['hpas', 'V2HorizontalPodAutoscaler'],
  ResourceQuota: ['resourceQuotas', 'V1ResourceQuota'],
  Namespace: ['namespaces', 'V1Namespace'],
};

type RawObject = { kind?: string; metadata?: { name?: string; namespace?: string }; data?: Record<string, string> };

/**
 * Everything a fixture directory holds, as the collector would have returned it
 * (client-node models, Dates for timestamps; ConfigMaps and Secrets as key listings,
 * never values). Used by unit tests and by the evaluation when no collector is wired.
 */
export function snapshotFromFixture(dir: string): ClusterSnapshot {
  const snapshot = emptySnapshot();
  const docs = loadAll(readFileSync(join(dir, 'cluster.yaml'), 'utf8')) as RawObject[];
  for (const doc of docs) {
    if (!doc?.kind) continue;
    if (doc.kind === 'ConfigMap' || doc.kind === 'Secret') {
      const listing = { namespace: doc.metadata?.namespace ?? '', name: doc.metadata?.name ?? '', keys: Object.keys(doc.data ?? {}) };
      (doc.kind === 'ConfigMap' ? snapshot.configMaps : snapshot.secrets).push(listing);
      continue;
    }
    const entry = KINDS[doc.kind];
    if (!entry) continue;
    const [field, model] = entry;
    (snapshot[field] as unknown[]).push(ObjectSerializer.deserialize(doc, model));
  }
  const logsDir = join(dir, 'logs');
  if (existsSync(logsDir)) {
    for (const namespace of readdirSync(logsDir)) {
      for (const pod of readdirSync(join(logsDir, namespace))) {
        for (const file of readdirSync(join(logsDir, namespace, pod))) {
          const m = /^(.+?)(\.previous)?\.log$/.exec(file);
          if (!m?.[1]) continue;
          snapshot.logs.push({ namespace, pod, container: m[1], previous: Boolean(m[2]), text: readFileSync(join(logsDir, namespace, pod, file), 'utf8'), truncated: false });
        }
      }
    }
  }
  const metricsFile = join(dir, 'metrics.yaml');
  if (existsSync(metricsFile)) snapshot.metrics = (load(readFileSync(metricsFile, 'utf8')) as ClusterSnapshot['metrics']) ?? [];
  return snapshot;
}
