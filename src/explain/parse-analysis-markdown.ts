import type { AnalysisSections } from '../domain/analysis.js';
import { CONFIDENCE_LEVELS, type ConfidenceLevel } from '../domain/types.js';
import { ANALYSIS_HEADINGS } from './render-analysis-markdown.js';

/** The field each of the fixed `## ` sections fills (headings: render-analysis-markdown.ts). */
const FIELD_OF_HEADING = {
  Summary: 'summary',
  'Root cause': 'rootCause',
  Evidence: 'evidence',
  Impact: 'impact',
  'Recommended actions': 'actions',
  Prevention: 'prevention',
  Confidence: 'confidence',
} as const satisfies Record<(typeof ANALYSIS_HEADINGS)[number], keyof AnalysisSections>;
const ANALYSIS_SECTIONS = ANALYSIS_HEADINGS.map((heading) => ({ heading, field: FIELD_OF_HEADING[heading] }));
type Field = keyof AnalysisSections;

export type ParsedAnalysis = {
  sections: AnalysisSections;
  /** Headings that were absent or empty. */
  missing: string[];
  /** True when the text has what an analysis cannot do without: a summary and a root cause. */
  usable: boolean;
};

/** `## Root cause`, `### Root Cause:`, `**Root cause**` and `Root cause:` on a line of its own all name a section. */
const HEADING = /^\s*(?:#{1,4}\s*)?(?:\*\*|__)?\s*([A-Za-z][A-Za-z ]{2,40}?)\s*:?\s*(?:\*\*|__)?\s*:?\s*$/;
const LIST_ITEM = /^\s*(?:[-*•+]|\d{1,2}[.)])\s+(.*)$/;

function fieldOf(heading: string): Field | null {
  const name = heading.trim().toLowerCase();
  const aliases: Record<string, Field> = { actions: 'actions', 'next steps': 'actions', 'recommended action': 'actions', 'root causes': 'rootCause' };
  const exact = ANALYSIS_SECTIONS.find((s) => s.heading.toLowerCase() === name);
  return exact?.field ?? aliases[name] ?? null;
}

function listOf(body: string): string[] {
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  const items: string[] = [];
  for (const line of lines) {
    const item = LIST_ITEM.exec(line);
    if (item) items.push((item[1] ?? '').trim());
    else if (items.length > 0 && /^\s{2,}\S/.test(line)) items[items.length - 1] += ` ${line.trim()}`;
    else items.push(line.trim());
  }
  return items.filter((i) => i !== '');
}

function confidenceOf(body: string): ConfidenceLevel | null {
  const word = /\b(high|medium|low)\b/i.exec(body);
  const level = word?.[1]?.toLowerCase();
  return CONFIDENCE_LEVELS.find((c) => c === level) ?? null;
}

/**
 * Parses an analysis written in the fixed markdown sections (by an LLM, or the
 * offline writer) back into its structured fields. Tolerant of heading styles and
 * list markers; text before the first heading is ignored; an unknown heading's
 * text stays with the section before it.
 */
export function parseAnalysisMarkdown(text: string): ParsedAnalysis {
  const bodies = new Map<Field, string[]>();
  let current: Field | null = null;
  let inFence = false;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    const field = heading ? fieldOf(heading[1] ?? '') : null;
    if (field) {
      current = field;
      if (!bodies.has(field)) bodies.set(field, []);
      continue;
    }
    if (current) bodies.get(current)?.push(line);
  }
  const body = (field: Field) => (bodies.get(field) ?? []).join('\n').trim();
  const confidence = confidenceOf(body('confidence'));
  const sections: AnalysisSections = {
    summary: body('summary'),
    rootCause: body('rootCause'),
    evidence: listOf(body('evidence')),
    impact: body('impact'),
    actions: listOf(body('actions')),
    prevention: listOf(body('prevention')),
    confidence: confidence ?? 'low',
  };
  const missing = ANALYSIS_SECTIONS.filter(({ field }) => (field === 'confidence' ? confidence === null : body(field) === '')).map((s) => s.heading);
  return { sections, missing, usable: sections.summary !== '' && sections.rootCause !== '' };
}
