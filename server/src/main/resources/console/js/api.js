// The API as the console uses it: the same routes as the CLI, with the token the person logged in with.
// Watches read the server-sent events with fetch (EventSource cannot send an Authorization header).

const TOKEN = 'millwright.token';

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN, value);
  else sessionStorage.removeItem(TOKEN);
}

/** An API error: the server's message, and the field errors it names. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.details = (body && body.details) || {};
  }
}

export async function call(method, path, body, contentType = 'application/json') {
  const headers = { Authorization: 'Bearer ' + token() };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const get = (path) => call('GET', path);

/** Every item of a list, or none when the caller may not list it (a 403 is an empty view, not an error). */
export async function items(path) {
  try {
    return (await get(path)).items || [];
  } catch (e) {
    if (e.status === 403 || e.status === 404) return [];
    throw e;
  }
}

/**
 * Follows a list: calls onChange after the initial objects and after every change, until the signal aborts.
 * Reconnects from the last revision seen, so no change is missed and none is seen twice.
 */
export async function watch(path, onChange, signal) {
  let revision = null;
  let synced = false;
  while (!signal.aborted) {
    try {
      const url = path + (path.includes('?') ? '&' : '?') + 'watch=true' + (revision ? '&resourceVersion=' + revision : '');
      const res = await fetch(url, { headers: { Authorization: 'Bearer ' + token() }, signal });
      if (!res.ok) return; // not allowed, or gone: the view shows what it listed
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let data = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) revision = line.slice(4);
            if (line.startsWith('data: ')) data = JSON.parse(line.slice(6));
          }
          if (!data) continue;
          if (data.type === 'ERROR') return;
          if (data.type === 'BOOKMARK') {
            revision = data.resourceVersion;
            // the objects listed before the first bookmark are the view as drawn; one redraw covers the race
            if (!synced) onChange(data);
            synced = true;
          } else if (synced) {
            onChange(data);
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, 2000)); // the server went away: try again shortly
    }
  }
}
