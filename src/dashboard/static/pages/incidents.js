import { api, query } from '../api.js';
import { empty, h, replace } from '../dom.js';
import { ago, SOURCE_NAMES, statusBadge, time, title, where } from '../format.js';

// Filters survive going to an incident and back.
const filters = { q: '', status: '', source: '', openOnly: false };
const OPEN_STATUSES = 'pending,investigating,failed';
const REFRESH_MS = 5000;

export function renderIncidents(root) {
  const search = h('input', { type: 'search', id: 'search', placeholder: 'Search alert, namespace, workload, text…', value: filters.q, 'aria-label': 'Search' });
  const status = h('select', { id: 'status-filter', 'aria-label': 'Status' },
    ['', 'pending', 'investigating', 'completed', 'failed'].map((s) => h('option', { value: s, selected: s === filters.status }, s || 'any status')));
  const source = h('select', { id: 'source-filter', 'aria-label': 'Source' },
    ['', 'alert', 'rollout', 'api', 'dashboard'].map((s) => h('option', { value: s, selected: s === filters.source }, s ? SOURCE_NAMES[s] : 'any source')));
  const openOnly = h('input', { type: 'checkbox', id: 'open-only', checked: filters.openOnly });
  const body = h('div', { id: 'incident-list' });
  const more = h('button', { className: 'secondary', hidden: true, onclick: () => load(false) }, 'Load more');
  let cursor = null;
  let rows = [];
  let seq = 0;

  replace(root,
    h('h1', null, 'Incidents'),
    h('div', { className: 'toolbar' }, search, status, source, h('label', null, openOnly, ' Only failing / open'), h('a', { href: '#/investigate' }, 'Investigate something…')),
    body,
    h('p', null, more),
  );

  async function load(reset) {
    const mine = ++seq;
    const params = { q: filters.q, source: filters.source, status: filters.openOnly ? (filters.status && OPEN_STATUSES.includes(filters.status) ? filters.status : OPEN_STATUSES) : filters.status, limit: 50, cursor: reset ? null : cursor };
    try {
      const page = await api(`/incidents${query(params)}`);
      if (mine !== seq) return;
      rows = reset ? page.items : rows.concat(page.items);
      cursor = page.next_cursor;
      more.hidden = !cursor;
      draw();
    } catch (err) {
      if (mine === seq) replace(body, h('p', { className: 'error' }, `Could not load incidents: ${err.message}`));
    }
  }

  function draw() {
    if (rows.length === 0) {
      replace(body, empty(filters.q || filters.status || filters.source || filters.openOnly ? 'No incidents match these filters.' : 'No incidents yet. Alerts sent to /webhook and investigations appear here.'));
      return;
    }
    replace(body, h('table', { id: 'incidents-table' },
      h('thead', null, h('tr', null, ['Status', 'Incident', 'Category', 'Namespace / workload', 'Source', 'Created'].map((c) => h('th', null, c)))),
      h('tbody', null, rows.map((i) => h('tr', { className: 'row-link', dataset: { id: i.id }, onclick: () => { location.hash = `#/incidents/${i.id}`; } },
        h('td', null, statusBadge(i.status)),
        h('td', null, h('a', { href: `#/incidents/${i.id}`, className: 'incident-title' }, title(i)), i.alert_count > 1 ? h('span', { className: 'muted' }, ` ×${i.alert_count}`) : null),
        h('td', null, i.category ? h('span', { className: 'badge' }, i.category) : h('span', { className: 'muted' }, '—')),
        h('td', { className: 'mono' }, where(i)),
        h('td', null, SOURCE_NAMES[i.source] ?? i.source),
        h('td', { title: time(i.created_at) }, ago(i.created_at)),
      ))),
    ));
  }

  let typing = null;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { filters.q = search.value.trim(); load(true); }, 250);
  });
  status.addEventListener('change', () => { filters.status = status.value; load(true); });
  source.addEventListener('change', () => { filters.source = source.value; load(true); });
  openOnly.addEventListener('change', () => { filters.openOnly = openOnly.checked; load(true); });

  load(true);
  // Refresh the first page while it is the only one shown (status dots move on their own).
  const timer = setInterval(() => { if (!cursor || rows.length <= 50) load(true); }, REFRESH_MS);
  return () => { clearInterval(timer); clearTimeout(typing); seq++; };
}
