import type { AnalysisSections } from '../domain/analysis.js';
import type { TriageOwner } from '../domain/types.js';

/** The `## ` headings of an analysis, in order. The LLM prompt and the parser use the same list. */
export const ANALYSIS_HEADINGS = [
  'Summary',
  'Root cause',
  'Evidence',
  'Impact',
  'Recommended actions',
  'Prevention',
  'Confidence',
] as const;

const COMMAND = /^(kubectl|helm|crane|crictl|journalctl|systemctl) /;
const TRAILING_COMMAND = /^(.*?:\s*)((?:kubectl|helm|crane|crictl) [^`]+)$/;

/** Commands are set in code spans so Slack and the dashboard show them copyable. */
function action(a: string): string {
  if (COMMAND.test(a)) return `\`${a}\``;
  const m = TRAILING_COMMAND.exec(a);
  return m ? `${m[1]}\`${m[2]}\`` : a;
}

/**
 * Markdown with exactly the ANALYSIS_HEADINGS sections, in order. Lists are
 * `- ` bullets (actions numbered); the Confidence section starts with the level.
 */
export function renderAnalysisMarkdown(
  sections: AnalysisSections & { analyzers?: string[]; owner?: TriageOwner; notes?: string[] },
): string {
  const bullets = (items: string[], empty: string) => (items.length > 0 ? items.map((i) => `- ${i}`).join('\n') : `- ${empty}`);
  const confidence = [
    `**${sections.confidence}**`,
    sections.analyzers && sections.analyzers.length > 0 ? `Analyzers that fired: ${sections.analyzers.join(', ')}.` : 'No analyzer fired.',
    sections.owner ? `Triage owner: ${sections.owner}.` : '',
    ...(sections.notes ?? []),
  ].filter(Boolean);
  return [
    `## Summary\n\n${sections.summary}`,
    `## Root cause\n\n${sections.rootCause}`,
    `## Evidence\n\n${bullets(sections.evidence, 'No evidence was gathered.')}`,
    `## Impact\n\n${sections.impact}`,
    `## Recommended actions\n\n${sections.actions.length > 0 ? sections.actions.map((a, i) => `${i + 1}. ${action(a)}`).join('\n') : '1. Investigate manually; nothing automatic applies.'}`,
    `## Prevention\n\n${bullets(sections.prevention, 'None suggested.')}`,
    `## Confidence\n\n${confidence.join(' ')}`,
  ].join('\n\n') + '\n';
}
