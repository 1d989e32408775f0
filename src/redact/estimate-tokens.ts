/**
 * An estimate of how many LLM tokens `text` costs, without a tokenizer: about four
 * characters per token for English and code (the rule OpenAI and Anthropic publish),
 * and one token per character outside ASCII, which tokenizers split finely.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 4) + other;
}
