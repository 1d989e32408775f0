import { readRetryInfo } from './read-retry-info.js';

/** One line an operator can act on, for `Analysis.llm.error`, `degraded` and logs. */
export function describeLlmError(provider: string, model: string, error: unknown): string {
  const { status } = readRetryInfo(error, Date.now());
  const message = error instanceof Error ? error.message : String(error);
  const short = message.replace(/\s+/g, ' ').slice(0, 300);
  switch (status) {
    case 401:
    case 403:
      return `${provider} rejected the credentials (HTTP ${status}); check the API key or AWS credentials: ${short}`;
    case 404:
      return `${provider} does not know model "${model}" (HTTP 404); check the model setting: ${short}`;
    case 429:
      return `${provider} rate-limited the request (HTTP 429): ${short}`;
    case null:
      return `${provider}: ${short}`;
    default:
      return `${provider} failed (HTTP ${status}): ${short}`;
  }
}
