import { h, replace } from './dom.js';
import { renderIncidents } from './pages/incidents.js';
import { renderIncident } from './pages/incident.js';
import { renderInvestigate } from './pages/investigate.js';
import { renderCluster } from './pages/cluster.js';
import { renderRollouts } from './pages/rollouts.js';
import { renderKb } from './pages/kb.js';
import { renderStats } from './pages/stats.js';

// Hash routes: #/ (incidents), #/incidents/<id>, #/investigate, #/cluster, #/rollouts, #/kb, #/stats.
// Each page renders into <main> and returns a cleanup function (timers, streams).
const ROUTES = [
  [/^#?\/?$/, 'incidents', () => renderIncidents],
  [/^#\/incidents\/([0-9a-f-]{36})$/i, 'incidents', (m) => (root) => renderIncident(root, m[1])],
  [/^#\/investigate$/, 'investigate', () => renderInvestigate],
  [/^#\/cluster$/, 'cluster', () => renderCluster],
  [/^#\/rollouts$/, 'rollouts', () => renderRollouts],
  [/^#\/kb$/, 'kb', () => renderKb],
  [/^#\/stats$/, 'stats', () => renderStats],
];

let cleanup = null;

function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const root = document.getElementById('app');
  const hash = location.hash.split('?')[0];
  for (const [pattern, nav, page] of ROUTES) {
    const m = pattern.exec(hash);
    if (!m) continue;
    for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.route === nav);
    replace(root);
    cleanup = page(m)(root) ?? null;
    return;
  }
  replace(root, h('div', { className: 'empty' }, 'Nothing here. ', h('a', { href: '#/' }, 'Back to incidents')));
}

window.addEventListener('hashchange', route);
route();
