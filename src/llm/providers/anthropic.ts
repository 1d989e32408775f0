import { Anthropic } from '@anthropic-ai/sdk';
import type { LlmChunk, LlmRequest, ProviderStream } from '../llm-client.js';
import type { LlmConfig } from '../llm-config.js';

/** Anthropic Messages API with server-sent events (ANTHROPIC_BASE_URL honoured). */
export function makeAnthropicStream(config: LlmConfig): ProviderStream {
  const client = new Anthropic({
    apiKey: config.apiKey ?? '',
    baseURL: config.baseUrl ?? undefined,
    maxRetries: 0,
    timeout: config.limits.totalMs,
  });

  async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    const events = await client.messages.create(
      {
        model: config.model,
        stream: true,
        max_tokens: req.maxTokens,
        system: req.system,
        messages: [{ role: 'user', content: req.user }],
      },
      { signal },
    );
    let tokensIn = 0;
    let tokensOut = 0;
    for await (const event of events) {
      if (event.type === 'message_start') tokensIn = event.message.usage.input_tokens;
      else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield { type: 'text', text: event.delta.text };
      else if (event.type === 'message_delta') tokensOut = event.usage.output_tokens;
    }
    yield { type: 'usage', tokensIn, tokensOut };
  }

  return { provider: 'anthropic', model: config.model, stream };
}
