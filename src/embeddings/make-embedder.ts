import type { EmbeddingProvider, Embedder } from './embedder.js';
import { DEFAULT_GEMINI_EMBEDDING_MODEL, makeGeminiEmbedder } from './gemini-embedder.js';
import { makeLocalEmbedder } from './local-embedder.js';
import { DEFAULT_OLLAMA_EMBEDDING_MODEL, makeOllamaEmbedder } from './ollama-embedder.js';
import { DEFAULT_OPENAI_EMBEDDING_MODEL, makeOpenAiEmbedder } from './openai-embedder.js';

/** What the factory needs, read at the edge: the provider, its model, and where and how to reach it. */
export type EmbedderConfig = {
  provider: EmbeddingProvider;
  model: string | null;
  apiKey: string | null;
  baseUrl: string | null;
};

/** Picks the embedder named by `EMBEDDINGS_PROVIDER`. */
export function makeEmbedder(config: EmbedderConfig): Embedder {
  switch (config.provider) {
    case 'local':
      return makeLocalEmbedder();
    case 'openai':
      return makeOpenAiEmbedder({ apiKey: config.apiKey, baseUrl: config.baseUrl, model: config.model ?? DEFAULT_OPENAI_EMBEDDING_MODEL });
    case 'gemini':
      return makeGeminiEmbedder({ apiKey: config.apiKey, baseUrl: config.baseUrl, model: config.model ?? DEFAULT_GEMINI_EMBEDDING_MODEL });
    case 'ollama':
      return makeOllamaEmbedder({ host: config.baseUrl, model: config.model ?? DEFAULT_OLLAMA_EMBEDDING_MODEL });
  }
}
