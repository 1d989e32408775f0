import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reduceLog } from '../../src/redact/reduce-log.js';

describe('reduceLog', () => {
  it('returns a short log unchanged', () => {
    const out = reduceLog('starting\nlistening on :8080\n', { maxBytes: 1000 });
    assert.deepEqual(out, { text: 'starting\nlistening on :8080', truncated: false, collapsed: 0 });
  });

  it('collapses consecutive lines that differ only in timestamps and numbers, with a count', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `2024-05-01T10:00:${String(i).padStart(2, '0')}Z retrying connection attempt ${i}`);
    const out = reduceLog(['boot', ...lines, 'giving up'].join('\n'), { maxBytes: 10_000 });
    assert.equal(out.collapsed, 49);
    assert.equal(out.truncated, false);
    assert.deepEqual(out.text.split('\n'), ['boot', '2024-05-01T10:00:49Z retrying connection attempt 49  [×50 similar lines]', 'giving up']);
  });

  it('keeps the error and stack lines and the last lines before the crash when over the byte cap', () => {
    const noise = Array.from({ length: 400 }, (_, i) => `info request ${i % 7 === 0 ? 'GET' : 'POST'} /path/${'x'.repeat(i % 13)} served`);
    const log = [
      ...noise.slice(0, 100),
      'Exception in thread "main" java.lang.IllegalStateException: pool exhausted',
      '    at com.example.Pool.get(Pool.java:42)',
      ...noise.slice(100),
      'shutting down after fatal error',
    ].join('\n');
    const out = reduceLog(log, { maxBytes: 2048 });
    assert.equal(out.truncated, true);
    assert.ok(Buffer.byteLength(out.text) <= 2048);
    assert.match(out.text, /IllegalStateException: pool exhausted/);
    assert.match(out.text, /at com\.example\.Pool\.get/);
    assert.match(out.text, /shutting down after fatal error$/);
    assert.match(out.text, /… \[\d+ lines omitted\]/);
  });

  it('cuts a single enormous line to fit the cap', () => {
    const out = reduceLog('a'.repeat(50_000), { maxBytes: 1024 });
    assert.equal(out.truncated, true);
    assert.ok(Buffer.byteLength(out.text) <= 1024);
  });
});
