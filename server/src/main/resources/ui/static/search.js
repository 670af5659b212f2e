// Requests and sessions search over the audit query index (GET audit/events) and the sessions list.
'use strict';
(() => {
  const { el, row, status, api } = Gatehouse;
  const form = document.getElementById('filters');

  function query() {
    const q = new URLSearchParams({ newestFirst: 'true', limit: '200' });
    for (const [k, v] of new FormData(form)) if (String(v).trim()) q.set(k, String(v).trim());
    return q;
  }

  async function search() {
    const q = query();
    status('Searching…');
    try {
      const events = await api('audit/events?' + q);
      document.querySelector('#events tbody').replaceChildren(...events.items.map(e => row([
        e.stageTimestamp ?? e.requestReceivedTimestamp, e.user?.username, e.gatehouse?.cluster, e.verb,
        e.objectRef?.resource, e.objectRef?.namespace, e.objectRef?.name, e.gatehouse?.decision,
        e.responseStatus?.code])));
      const sessions = await api('audit/sessions');
      const wanted = s => (!q.get('user') || s.user === q.get('user')) && (!q.get('cluster') || s.cluster === q.get('cluster'))
        && (!q.get('namespace') || s.namespace === q.get('namespace'));
      document.querySelector('#sessions tbody').replaceChildren(...sessions.items.filter(wanted).map(s => {
        const link = el('a', 'Replay', { href: '/ui/session?id=' + encodeURIComponent(s.id), class: 'replay' });
        return row([s.started, s.user, s.cluster, s.namespace, s.pod, (s.command ?? []).join(' '), link]);
      }));
      status(`${events.items.length} requests, ${sessions.items.filter(wanted).length} sessions`);
    } catch (e) {
      status('Search failed: ' + e.message, 'error');
    }
  }

  form.addEventListener('submit', ev => { ev.preventDefault(); search(); });
  search();
})();
