import { Ollama } from 'ollama';
import type { LlmChunk, LlmRequest, ProviderStream } from '../llm-client.js';
import type { LlmConfig } from '../llm-config.js';

/** Ollama /api/chat, newline-delimited JSON. */
export function makeOllamaStream(config: LlmConfig): ProviderStream {
  // The prompt budget plus the answer must fit the context window; Ollama's default is small.
  const numCtx = config.limits.promptTokenBudget + config.limits.maxOutputTokens;

  async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    // A client per call, so the request carries this call's abort signal and its
    // Retry-After can be read (the SDK's ResponseError keeps only the status).
    let retryAfter: string | null = null;
    const client = new Ollama({
      host: config.baseUrl ?? undefined,
      fetch: async (input, init) => {
        const response = await fetch(input, { ...init, signal });
        if (!response.ok) retryAfter = response.headers.get('retry-after');
        return response;
      },
    });
    const request = {
      model: config.model,
      stream: true as const,
      ...(req.json ? { format: 'json' } : {}),
      options: { temperature: 0.2, num_predict: req.maxTokens, num_ctx: numCtx },
      messages: [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
    };
    const parts = await client.chat(request).catch((error: unknown) => {
      if (retryAfter !== null && typeof error === 'object' && error !== null) Object.assign(error, { headers: { 'retry-after': retryAfter } });
      throw error;
    });
    for await (const part of parts) {
      if (part.message?.content) yield { type: 'text', text: part.message.content };
      if (part.done) yield { type: 'usage', tokensIn: part.prompt_eval_count ?? 0, tokensOut: part.eval_count ?? 0 };
    }
  }

  return { provider: 'ollama', model: config.model, stream };
}
