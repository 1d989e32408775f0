import type pg from 'pg';
import type { Env } from '../config/config.js';
import type { EmbedderConfig } from '../embeddings/make-embedder.js';
import { makeEmbedder } from '../embeddings/make-embedder.js';
import type { LlmConfig } from '../llm/llm-config.js';
import type { Logger } from '../observability/logger.js';
import { makeKnowledgeBase, type KnowledgeBase } from './make-knowledge-base.js';

/**
 * The knowledge base from configuration, or null when it is off: `KB_ENABLED=false`,
 * or `auto` / `true` without the kb_cases table (pgvector missing, migration skipped).
 */
export async function buildKnowledgeBase(deps: { env: Env; llm: LlmConfig; pool: pg.Pool; logger: Logger }): Promise<KnowledgeBase | null> {
  const { env, llm, logger } = deps;
  if (env.KB_ENABLED === 'false') return null;
  const table = await deps.pool.query<{ t: string | null }>("SELECT to_regclass('kb_cases')::text AS t");
  if (!table.rows[0]?.t) {
    const log = env.KB_ENABLED === 'true' ? logger.warn.bind(logger) : logger.info.bind(logger);
    log('knowledge base off: pgvector is not available (migration 003_kb_cases was skipped)');
    return null;
  }
  const kb = makeKnowledgeBase({ pool: deps.pool, embedder: makeEmbedder(embedderConfig(env, llm)) });
  logger.info({ model: kb.model, cases: await kb.count() }, 'knowledge base on');
  return kb;
}

/** Explicit EMBEDDINGS_* settings first; else the LLM provider's key and URL when it is the same provider. */
export function embedderConfig(env: Env, llm: LlmConfig): EmbedderConfig {
  const same = llm.provider === env.EMBEDDINGS_PROVIDER;
  return {
    provider: env.EMBEDDINGS_PROVIDER,
    model: env.EMBEDDINGS_MODEL,
    apiKey: env.EMBEDDINGS_API_KEY ?? (same ? llm.apiKey : null),
    baseUrl: env.EMBEDDINGS_BASE_URL ?? (same ? llm.baseUrl : null),
  };
}
