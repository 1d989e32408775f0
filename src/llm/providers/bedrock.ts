import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { LlmChunk, LlmRequest, ProviderStream } from '../llm-client.js';
import type { LlmConfig } from '../llm-config.js';

/**
 * Amazon Bedrock ConverseStream. Region and credentials come from the standard AWS
 * chain unless config names a region; BEDROCK_ENDPOINT_URL overrides the endpoint.
 */
export function makeBedrockStream(config: LlmConfig): ProviderStream {
  const client = new BedrockRuntimeClient({
    ...(config.region ? { region: config.region } : {}),
    ...(config.baseUrl ? { endpoint: config.baseUrl } : {}),
    maxAttempts: 1,
  });

  async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    const response = await client.send(
      new ConverseStreamCommand({
        modelId: config.model,
        system: [{ text: req.system }],
        messages: [{ role: 'user', content: [{ text: req.user }] }],
        inferenceConfig: { maxTokens: req.maxTokens, temperature: 0.2 },
      }),
      { abortSignal: signal },
    );
    for await (const event of response.stream ?? []) {
      const text = event.contentBlockDelta?.delta?.text;
      if (text) yield { type: 'text', text };
      // Errors inside the stream arrive as events, not HTTP statuses.
      const failure = event.internalServerException ?? event.modelStreamErrorException ?? event.throttlingException ?? event.validationException ?? event.serviceUnavailableException;
      if (failure) throw failure;
      const usage = event.metadata?.usage;
      if (usage) yield { type: 'usage', tokensIn: usage.inputTokens ?? 0, tokensOut: usage.outputTokens ?? 0 };
    }
  }

  return { provider: 'bedrock', model: config.model, stream };
}
