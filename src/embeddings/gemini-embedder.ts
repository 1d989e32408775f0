import { GoogleGenAI } from '@google/genai';
import type { Embedder } from './embedder.js';

export const DEFAULT_GEMINI_EMBEDDING_MODEL = 'text-embedding-004';

/** Gemini `models/<model>:batchEmbedContents` through the official SDK. */
export function makeGeminiEmbedder(options: { apiKey: string | null; baseUrl: string | null; model: string }): Embedder {
  const client = new GoogleGenAI({
    apiKey: options.apiKey ?? 'unused',
    ...(options.baseUrl ? { httpOptions: { baseUrl: options.baseUrl } } : {}),
  });
  return {
    model: `gemini/${options.model}`,
    async embed(texts) {
      if (texts.length === 0) return [];
      const res = await client.models.embedContent({ model: options.model, contents: texts, config: { taskType: 'SEMANTIC_SIMILARITY' } });
      const vectors = (res.embeddings ?? []).map((e) => e.values ?? []);
      if (vectors.length !== texts.length) throw new Error(`Gemini returned ${vectors.length} embeddings for ${texts.length} texts`);
      return vectors;
    },
  };
}
