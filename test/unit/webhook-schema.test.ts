import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeZodError, webhookPayloadSchema } from '../../src/intake/webhook-schema.js';
import { loadPayload, makePayload } from '../support/alerts.js';

function errorOf(body: unknown): string {
  const r = webhookPayloadSchema.safeParse(body);
  assert.equal(r.success, false, 'expected the payload to be rejected');
  return describeZodError(r.error!);
}

describe('webhook payload schema', () => {
  it('accepts a real kube-prometheus-stack payload', () => {
    const r = webhookPayloadSchema.safeParse(loadPayload('kube-pod-crashlooping'));
    assert.ok(r.success);
    assert.equal(r.data.alerts.length, 2);
    assert.equal(r.data.alerts[0]?.labels.pod, 'checkout-api-6c9f8d7b5d-4xkqp');
  });

  it('names a missing fingerprint by its path', () => {
    const p = makePayload([{ fingerprint: 'x' }]) as unknown as { alerts: Record<string, unknown>[] };
    delete p.alerts[0]!.fingerprint;
    assert.match(errorOf(p), /alerts\[0\]\.fingerprint/);
  });

  it('names a missing alertname label', () => {
    const p = makePayload([{ fingerprint: 'x' }]);
    delete (p.alerts[0]!.labels as Record<string, string>).alertname;
    assert.match(errorOf(p), /alerts\[0\]\.labels\.alertname: alertname label is required/);
  });

  it('rejects other payload versions', () => {
    assert.match(errorOf({ ...makePayload([{ fingerprint: 'x' }]), version: '3' }), /version/);
  });

  it('rejects a label value that is not a string', () => {
    const p = makePayload([{ fingerprint: 'x' }]) as unknown as { alerts: { labels: Record<string, unknown> }[] };
    p.alerts[0]!.labels.namespace = 42;
    assert.match(errorOf(p), /alerts\[0\]\.labels\.namespace/);
  });

  it('rejects an unparseable startsAt', () => {
    assert.match(errorOf(makePayload([{ fingerprint: 'x', startsAt: 'yesterday' }])), /alerts\[0\]\.startsAt: expected an RFC 3339 timestamp/);
  });

  it('rejects an empty alerts list', () => {
    assert.match(errorOf({ ...makePayload([{ fingerprint: 'x' }]), alerts: [] }), /alerts: at least one alert/);
  });

  it('rejects oversized label values', () => {
    assert.match(errorOf(makePayload([{ fingerprint: 'x', labels: { pod: 'p'.repeat(20_000) } }])), /alerts\[0\]\.labels\.pod/);
  });
});
