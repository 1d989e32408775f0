import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { confidenceBadge, kvTable, SOURCE_NAMES, statusBadge, time, title, where } from '../format.js';
import { renderMarkdown } from '../markdown.js';

const FINISHED = new Set(['completed', 'failed']);

// Safety net under the live stream: if it drops for good (proxy, restart), the page
// still notices that the incident finished.
const CHECK_MS = 3000;

export function renderIncident(root, id) {
  let source = null;
  let check = null;
  let closed = false;
  replace(root, h('p', { className: 'muted' }, 'Loading…'));

  async function load() {
    let incident;
    try {
      incident = await api(`/incidents/${id}`);
    } catch (err) {
      replace(root, h('p', null, h('a', { href: '#/' }, '← Incidents')), h('p', { className: 'error' }, err.message));
      return;
    }
    if (closed) return;
    const analysis = h('div', { className: 'analysis', id: 'analysis' });
    draw(root, incident, analysis);
    if (!FINISHED.has(incident.status)) stream(analysis);
  }

  function stream(analysis) {
    let text = '';
    replace(analysis, h('p', { className: 'muted' }, 'Waiting for the analysis to start…'));
    source = new EventSource(`/api/v1/incidents/${id}/stream`);
    source.addEventListener('chunk', (e) => {
      text += JSON.parse(e.data).text;
      analysis.classList.add('streaming');
      analysis.dataset.streamed = 'true';
      replace(analysis, renderMarkdown(text));
    });
    const finish = () => {
      if (source) source.close();
      source = null;
      clearInterval(check);
      analysis.classList.remove('streaming');
      if (!closed) load();
    };
    source.addEventListener('done', finish);
    source.onerror = () => {
      // The browser reconnects by itself and the server resends the text so far.
      text = '';
    };
    check = setInterval(async () => {
      const i = await api(`/incidents/${id}`).catch(() => null);
      if (i && FINISHED.has(i.status) && !closed) finish();
    }, CHECK_MS);
  }

  load();
  return () => {
    closed = true;
    clearInterval(check);
    if (source) source.close();
  };
}

function draw(root, i, analysisBox) {
  const a = i.analysis;
  if (a) replace(analysisBox, renderMarkdown(a.text));
  else if (i.status === 'failed') replace(analysisBox, h('p', { className: 'error' }, `The investigation failed: ${i.error ?? 'unknown error'}`));

  replace(root,
    h('p', null, h('a', { href: '#/' }, '← Incidents')),
    h('h1', { id: 'incident-title' }, title(i), ' ', statusBadge(i.status)),
    i.description && i.source !== 'alert' ? null : i.description ? h('p', { className: 'muted' }, i.description) : null,
    h('div', { className: 'grid' },
      h('div', null,
        h('section', { className: 'card' },
          h('h2', null, 'Analysis ', confidenceBadge(i.confidence), a?.mode ? h('span', { className: 'badge' }, a.mode) : null),
          i.suggested_root_cause ? h('p', { id: 'root-cause' }, h('strong', null, 'Root cause: '), i.suggested_root_cause) : null,
          a?.degraded?.length ? h('div', { className: 'notice' }, `Degraded: ${a.degraded.join('; ')}`) : null,
          analysisBox,
        ),
        findings(i.findings),
        evidence(i.evidence),
      ),
      h('div', null,
        details(i),
        h('section', { className: 'card' }, h('h2', null, 'Entities'), kvTable(i.entities)),
        alerts(i.alerts),
        similar(i.similar_cases),
        feedback(i.feedback, i.slack),
      ),
    ),
  );
}

function details(i) {
  const permalink = i.slack?.permalink;
  const rows = [
    ['Status', statusBadge(i.status)],
    ['Category', i.category ?? '—'],
    ['Where', where(i)],
    ['Cluster', i.cluster],
    ['Source', SOURCE_NAMES[i.source] ?? i.source],
    ['Severity', i.severity ?? '—'],
    ['Created', time(i.created_at)],
    ['Completed', time(i.completed_at)],
    ['Resolved', i.resolved_at ? time(i.resolved_at) : '—'],
    ['Slack', permalink ? h('a', { href: permalink, target: '_blank', rel: 'noopener noreferrer', id: 'slack-link' }, 'Open thread') : i.slack?.error ? h('span', { className: 'error' }, i.slack.error) : '—'],
  ];
  return h('section', { className: 'card' }, h('h2', null, 'Details'), h('dl', { className: 'meta' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])));
}

function findings(list) {
  if (!list?.length) return null;
  return h('section', { className: 'card', id: 'findings' }, h('h2', null, 'Findings'),
    list.map((f) => h('div', { className: 'finding' },
      h('h3', null, f.title, ' ', h('span', { className: 'badge' }, `${Math.round((f.confidence ?? 0) * 100)}%`), ' ', h('span', { className: 'muted' }, f.analyzer)),
      f.detail ? h('p', null, f.detail) : null,
      f.evidence?.length ? h('pre', null, f.evidence.map((e) => `${e.line}    ← ${e.source}`).join('\n')) : null,
      f.actions?.length ? h('ul', null, f.actions.map((x) => h('li', null, x))) : null,
    )));
}

function evidence(ev) {
  if (!ev) return null;
  const groups = new Map();
  for (const item of ev.items ?? []) {
    const kind = item.source?.kind ?? 'other';
    if (!groups.has(kind)) groups.set(kind, []);
    groups.get(kind).push(item);
  }
  return h('section', { className: 'card', id: 'evidence' }, h('h2', null, 'Evidence'),
    ev.clusterReadable === false ? h('div', { className: 'notice' }, 'The cluster could not be read for this incident.') : null,
    ev.missing?.length ? h('div', { className: 'notice' }, h('strong', null, 'Missing: '), ev.missing.join('; ')) : null,
    groups.size === 0 ? h('p', { className: 'muted' }, 'No evidence was collected.') : null,
    [...groups].map(([kind, items]) => h('div', { className: 'evidence-group' },
      h('h3', null, `${kind} (${items.length})`),
      items.map((item) => h('details', null,
        h('summary', null, item.title, item.error ? h('span', { className: 'error' }, ` — ${item.error}`) : null, item.truncated ? h('span', { className: 'muted' }, ' (truncated)') : null),
        h('div', { className: 'muted mono' }, item.source?.path ?? ''),
        h('pre', null, item.text ?? ''),
      )),
    )));
}

function alerts(list) {
  return h('section', { className: 'card', id: 'alerts' }, h('h2', null, `Alerts (${list?.length ?? 0})`),
    !list?.length ? h('p', { className: 'muted' }, 'No alerts: this incident was opened by hand or by the rollout watcher.') : null,
    (list ?? []).map((al) => h('details', { open: list.length === 1 },
      h('summary', null, al.alertname, ' ', h('span', { className: 'badge' }, al.status), ' ', h('span', { className: 'muted' }, time(al.starts_at))),
      h('h3', null, 'Labels'), kvTable(al.labels),
      h('h3', null, 'Annotations'), kvTable(al.annotations),
      al.generator_url ? h('p', null, h('a', { href: al.generator_url, target: '_blank', rel: 'noopener noreferrer' }, 'Source query')) : null,
    )));
}

function similar(list) {
  return h('section', { className: 'card', id: 'similar' }, h('h2', null, 'Similar cases'),
    !list?.length ? h('p', { className: 'muted' }, 'No similar validated cases were recalled.') : null,
    (list ?? []).map((c) => h('div', { className: 'case' },
      h('p', null, h('strong', null, c.alertname ?? ''), ' ', h('span', { className: 'badge' }, c.category ?? ''), ' ', h('span', { className: 'badge' }, c.verdict ?? ''), ' ', h('span', { className: 'muted' }, c.similarity !== undefined ? `similarity ${Number(c.similarity).toFixed(2)}` : '')),
      h('p', null, c.rootCause ?? ''),
      c.correction ? h('p', null, h('strong', null, 'Correction: '), c.correction) : null,
      c.incidentId ? h('a', { href: `#/incidents/${c.incidentId}` }, 'Open that incident') : null,
    )));
}

function feedback(rows, slack) {
  return h('section', { className: 'card', id: 'feedback' }, h('h2', null, 'Feedback'),
    !rows?.length ? h('p', { className: 'muted' }, slack?.permalink ? 'No feedback yet. React ✅ or ❌ in the Slack thread (reply with a correction).' : 'No feedback yet.') : null,
    (rows ?? []).map((f) => h('div', { className: 'feedback-row' },
      h('p', null, h('span', { className: 'badge' }, String(f.verdict ?? f.reaction ?? 'feedback')), ' ', h('span', { className: 'muted' }, [f.user_name ?? f.user ?? f.validated_by ?? '', time(f.created_at ?? f.received_at)].filter(Boolean).join(' · '))),
      f.correction ? h('p', null, h('strong', null, 'Correction: '), String(f.correction)) : null,
    )));
}
