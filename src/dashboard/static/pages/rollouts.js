import { api } from '../api.js';
import { empty, h, replace } from '../dom.js';
import { time } from '../format.js';

// Rows come whole from the rollouts table; show the columns people look for first.
const PREFERRED = ['namespace', 'deployment', 'name', 'revision', 'status', 'reason', 'message', 'incident_id', 'started_at', 'failed_at', 'completed_at'];

export function renderRollouts(root) {
  const body = h('div', { id: 'rollouts' });
  replace(root, h('h1', null, 'Rollouts'), body);
  api('/rollouts?limit=100')
    .then(({ items }) => {
      if (items.length === 0) return void replace(body, empty('No failed rollouts recorded. The rollout watcher records Deployments whose rollout stalls or fails.'));
      const columns = PREFERRED.filter((c) => items.some((r) => r[c] !== undefined && r[c] !== null));
      replace(body, h('table', null,
        h('thead', null, h('tr', null, columns.map((c) => h('th', null, c.replace(/_/g, ' '))))),
        h('tbody', null, items.map((r) => h('tr', null, columns.map((c) => h('td', null, cell(c, r[c])))))),
      ));
    })
    .catch((err) => replace(body, h('p', { className: 'error' }, err.message)));
}

function cell(column, value) {
  if (value === null || value === undefined) return '';
  if (column === 'incident_id') return h('a', { href: `#/incidents/${value}` }, 'incident');
  if (column.endsWith('_at')) return time(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
