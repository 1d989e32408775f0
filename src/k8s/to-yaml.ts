import { dump } from 'js-yaml';

/** Evidence summaries are YAML: compact, readable by people and models alike. */
export function toYaml(value: unknown): string {
  return dump(value, { lineWidth: 160, noRefs: true, skipInvalid: true, sortKeys: false }).trimEnd();
}

/** Drops undefined, null, empty arrays and empty objects so summaries stay short. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact).filter((v) => !isEmpty(v)) as T;
  if (value instanceof Date) return value.toISOString() as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (!isEmpty(c)) out[k] = c;
    }
    return out as T;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && !(v instanceof Date)) return Object.keys(v).length === 0;
  return false;
}
