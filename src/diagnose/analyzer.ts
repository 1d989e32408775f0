import type { Finding } from '../domain/analysis.js';
import type { Evidence } from '../domain/evidence.js';
import type { Category, IncidentSubject } from '../domain/types.js';

export type AnalyzerInput = { subject: IncidentSubject; category: Category; evidence: Evidence };

/** A deterministic analyzer: pure, never throws on missing data, returns [] when silent. */
export type Analyzer = (input: AnalyzerInput) => Finding[];
