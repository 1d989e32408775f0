import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { categorizeByRules } from '../categorize/categorize-by-rules.js';
import { refineCategory } from '../categorize/refine-category.js';
import { diagnose } from '../diagnose/diagnose.js';
import type { Analysis } from '../domain/analysis.js';
import type { AlertmanagerAlert, Category } from '../domain/types.js';
import { writeOfflineAnalysis } from '../explain/write-offline-analysis.js';
import type { Collect } from '../pipeline/stages.js';
import { mergeEvidence } from '../pipeline/merge-evidence.js';
import { subjectFromAlert } from './subject-from-alert.js';

export type Expected = { category: Category; cause: string; mention?: string[] };

export type ScenarioResult = {
  name: string;
  expected: Expected;
  category: Category;
  /** The top finding's cause, or "none" when nothing fired. */
  cause: string;
  categoryOk: boolean;
  causeOk: boolean;
  /** Expected words missing from the root cause text. */
  missingMentions: string[];
  analysis: Analysis;
};

/**
 * Runs the offline pipeline on one scenario — categorize, collect, diagnose, refine
 * (and collect again for a changed category), explain — as a worker would with no
 * LLM configured.
 */
export async function runScenario(dir: string, collect: Collect): Promise<ScenarioResult> {
  const name = basename(dir);
  const payload = JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')) as { alerts: AlertmanagerAlert[]; externalURL?: string };
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
  const alert = payload.alerts[0];
  if (!alert) throw new Error(`${name}: alert.json has no alerts`);
  const subject = subjectFromAlert(alert, payload, `eval-${name}`, 'eval');
  const first = categorizeByRules(subject);
  let evidence = await collect(subject, first.category);
  let findings = diagnose(subject, first.category, evidence);
  const decision = refineCategory(first, evidence, findings);
  if (decision.category !== first.category) {
    // The new category may need data the first plan did not read (a PVC, a policy).
    evidence = mergeEvidence(evidence, await collect(subject, decision.category));
    findings = diagnose(subject, decision.category, evidence);
  }
  const analysis = writeOfflineAnalysis({ subject, category: decision, evidence, findings, similar: [] });
  const cause = findings[0]?.cause ?? 'none';
  const text = `${analysis.rootCause}\n${analysis.evidence.join('\n')}`.toLowerCase();
  return {
    name,
    expected,
    category: decision.category,
    cause,
    categoryOk: decision.category === expected.category,
    causeOk: cause === expected.cause,
    missingMentions: (expected.mention ?? []).filter((m) => !text.includes(m.toLowerCase())),
    analysis,
  };
}
