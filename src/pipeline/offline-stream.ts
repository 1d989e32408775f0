import type { Analysis } from '../domain/analysis.js';
import type { AnalysisStream } from './stages.js';

/** An already-written analysis as a stream: its text in paragraph-sized chunks. */
export function streamOfAnalysis(analysis: Analysis): AnalysisStream {
  async function* chunks(): AsyncGenerator<string> {
    const parts = analysis.text.split(/(?<=\n\n)/);
    for (const part of parts) yield part;
  }
  return { chunks: chunks(), done: Promise.resolve(analysis) };
}
