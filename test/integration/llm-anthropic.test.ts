import { anthropicWire } from '../support/fake-llm/anthropic-wire.js';
import { describeLlmProvider } from '../support/fake-llm/describe-llm-provider.js';

describeLlmProvider(anthropicWire, (url) => ({ LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: url, ANTHROPIC_MODEL: 'fake-model' }));
