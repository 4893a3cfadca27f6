// Small DOM helpers: elements are built, never parsed from strings, so object names cannot inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A table with a caption (for screen readers), column headers, and one row per item. */
export function table(caption, headers, rows, empty = 'None.') {
  if (!rows.length) return h('p', { class: 'note' }, empty);
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

export function badge(text, tone) {
  return h('span', { class: 'badge ' + (tone || '') }, text);
}

/** The tone of a phase: green when all is well, amber while moving, red when something failed. */
export function tone(phase) {
  if (!phase) return '';
  if (/fail|halt|quarantin|unreachable|refused|error|dead|critical/i.test(phase)) return 'bad';
  if (/ready|running|completed|succeeded|joined|insync|planned|active|upgraded/i.test(phase)) return 'ok';
  return 'warn';
}

export function say(text) {
  const live = document.getElementById('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

/** "tenant/name" for tenant objects, "name" for platform ones. */
export function ref(o) {
  return o.metadata.tenant ? o.metadata.tenant + '/' + o.metadata.name : o.metadata.name;
}

export function card(label, value, note) {
  return h('div', { class: 'card' }, h('div', {}, label), h('div', { class: 'big' }, value), note ? h('div', { class: 'note' }, note) : null);
}

/** The view's title, which its section is labelled by. */
export function heading(text) {
  return h('h1', { id: 'view-title' }, text);
}
