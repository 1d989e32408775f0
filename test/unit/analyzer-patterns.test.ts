import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFailedScheduling } from '../../src/diagnose/analyzers/scheduling.js';
import { matchLogPatterns, targetOfLine } from '../../src/diagnose/log-patterns.js';

const SCHEDULING: Array<[message: string, cause: string]> = [
  ['0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.', 'insufficient-cpu'],
  ['0/5 nodes are available: 2 Insufficient memory, 3 node(s) had untolerated taint {dedicated: gpu}. preemption: …', 'untolerated-taint'],
  ["0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", 'node-selector-mismatch'],
  ['0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', 'unbound-pvc'],
  ['0/2 nodes are available: 2 Too many pods.', 'too-many-pods'],
];

for (const [message, cause] of SCHEDULING) {
  test(`FailedScheduling "${message.slice(0, 60)}…" is mostly ${cause}`, () => {
    const parts = parseFailedScheduling(message).sort((a, b) => b.count - a.count);
    assert.equal(parts[0]?.cause, cause);
  });
}

const LOGS: Array<[line: string, kind: string]> = [
  ['dial tcp: lookup redis on 10.96.0.10:53: no such host', 'dns'],
  ['FATAL: could not connect to server: Connection refused', 'dependency-connection-refused'],
  ['x509: certificate has expired or is not yet valid', 'certificate-invalid'],
  ['panic: runtime error: index out of range [3] with length 3', 'app-panic'],
  ['java.lang.IllegalStateException: Failed to load ApplicationContext', 'app-exception'],
  ["Error: Cannot find module '/app/server.js'", 'app-exception'],
  ['open /data/app.db: permission denied', 'permission-denied'],
  ['write /var/lib/postgresql/data/base/1/2: No space left on device', 'volume-filling-up'],
  ['level=fatal msg="config file missing"', 'app-fatal'],
];

for (const [line, kind] of LOGS) {
  test(`the log line "${line.slice(0, 50)}" is recognised as ${kind}`, () => {
    assert.equal(matchLogPatterns(`starting\n${line}\n`)[0]?.kind, kind);
  });
}

test('a Python traceback quotes its last line as the decisive one', () => {
  const log = 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n    x()\nKeyError: \'DATABASE_URL\'\n';
  assert.equal(matchLogPatterns(log)[0]?.line, "KeyError: 'DATABASE_URL'");
});

test('refused and DNS lines name the host they were about', () => {
  assert.deepEqual(targetOfLine('dial tcp 10.96.14.20:5432: connect: connection refused'), { host: '10.96.14.20', port: '5432' });
  assert.deepEqual(targetOfLine('lookup redis-master.cache.svc.cluster.local on 10.96.0.10:53: no such host'), { host: 'redis-master.cache.svc.cluster.local', port: null });
});
