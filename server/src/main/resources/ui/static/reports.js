// Reports: GET reports lists them; each offers GET reports/<name>?from&to&format=json|csv|html as downloads.
'use strict';
(() => {
  const { el, row, status, api } = Gatehouse;
  const form = document.getElementById('period');
  let reports = [];

  function links(name) {
    const box = el('span', null, { class: 'downloads' });
    for (const format of ['json', 'csv', 'html']) {
      const q = new URLSearchParams({ format });
      for (const [k, v] of new FormData(form)) if (String(v).trim()) q.set(k, String(v).trim());
      box.append(el('a', format.toUpperCase(), { href: '/ui/api/v1/reports/' + encodeURIComponent(name) + '?' + q,
        download: `${name}.${format}`, class: 'download', 'data-format': format }));
    }
    return box;
  }

  function render() {
    document.querySelector('#reports tbody').replaceChildren(...reports.map(r =>
      row([r.title ?? r.name, r.description ?? '', links(r.name)])));
  }

  form.addEventListener('input', render);
  (async () => {
    try {
      const list = await api('reports');
      reports = (Array.isArray(list) ? list : []).filter(r => r && typeof r.name === 'string');
      render();
      status(reports.length ? '' : 'No reports.');
    } catch (e) {
      status(e.code === 404 ? 'Reports unavailable: this gateway does not serve the reports API yet.'
        : 'Reports unavailable: ' + e.message, 'error');
    }
  })();
})();
