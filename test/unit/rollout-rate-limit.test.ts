import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rolloutRateDecision } from '../../src/rollouts/rollout-rate-limit.js';

const limits = { perNamespacePerHour: 2, perClusterPerHour: 5 };

describe('rolloutRateDecision', () => {
  const rows: Array<[string, { namespace: number; cluster: number }, boolean, RegExp | null]> = [
    ['under both limits an investigation opens', { namespace: 1, cluster: 4 }, true, null],
    ['the namespace limit suppresses with a note naming the namespace', { namespace: 2, cluster: 2 }, false, /namespace shop .*limit 2/],
    ['the cluster limit suppresses even a quiet namespace', { namespace: 0, cluster: 5 }, false, /in this cluster .*limit 5/],
  ];
  for (const [name, opened, allowed, note] of rows) {
    it(name, () => {
      const d = rolloutRateDecision(opened, limits, 'shop');
      assert.equal(d.allowed, allowed);
      if (note && !d.allowed) assert.match(d.note, note);
    });
  }
});
