// Upgrades: each rollout's progress by wave and node, with pause, resume and abort; and a rollout started
// from here, to a newer published version of the environment's template.
import * as api from './api.js';
import { h, table, badge, tone, ref, heading, say } from './ui.js';

const ACTIVE = /Cordon|Drain|Install|Check|Uncordon|Wait|Rolling|Validat|Upgrading/;

/** The nodes by wave (wave 0 is the canary), each wave with its gate's verdict; nodes not started yet last. */
function nodes(r) {
  const entries = Object.entries(r.status.nodes || {});
  if (!entries.length) return h('span', { class: 'note' }, 'no node started yet');
  const counts = {};
  const byWave = new Map();
  for (const [m, n] of entries) {
    counts[n.phase] = (counts[n.phase] || 0) + 1;
    const key = n.phase === 'Pending' ? 'pending' : (n.wave ?? 0);
    if (!byWave.has(key)) byWave.set(key, []);
    byWave.get(key).push([m, n]);
  }
  const gates = Object.fromEntries((r.status.gates || []).map((g) => [g.wave, g]));
  const waves = [...byWave.keys()].filter((k) => k !== 'pending').sort((a, b) => a - b);
  if (byWave.has('pending')) waves.push('pending');
  const chip = ([m, n]) => h('span', { role: 'listitem', class: 'node ' + (ACTIVE.test(n.phase) ? 'active ' : '') + n.phase, title: m + ': ' + n.phase }, m + ' · ' + n.phase);
  return h('div', {},
    h('p', {}, Object.entries(counts).map(([p, n]) => [badge(n + ' ' + p, tone(p)), ' '])),
    waves.map((w) => {
      const gate = gates[w];
      const label = w === 'pending' ? 'Not started' : w === 0 ? 'Canary (wave 0)' : 'Wave ' + w;
      return h('div', { class: 'wave' },
        h('div', {}, h('strong', {}, label), gate ? [' ', badge(gate.passed ? 'gate passed' : 'gate failed', gate.passed ? 'ok' : 'bad')] : null),
        h('div', { class: 'nodes', role: 'list', 'aria-label': label + ' of ' + r.metadata.name }, byWave.get(w).map(chip)));
    }));
}

async function act(r, patch, what, refresh) {
  const path = '/api/v1/tenants/' + encodeURIComponent(r.metadata.tenant) + '/rollouts/' + encodeURIComponent(r.metadata.name);
  try {
    await api.call('PATCH', path, { spec: patch }, 'application/merge-patch+json');
    say('Rollout ' + r.metadata.name + ' ' + what);
    refresh();
  } catch (e) {
    alert(e.message);
  }
}

function controls(r, me, refresh) {
  const may = me.platformAdmin || me.tenants[r.metadata.tenant] === 'tenant-admin';
  const done = /Completed|Aborted|Halted|WithFailures/.test(r.status.phase || '') || r.spec.abort;
  if (!may || done) return '—';
  return h('span', {},
    r.spec.paused
      ? h('button', { type: 'button', onclick: () => act(r, { paused: false }, 'resumed', refresh) }, 'Resume ' + r.metadata.name)
      : h('button', { type: 'button', class: 'secondary', onclick: () => act(r, { paused: true }, 'paused', refresh) }, 'Pause ' + r.metadata.name),
    ' ',
    h('button', { type: 'button', class: 'danger', onclick: () => {
      if (confirm('Abort ' + r.metadata.name + '? Every changed node goes back to the running version.')) act(r, { abort: true }, 'aborted', refresh);
    } }, 'Abort ' + r.metadata.name));
}

let form = null;
let formKey = '';

function startForm(envs, templates, refresh) {
  const errors = h('div', { role: 'alert', class: 'error' });
  const env = h('select', { id: 'rollout-environment' }, envs.map((e) => h('option', { value: ref(e) }, ref(e) + ' (' + e.spec.template.name + '@' + e.spec.template.version + ')')));
  const to = h('select', { id: 'rollout-target' });
  const canary = h('input', { id: 'rollout-canary', type: 'number', min: 1, value: 1 });
  const maxUnavailable = h('input', { id: 'rollout-max-unavailable', type: 'number', min: 1, value: 1 });
  const targets = () => {
    const e = envs.find((x) => ref(x) === env.value);
    const options = templates.filter((t) => e && t.spec.template === e.spec.template.name && t.spec.version !== e.spec.template.version);
    to.replaceChildren(...options.map((t) => h('option', { value: t.spec.version }, t.spec.template + '@' + t.spec.version)));
  };
  env.addEventListener('change', targets);
  targets();
  const f = h('form', { id: 'rollout-form', 'aria-labelledby': 'rollout-title' },
    h('div', { class: 'form-grid' },
      h('div', {}, h('label', { for: 'rollout-environment' }, 'Environment'), env),
      h('div', {}, h('label', { for: 'rollout-target' }, 'To version'), to),
      h('div', {}, h('label', { for: 'rollout-canary' }, 'Canary nodes'), canary),
      h('div', {}, h('label', { for: 'rollout-max-unavailable' }, 'Nodes at a time'), maxUnavailable)),
    errors, h('button', { type: 'submit' }, 'Start rollout'));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    const [tenant, environment] = env.value.split('/');
    const target = templates.find((t) => t.spec.version === to.value && t.spec.template === envs.find((x) => ref(x) === env.value).spec.template.name);
    if (!target) { errors.append('No newer version of this template is published.'); return; }
    const name = environment + '-' + target.spec.template + '-' + target.spec.version.replaceAll('.', '-');
    try {
      await api.call('POST', '/api/v1/tenants/' + encodeURIComponent(tenant) + '/rollouts', { apiVersion: 'millwright.dev/v1', kind: 'Rollout',
        metadata: { name }, spec: { environment, template: { name: target.spec.template, version: target.spec.version },
          canary: parseInt(canary.value, 10) || 1, maxUnavailable: parseInt(maxUnavailable.value, 10) || 1 } });
      say('Rollout ' + name + ' started');
      refresh();
    } catch (err) {
      errors.append(h('p', {}, err.message), ...Object.entries(err.details).map(([k, rs]) => h('div', {}, k + ': ' + rs.join('; '))));
    }
  });
  return f;
}

export default {
  title: 'Upgrades',
  follows: () => ['/api/v1/rollouts'],
  async render(me, refresh) {
    const [rollouts, envs, templates] = await Promise.all([api.items('/api/v1/rollouts'), api.items('/api/v1/environments'), api.items('/api/v1/stacktemplates')]);
    const mine = envs.filter((e) => me.platformAdmin || me.tenants[e.metadata.tenant] === 'tenant-admin');
    const key = mine.map(ref).join(',') + '|' + templates.length;
    if (!form || key !== formKey) {
      form = mine.length ? startForm(mine, templates, refresh) : h('p', { class: 'note' }, 'Only tenant admins start rollouts.');
      formKey = key;
    }
    return h('section', { 'aria-labelledby': 'view-title' }, heading('Upgrades'),
      table('Rollouts', ['Rollout', 'Environment', 'To', 'Phase', 'Progress by node', 'Actions'], rollouts.map((r) => [
        ref(r), r.spec.environment, r.spec.template.name + '@' + r.spec.template.version,
        h('span', {}, badge((r.spec.paused && !/Completed|Aborted/.test(r.status.phase || '')) ? 'Paused' : (r.status.phase || 'New'), tone(r.status.phase)),
          r.status.message ? h('div', { class: 'help' }, r.status.message) : null),
        nodes(r), controls(r, me, refresh)]), 'No rollouts.'),
      h('h2', { id: 'rollout-title' }, 'Start a rollout'), form);
  },
};
