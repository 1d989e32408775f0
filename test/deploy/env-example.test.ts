import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envSchema, parseEnv } from '../../src/config/config.js';
import { LLM_ENV_VARS, llmConfigFromEnv } from '../../src/llm/llm-config.js';
import { readEnvFile, SCHEMA_VARIABLES } from './support/schema-variables.js';

const text = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
const { set } = readEnvFile(text);
const lines = text.split('\n');

test('.env.example lists exactly the variables of envSchema and LLM_ENV_VARS, each once', () => {
  const listed = lines.map((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  assert.equal(new Set(listed).size, listed.length, 'a variable is listed twice');
  assert.deepEqual([...listed].sort(), [...SCHEMA_VARIABLES].sort());
});

test('every variable in .env.example is preceded by a one-line meaning', () => {
  lines.forEach((line, i) => {
    if (!/^[A-Z][A-Z0-9_]*=/.test(line)) return;
    assert.match(lines[i - 1] ?? '', /^# \S.{8,}/, `${line} has no meaning above it`);
  });
});

test('the values in .env.example are the schema defaults, or empty where there is none', () => {
  const shape = envSchema.shape as Record<string, { parse(v: unknown): unknown }>;
  for (const [name, field] of Object.entries(shape)) {
    const value = set.get(name) ?? '';
    assert.deepEqual(field.parse(value === '' ? undefined : value), field.parse(undefined), name);
  }
  for (const v of LLM_ENV_VARS) {
    const expected = v.default.startsWith('(') || v.default.includes(' (') ? '' : v.default;
    assert.equal(set.get(v.name), expected, v.name);
  }
});

test('.env.example as written starts k8flex with the offline (no LLM) configuration', () => {
  const env = Object.fromEntries(set);
  assert.equal(parseEnv(env).PORT, 8080);
  assert.equal(llmConfigFromEnv(env).provider, 'none');
});
