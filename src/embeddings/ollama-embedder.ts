import { Ollama } from 'ollama';
import type { Embedder } from './embedder.js';

export const DEFAULT_OLLAMA_EMBEDDING_MODEL = 'nomic-embed-text';

/** Ollama `POST /api/embed` (the model must be pulled). */
export function makeOllamaEmbedder(options: { host: string | null; model: string }): Embedder {
  const client = new Ollama({ host: options.host ?? 'http://127.0.0.1:11434' });
  return {
    model: `ollama/${options.model}`,
    async embed(texts) {
      if (texts.length === 0) return [];
      const res = await client.embed({ model: options.model, input: texts });
      return res.embeddings;
    },
  };
}
