#!/usr/bin/env node
// Runs every test file (test/**/*.test.ts) with Node's test runner and tsx, or only
// the files/folders given as arguments. Node 20's runner does not expand globs or
// find .ts files itself, hence this small script.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((name) => name !== 'fixtures' && name !== 'node_modules')
      .flatMap((name) => collect(join(path, name)));
  }
  return path.endsWith('.test.ts') ? [path] : [];
}

const args = process.argv.slice(2);
const files = (args.length > 0 ? args : ['test']).flatMap(collect).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
