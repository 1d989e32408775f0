import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { pickWorstPod } from '../../src/k8s/resolve-target.js';
import { selectorString } from '../../src/k8s/read-workload.js';

function pod(name: string, phase: string, ready: boolean, restarts: number): k8s.V1Pod {
  return { metadata: { name }, status: { phase, containerStatuses: [{ name: 'c', ready, restartCount: restarts, image: 'i', imageID: '' }] } };
}

describe('pickWorstPod', () => {
  it('prefers an unready pod over a ready one with more restarts', () => {
    const worst = pickWorstPod([pod('ready-many', 'Running', true, 50), pod('unready', 'Running', false, 1), pod('ok', 'Running', true, 0)]);
    assert.equal(worst?.metadata?.name, 'unready');
  });

  it('breaks ties among unready pods by restart count, then by name', () => {
    assert.equal(pickWorstPod([pod('b', 'Pending', false, 0), pod('a', 'Running', false, 3)])?.metadata?.name, 'a');
    assert.equal(pickWorstPod([pod('b', 'Pending', false, 0), pod('a', 'Pending', false, 0)])?.metadata?.name, 'a');
  });

  it('returns undefined for no pods', () => {
    assert.equal(pickWorstPod([]), undefined);
  });
});

describe('selectorString', () => {
  it('turns matchLabels and matchExpressions into an API label selector', () => {
    assert.equal(
      selectorString({
        matchLabels: { app: 'api' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'edge'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      }),
      'app=api,tier in (web,edge),!canary',
    );
  });

  it('returns null for an empty selector so nothing lists the whole namespace by accident', () => {
    assert.equal(selectorString({}), null);
    assert.equal(selectorString(undefined), null);
  });
});
