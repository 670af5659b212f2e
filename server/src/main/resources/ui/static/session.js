// One session: its summary, its recording replayed with asciinema-player, and the recording's text.
'use strict';
(async () => {
  const { el, status, api } = Gatehouse;
  const id = new URLSearchParams(window.location.search).get('id') ?? '';
  if (!/^[A-Za-z0-9-]{1,128}$/.test(id)) {
    status('No session named (expected: /ui/session?id=<session id>)', 'error');
    return;
  }
  try {
    const about = await api('audit/sessions/' + id);
    const dl = document.getElementById('about');
    for (const [k, v] of [['Session', about.id], ['Identity', about.user], ['Cluster', about.cluster],
      ['Namespace', about.namespace], ['Pod', about.pod], ['Command', (about.command ?? []).join(' ')],
      ['Started', about.started], ['Ended', about.ended], ['Audit ID', about.auditID]]) {
      dl.append(el('dt', k), el('dd', v ?? ''));
    }
    const cast = await api('audit/sessions/' + id + '/cast', { headers: { 'Accept': 'application/x-asciicast' } });
    const text = typeof cast === 'string' ? cast : JSON.stringify(cast);
    const lines = text.split('\n').filter(l => l.trim());
    const seen = lines.slice(1).map(l => { try { return JSON.parse(l); } catch { return null; } })
      .filter(e => Array.isArray(e) && (e[1] === 'o' || e[1] === 'i')).map(e => e[2]).join('');
    document.getElementById('transcript').textContent = seen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    AsciinemaPlayer.create({ data: text }, document.getElementById('player'), { fit: 'width', idleTimeLimit: 1, autoPlay: true, rows: 12 });
    status('');
  } catch (e) {
    status('Cannot show session ' + id + ': ' + e.message, 'error');
  }
})();
