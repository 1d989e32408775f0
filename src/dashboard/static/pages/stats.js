import { api } from '../api.js';
import { empty, h, replace } from '../dom.js';

export function renderStats(root) {
  const body = h('div', { id: 'stats' });
  replace(root, h('h1', null, 'Accuracy and volume'), body);
  api('/stats')
    .then((s) => {
      replace(body,
        h('section', { className: 'card', id: 'accuracy' }, h('h2', null, 'Accuracy by category'),
          !s.accuracy.available ? h('p', { className: 'muted' }, 'No feedback has been recorded yet: accuracy appears once engineers react ✅ or ❌ to analyses.')
            : s.accuracy.by_category.length === 0 ? empty('No verdicts yet.')
              : h('table', null,
                h('thead', null, h('tr', null, ['Category', 'Correct', 'Incorrect', 'Accuracy', ''].map((c) => h('th', null, c)))),
                h('tbody', null, s.accuracy.by_category.map((r) => h('tr', null,
                  h('td', null, r.category), h('td', null, String(r.correct)), h('td', null, String(r.incorrect)),
                  h('td', null, r.accuracy === null ? '—' : `${Math.round(r.accuracy * 100)}%`),
                  h('td', null, bar(r.accuracy ?? 0)),
                ))))),
        h('div', { className: 'grid' }, counts('By category', s.by_category), h('div', null, counts('By status', s.by_status), counts('By source', s.by_source))),
        h('p', { className: 'muted' }, `${s.total} incidents in total.`),
      );
    })
    .catch((err) => replace(body, h('p', { className: 'error' }, err.message)));
}

function counts(heading, obj) {
  const entries = Object.entries(obj);
  return h('section', { className: 'card' }, h('h2', null, heading),
    entries.length === 0 ? h('p', { className: 'muted' }, 'none') : h('table', null, h('tbody', null, entries.map(([k, n]) => h('tr', null, h('td', null, k), h('td', null, String(n)))))));
}

/** Width through CSSOM: the page's CSP allows no inline style attributes. */
function bar(fraction) {
  const fill = h('span');
  fill.style.width = `${Math.round(fraction * 100)}%`;
  return h('div', { className: 'bar' }, fill);
}
