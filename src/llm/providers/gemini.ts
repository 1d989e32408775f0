import { GoogleGenAI } from '@google/genai';
import type { LlmChunk, LlmRequest, ProviderStream } from '../llm-client.js';
import type { LlmConfig } from '../llm-config.js';

/** Gemini API streamGenerateContent (`?alt=sse`); GEMINI_BASE_URL becomes `httpOptions.baseUrl`. */
export function makeGeminiStream(config: LlmConfig): ProviderStream {
  async function* stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk> {
    // The SDK's ApiError drops response headers; a client per call keeps this call's Retry-After.
    let retryAfter: string | null = null;
    const ai = new GoogleGenAI({
      apiKey: config.apiKey ?? '',
      httpOptions: {
        ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
        timeout: config.limits.totalMs,
        // attempts: 1 — the SDK would otherwise retry five times; k8flex retries once itself.
        retryOptions: { attempts: 1 },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!response.ok) retryAfter = response.headers.get('retry-after');
          return response;
        },
      },
    });
    const request = {
      model: config.model,
      contents: [{ role: 'user', parts: [{ text: req.user }] }],
      config: {
        abortSignal: signal,
        systemInstruction: req.system,
        maxOutputTokens: req.maxTokens,
        temperature: 0.2,
        ...(req.json ? { responseMimeType: 'application/json' } : {}),
      },
    };
    const responses = await ai.models.generateContentStream(request).catch((error: unknown) => {
      if (retryAfter !== null && typeof error === 'object' && error !== null) Object.assign(error, { headers: { 'retry-after': retryAfter } });
      throw error;
    });
    let usage: { tokensIn: number; tokensOut: number } | null = null;
    for await (const response of responses) {
      const text = response.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? '';
      if (text) yield { type: 'text', text };
      const meta = response.usageMetadata;
      if (meta) usage = { tokensIn: meta.promptTokenCount ?? 0, tokensOut: meta.candidatesTokenCount ?? 0 };
    }
    if (usage) yield { type: 'usage', ...usage };
  }

  return { provider: 'gemini', model: config.model, stream };
}
