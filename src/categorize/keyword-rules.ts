import type { Category } from '../domain/types.js';

/**
 * Words in an alert's name, summary or description (or a free-form question) that
 * point at a category. Checked in order: the more specific failure words come first,
 * so "pod OOMKilled, restarting" is oom-killed rather than pod-restart.
 */
export const KEYWORD_RULES: ReadonlyArray<{ pattern: RegExp; category: Category; confidence: number }> = [
  { pattern: /\boom|out of memory|memory limit (exceeded|reached)|exit code 137/i, category: 'oom-killed', confidence: 0.75 },
  { pattern: /imagepull|errimagepull|image pull|pull(ing)? (the )?image|manifest unknown|invalidimagename/i, category: 'image-pull', confidence: 0.75 },
  { pattern: /createcontainerconfigerror|(configmap|secret)s? .{0,60}not found|missing (configmap|secret|env)/i, category: 'config-error', confidence: 0.7 },
  { pattern: /crash ?loop|back-?off restarting|keeps crashing|crash(es|ing)?\b/i, category: 'pod-crash', confidence: 0.7 },
  { pattern: /liveness|restart(s|ing|ed)?\b/i, category: 'pod-restart', confidence: 0.6 },
  { pattern: /\bpending\b|unschedulable|failedscheduling|insufficient (cpu|memory)|cannot be scheduled|quota/i, category: 'pod-pending', confidence: 0.65 },
  { pattern: /throttl/i, category: 'cpu-throttling', confidence: 0.7 },
  { pattern: /network ?polic|connection (blocked|denied)|traffic (is )?blocked/i, category: 'network-policy', confidence: 0.7 },
  { pattern: /\bdns\b|no such host|servfail|nxdomain|coredns|name resolution/i, category: 'dns-issues', confidence: 0.7 },
  { pattern: /no (ready )?endpoints|endpoints? (missing|not ready)|selector matches no pods/i, category: 'endpoint-missing', confidence: 0.7 },
  { pattern: /disk ?pressure|disk (is )?(full|space)|filesystem|no space left|inodes/i, category: 'disk-pressure', confidence: 0.65 },
  { pattern: /node .{0,40}(not ?ready|unreachable|down)|notready|kubelet/i, category: 'node-not-ready', confidence: 0.65 },
  { pattern: /persistent ?volume|\bpvc\b|\bvolume\b|storage ?class|provision/i, category: 'storage', confidence: 0.65 },
  { pattern: /rollout|progress ?deadline|deployment .{0,40}(stuck|failed)|replicas? mismatch/i, category: 'rollout-failed', confidence: 0.65 },
  { pattern: /\bjob\b.{0,40}fail|backoff ?limit|cron ?job|job .{0,30}(not )?complet/i, category: 'job-failed', confidence: 0.65 },
  { pattern: /\b5\d\d\b|\b5xx\b|error rate|unavailable|target down|is down|not reachable|unreachable|timed? ?out|latency/i, category: 'service-down', confidence: 0.55 },
  { pattern: /configmap|secret|environment variable|misconfigur/i, category: 'config-error', confidence: 0.55 },
];
