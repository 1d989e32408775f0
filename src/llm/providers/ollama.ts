import { Ollama } from 'ollama';
import type { LlmChunk, LlmRequest, ProviderStream } from '../llm-client.js';
import type { LlmConfig } from '../llm-config.js';

/** Ollama /api/chat, newline-delimited JSON. */
export function makeOllamaStream(config: LlmConfig): ProviderStream {
  // The prompt budget plus the answer must fit the context window; Ollama's default is small.
  const numCtx = config.limits.promptTokenBudget + config.limits.maxOutputTokens;

  async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    // A client per call so the request carries this call's abort signal.
    const client = new Ollama({ host: config.baseUrl ?? undefined, fetch: (input, init) => fetch(input, { ...init, signal }) });
    const parts = await client.chat({
      model: config.model,
      stream: true,
      ...(req.json ? { format: 'json' } : {}),
      options: { temperature: 0.2, num_predict: req.maxTokens, num_ctx: numCtx },
      messages: [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
    });
    for await (const part of parts) {
      if (part.message?.content) yield { type: 'text', text: part.message.content };
      if (part.done) yield { type: 'usage', tokensIn: part.prompt_eval_count ?? 0, tokensOut: part.eval_count ?? 0 };
    }
  }

  return { provider: 'ollama', model: config.model, stream };
}
