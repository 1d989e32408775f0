import { z } from 'zod';
import type { KbCaseRecord } from '../kb-case.js';

/**
 * One line of `k8flex kb export`: a case without its vector. `embeddingModel` says
 * which model embedded it where it came from; import re-embeds `embeddedText` with the
 * configured embedder, so a file moves between installations and models.
 */
export const caseLineSchema = z.object({
  id: z.guid(),
  incidentId: z.guid().nullable(),
  alertname: z.string().min(1),
  severity: z.string().nullable(),
  category: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().nullable(),
  workloadKind: z.string().nullable(),
  workloadName: z.string().nullable(),
  title: z.string().nullable(),
  rootCause: z.string(),
  analysis: z.string(),
  evidence: z.array(z.unknown()),
  findings: z.array(z.unknown()),
  correction: z.string().nullable(),
  verdict: z.enum(['correct', 'incorrect']),
  validatedBy: z.string().nullable(),
  validatedAt: z.iso.datetime({ offset: true }),
  embeddedText: z.string().min(1),
  embeddingModel: z.string().optional(),
});

export type CaseLine = z.infer<typeof caseLineSchema>;

export function caseLine(c: KbCaseRecord): string {
  return JSON.stringify(c satisfies CaseLine);
}
