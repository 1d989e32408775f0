import { h } from './dom.js';

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return `${Math.max(s, 0)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function statusBadge(status) {
  return h('span', { className: `status status-${status}`, dataset: { status } }, status);
}

export function confidenceBadge(confidence) {
  return confidence ? h('span', { className: `badge ${confidence}` }, `${confidence} confidence`) : null;
}

export const SOURCE_NAMES = { alert: 'alert', rollout: 'rollout', api: 'API', dashboard: 'dashboard' };

export function where(i) {
  const workload = i.workload ? `${i.workload.kind} ${i.workload.name}` : null;
  return [i.namespace, workload].filter(Boolean).join(' / ') || '—';
}

export function title(i) {
  return i.source === 'alert' || !i.description ? i.alertname : i.description;
}

/** A table of key → value pairs (labels, annotations, entities), all as text. */
export function kvTable(obj) {
  const entries = Object.entries(obj ?? {});
  if (entries.length === 0) return h('p', { className: 'muted' }, 'none');
  return h('table', { className: 'kv' }, h('tbody', null, entries.map(([k, v]) => h('tr', null, h('td', null, k), h('td', { className: 'mono' }, typeof v === 'string' ? v : JSON.stringify(v))))));
}
