import { envSchema } from '../../../src/config/config.js';
import { LLM_ENV_VARS } from '../../../src/llm/llm-config.js';

/**
 * The variables k8flex documents: envSchema's keys and LLM_ENV_VARS. Aliases the LLM
 * slice also accepts (GOOGLE_API_KEY, AWS_DEFAULT_REGION) are mentioned in the
 * meanings, not listed as variables of their own.
 */
export const SCHEMA_VARIABLES: readonly string[] = [...Object.keys(envSchema.shape), ...LLM_ENV_VARS.map((v) => v.name)];

/** Variables set on `NAME=value` lines, and those only mentioned in `# NAME=` lines. */
export function readEnvFile(text: string): { set: Map<string, string>; commented: Set<string> } {
  const set = new Map<string, string>();
  const commented = new Set<string>();
  for (const line of text.split('\n')) {
    const assignment = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment) set.set(assignment[1] ?? '', (assignment[2] ?? '').replace(/^"(.*)"$/, '$1'));
    const mention = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (mention) commented.add(mention[1] ?? '');
  }
  return { set, commented };
}
