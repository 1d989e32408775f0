import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeRateBudget } from '../../src/slack/make-rate-budget.js';
import { routeSlackChannel } from '../../src/slack/route-slack-channel.js';

function budgetAt(perMinute: number, reserve?: number) {
  let now = 0;
  const budget = makeRateBudget({ perMinute, clock: () => now, ...(reserve === undefined ? {} : { reserve }) });
  return { budget, at: (t: number) => (now = t) };
}

describe('makeRateBudget', () => {
  it('gives streaming updates all but the reserve and completions the rest', () => {
    const { budget } = budgetAt(10, 2);
    const stream = Array.from({ length: 12 }, () => budget.tryTake('stream') !== null).filter(Boolean).length;
    const final = Array.from({ length: 5 }, () => budget.tryTake('final') !== null).filter(Boolean).length;
    assert.deepEqual([stream, final], [8, 2]);
  });

  it('frees a slot once the oldest call is a minute old', () => {
    const { budget, at } = budgetAt(2, 1);
    at(1000);
    assert.ok(budget.tryTake('final'));
    at(5000);
    assert.ok(budget.tryTake('final'));
    assert.equal(budget.tryTake('final'), null);
    assert.equal(budget.msUntilFree('final'), 56_000);
    at(61_000);
    assert.ok(budget.tryTake('final'));
  });

  it('counts a call from when it settled, not when it started', () => {
    const { budget, at } = budgetAt(1, 0);
    const slot = budget.tryTake('final');
    at(10_000);
    slot?.settled();
    at(65_000);
    assert.equal(budget.tryTake('final'), null);
    assert.equal(budget.msUntilFree('final'), 5000);
  });

  it('stops every call until a Retry-After pause ends', () => {
    const { budget, at } = budgetAt(50);
    budget.pauseUntil(30_000);
    assert.equal(budget.tryTake('final'), null);
    assert.equal(budget.msUntilFree('stream'), 30_000);
    at(30_000);
    assert.ok(budget.tryTake('stream'));
  });

  it('keeps a reserve of a fifth by default', () => {
    const { budget } = budgetAt(45);
    let n = 0;
    while (budget.tryTake('stream')) n += 1;
    assert.equal(n, 36);
    assert.equal(budget.used(), 36);
  });
});

describe('routeSlackChannel', () => {
  const cases: [string, Parameters<typeof routeSlackChannel>[0], ReturnType<typeof routeSlackChannel>][] = [
    ['the namespace annotation wins', { namespaceAnnotations: { 'k8flex/slack-channel': '#ns' }, labels: { slack_channel: '#label' }, defaultChannel: '#d' }, { channel: '#ns', source: 'namespace-annotation' }],
    ['the label comes next', { namespaceAnnotations: {}, labels: { slack_channel: ' #label ' }, defaultChannel: '#d' }, { channel: '#label', source: 'alert-label' }],
    ['the default comes last', { namespaceAnnotations: { 'k8flex/slack-channel': '  ' }, labels: {}, defaultChannel: '#d' }, { channel: '#d', source: 'default' }],
    ['nothing configured gives null', { namespaceAnnotations: {}, labels: {}, defaultChannel: null }, null],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(routeSlackChannel(input), expected));
});
