import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookPayload } from '../../src/intake/webhook-schema.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function loadPayload(name: string): WebhookPayload {
  return JSON.parse(readFileSync(join(FIXTURES, 'alertmanager', `${name}.json`), 'utf8')) as WebhookPayload;
}

type AlertInput = {
  alertname?: string;
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  fingerprint: string;
  startsAt?: string;
  endsAt?: string;
};

/** A webhook payload version 4 as Alertmanager builds it. */
export function makePayload(alerts: AlertInput[], status?: 'firing' | 'resolved'): WebhookPayload {
  const built = alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: { alertname: a.alertname ?? 'KubePodCrashLooping', severity: 'warning', ...a.labels },
    annotations: a.annotations ?? { summary: 'test alert' },
    startsAt: a.startsAt ?? '2026-11-22T05:00:00Z',
    endsAt: a.endsAt ?? (a.status === 'resolved' ? '2026-11-22T05:14:00Z' : '0001-01-01T00:00:00Z'),
    generatorURL: 'http://prometheus.example/graph?g0.expr=up',
    fingerprint: a.fingerprint,
  }));
  return {
    version: '4',
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    status: status ?? (built.some((a) => a.status === 'firing') ? 'firing' : 'resolved'),
    receiver: 'k8flex',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: built,
  };
}
