import type { LlmClient, LlmCompletion, LlmProvider, LlmRequest, ProviderStream } from './llm-client.js';
import type { LlmConfig } from './llm-config.js';
import { limitStream } from './limit-stream.js';
import { estimateTokens } from '../redact/estimate-tokens.js';
import { retryOnce } from './retry-once.js';
import { makeAnthropicStream } from './providers/anthropic.js';
import { makeBedrockStream } from './providers/bedrock.js';
import { makeGeminiStream } from './providers/gemini.js';
import { makeOllamaStream } from './providers/ollama.js';
import { makeOpenAiStream } from './providers/openai.js';

const PROVIDERS: Record<LlmProvider, (config: LlmConfig) => ProviderStream> = {
  openai: makeOpenAiStream,
  anthropic: makeAnthropicStream,
  gemini: makeGeminiStream,
  ollama: makeOllamaStream,
  bedrock: makeBedrockStream,
};

/**
 * The LLM client for `config.provider`, or null for `none` (the offline analysis).
 * Every client retries at most once (see retry-once.ts); `complete` collects a
 * stream under the configured time limits, so no call can hang.
 */
export function makeLlmClient(config: LlmConfig): LlmClient | null {
  if (config.provider === 'none') return null;
  const provider = PROVIDERS[config.provider](config);
  const stream = retryOnce(provider, { maxRetries: config.maxRetries, maxRetryDelayMs: config.maxRetryDelayMs });

  async function complete(req: LlmRequest, signal: AbortSignal): Promise<LlmCompletion> {
    let text = '';
    let usage: { tokensIn: number; tokensOut: number } | null = null;
    let calls = 1;
    for await (const chunk of limitStream((s) => stream(req, s), config.limits, signal)) {
      if (chunk.type === 'text') text += chunk.text;
      else if (chunk.type === 'usage') usage = chunk;
      else calls++;
    }
    return {
      text,
      tokensIn: usage?.tokensIn || estimateTokens(req.system + req.user),
      tokensOut: usage?.tokensOut || estimateTokens(text),
      calls,
    };
  }

  return { provider: provider.provider, model: provider.model, stream, complete };
}
