import { describeLlmProvider } from '../support/fake-llm/describe-llm-provider.js';
import { geminiWire } from '../support/fake-llm/gemini-wire.js';

describeLlmProvider(geminiWire, (url) => ({ LLM_PROVIDER: 'gemini', GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: url, GEMINI_MODEL: 'fake-model' }));
