import type { AlertmanagerAlert, IncidentSubject } from '../domain/types.js';
import { workloadFromLabels } from '../intake/workload-from-labels.js';

type Payload = { externalURL?: string; alerts?: unknown[] };

/** The IncidentSubject for one Alertmanager alert, as the evaluation builds it. */
export function subjectFromAlert(alert: AlertmanagerAlert, payload: Payload, incidentId: string, cluster: string): IncidentSubject {
  const labels = alert.labels;
  return {
    incidentId,
    source: 'alert',
    cluster,
    alertname: labels.alertname ?? '',
    severity: labels.severity ?? 'warning',
    labels,
    annotations: alert.annotations,
    namespace: labels.namespace ?? labels.exported_namespace ?? null,
    workload: workloadFromLabels(labels),
    description: alert.annotations.summary ?? alert.annotations.message ?? null,
    startsAt: alert.startsAt,
    generatorURL: alert.generatorURL || null,
    externalURL: payload.externalURL ?? null,
  };
}
