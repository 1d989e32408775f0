import type { Category, ConfidenceLevel, TriageOwner } from './types.js';

/** One line that proves a finding, with the evidence item it came from. */
export type EvidenceLine = { line: string; source: string };

/**
 * A deterministic analyzer's conclusion. `cause` is a stable identifier from the
 * vocabulary in src/diagnose/causes.ts (e.g. `oom-killed`, `image-not-found`),
 * used for evaluation and for recalling similar cases.
 */
export type Finding = {
  analyzer: string;
  cause: string;
  /** One-sentence statement of the cause, naming the objects involved. */
  title: string;
  detail: string;
  evidence: EvidenceLine[];
  /** 0..1 */
  confidence: number;
  actions: string[];
  owner: TriageOwner;
  /** The category this finding implies, used by the evidence pass of categorize. */
  category?: Category;
};

/** A validated case recalled from the knowledge base. */
export type SimilarCase = {
  caseId: string;
  incidentId: string | null;
  alertname: string;
  category: string;
  rootCause: string;
  verdict: 'correct' | 'incorrect';
  correction: string | null;
  validatedBy: string | null;
  validatedAt: string | null;
  similarity: number;
  link: string | null;
};

export const ANALYSIS_MODES = ['offline', 'llm', 'llm-fallback'] as const;
export type AnalysisMode = (typeof ANALYSIS_MODES)[number];

/** The structure both the LLM and the offline writer produce. */
export type AnalysisSections = {
  summary: string;
  rootCause: string;
  evidence: string[];
  impact: string;
  actions: string[];
  prevention: string[];
  confidence: ConfidenceLevel;
};

export type Analysis = AnalysisSections & {
  mode: AnalysisMode;
  /** Markdown text exactly as delivered. */
  text: string;
  analyzers: string[];
  owner: TriageOwner;
  provider: string | null;
  model: string | null;
  promptVersion: string | null;
  /** Why the analysis is degraded (LLM failed, cluster unreadable, …), if it is. */
  degraded: string[];
  llm: { calls: number; tokensIn: number; tokensOut: number; error: string | null } | null;
  /** LLM analyses: how the prompt was trimmed to the provider's token budget. */
  budget?: { tokensBefore: number; tokensAfter: number; dropped: string[] };
};
