import { api } from '../api.js';
import { h, replace } from '../dom.js';

export function renderInvestigate(root) {
  const description = h('textarea', { id: 'description', name: 'description', placeholder: 'e.g. Pod auth-7d9f in namespace prod is OOMKilled', maxlength: '4000' });
  const namespace = h('input', { type: 'text', id: 'namespace', name: 'namespace', placeholder: 'prod' });
  const workload = h('input', { type: 'text', id: 'workload', name: 'workload', placeholder: 'checkout or sts/postgres' });
  const message = h('p', { id: 'form-error', className: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', id: 'start' }, 'Start investigation');

  const form = h('form', { className: 'card', id: 'investigate-form' },
    h('p', { className: 'muted' }, 'Describe the problem in your own words, or name a namespace and workload. The analysis streams here; it is not posted to Slack.'),
    h('label', null, h('strong', null, 'What is wrong?'), description),
    h('p', { className: 'muted' }, '— or —'),
    h('div', { className: 'form-row' }, h('label', null, 'Namespace', namespace), h('label', null, 'Workload', workload)),
    message,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { source: 'dashboard' };
    if (description.value.trim()) body.description = description.value.trim();
    if (namespace.value.trim()) body.namespace = namespace.value.trim();
    if (workload.value.trim()) body.workload = workload.value.trim();
    if (!body.description && !body.namespace && !body.workload) {
      message.textContent = 'Describe the problem, or give a namespace and workload.';
      return;
    }
    submit.disabled = true;
    message.textContent = '';
    try {
      const { incident_id: id } = await api('/incidents', { method: 'POST', body: JSON.stringify(body) });
      location.hash = `#/incidents/${id}`;
    } catch (err) {
      message.textContent = err.message;
      submit.disabled = false;
    }
  });
  replace(root, h('h1', null, 'Investigate'), form);
}
