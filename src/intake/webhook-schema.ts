import { z } from 'zod';

/**
 * Alertmanager's webhook payload, version 4
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 * Sizes are capped so one hostile payload cannot fill the database.
 */

const MAX_LABEL_VALUE = 16 * 1024;
const MAX_ANNOTATION_VALUE = 64 * 1024;

/** PostgreSQL text and jsonb cannot store U+0000: refused here (400) rather than failing the insert (503, retried forever). */
const text = (max: number) => z.string().max(max).refine((s) => !s.includes('\u0000'), 'NUL characters are not allowed');
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 3339 timestamp');
const labelSet = z.record(text(1024), text(MAX_LABEL_VALUE));
const annotationSet = z.record(text(1024), text(MAX_ANNOTATION_VALUE));

export const webhookAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, {
    message: 'alertname label is required',
    path: ['alertname'],
  }),
  annotations: annotationSet.default({}),
  startsAt: timestamp,
  endsAt: timestamp.or(z.literal('')).default(''),
  generatorURL: text(8192).default(''),
  fingerprint: text(256).min(1),
});

export const webhookPayloadSchema = z.object({
  version: z.literal('4', { message: 'only webhook payload version "4" is supported' }),
  groupKey: text(16 * 1024).default(''),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: text(1024).default(''),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: annotationSet.default({}),
  externalURL: text(8192).default(''),
  alerts: z.array(webhookAlertSchema).min(1, 'at least one alert is required').max(10_000),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
export type WebhookAlert = z.infer<typeof webhookAlertSchema>;

/** `alerts[0].labels.alertname: alertname label is required; version: …` */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
        '',
      );
      return `${path || 'body'}: ${issue.message}`;
    })
    .join('; ');
}
