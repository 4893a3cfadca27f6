// Workloads and queues: what runs where, what waits and why, quota against use; and a practitioner's
// self-service: a form generated from an AppTemplate's parameter schema deploys a workload.
import * as api from './api.js';
import { h, table, badge, tone, ref, heading, say } from './ui.js';

/** One input per parameter of the schema: its type, bounds, default and description. */
function field(name, schema, required) {
  const id = 'param-' + name;
  const help = schema.description ? h('p', { class: 'help', id: id + '-help' }, schema.description) : null;
  let input;
  if (Array.isArray(schema.enum)) {
    input = h('select', { id, name }, schema.enum.map((v) => h('option', { value: v }, v)));
    if (schema.default !== undefined) input.value = schema.default;
  } else if (schema.type === 'boolean') {
    input = h('input', { id, name, type: 'checkbox', checked: schema.default === true });
  } else if (schema.type === 'integer' || schema.type === 'number') {
    input = h('input', { id, name, type: 'number', step: schema.type === 'integer' ? 1 : 'any', min: schema.minimum, max: schema.maximum,
      placeholder: schema.default !== undefined ? String(schema.default) : null });
  } else {
    input = h('input', { id, name, type: 'text', pattern: schema.pattern, placeholder: schema.default !== undefined ? String(schema.default) : null });
  }
  if (required) input.required = true;
  if (help) input.setAttribute('aria-describedby', id + '-help');
  input.dataset.type = schema.type || 'string';
  return h('div', {}, h('label', { for: id }, name + (required ? ' (required)' : '')), input, help);
}

function value(input) {
  if (input.type === 'checkbox') return input.checked;
  if (input.value === '') return undefined;
  if (input.dataset.type === 'integer') return parseInt(input.value, 10);
  if (input.dataset.type === 'number') return Number(input.value);
  return input.value;
}

function deployForm(envs, apps, refresh) {
  const params = h('div', { class: 'form-grid', id: 'parameters' });
  const errors = h('div', { role: 'alert', class: 'error', id: 'deploy-errors' });
  const name = h('input', { id: 'workload-name', name: 'name', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?' });
  const env = h('select', { id: 'workload-environment' }, envs.map((e) => h('option', { value: ref(e) }, ref(e))));
  const app = h('select', { id: 'workload-app' }, apps.map((a) => h('option', { value: a.metadata.name }, a.spec.displayName || a.metadata.name)));
  const replicas = h('input', { id: 'workload-replicas', type: 'number', min: 1, value: 1 });
  const showParams = () => {
    const schema = (apps.find((a) => a.metadata.name === app.value) || { spec: {} }).spec.parameters || {};
    const required = new Set(schema.required || []);
    params.replaceChildren(...Object.entries(schema.properties || {}).map(([n, s]) => field(n, s, required.has(n))));
  };
  app.addEventListener('change', showParams);
  showParams();
  const form = h('form', { id: 'deploy-form', 'aria-labelledby': 'deploy-title' },
    h('div', { class: 'form-grid' },
      h('div', {}, h('label', { for: 'workload-name' }, 'Name'), name),
      h('div', {}, h('label', { for: 'workload-environment' }, 'Environment'), env),
      h('div', {}, h('label', { for: 'workload-app' }, 'Application'), app),
      h('div', {}, h('label', { for: 'workload-replicas' }, 'Replicas'), replicas)),
    h('h3', {}, 'Parameters'), params, errors, h('button', { type: 'submit' }, 'Deploy'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    const [tenant, environment] = env.value.split('/');
    const parameters = {};
    for (const input of params.querySelectorAll('input, select')) {
      const v = value(input);
      if (v !== undefined) parameters[input.name] = v;
    }
    try {
      await api.call('POST', '/api/v1/tenants/' + encodeURIComponent(tenant) + '/workloads', {
        apiVersion: 'millwright.dev/v1', kind: 'Workload', metadata: { name: name.value },
        spec: { environment, app: app.value, replicas: parseInt(replicas.value, 10) || 1, parameters } });
      say('Workload ' + name.value + ' deployed');
      refresh();
    } catch (err) {
      const lines = Object.entries(err.details).map(([f, rs]) => f + ': ' + rs.join('; '));
      errors.replaceChildren(h('p', {}, err.message), ...lines.map((l) => h('div', {}, l)));
    }
  });
  return form;
}

// kept across redraws, so a change elsewhere never wipes what someone is typing
let form = null;
let formKey = '';

function deploy(envs, apps, refresh) {
  const key = envs.map(ref).join(',') + '|' + apps.map((a) => a.metadata.resourceVersion).join(',');
  if (!form || key !== formKey) {
    form = deployForm(envs, apps, refresh);
    formKey = key;
  }
  return form;
}

export default {
  title: 'Workloads and queues',
  follows: () => ['/api/v1/workloads', '/api/v1/queues'],
  async render(me, refresh) {
    const [workloads, queues, envs, apps] = await Promise.all([api.items('/api/v1/workloads'), api.items('/api/v1/queues'),
      api.items('/api/v1/environments'), api.items('/api/v1/apptemplates')]);
    const writable = envs.filter((e) => me.platformAdmin || ['tenant-admin', 'practitioner'].includes(me.tenants[e.metadata.tenant]));
    return h('section', { 'aria-labelledby': 'view-title' }, heading('Workloads and queues'),
      table('Workloads', ['Workload', 'Environment', 'Application', 'Phase', 'GPUs', 'Where', 'Why it waits'], workloads.map((w) => [
        ref(w), w.spec.environment, w.spec.app, badge(w.status.phase || 'New', tone(w.status.phase)),
        w.status.gpus || w.status.totalGpus || '—',
        (w.status.placements || []).map((p) => p.machine).join(', ') || '—',
        w.status.phase === 'Pending' || w.status.phase === 'Blocked' ? (w.status.reason || '') : ''])),
      h('h2', {}, 'Queues: quota and use'),
      table('Queues', ['Queue', 'GPUs used / guaranteed', 'Pending'], queues.map((q) => [ref(q), q.status.gpus || '—', q.status.pending ?? 0]),
        'No queues: workloads borrow idle GPUs.'),
      h('h2', { id: 'deploy-title' }, 'Deploy a workload'),
      writable.length ? deploy(writable, apps, refresh) : h('p', { class: 'note' }, 'You may not deploy in any environment.'));
  },
};
