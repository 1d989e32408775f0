import type { z } from 'zod';

/**
 * The JSON object in a model's reply, validated by `schema`, or null. Models wrap
 * JSON in ``` fences or a sentence despite being told not to; the outermost
 * braces are taken.
 */
export function parseJsonReply<T>(text: string, schema: z.ZodType<T>): T | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
