import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs } from '../../src/jobs/backoff.js';

describe('backoffDelayMs', () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  it('doubles the ceiling with each attempt', () => {
    assert.equal(backoffDelayMs(1, opts, () => 1), 1000);
    assert.equal(backoffDelayMs(2, opts, () => 1), 2000);
    assert.equal(backoffDelayMs(4, opts, () => 1), 8000);
  });
  it('never waits less than half the ceiling (jitter floor)', () => {
    assert.equal(backoffDelayMs(3, opts, () => 0), 2000);
  });
  it('caps the delay at maxMs however many attempts', () => {
    assert.equal(backoffDelayMs(50, opts, () => 1), 60_000);
    assert.ok(backoffDelayMs(1000, opts, Math.random) <= 60_000);
  });
});
