import { api, query } from '../api.js';
import { empty, h, replace } from '../dom.js';
import { time } from '../format.js';

export function renderKb(root) {
  const search = h('input', { type: 'search', id: 'kb-search', placeholder: 'Search cases…', 'aria-label': 'Search cases' });
  const body = h('div', { id: 'kb' });
  replace(root, h('h1', null, 'Knowledge base'), h('div', { className: 'toolbar' }, search), body);

  async function load() {
    try {
      const { items } = await api(`/kb/cases${query({ q: search.value.trim(), limit: 100 })}`);
      if (items.length === 0) {
        return void replace(body, empty(search.value ? 'No cases match.' : 'No validated cases yet. Analyses confirmed with ✅ in Slack become cases here.'));
      }
      replace(body, items.map((c) => h('section', { className: 'card kb-case' },
        h('h2', null, c.alertname ?? c.title ?? `case ${c.id}`, ' ', c.category ? h('span', { className: 'badge' }, c.category) : null, ' ', c.verdict ? h('span', { className: 'badge' }, c.verdict) : null),
        c.root_cause ? h('p', null, h('strong', null, 'Root cause: '), c.root_cause) : null,
        c.correction ? h('p', null, h('strong', null, 'Correction: '), c.correction) : null,
        c.resolution ? h('p', null, h('strong', null, 'Resolution: '), c.resolution) : null,
        h('p', { className: 'muted' }, [c.namespace, c.validated_by, time(c.validated_at ?? c.created_at), c.embedding_model].filter(Boolean).join(' · ')),
        c.incident_id ? h('a', { href: `#/incidents/${c.incident_id}` }, 'Open the incident') : null,
        h('h3', null, 'Verdict history'),
        c.verdicts.length === 0 ? h('p', { className: 'muted' }, 'none') : h('ul', null, c.verdicts.map((v) => h('li', null, `${v.verdict ?? '?'} — ${[v.user_name ?? v.user ?? '', time(v.created_at)].filter(Boolean).join(' · ')}`, v.correction ? ` — ${v.correction}` : ''))),
      )));
    } catch (err) {
      replace(body, h('p', { className: 'error' }, err.message));
    }
  }
  let typing = null;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(load, 250); });
  load();
  return () => clearTimeout(typing);
}
