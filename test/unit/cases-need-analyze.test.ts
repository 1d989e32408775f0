import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { casesNeedAnalyze } from '../../src/kb/analyze-cases-if-grown.js';

describe('casesNeedAnalyze', () => {
  const table: { count: number; rows: number; hasStatistics: boolean; expected: boolean; why: string }[] = [
    { count: 10, rows: -1, hasStatistics: false, expected: false, why: 'a small base is left to the defaults' },
    { count: 51, rows: -1, hasStatistics: false, expected: true, why: 'past 50 cases a never-analyzed base is analyzed' },
    { count: 51, rows: 0, hasStatistics: false, expected: true, why: 'the migration analyzed it empty' },
    { count: 3_000, rows: 3_000, hasStatistics: false, expected: true, why: 'CREATE INDEX counted the rows but collected no statistics' },
    { count: 10_900, rows: 10_000, hasStatistics: true, expected: false, why: 'growth within 50 + 10% is ignored' },
    { count: 11_100, rows: 10_000, hasStatistics: true, expected: true, why: 'growth past 50 + 10% is analyzed' },
    { count: 8_000, rows: 10_000, hasStatistics: true, expected: true, why: 'shrinking counts too' },
  ];
  for (const t of table) {
    it(`${t.expected ? 'analyzes' : 'does not analyze'} ${t.count} cases (reltuples ${t.rows}, statistics ${t.hasStatistics ? 'present' : 'absent'}): ${t.why}`, () => {
      assert.equal(casesNeedAnalyze(t), t.expected);
    });
  }
});
