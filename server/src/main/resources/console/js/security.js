// Security: each environment's exposure, every finding with what fixes it, the policies and what they deny
// (platform admins), and the audit log (platform admins, and tenant admins for their tenant).
import * as api from './api.js';
import { h, table, badge, ref, heading } from './ui.js';

const RATING = { critical: 'bad', high: 'bad', medium: 'warn', low: '', unscored: '' };

async function audit(me) {
  const tenants = Object.entries(me.tenants).filter(([, r]) => r === 'tenant-admin').map(([t]) => t);
  const paths = me.platformAdmin ? ['/api/v1/audit?limit=30'] : tenants.map((t) => '/api/v1/audit?limit=30&tenant=' + encodeURIComponent(t));
  const entries = (await Promise.all(paths.map((p) => api.get(p).then((r) => r.items).catch(() => [])))).flat();
  if (!paths.length) return h('p', { class: 'note' }, 'The audit log is for platform admins and tenant admins.');
  return table('Audit log', ['When', 'Who', 'Did', 'Object', 'Outcome'], entries.map((e) => [e.at.replace('T', ' ').replace(/\..*/, ''), e.actor, e.verb,
    e.kind + ' ' + (e.tenant ? e.tenant + '/' : '') + e.name, h('span', {}, e.outcome, e.reason ? h('div', { class: 'help' }, e.reason) : null)]));
}

export default {
  title: 'Security',
  follows: (me) => me.platformAdmin ? ['/api/v1/environments', '/api/v1/policies'] : ['/api/v1/environments'],
  async render(me) {
    const [envs, policies] = await Promise.all([api.items('/api/v1/environments'), me.platformAdmin ? api.items('/api/v1/policies') : []]);
    const findings = [];
    for (const e of envs) {
      for (const f of (e.status.vulnerabilities || {}).findings || []) findings.push([e, f]);
    }
    return h('section', { 'aria-labelledby': 'view-title' }, heading('Security'),
      h('h2', {}, 'Exposure by environment'),
      table('Exposure', ['Environment', 'Template', 'Vulnerabilities'], envs.map((e) => [ref(e), e.spec.template.name + '@' + e.spec.template.version,
        (e.status.vulnerabilities || {}).summary || 'not computed yet'])),
      h('h2', {}, 'Findings and their remediation'),
      table('Findings', ['Finding', 'Rating', 'Environment', 'Package', 'Fixed in', 'Remediation'], findings.map(([e, f]) => [
        h('span', { title: (f.ids || []).join(' ') }, f.name), badge(f.rating + (f.score !== undefined ? ' ' + f.score : ''), RATING[f.rating]), ref(e), f.package,
        f.fixedIn || 'no fix known', (f.remediation || {}).summary || '—']), 'No known vulnerability in any environment.'),
      me.platformAdmin ? [h('h2', {}, 'Policies and what they deny'),
        table('Policies', ['Policy', 'Judges', 'Enforcement', 'Objects judged', 'Violations', 'First ones'], policies.map((p) => [p.metadata.name, p.spec.subject,
          p.spec.enforcement || 'Deny', p.status.evaluated ?? '—', p.status.violations ?? '—',
          (p.status.violating || []).slice(0, 3).map((v) => h('div', {}, v.object + ': ' + v.message))]))] : null,
      h('h2', {}, 'Audit log'), await audit(me));
  },
};
