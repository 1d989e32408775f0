/**
 * Label and field selectors as the API server evaluates them
 * (`app=web,tier!=db,env in (a,b),!legacy`; `spec.nodeName=n1,involvedObject.name=x`).
 */
type Requirement = (get: (key: string) => string | undefined) => boolean;

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseRequirement(term: string): Requirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, values = ''] = set;
    const allowed = values.split(',').map((v) => v.trim());
    return op === 'in' ? (get) => allowed.includes(get(key) ?? '\u0000') : (get) => !allowed.includes(get(key) ?? '\u0000');
  }
  const cmp = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    return op === '!=' ? (get) => get(key) !== value : (get) => get(key) === value;
  }
  if (term.startsWith('!')) return (get) => get(term.slice(1)) === undefined;
  return (get) => get(term) !== undefined;
}

export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return splitTopLevel(selector).every((term) => parseRequirement(term)((k) => labels?.[k]));
}

function fieldValue(object: unknown, path: string): string | undefined {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return undefined;
  return String(current);
}

/** Unset fields compare as the empty string, as the API server does for `spec.nodeName=`. */
export function matchesFieldSelector(object: unknown, selector: string | null): boolean {
  if (!selector) return true;
  return splitTopLevel(selector).every((term) => parseRequirement(term)((k) => fieldValue(object, k) ?? ''));
}
