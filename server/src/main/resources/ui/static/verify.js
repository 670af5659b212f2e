// The log's verification status (GET audit/verify).
'use strict';
(async () => {
  const { el, row, status, api } = Gatehouse;
  status('Verifying the log…');
  try {
    const r = await api('audit/verify');
    const ok = (r.findings ?? []).length === 0;
    const verdict = document.getElementById('verdict');
    verdict.textContent = ok ? (r.unsignedEvents === 0 ? 'Verified: every event is covered by a signed checkpoint.'
      : `Verified, with ${r.unsignedEvents} recent events not yet covered by a signed checkpoint.`)
      : `NOT VERIFIED: ${r.findings.length} finding(s).`;
    verdict.className = 'verdict ' + (ok ? 'ok' : 'error');
    const dl = document.getElementById('summary');
    for (const [k, v] of [['Events', r.events], ['Verified checkpoints', r.checkpoints], ['Signed size', r.signedSize],
      ['Unsigned events', r.unsignedEvents], ['Unsigned tail matching its leaf hashes', r.tailMatched]]) {
      dl.append(el('dt', k), el('dd', v));
    }
    document.querySelector('#findings tbody').replaceChildren(...(r.findings ?? []).map(f =>
      row([f.position, f.kind, f.detail ?? f.message ?? JSON.stringify(f)])));
    status('');
  } catch (e) {
    status('Cannot verify the log: ' + e.message, 'error');
  }
})();
