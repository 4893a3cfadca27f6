// The factory at a glance: sites, GPUs by model and state, allocation and utilization over the last hour,
// and what needs attention. Platform admins see the fleet; tenant members see their environments.
import * as api from './api.js';
import { h, table, badge, tone, ref, card, heading } from './ui.js';

const shortModel = (m) => (m || '').replace(/^NVIDIA\s+/, '').replace(/\s+HBM\S*$/, '');

function bar(parts, total) {
  return h('div', { class: 'bar', role: 'img', 'aria-label': parts.map(([k, n]) => n + ' ' + k).join(', ') + ' of ' + total },
    parts.filter(([, n]) => n > 0).map(([k, n]) => h('span', { class: k, style: 'width:' + (100 * n / Math.max(1, total)) + '%' })));
}

function chart(title, samples, series, max) {
  const box = h('figure', {}, h('figcaption', {}, title));
  if (!window.uPlot || samples.length < 2) {
    box.append(h('p', { class: 'note' }, 'Collecting samples (one every 10 s)…'));
    return box;
  }
  const xs = samples.map((s) => Date.parse(s.at) / 1000);
  const data = [xs, ...series.map(([, f]) => samples.map(f))];
  const opts = {
    width: 560, height: 200,
    scales: { y: { range: [0, max] } },
    series: [{}, ...series.map(([label], i) => ({ label, stroke: ['#0b5cad', '#1d6b35', '#a4161a'][i], width: 2 }))],
  };
  // drawn once attached, so uPlot can measure its container
  requestAnimationFrame(() => new window.uPlot(opts, data, box));
  return box;
}

async function fleet(me) {
  const [summary, history, sites, machines, workloads, rollouts, envs] = await Promise.all([
    api.get('/api/v1/fleet'), api.get('/api/v1/fleet/history'), api.items('/api/v1/sites'), api.items('/api/v1/machines'),
    api.items('/api/v1/workloads'), api.items('/api/v1/rollouts'), api.items('/api/v1/environments')]);
  const allocated = {};
  for (const w of workloads) {
    if ((w.status.placements || []).length && w.status.gpuModel) {
      const m = shortModel(w.status.gpuModel);
      allocated[m] = (allocated[m] || 0) + (w.status.totalGpus || 0);
    }
  }
  const models = Object.entries(summary.gpus.byModel || {});
  const totalAllocated = Object.values(allocated).reduce((a, b) => a + b, 0);
  const out = [heading('Factory overview')];
  out.push(h('div', { class: 'cards' },
    card('Sites', sites.length, sites.map((s) => s.metadata.name).join(', ')),
    card('Machines', summary.machines.total, Object.entries(summary.machines.byPhase).map(([p, n]) => n + ' ' + p).join(', ')),
    card('GPUs', summary.gpus.total, totalAllocated + ' allocated'),
    card('Workloads', workloads.length, workloads.filter((w) => w.status.phase === 'Pending').length + ' pending')));

  out.push(h('h2', {}, 'GPUs by model and state'));
  out.push(h('p', { class: 'legend' }, h('span', { class: 'allocated' }, 'allocated'), h('span', { class: 'idle' }, 'idle'),
    h('span', { class: 'failed' }, 'failed'), h('span', { class: 'maintenance' }, 'in maintenance')));
  out.push(table('GPUs by model and state', ['Model', 'Total', 'Allocated', 'Idle', 'Failed', 'In maintenance', ''],
    models.map(([model, c]) => {
      const a = allocated[shortModel(model)] || allocated[model] || 0;
      const idle = Math.max(0, c.healthy - a);
      return [model, c.total, a, idle, c.failed, c.maintenance,
        bar([['allocated', a], ['failed', c.failed], ['maintenance', c.maintenance]], c.total)];
    })));

  out.push(h('h2', {}, 'Sites'));
  out.push(table('Sites', ['Site', 'Kind', 'Region', 'Jurisdiction', 'GPUs'], sites.map((s) => [s.metadata.name, s.spec.kind, s.spec.region,
    s.spec.jurisdiction, Object.entries((summary.gpus.bySite || {})[s.metadata.name] || {}).map(([m, n]) => n + '× ' + m).join(', ') || '—'])));

  out.push(h('h2', {}, 'Allocation and utilization, last hour'));
  out.push(h('div', { class: 'charts' },
    chart('GPUs allocated of total', history.samples, [['allocated', (s) => s.allocated], ['total', (s) => s.total]],
      Math.max(1, ...history.samples.map((s) => s.total))),
    chart('Mean GPU utilization (%)', history.samples, [['utilization', (s) => Math.round(s.utilization * 100)]], 100)));

  out.push(h('h2', {}, 'Alerts'));
  out.push(alerts(machines, rollouts, envs));
  return out;
}

function alerts(machines, rollouts, envs) {
  const rows = [];
  for (const m of machines) {
    if (/Failed|Unreachable/.test(m.status.phase || '') || (m.status.failedGpus || 0) > 0) {
      rows.push([badge('machine', 'bad'), m.metadata.name, (m.status.phase || '') + (m.status.failedGpus ? ', ' + m.status.failedGpus + ' failed GPUs' : ''),
        m.status.message || m.status.reason || '']);
    }
  }
  for (const r of rollouts) {
    if (/Halted|Paused|WithFailures/.test(r.status.phase || '')) rows.push([badge('rollout', 'warn'), ref(r), r.status.phase, r.status.haltReason || r.status.message || '']);
  }
  for (const e of envs) {
    for (const f of (e.status.vulnerabilities || {}).findings || []) {
      if (f.rating === 'critical') rows.push([badge('CVE', 'bad'), ref(e), f.name + ' (' + f.package + ')', (f.remediation || {}).summary || f.fix || '']);
    }
  }
  return table('Alerts', ['', 'Object', 'State', 'Detail'], rows, 'Nothing needs attention: no failed machines, stalled rollouts or critical CVEs.');
}

async function tenantView(me) {
  const [envs, workloads, rollouts] = await Promise.all([api.items('/api/v1/environments'), api.items('/api/v1/workloads'), api.items('/api/v1/rollouts')]);
  return [heading('Overview'),
    h('div', { class: 'cards' }, card('Environments', envs.length), card('Workloads', workloads.length,
      workloads.filter((w) => w.status.phase === 'Pending').length + ' pending'), card('Rollouts', rollouts.length)),
    h('h2', {}, 'Environments'),
    table('Environments', ['Environment', 'Stage', 'Template', 'GPUs', 'Phase', 'Vulnerabilities'], envs.map((e) => [ref(e), e.spec.stage,
      e.spec.template.name + '@' + e.spec.template.version, e.status.gpus || '—', badge(e.status.phase || 'New', tone(e.status.phase)),
      (e.status.vulnerabilities || {}).summary || '—'])),
    h('h2', {}, 'Alerts'), alerts([], rollouts, envs)];
}

export default {
  title: 'Overview',
  every: 10, // the charts' samples: one request every 10 s, the only periodic one
  follows: (me) => me.platformAdmin ? ['/api/v1/machines', '/api/v1/workloads', '/api/v1/rollouts', '/api/v1/environments']
    : ['/api/v1/workloads', '/api/v1/rollouts', '/api/v1/environments'],
  async render(me) {
    return h('section', { 'aria-labelledby': 'view-title' }, ...(me.platformAdmin ? await fleet(me) : await tenantView(me)));
  },
};
