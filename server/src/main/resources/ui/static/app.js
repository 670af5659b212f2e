// Gatehouse UI: what every page shares. Text from the server is only ever set as textContent, never as HTML.
'use strict';
const Gatehouse = (() => {
  const csrf = document.querySelector('meta[name="gatehouse-csrf"]')?.content ?? '';

  /** An element with text (escaped by the DOM) and attributes. */
  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
    return e;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      if (c instanceof Node) td.append(c); else td.textContent = c ?? '';
      tr.append(td);
    }
    return tr;
  }

  function status(text, kind) {
    const s = document.getElementById('status');
    if (!s) return;
    s.textContent = text ?? '';
    s.className = 'status' + (kind ? ' ' + kind : '');
  }

  /** Calls /ui/api/v1/<path> as the signed-in person; a Status error becomes an Error with its message and code. */
  async function api(path, options) {
    const init = { credentials: 'same-origin', headers: { 'Accept': 'application/json' }, ...(options ?? {}) };
    if (init.method === 'POST') {
      init.headers = { ...init.headers, 'Content-Type': 'application/json', 'X-Gatehouse-CSRF': csrf };
    }
    const r = await fetch('/ui/api/v1/' + path, init);
    if (r.status === 401) {
      window.location.assign('/ui/signin');
      throw new Error('not signed in');
    }
    const type = r.headers.get('Content-Type') ?? '';
    const body = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) {
      const e = new Error((body && body.message) || ('HTTP ' + r.status));
      e.code = r.status;
      throw e;
    }
    return body;
  }

  async function signOut() {
    await fetch('/ui/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-Gatehouse-CSRF': csrf } });
    window.location.assign('/ui/signin');
  }

  document.getElementById('signout')?.addEventListener('click', () => signOut());
  const page = document.body.dataset.page;
  document.querySelector(`nav a[data-nav="${page}"]`)?.classList.add('current');

  return { el, row, status, api };
})();
