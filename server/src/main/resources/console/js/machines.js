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

/** Each dock-to-live batch: how many machines settled, joined, were quarantined or failed, and when it should end. */
function batches(list) {
  if (!list.length) return null;
  return [h('h2', {}, 'Dock-to-live batches'),
    table('Dock-to-live batches', ['Batch', 'Pool', 'Progress', 'Joined', 'Quarantined', 'Failed', 'Phase', 'ETA'], list.map((b) => {
      const [done, total] = (b.status.progress || '0/0').split('/').map(Number);
      return [b.metadata.name, b.spec.pool || '—',
        h('span', {}, h('progress', { max: total || 1, value: done || 0, 'aria-label': b.metadata.name + ' progress' }), ' ', b.status.progress || '—'),
        b.status.joined ?? 0, b.status.quarantined ?? 0, b.status.failed ?? 0, badge(b.status.phase || 'New', tone(b.status.phase)),
        b.status.eta ? b.status.eta.replace('T', ' ').replace(/\..*/, '') : (b.status.finishedAt ? 'done' : '—')];
    })),
    (() => {
      const problems = list.flatMap((b) => (b.status.problems || []).map((p) => [b.metadata.name, p.machine, badge(p.state, tone(p.state)), p.reason]));
      return problems.length ? table('Quarantined and failed machines', ['Batch', 'Machine', 'State', 'Why'], problems) : null;
    })()];
}

export default {
  title: 'Machines',
  follows: () => ['/api/v1/machines', '/api/v1/dockbatches'],
  async render(me) {
    const [machines, docks] = await Promise.all([api.items('/api/v1/machines'), api.items('/api/v1/dockbatches')]);
    if (!me.platformAdmin && !machines.length) {
      return h('section', { 'aria-labelledby': 'view-title' }, heading('Machines'), h('p', { class: 'note' }, 'Machines are the platform team\'s; your environments show their nodes.'));
    }
    const lifecycle = {};
    for (const m of machines) {
      const state = (m.status.lifecycle || {}).state || m.status.phase || 'Unknown';
      lifecycle[state] = (lifecycle[state] || 0) + 1;
    }
    return h('section', { 'aria-labelledby': 'view-title' }, heading('Machines'), batches(docks),
      h('h2', {}, 'Machines'),
      h('p', {}, Object.entries(lifecycle).map(([s, n]) => [badge(n + ' ' + s, tone(s)), ' '])),
      table('Machines', ['Machine', 'Site', 'Rack', 'Phase', 'Health', 'Lifecycle', 'GPUs'], machines.map((m) => [
        m.metadata.name, m.spec.site, m.spec.rack || '—', badge(m.status.phase || 'Unknown', tone(m.status.phase)),
        h('span', {}, m.status.health || '—', m.status.message ? h('div', { class: 'help' }, m.status.message) : null),
        (m.status.lifecycle || {}).state ? badge(m.status.lifecycle.state, tone(m.status.lifecycle.state)) : '—',
        inventory(m)])));
  },
};
