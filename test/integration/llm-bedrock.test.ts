import { bedrockWire } from '../support/fake-llm/bedrock-wire.js';
import { describeLlmProvider } from '../support/fake-llm/describe-llm-provider.js';

// The AWS SDK's default chain reads these; the fake does not check signatures.
process.env.AWS_ACCESS_KEY_ID = 'AKIDFAKEFAKEFAKE';
process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
delete process.env.AWS_PROFILE;

describeLlmProvider(bedrockWire, (url) => ({ LLM_PROVIDER: 'bedrock', BEDROCK_ENDPOINT_URL: url, AWS_REGION: 'us-east-1', BEDROCK_MODEL_ID: 'fake-model' }));
