import { ConfigError } from '../errors.js';
import { llmConfigFromEnv, type LlmConfig } from '../llm/llm-config.js';
import { parseEnv, type Env } from './config.js';

export type Config = { env: Env; llm: LlmConfig };

/** Reads every configuration slice, reporting all bad variables of all slices at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const errors: ConfigError[] = [];
  const attempt = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (err) {
      if (err instanceof ConfigError) {
        errors.push(err);
        return null;
      }
      throw err;
    }
  };
  const core = attempt(() => parseEnv(env));
  const llm = attempt(() => llmConfigFromEnv(env));
  if (errors.length > 0 || !core || !llm) {
    throw new ConfigError(errors.map((e) => e.message).join('\n'), errors.flatMap((e) => e.variables));
  }
  return { env: core, llm };
}
