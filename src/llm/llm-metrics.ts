import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export const llmTokensTotal = new Counter({
  name: 'k8flex_llm_tokens_total',
  help: 'Tokens sent to (in) and received from (out) LLM providers',
  labelNames: ['provider', 'model', 'direction'] as const,
  registers: [metricsRegistry],
});

export const llmRequestDuration = new Histogram({
  name: 'k8flex_llm_request_duration_seconds',
  help: 'Duration of one LLM call, retries included, by operation (analyze, categorize, extract) and outcome',
  labelNames: ['provider', 'model', 'operation', 'outcome'] as const,
  buckets: [0.5, 1, 2.5, 5, 10, 20, 40, 80, 180],
  registers: [metricsRegistry],
});

export const analysesTotal = new Counter({
  name: 'k8flex_analyses_total',
  help: 'Analyses written, by provider (none = offline) and outcome (llm, offline, llm-fallback)',
  labelNames: ['provider', 'outcome'] as const,
  registers: [metricsRegistry],
});

export function recordLlmTokens(provider: string, model: string, tokensIn: number, tokensOut: number): void {
  llmTokensTotal.inc({ provider, model, direction: 'in' }, tokensIn);
  llmTokensTotal.inc({ provider, model, direction: 'out' }, tokensOut);
}
