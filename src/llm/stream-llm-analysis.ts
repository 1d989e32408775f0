import type { Analysis } from '../domain/analysis.js';
import { buildPrompt, PROMPT_VERSION } from '../explain/build-prompt.js';
import { parseAnalysisMarkdown } from '../explain/parse-analysis-markdown.js';
import type { Logger } from '../observability/logger.js';
import type { ExplainInput } from '../pipeline/stages.js';
import { estimateTokens } from '../redact/estimate-tokens.js';
import { describeLlmError } from './describe-llm-error.js';
import { limitStream } from './limit-stream.js';
import type { LlmClient } from './llm-client.js';
import type { LlmLimits } from './llm-config.js';
import { analysesTotal, llmRequestDuration, recordLlmTokens } from './llm-metrics.js';

/** Thrown when the model answered, but not in the sections an analysis needs. */
class MalformedAnswer extends Error {}

/** Between a broken LLM answer and the offline analysis that replaces it. */
export function fallbackSeparator(reason: string): string {
  return `\n\n---\n\n_The LLM answer above is incomplete (${reason}). The analysis below was written offline from the analyzers' findings._\n\n`;
}

/**
 * One LLM analysis: streams the answer into `push` as it arrives and resolves with
 * the parsed analysis. Never rejects: on any failure it pushes (and returns) the
 * offline analysis, marked `llm-fallback` — after a separator when part of the
 * answer was already pushed, so what was delivered always equals `Analysis.text`.
 */
export async function streamLlmAnalysis(deps: {
  llm: LlmClient;
  limits: LlmLimits;
  logger: Logger;
  input: ExplainInput;
  offline: Analysis;
  push: (text: string) => void;
  signal?: AbortSignal;
}): Promise<Analysis> {
  const { llm, limits, logger, input, offline, push } = deps;
  const started = performance.now();
  const prompt = buildPrompt(input, limits.promptTokenBudget);
  let text = '';
  let calls = 1;
  let usage: { tokensIn: number; tokensOut: number } | null = null;
  const common = { provider: llm.provider, model: llm.model, promptVersion: PROMPT_VERSION, budget: prompt.budget };
  const account = (outcome: string) => {
    const tokensIn = usage?.tokensIn || estimateTokens(prompt.system + prompt.user);
    const tokensOut = usage?.tokensOut || estimateTokens(text);
    recordLlmTokens(llm.provider, llm.model, tokensIn, tokensOut);
    llmRequestDuration.observe({ provider: llm.provider, model: llm.model, operation: 'analyze', outcome }, (performance.now() - started) / 1000);
    return { calls, tokensIn, tokensOut };
  };
  try {
    const request = { system: prompt.system, user: prompt.user, maxTokens: limits.maxOutputTokens };
    for await (const chunk of limitStream((s) => llm.stream(request, s), limits, deps.signal)) {
      if (chunk.type === 'text') {
        text += chunk.text;
        push(chunk.text);
      } else if (chunk.type === 'usage') usage = chunk;
      else {
        calls++;
        logger.info({ status: chunk.status, delayMs: chunk.delayMs }, 'LLM call failed before answering; retrying once');
      }
    }
    const parsed = parseAnalysisMarkdown(text);
    if (!parsed.usable) throw new MalformedAnswer(`the answer lacks the sections ${parsed.missing.join(', ')}`);
    if (parsed.missing.length > 0) logger.info({ missing: parsed.missing }, 'LLM answer is missing optional sections');
    analysesTotal.inc({ provider: llm.provider, outcome: 'llm' });
    return {
      ...parsed.sections,
      ...common,
      mode: 'llm',
      text,
      analyzers: offline.analyzers,
      owner: offline.owner,
      degraded: offline.degraded,
      llm: { ...account('ok'), error: null },
    };
  } catch (error) {
    const reason = error instanceof MalformedAnswer ? `${llm.provider} answered without the required sections` : describeLlmError(llm.provider, llm.model, error);
    logger.warn({ err: error, provider: llm.provider, model: llm.model }, 'LLM analysis failed; delivering the offline analysis');
    const prefix = text === '' ? '' : `${text}${fallbackSeparator(reason)}`;
    push(prefix.slice(text.length));
    for (const part of offline.text.split(/(?<=\n\n)/)) push(part);
    analysesTotal.inc({ provider: llm.provider, outcome: 'llm-fallback' });
    return {
      ...offline,
      ...common,
      mode: 'llm-fallback',
      text: prefix + offline.text,
      degraded: [...offline.degraded, `LLM analysis failed (${reason}); the offline analysis was delivered`],
      llm: { ...account(error instanceof MalformedAnswer ? 'malformed' : 'error'), error: reason },
    };
  }
}
