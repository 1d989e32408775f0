/**
 * Turns text into vectors for the knowledge base. `model` names the model and its
 * dimension (e.g. `local-hash-v1-384`, `openai/text-embedding-3-small`); it is stored
 * with every case, and cases embedded by different models are never compared.
 */
export type Embedder = {
  model: string;
  embed(texts: string[]): Promise<number[][]>;
};

export const EMBEDDING_PROVIDERS = ['local', 'openai', 'gemini', 'ollama'] as const;
export type EmbeddingProvider = (typeof EMBEDDING_PROVIDERS)[number];
