import OpenAI from 'openai';
import type { Embedder } from './embedder.js';

export const DEFAULT_OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

/** OpenAI (or any OpenAI-compatible server) `POST /embeddings`. */
export function makeOpenAiEmbedder(options: { apiKey: string | null; baseUrl: string | null; model: string; timeoutMs?: number }): Embedder {
  const client = new OpenAI({
    apiKey: options.apiKey ?? 'unused',
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: 1,
  });
  return {
    model: `openai/${options.model}`,
    async embed(texts) {
      if (texts.length === 0) return [];
      const res = await client.embeddings.create({ model: options.model, input: texts, encoding_format: 'float' });
      return [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    },
  };
}
