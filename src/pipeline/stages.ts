import type { Analysis, Finding, SimilarCase } from '../domain/analysis.js';
import type { Evidence } from '../domain/evidence.js';
import type { Category, CategoryDecision, IncidentSubject } from '../domain/types.js';

/**
 * The stage contracts of one investigation (see ../shared/DESIGN.md, "Stages").
 * Each stage is a plain async function; `runInvestigation` calls them top to bottom.
 * Partial failure is data: a stage returns what it has and says what is missing.
 */

export type Categorize = (subject: IncidentSubject) => Promise<CategoryDecision>;

/** Read only what `category` needs. Never throws: failures become evidence items. */
export type Collect = (subject: IncidentSubject, category: Category, signal?: AbortSignal) => Promise<Evidence>;

/** Second categorize pass: refine the category from what the cluster showed. */
export type Refine = (decision: CategoryDecision, evidence: Evidence, findings: Finding[]) => CategoryDecision;

export type Diagnose = (subject: IncidentSubject, category: Category, evidence: Evidence) => Finding[];

export type Recall = (
  subject: IncidentSubject,
  category: Category,
  evidence: Evidence,
  findings: Finding[],
) => Promise<{ cases: SimilarCase[]; note: string | null }>;

export type ExplainInput = {
  subject: IncidentSubject;
  category: CategoryDecision;
  evidence: Evidence;
  findings: Finding[];
  similar: SimilarCase[];
};

/**
 * An analysis as it is written: `chunks` yields markdown text as it arrives (the
 * concatenation of all chunks is `Analysis.text`); `done` settles with the parsed
 * analysis after the last chunk. `done` never rejects: failures fall back to the
 * offline analysis, marked as such.
 */
export type AnalysisStream = { chunks: AsyncIterable<string>; done: Promise<Analysis> };

export type Explain = (input: ExplainInput, signal?: AbortSignal) => AnalysisStream;

/** What delivery learned, recorded on the incident. */
export type DeliveryResult = {
  channel: string | null;
  parentTs: string | null;
  replyTs: string | null;
  permalink: string | null;
  error: string | null;
};

export type DeliverInput = ExplainInput & { stream: AnalysisStream; notify: boolean };

/** Consumes the stream (Slack thread, log, …) and resolves when delivery is finished. */
export type Deliver = (input: DeliverInput) => Promise<DeliveryResult>;
