import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseEnvExample, readmeWithTable, renderConfigTable } from '../../scripts/config-table.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('README configuration table', () => {
  it('matches .env.example exactly (regenerate with `npx tsx scripts/config-table.ts`)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = parseEnvExample(readFileSync(join(ROOT, '.env.example'), 'utf8'));
    assert.ok(rows.length > 40, 'the table lists every variable');
    assert.equal(readme, readmeWithTable(readme, renderConfigTable(rows)));
  });

  it('parses a variable with its comment as meaning and its value as default', () => {
    const rows = parseEnvExample('# ---- server\n# HTTP port.\nPORT=8080\n\n# Unused.\n\nHOST=\n');
    assert.deepEqual(rows, [
      { name: 'PORT', defaultValue: '8080', meaning: 'HTTP port.', section: 'server' },
      { name: 'HOST', defaultValue: '', meaning: '', section: 'server' },
    ]);
  });
});
