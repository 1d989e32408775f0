import type { CategoryDecision, IncidentSubject } from '../domain/types.js';
import { ALERT_RULES, NODE_CONDITION_RULES, REASON_RULES } from './alert-rules.js';
import { KEYWORD_RULES } from './keyword-rules.js';

/**
 * The first categorize pass: alert name, then label values that name a reason, then
 * words in the text. Pure and synchronous. A confidence under 0.6 means the rules are
 * unsure: the pipeline may ask an LLM, and the evidence pass may still move it.
 */
export function categorizeByRules(subject: IncidentSubject): CategoryDecision {
  const { labels, alertname } = subject;

  const reason = labels.reason;
  const byReason = reason ? REASON_RULES[reason] : undefined;
  if (byReason) {
    return { ...byReason, reason: `label reason="${reason}" on ${alertname || 'the alert'}`, decidedBy: 'rules' };
  }

  if (alertname === 'KubeNodePressure' && labels.condition) {
    const byCondition = NODE_CONDITION_RULES[labels.condition];
    if (byCondition) return { ...byCondition, reason: `KubeNodePressure condition="${labels.condition}"`, decidedBy: 'rules' };
  }

  const byName = ALERT_RULES[alertname];
  if (byName) return { ...byName, reason: `alertname ${alertname}`, decidedBy: 'rules' };

  if (/oom/i.test(alertname)) {
    return { category: 'oom-killed', confidence: 0.9, reason: `alertname ${alertname} names an OOM kill`, decidedBy: 'rules' };
  }

  const text = [
    alertname,
    subject.annotations.summary,
    subject.annotations.description,
    subject.annotations.message,
    subject.description,
  ]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join('\n');
  for (const rule of KEYWORD_RULES) {
    const match = rule.pattern.exec(text);
    if (match) {
      return {
        category: rule.category,
        confidence: rule.confidence,
        reason: `the alert text mentions "${match[0]}"`,
        decidedBy: 'rules',
      };
    }
  }

  return { category: 'unknown', confidence: 0.2, reason: 'no rule matched the alert name, labels or text', decidedBy: 'rules' };
}
