import assert from 'node:assert/strict';
import { test } from 'node:test';
import { promqlString } from '../../src/k8s/promql-string.js';
import { readPromql } from '../support/fake-prometheus/read-promql.js';

const CASES: Array<[name: string, value: string, literal: string]> = [
  ['a plain name is only quoted', 'api-7d9f', '"api-7d9f"'],
  ['a double quote is escaped', 'a"b', '"a\\"b"'],
  ['a backslash is doubled', 'a\\', '"a\\\\"'],
  ['an escaped-looking quote stays two characters', '\\"', '"\\\\\\""'],
  ['newline, carriage return and tab become escapes', 'a\nb\rc\td', '"a\\nb\\rc\\td"'],
  ['a matcher-shaped value stays one value', '",namespace=~".+', '"\\",namespace=~\\".+"'],
];

for (const [name, value, literal] of CASES) {
  test(`promqlString: ${name}, and PromQL reads back the same value`, () => {
    assert.equal(promqlString(value), literal);
    const read = readPromql(`m{l=${promqlString(value)}}`);
    assert.ok(read.ok, read.ok ? '' : read.error);
    assert.deepEqual(read.selectors, [{ metric: 'm', matchers: [{ label: 'l', op: '=', value }] }]);
  });
}
