// Machines: lifecycle phase, health and inventory per machine; a dock-to-live batch shows as the machines'
// lifecycle states once machines are being brought in.
import * as api from './api.js';
import { h, table, badge, tone, heading } from './ui.js';

function inventory(m) {
  const gpus = ((m.status.inventory || {}).gpus || []);
  return h('details', {},
    h('summary', {}, gpus.length ? gpus.length + '× ' + gpus[0].model : 'no GPUs reported'),
    table('GPUs of ' + m.metadata.name, ['#', 'Model', 'Memory', 'MIG', 'Confidential computing'],
      gpus.map((g) => [g.index, g.model, (g.memoryGiB || '?') + ' GiB', g.mig ? 'yes' : 'no', g.confidentialComputing ? 'yes' : 'no'])));
}

export default {
  title: 'Machines',
  follows: () => ['/api/v1/machines'],
  async render(me) {
    const machines = await api.items('/api/v1/machines');
    if (!me.platformAdmin && !machines.length) {
      return h('section', { 'aria-labelledby': 'view-title' }, heading('Machines'), h('p', { class: 'note' }, 'Machines are the platform team\'s; your environments show their nodes.'));
    }
    const lifecycle = {};
    for (const m of machines) {
      const state = (m.status.lifecycle || {}).state || m.status.phase || 'Unknown';
      lifecycle[state] = (lifecycle[state] || 0) + 1;
    }
    return h('section', { 'aria-labelledby': 'view-title' }, heading('Machines'),
      h('p', {}, Object.entries(lifecycle).map(([s, n]) => [badge(n + ' ' + s, tone(s)), ' '])),
      table('Machines', ['Machine', 'Site', 'Rack', 'Phase', 'Health', 'Lifecycle', 'GPUs'], machines.map((m) => [
        m.metadata.name, m.spec.site, m.spec.rack || '—', badge(m.status.phase || 'Unknown', tone(m.status.phase)),
        h('span', {}, m.status.health || '—', m.status.message ? h('div', { class: 'help' }, m.status.message) : null),
        (m.status.lifecycle || {}).state ? badge(m.status.lifecycle.state, tone(m.status.lifecycle.state)) : '—',
        inventory(m)])));
  },
};
