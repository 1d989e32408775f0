import { EventEmitter } from 'node:events';

/**
 * In-process fan-out of analyses as they are written, for the dashboard's live view
 * and the SSE endpoint. Text written so far is kept until the analysis finishes so a
 * late subscriber starts from the beginning. Other replicas' analyses are read from
 * the database when they complete.
 */
export type AnalysisEvent = { type: 'chunk'; text: string } | { type: 'done'; status: 'completed' | 'failed' };

export type AnalysisBus = {
  publish(incidentId: string, event: AnalysisEvent): void;
  /** Text so far (null when nothing is streaming in this process). */
  partial(incidentId: string): string | null;
  subscribe(incidentId: string, listener: (event: AnalysisEvent) => void): () => void;
};

export function makeAnalysisBus(): AnalysisBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const partials = new Map<string, string>();
  return {
    publish(incidentId, event) {
      if (event.type === 'chunk') partials.set(incidentId, (partials.get(incidentId) ?? '') + event.text);
      else partials.delete(incidentId);
      emitter.emit(incidentId, event);
    },
    partial: (incidentId) => partials.get(incidentId) ?? null,
    subscribe(incidentId, listener) {
      emitter.on(incidentId, listener);
      return () => emitter.off(incidentId, listener);
    },
  };
}
