import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * Docker cannot run on our machines, so these are static checks of the Dockerfile's
 * promises: what it copies exists and is not excluded by .dockerignore, and the
 * runtime stage is non-root, exec-form and health-checked.
 */
const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

test('every path the Dockerfile copies from the context exists and is not dockerignored', () => {
  const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(' '));
  assert.ok(sources.includes('src') && sources.includes('sql') && sources.includes('package-lock.json'));
  for (const source of sources) {
    assert.ok(existsSync(join(root, source)), `${source} does not exist`);
    assert.ok(!ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is dockerignored`);
  }
});

test('the runtime stage installs production dependencies only and runs the compiled CLI', () => {
  assert.match(dockerfile, /npm ci --omit=dev/);
  assert.match(runtime, /COPY --from=deps \/app\/node_modules/);
  assert.ok(existsSync(join(root, 'src', 'cli.ts')));
  assert.match(runtime, /^ENTRYPOINT \["node", "dist\/src\/cli\.js"\]$/m);
  assert.match(runtime, /^CMD \["serve"\]$/m);
});

test('the runtime stage runs as a numeric non-root user with the data directory as a volume', () => {
  const user = /^USER (\d+)(?::(\d+))?$/m.exec(runtime);
  assert.ok(user && Number(user[1]) > 0, 'USER must be numeric and not 0 so runAsNonRoot can verify it');
  assert.match(runtime, /^VOLUME \["\/data"\]$/m);
  assert.match(runtime, /DATA_DIR=\/data/);
});

test('the runtime stage carries the files read at run time and a health check on /healthz', () => {
  assert.match(runtime, /^COPY sql \.\/sql$/m);
  assert.match(runtime, /^COPY src\/dashboard\/static \.\/src\/dashboard\/static$/m);
  assert.ok(existsSync(join(root, 'src', 'dashboard', 'static', 'index.html')));
  assert.match(runtime, /^HEALTHCHECK .*\n?.*\/healthz/m);
});
