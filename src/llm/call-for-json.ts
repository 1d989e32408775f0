import type { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import type { LlmClient, LlmRequest } from './llm-client.js';
import { describeLlmError } from './describe-llm-error.js';
import { llmRequestDuration, recordLlmTokens } from './llm-metrics.js';
import { parseJsonReply } from './parse-json-reply.js';

/**
 * One small JSON call (categorize, entity extraction): validated by `schema`,
 * metered, and null on any failure — callers always have a non-LLM answer.
 */
export async function callForJson<T>(
  llm: LlmClient,
  operation: string,
  req: LlmRequest,
  schema: z.ZodType<T>,
  logger: Logger,
  signal: AbortSignal,
): Promise<T | null> {
  const started = performance.now();
  const observe = (outcome: string) =>
    llmRequestDuration.observe({ provider: llm.provider, model: llm.model, operation, outcome }, (performance.now() - started) / 1000);
  try {
    const reply = await llm.complete({ ...req, json: true }, signal);
    recordLlmTokens(llm.provider, llm.model, reply.tokensIn, reply.tokensOut);
    const value = parseJsonReply(reply.text, schema);
    observe(value === null ? 'malformed' : 'ok');
    if (value === null) logger.warn({ operation, reply: reply.text.slice(0, 500) }, 'LLM reply was not the JSON asked for; ignoring it');
    return value;
  } catch (error) {
    observe('error');
    logger.warn({ operation, err: error, reason: describeLlmError(llm.provider, llm.model, error) }, 'LLM call failed; ignoring it');
    return null;
  }
}
