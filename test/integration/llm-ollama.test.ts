import { describeLlmProvider } from '../support/fake-llm/describe-llm-provider.js';
import { ollamaWire } from '../support/fake-llm/ollama-wire.js';

describeLlmProvider(ollamaWire, (url) => ({ LLM_PROVIDER: 'ollama', OLLAMA_HOST: url, OLLAMA_MODEL: 'fake-model' }));
