import { redactText } from '../redact/redact-text.js';

/**
 * Wraps text that came from outside k8flex (alert labels and annotations, logs,
 * events, object fields, engineers' corrections) in markers the system prompt
 * declares as data. The text is redacted, and marker look-alikes inside it are
 * defused so data can never close its own fence and pose as instructions.
 */
export function fenceUntrusted(label: string, text: string): string {
  const safe = redactText(text).replace(/<<</g, '‹‹‹').replace(/>>>/g, '›››');
  return `<<<DATA ${label}>>>\n${safe}\n<<<END DATA ${label}>>>`;
}
