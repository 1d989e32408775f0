/**
 * The one interface k8flex needs from a language model. Each provider lives in
 * ./providers/<name>.ts; `makeLlmClient` picks one from config.
 *
 * A stream yields text as it arrives, then at most one `usage` chunk; a `retry`
 * chunk says the provider answered 429/5xx before any text and the call is being
 * made again (so callers can count calls). Errors are thrown from the iterator;
 * `signal` aborts the underlying HTTP request.
 */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'gemini', 'ollama', 'bedrock'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export type LlmRequest = {
  system: string;
  user: string;
  maxTokens: number;
  /** Ask for a JSON object (provider JSON mode where one exists; the prompt must say so too). */
  json?: boolean;
};

export type LlmChunk =
  | { type: 'text'; text: string }
  | { type: 'usage'; tokensIn: number; tokensOut: number }
  | { type: 'retry'; status: number | null; delayMs: number };

export type LlmCompletion = { text: string; tokensIn: number; tokensOut: number; calls: number };

export type LlmClient = {
  provider: LlmProvider;
  model: string;
  stream(req: LlmRequest, signal: AbortSignal): AsyncIterable<LlmChunk>;
  /** A whole (usually JSON) answer: categorize and entity extraction. */
  complete(req: LlmRequest, signal: AbortSignal): Promise<LlmCompletion>;
};

/** What a provider file implements: one raw streaming call, no retries. */
export type ProviderStream = Pick<LlmClient, 'provider' | 'model' | 'stream'>;
