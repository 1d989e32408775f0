import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeExplainer } from '../../src/explain/make-explainer.js';
import { llmConfigFromEnv } from '../../src/llm/llm-config.js';
import { makeLlmClient } from '../../src/llm/make-llm-client.js';
import { silentLogger } from '../../src/observability/logger.js';
import { consume, describeLlmProvider, TEST_LIMITS_ENV } from '../support/fake-llm/describe-llm-provider.js';
import { openAiWire } from '../support/fake-llm/openai-wire.js';
import { GOOD_ANSWER_CHUNKS, sampleExplainInput } from '../support/fake-llm/sample-explain-input.js';
import { startFakeLlmServer } from '../support/fake-llm/start-fake-llm-server.js';

describeLlmProvider(openAiWire, (url) => ({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: `${url}/v1`, OPENAI_MODEL: 'fake-model' }));

test('Azure OpenAI streams from the deployment named by the model, authenticated with api-key', async () => {
  const server = await startFakeLlmServer(openAiWire, [{ kind: 'stream', chunks: GOOD_ANSWER_CHUNKS }]);
  try {
    const config = llmConfigFromEnv({ LLM_PROVIDER: 'openai', AZURE_OPENAI_ENDPOINT: server.url, AZURE_OPENAI_API_KEY: 'azure-key', OPENAI_MODEL: 'my-deployment', ...TEST_LIMITS_ENV });
    const llm = makeLlmClient(config);
    const { analysis } = await consume(makeExplainer({ llm, limits: config.limits, logger: silentLogger() })(sampleExplainInput()));
    assert.equal(analysis.mode, 'llm');
    const [request] = server.requests;
    assert.match(request?.url ?? '', /^\/openai\/deployments\/my-deployment\/chat\/completions\?api-version=/);
    assert.equal(request?.headers['api-key'], 'azure-key');
  } finally {
    await server.close();
  }
});
