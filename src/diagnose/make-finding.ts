import type { EvidenceLine, Finding } from '../domain/analysis.js';
import type { Category } from '../domain/types.js';
import { causeOwner } from './cause-owner.js';
import type { CauseId } from './causes.js';

const MAX_LINE = 400;

/** Builds a Finding with the owner its cause implies; evidence lines are trimmed. */
export function makeFinding(f: {
  analyzer: string;
  cause: CauseId;
  title: string;
  detail: string;
  evidence: EvidenceLine[];
  confidence: number;
  actions: string[];
  category?: Category;
}): Finding {
  return {
    ...f,
    evidence: f.evidence.map((e) => ({ ...e, line: e.line.length > MAX_LINE ? `${e.line.slice(0, MAX_LINE)}…` : e.line })),
    owner: causeOwner(f.cause),
  };
}
