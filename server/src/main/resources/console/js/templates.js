// Template versions, the layer diff between two of them, which environments run which version, whether a
// newer one is published, and the solver's explanation when a version no longer fits the catalog.
import * as api from './api.js';
import { h, table, badge, tone, ref, heading } from './ui.js';

const byVersion = (a, b) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  return 0;
};

function diff(from, to) {
  const a = Object.fromEntries((from.spec.layers || []).map((l) => [l.pack, l.version]));
  const b = Object.fromEntries((to.spec.layers || []).map((l) => [l.pack, l.version]));
  const packs = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return table('Layer diff', ['Pack', from.spec.version, to.spec.version, ''], packs.map((p) => [p, a[p] || '—', b[p] || '—',
    a[p] === b[p] ? '' : badge(!a[p] ? 'added' : !b[p] ? 'removed' : 'changed', 'warn')]));
}

function family(name, versions) {
  const sorted = versions.sort((x, y) => byVersion(x.spec.version, y.spec.version));
  const out = h('div', {});
  const pickers = h('p', {});
  const target = h('div', {});
  const from = h('select', { id: 'from-' + name, 'aria-label': name + ': from version' }, sorted.map((t) => h('option', { value: t.spec.version }, t.spec.version)));
  const to = h('select', { id: 'to-' + name, 'aria-label': name + ': to version' }, sorted.map((t) => h('option', { value: t.spec.version }, t.spec.version)));
  if (sorted.length > 1) {
    from.value = sorted[sorted.length - 2].spec.version;
    to.value = sorted[sorted.length - 1].spec.version;
  }
  const redraw = () => target.replaceChildren(diff(sorted.find((t) => t.spec.version === from.value), sorted.find((t) => t.spec.version === to.value)));
  from.addEventListener('change', redraw);
  to.addEventListener('change', redraw);
  pickers.append('Compare ', from, ' with ', to);
  out.append(h('h2', {}, 'Template ' + name),
    table('Versions of ' + name, ['Version', 'Layers', 'Valid', 'Why not'], sorted.map((t) => [t.spec.version, (t.spec.layers || []).length,
      t.status.valid === false ? badge('conflict', 'bad') : badge('valid', 'ok'),
      t.status.valid === false ? Object.entries(t.status.conflicts || {}).map(([f, rs]) => h('div', {}, f + ': ' + rs.join('; '))) : (t.status.warnings || []).join('; ')])),
    pickers, target);
  redraw();
  return out;
}

export default {
  title: 'Templates and environments',
  follows: () => ['/api/v1/stacktemplates', '/api/v1/environments'],
  async render() {
    const [templates, envs] = await Promise.all([api.items('/api/v1/stacktemplates'), api.items('/api/v1/environments')]);
    const families = {};
    for (const t of templates) (families[t.spec.template] = families[t.spec.template] || []).push(t);
    const newest = Object.fromEntries(Object.entries(families).map(([f, vs]) => [f, vs.map((t) => t.spec.version).sort(byVersion).pop()]));
    return h('section', { 'aria-labelledby': 'view-title' }, heading('Templates and environments'),
      h('h2', {}, 'Environments'),
      table('Environments and their template versions', ['Environment', 'Stage', 'Runs', 'Update', 'Nodes in sync', 'Phase'], envs.map((e) => {
        const t = e.spec.template;
        const update = newest[t.name] && byVersion(newest[t.name], t.version) > 0;
        return [ref(e), e.spec.stage, t.name + '@' + t.version, update ? badge('update available: ' + newest[t.name], 'warn') : 'newest',
          (e.status.nodesInSync ?? '—') + ' / ' + (e.status.nodes ?? '—'), badge(e.status.phase || 'New', tone(e.status.phase))];
      })),
      Object.entries(families).map(([name, versions]) => family(name, versions)));
  },
};
