/**
 * Rewrites the configuration table in README.md (between `<!-- config-table -->`
 * markers) from .env.example, so the two cannot drift: `npx tsx scripts/config-table.ts`.
 * test/unit/readme-config.test.ts fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

export type ConfigRow = { name: string; defaultValue: string; meaning: string; section: string };

export function parseEnvExample(text: string): ConfigRow[] {
  const rows: ConfigRow[] = [];
  let comments: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^# -+ (.+)$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      comments = [];
    } else if (line.startsWith('#')) {
      comments.push(line.replace(/^#\s?/, ''));
    } else if (/^[A-Z][A-Z0-9_]*=/.test(line)) {
      const eq = line.indexOf('=');
      rows.push({ name: line.slice(0, eq), defaultValue: line.slice(eq + 1), meaning: comments.join(' '), section });
      comments = [];
    } else if (line === '') {
      comments = [];
    }
  }
  return rows;
}

export function renderConfigTable(rows: ConfigRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| variable | default | meaning |',
    '|---|---|---|',
    ...rows.map((r) => `| \`${r.name}\` | ${r.defaultValue ? `\`${cell(r.defaultValue)}\`` : '—'} | ${cell(r.meaning)} |`),
  ].join('\n');
}

export function readmeWithTable(readme: string, table: string): string {
  return readme.replace(/<!-- config-table -->[\s\S]*?<!-- \/config-table -->/, `<!-- config-table -->\n${table}\n<!-- /config-table -->`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const rows = parseEnvExample(readFileSync(join(ROOT, '.env.example'), 'utf8'));
  const readmePath = join(ROOT, 'README.md');
  writeFileSync(readmePath, readmeWithTable(readFileSync(readmePath, 'utf8'), renderConfigTable(rows)));
  console.log(`README.md: ${rows.length} variables`);
}
