import { AzureOpenAI, OpenAI } from 'openai';
import type { LlmChunk, LlmRequest, ProviderStream } from '../llm-client.js';
import type { LlmConfig } from '../llm-config.js';

const REASONING_MODEL = /^(o\d|gpt-5)/;

/** OpenAI chat completions: api.openai.com, Azure OpenAI, or any compatible server via OPENAI_BASE_URL. */
export function makeOpenAiStream(config: LlmConfig): ProviderStream {
  // Retries and time limits are k8flex's own (make-llm-client.ts), so the SDK's are off.
  const common = { maxRetries: 0, timeout: config.limits.totalMs };
  const client = config.azure
    ? new AzureOpenAI({ ...common, endpoint: config.azure.endpoint, apiKey: config.apiKey ?? '', apiVersion: config.azure.apiVersion, deployment: config.model })
    : new OpenAI({ ...common, apiKey: config.apiKey ?? 'not-needed', baseURL: config.baseUrl ?? undefined });

  async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    const response = await client.chat.completions.create(
      {
        model: config.model,
        stream: true,
        stream_options: { include_usage: true },
        // Compatible servers (vLLM, LocalAI, older LiteLLM) know only max_tokens; OpenAI deprecated it.
        ...(config.baseUrl ? { max_tokens: req.maxTokens } : { max_completion_tokens: req.maxTokens }),
        // Reasoning models reject any temperature but the default.
        ...(REASONING_MODEL.test(config.model) ? {} : { temperature: 0.2 }),
        ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
        messages: [
          { role: 'system', content: req.system },
          { role: 'user', content: req.user },
        ],
      },
      { signal },
    );
    for await (const event of response) {
      const text = event.choices[0]?.delta?.content;
      if (text) yield { type: 'text', text };
      if (event.usage) yield { type: 'usage', tokensIn: event.usage.prompt_tokens, tokensOut: event.usage.completion_tokens };
    }
  }

  return { provider: 'openai', model: config.model, stream };
}
