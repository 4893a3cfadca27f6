// The console's shell: log in with a token, one view per hash route, and live updates. A view lists what it
// shows and names the collections it follows; a change on any of them redraws it (at most every 300 ms), so a
// busy fleet costs one watch per collection, never a poll per object.
import * as api from './api.js';
import { h, say } from './ui.js';
import overview from './overview.js';
import machines from './machines.js';
import templates from './templates.js';
import workloads from './workloads.js';
import upgrades from './upgrades.js';
import security from './security.js';

const VIEWS = { overview, machines, templates, workloads, upgrades, security };
let me = null;
let live = null; // the AbortController of the current view's watches

async function login(tokenText) {
  api.setToken(tokenText.trim());
  try {
    me = await api.get('/api/v1/whoami');
  } catch (e) {
    api.setToken(null);
    throw e;
  }
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  const roles = me.platformAdmin ? 'platform admin' : Object.entries(me.tenants).map(([t, r]) => r + ' of ' + t).join(', ') || 'no tenant';
  document.getElementById('who').textContent = me.name + ' (' + roles + ')';
  if (!location.hash || location.hash === '#/') location.hash = '#/overview';
  else show();
}

function logout() {
  api.setToken(null);
  me = null;
  if (live) live.abort();
  document.getElementById('view').replaceChildren();
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('login').hidden = false;
}

async function show() {
  if (!me) return;
  const name = (location.hash.replace(/^#\//, '').split('/')[0]) || 'overview';
  const view = VIEWS[name] || overview;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === '#/' + name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (live) live.abort();
  live = new AbortController();
  const signal = live.signal;
  const target = document.getElementById('view');
  let pending = null;
  const draw = async () => {
    try {
      const node = await view.render(me, () => { if (!signal.aborted) draw(); });
      if (!signal.aborted) target.replaceChildren(node);
    } catch (e) {
      if (!signal.aborted) target.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
    }
  };
  await draw();
  document.getElementById('main').focus();
  const redraw = () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; if (!signal.aborted) draw(); }, 300);
  };
  for (const path of view.follows(me)) api.watch(path, redraw, signal);
  if (view.every) {
    const timer = setInterval(redraw, view.every * 1000);
    signal.addEventListener('abort', () => clearInterval(timer));
  }
  say(view.title + ' shown');
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  try {
    await login(document.getElementById('token').value);
    document.getElementById('token').value = '';
  } catch (err) {
    error.textContent = err.status === 401 ? 'That token is not valid (or was revoked).' : 'Cannot log in: ' + err.message;
  }
});
document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', show);
if (api.token()) login(api.token()).catch(() => logout());
