import { api, query } from '../api.js';
import { empty, h, replace } from '../dom.js';

let onlyFailing = false;

export function renderCluster(root) {
  const failing = h('input', { type: 'checkbox', id: 'failing-only', checked: onlyFailing });
  const body = h('div', { id: 'cluster' });
  replace(root, h('h1', null, 'Cluster'), h('div', { className: 'toolbar' }, h('label', null, failing, ' Only failing Deployments')), body);

  async function load() {
    try {
      const r = await api(`/cluster/deployments${query({ failing: onlyFailing ? 'true' : '' })}`);
      if (!r.available) return void replace(body, h('div', { className: 'notice', id: 'cluster-notice' }, r.notice));
      if (r.items.length === 0) return void replace(body, empty(onlyFailing ? 'Every Deployment has all its replicas ready.' : 'No Deployments found.'));
      const byNamespace = new Map();
      for (const d of r.items) {
        if (!byNamespace.has(d.namespace)) byNamespace.set(d.namespace, []);
        byNamespace.get(d.namespace).push(d);
      }
      replace(body, [...byNamespace].map(([ns, list]) => h('section', { className: 'card' },
        h('h2', null, ns, ' ', h('span', { className: 'muted' }, `${list.filter((d) => d.failing).length} of ${list.length} failing`)),
        h('table', null,
          h('thead', null, h('tr', null, ['Deployment', 'Ready / desired', 'Up to date', 'Problem', ''].map((c) => h('th', null, c)))),
          h('tbody', null, list.map((d) => h('tr', { dataset: { deployment: `${d.namespace}/${d.name}` } },
            h('td', { className: 'mono' }, d.name),
            h('td', { className: d.failing ? 'failing' : '' }, `${d.ready} / ${d.desired}`),
            h('td', null, String(d.updated)),
            h('td', null, d.problem ?? ''),
            h('td', null, d.failing ? h('button', { className: 'secondary', onclick: () => investigate(d) }, 'Investigate') : null),
          ))),
        ),
      )));
    } catch (err) {
      replace(body, h('p', { className: 'error' }, err.message));
    }
  }

  async function investigate(d) {
    const { incident_id: id } = await api('/incidents', { method: 'POST', body: JSON.stringify({ namespace: d.namespace, workload: d.name, source: 'dashboard' }) });
    location.hash = `#/incidents/${id}`;
  }

  failing.addEventListener('change', () => { onlyFailing = failing.checked; load(); });
  load();
  const timer = setInterval(load, 10_000);
  return () => clearInterval(timer);
}
