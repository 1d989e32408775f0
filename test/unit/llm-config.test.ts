import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_MODELS, llmConfigFromEnv } from '../../src/llm/llm-config.js';
import { makeLlmClient } from '../../src/llm/make-llm-client.js';

test('no configuration means no LLM and the documented limits', () => {
  const config = llmConfigFromEnv({});
  assert.equal(config.provider, 'none');
  assert.deepEqual(config.limits, { firstTokenMs: 30_000, idleMs: 30_000, totalMs: 180_000, maxOutputTokens: 1500, promptTokenBudget: 12_000 });
  assert.equal(config.maxRetries, 1);
  assert.equal(makeLlmClient(config), null);
});

test('each provider gets its default model, and LLM_MODEL overrides it', () => {
  assert.equal(llmConfigFromEnv({ LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k' }).model, DEFAULT_MODELS.anthropic);
  assert.equal(llmConfigFromEnv({ LLM_PROVIDER: 'ollama' }).model, DEFAULT_MODELS.ollama);
  assert.equal(llmConfigFromEnv({ LLM_PROVIDER: 'ollama', OLLAMA_MODEL: 'qwen2.5:7b', LLM_MODEL: 'mistral' }).model, 'mistral');
  assert.equal(llmConfigFromEnv({ LLM_PROVIDER: 'ollama' }).limits.promptTokenBudget, 6000);
});

const missingKeys: Array<[Record<string, string>, string]> = [
  [{ LLM_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
  [{ LLM_PROVIDER: 'anthropic' }, 'ANTHROPIC_API_KEY'],
  [{ LLM_PROVIDER: 'gemini' }, 'GEMINI_API_KEY'],
  [{ LLM_PROVIDER: 'openai', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }, 'AZURE_OPENAI_API_KEY'],
];
for (const [env, variable] of missingKeys) {
  test(`a ConfigError names ${variable} when ${JSON.stringify(env)} has no key`, () => {
    assert.throws(() => llmConfigFromEnv(env), (error: unknown) => error instanceof ConfigError && error.variables.includes(variable) && error.message.includes(variable));
  });
}

test('an OpenAI-compatible server needs no key', () => {
  const config = llmConfigFromEnv({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://vllm:8000/v1' });
  assert.equal(config.apiKey, null);
  assert.equal(config.baseUrl, 'http://vllm:8000/v1');
});

test('every bad variable is named at once', () => {
  assert.throws(
    () => llmConfigFromEnv({ LLM_PROVIDER: 'chatgpt', LLM_IDLE_TIMEOUT_MS: 'soon', LLM_MAX_RETRIES: '5', OLLAMA_HOST: 'not a url' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      ['LLM_PROVIDER', 'LLM_IDLE_TIMEOUT_MS', 'LLM_MAX_RETRIES', 'OLLAMA_HOST'].every((v) => error.variables.includes(v)),
  );
});

test('empty variables count as unset', () => {
  assert.equal(llmConfigFromEnv({ LLM_PROVIDER: '', LLM_TOTAL_TIMEOUT_MS: '' }).limits.totalMs, 180_000);
});

test('Bedrock takes its region from AWS_REGION and its endpoint from BEDROCK_ENDPOINT_URL', () => {
  const config = llmConfigFromEnv({ LLM_PROVIDER: 'bedrock', AWS_REGION: 'eu-west-1', BEDROCK_ENDPOINT_URL: 'http://127.0.0.1:9' });
  assert.equal(config.region, 'eu-west-1');
  assert.equal(config.baseUrl, 'http://127.0.0.1:9');
});
