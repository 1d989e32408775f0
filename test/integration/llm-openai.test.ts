import { describeLlmProvider } from '../support/fake-llm/describe-llm-provider.js';
import { openAiWire } from '../support/fake-llm/openai-wire.js';

describeLlmProvider(openAiWire, (url) => ({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: `${url}/v1`, OPENAI_MODEL: 'fake-model' }));
