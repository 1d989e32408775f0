import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { LLM_PROVIDERS, type LlmProvider } from './llm-client.js';

/** Time limits of one LLM call; the explainer falls back to the offline analysis when one is hit. */
export type LlmLimits = {
  firstTokenMs: number;
  idleMs: number;
  totalMs: number;
  maxOutputTokens: number;
  /** Tokens the prompt may use; evidence is trimmed to fit. */
  promptTokenBudget: number;
};

/** Everything a provider needs, read once at the edge (see `llmConfigFromEnv`). */
export type LlmConfig = {
  provider: LlmProvider | 'none';
  model: string;
  apiKey: string | null;
  baseUrl: string | null;
  /** Azure OpenAI: set when `AZURE_OPENAI_ENDPOINT` is. */
  azure: { endpoint: string; apiVersion: string } | null;
  /** Bedrock: null means the AWS SDK's default chain (`AWS_REGION`, profile, IMDS). */
  region: string | null;
  /** 0 or 1: one retry on 429/5xx, before any text arrived, honouring Retry-After. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the call fails and the offline analysis is used. */
  maxRetryDelayMs: number;
  limits: LlmLimits;
};

export const DEFAULT_MODELS: Record<LlmProvider, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.5-flash',
  ollama: 'llama3.1:8b',
  bedrock: 'anthropic.claude-3-haiku-20240307-v1:0',
};

/**
 * Prompt budgets: far below the context windows, because a larger prompt costs more
 * and does not explain an incident better. Ollama's default context is small.
 */
export const DEFAULT_PROMPT_TOKEN_BUDGETS: Record<LlmProvider, number> = {
  openai: 12_000,
  anthropic: 12_000,
  gemini: 12_000,
  ollama: 6_000,
  bedrock: 12_000,
};

/** Every variable this module reads, with its default and meaning (for `.env.example` and the README). */
export const LLM_ENV_VARS = [
  { name: 'LLM_PROVIDER', default: 'none', meaning: 'none | openai | anthropic | gemini | ollama | bedrock' },
  { name: 'LLM_MODEL', default: '(per provider)', meaning: 'Model for any provider; overrides the provider-specific variable' },
  { name: 'OPENAI_API_KEY', default: '', meaning: 'OpenAI key (optional with OPENAI_BASE_URL for local servers)' },
  { name: 'OPENAI_BASE_URL', default: 'https://api.openai.com/v1', meaning: 'Any OpenAI-compatible server (vLLM, LiteLLM, LocalAI)' },
  { name: 'OPENAI_MODEL', default: DEFAULT_MODELS.openai, meaning: 'OpenAI model (Azure: the deployment name)' },
  { name: 'AZURE_OPENAI_ENDPOINT', default: '', meaning: 'Azure OpenAI resource endpoint; switches OpenAI to Azure' },
  { name: 'AZURE_OPENAI_API_KEY', default: '', meaning: 'Azure OpenAI key' },
  { name: 'OPENAI_API_VERSION', default: '2024-10-21', meaning: 'Azure OpenAI API version' },
  { name: 'ANTHROPIC_API_KEY', default: '', meaning: 'Anthropic key' },
  { name: 'ANTHROPIC_BASE_URL', default: 'https://api.anthropic.com', meaning: 'Anthropic endpoint override' },
  { name: 'ANTHROPIC_MODEL', default: DEFAULT_MODELS.anthropic, meaning: 'Anthropic model' },
  { name: 'GEMINI_API_KEY', default: '', meaning: 'Gemini key (GOOGLE_API_KEY also accepted)' },
  { name: 'GEMINI_BASE_URL', default: 'https://generativelanguage.googleapis.com', meaning: 'Gemini endpoint override' },
  { name: 'GEMINI_MODEL', default: DEFAULT_MODELS.gemini, meaning: 'Gemini model' },
  { name: 'OLLAMA_HOST', default: 'http://127.0.0.1:11434', meaning: 'Ollama server' },
  { name: 'OLLAMA_MODEL', default: DEFAULT_MODELS.ollama, meaning: 'Ollama model (must be pulled)' },
  { name: 'BEDROCK_MODEL_ID', default: DEFAULT_MODELS.bedrock, meaning: 'Bedrock model or inference profile id' },
  { name: 'BEDROCK_ENDPOINT_URL', default: '', meaning: 'Bedrock runtime endpoint override' },
  { name: 'AWS_REGION', default: '(AWS chain)', meaning: 'Bedrock region; credentials come from the standard AWS chain' },
  { name: 'LLM_FIRST_TOKEN_TIMEOUT_MS', default: '30000', meaning: 'Longest wait for the first text' },
  { name: 'LLM_IDLE_TIMEOUT_MS', default: '30000', meaning: 'Longest gap between two chunks' },
  { name: 'LLM_TOTAL_TIMEOUT_MS', default: '180000', meaning: 'Longest whole call' },
  { name: 'LLM_MAX_RETRIES', default: '1', meaning: '0 or 1 retry on 429/5xx' },
  { name: 'LLM_MAX_RETRY_DELAY_MS', default: '20000', meaning: 'Longest Retry-After honoured' },
  { name: 'LLM_MAX_OUTPUT_TOKENS', default: '1500', meaning: 'Answer length limit' },
  { name: 'LLM_PROMPT_TOKEN_BUDGET', default: '12000 (ollama 6000)', meaning: 'Prompt size limit; evidence is trimmed to fit' },
] as const;

const ms = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const url = z.url({ protocol: /^https?$/ }).optional();
const text = z.string().trim().min(1).optional();

const envSchema = z.object({
  LLM_PROVIDER: z.enum(['none', ...LLM_PROVIDERS]).default('none'),
  LLM_MODEL: text,
  OPENAI_API_KEY: text,
  OPENAI_BASE_URL: url,
  OPENAI_MODEL: text,
  AZURE_OPENAI_ENDPOINT: url,
  AZURE_OPENAI_API_KEY: text,
  OPENAI_API_VERSION: z.string().default('2024-10-21'),
  ANTHROPIC_API_KEY: text,
  ANTHROPIC_BASE_URL: url,
  ANTHROPIC_MODEL: text,
  GEMINI_API_KEY: text,
  GOOGLE_API_KEY: text,
  GEMINI_BASE_URL: url,
  GEMINI_MODEL: text,
  OLLAMA_HOST: url,
  OLLAMA_MODEL: text,
  BEDROCK_MODEL_ID: text,
  BEDROCK_ENDPOINT_URL: url,
  AWS_REGION: text,
  AWS_DEFAULT_REGION: text,
  LLM_FIRST_TOKEN_TIMEOUT_MS: ms(30_000, 600_000),
  LLM_IDLE_TIMEOUT_MS: ms(30_000, 600_000),
  LLM_TOTAL_TIMEOUT_MS: ms(180_000, 3_600_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(1).default(1),
  LLM_MAX_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(64).max(32_000).default(1500),
  LLM_PROMPT_TOKEN_BUDGET: z.coerce.number().int().min(1000).max(1_000_000).optional(),
});

/** Empty strings count as unset, as in most shells' `VAR=` lines. */
function present(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** Reads the LLM slice of the environment; throws a ConfigError naming every bad variable. */
export function llmConfigFromEnv(env: Record<string, string | undefined>): LlmConfig {
  const parsed = envSchema.safeParse(present(env));
  if (!parsed.success) {
    const variables = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    const detail = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid LLM configuration: ${detail}`, variables);
  }
  const e = parsed.data;
  const provider = e.LLM_PROVIDER;
  const budget = (p: LlmProvider | 'none') => e.LLM_PROMPT_TOKEN_BUDGET ?? (p === 'none' ? 12_000 : DEFAULT_PROMPT_TOKEN_BUDGETS[p]);
  const base = {
    azure: null,
    region: null,
    maxRetries: e.LLM_MAX_RETRIES,
    maxRetryDelayMs: e.LLM_MAX_RETRY_DELAY_MS,
    limits: {
      firstTokenMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
      idleMs: e.LLM_IDLE_TIMEOUT_MS,
      totalMs: e.LLM_TOTAL_TIMEOUT_MS,
      maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS,
      promptTokenBudget: budget(provider),
    },
  };
  const missing = (name: string, why: string) => new ConfigError(`${name} is required when LLM_PROVIDER=${provider} (${why})`, [name]);
  switch (provider) {
    case 'none':
      return { ...base, provider, model: '', apiKey: null, baseUrl: null };
    case 'openai': {
      const model = e.LLM_MODEL ?? e.OPENAI_MODEL ?? DEFAULT_MODELS.openai;
      if (e.AZURE_OPENAI_ENDPOINT) {
        const apiKey = e.AZURE_OPENAI_API_KEY ?? e.OPENAI_API_KEY;
        if (!apiKey) throw missing('AZURE_OPENAI_API_KEY', 'Azure OpenAI needs a key');
        return { ...base, provider, model, apiKey, baseUrl: null, azure: { endpoint: e.AZURE_OPENAI_ENDPOINT, apiVersion: e.OPENAI_API_VERSION } };
      }
      // OpenAI-compatible servers (vLLM, LocalAI) often need no key; api.openai.com always does.
      if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) throw missing('OPENAI_API_KEY', 'or set OPENAI_BASE_URL for a keyless compatible server');
      return { ...base, provider, model, apiKey: e.OPENAI_API_KEY ?? null, baseUrl: e.OPENAI_BASE_URL ?? null };
    }
    case 'anthropic':
      if (!e.ANTHROPIC_API_KEY) throw missing('ANTHROPIC_API_KEY', 'Anthropic needs a key');
      return { ...base, provider, model: e.LLM_MODEL ?? e.ANTHROPIC_MODEL ?? DEFAULT_MODELS.anthropic, apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL ?? null };
    case 'gemini': {
      const apiKey = e.GEMINI_API_KEY ?? e.GOOGLE_API_KEY;
      if (!apiKey) throw missing('GEMINI_API_KEY', 'Gemini needs a key');
      return { ...base, provider, model: e.LLM_MODEL ?? e.GEMINI_MODEL ?? DEFAULT_MODELS.gemini, apiKey, baseUrl: e.GEMINI_BASE_URL ?? null };
    }
    case 'ollama':
      return { ...base, provider, model: e.LLM_MODEL ?? e.OLLAMA_MODEL ?? DEFAULT_MODELS.ollama, apiKey: null, baseUrl: e.OLLAMA_HOST ?? 'http://127.0.0.1:11434' };
    case 'bedrock':
      return {
        ...base,
        provider,
        model: e.LLM_MODEL ?? e.BEDROCK_MODEL_ID ?? DEFAULT_MODELS.bedrock,
        apiKey: null,
        baseUrl: e.BEDROCK_ENDPOINT_URL ?? null,
        region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? null,
      };
  }
}
