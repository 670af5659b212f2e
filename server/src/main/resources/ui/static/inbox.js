// The review inbox: pending reviews, decided in place; polled every 3 s.
'use strict';
(() => {
  const { el, row, status, api } = Gatehouse;
  const body = document.querySelector('#reviews tbody');
  const reasons = new Map(); // what was typed survives a refresh
  let busy = false;

  function decision(review) {
    const box = el('div', null, { class: 'decide' });
    if (!review.mayApprove) {
      box.append(el('span', 'not yours to decide', { class: 'muted' }));
      return box;
    }
    const reason = el('input', null, { placeholder: 'reason', 'aria-label': 'reason', 'data-review': review.id,
      class: 'reason' });
    reason.value = reasons.get(review.id) ?? '';
    reason.addEventListener('input', () => reasons.set(review.id, reason.value));
    const approve = el('button', 'Approve', { type: 'button', class: 'approve', 'data-review': review.id });
    const deny = el('button', 'Deny', { type: 'button', class: 'deny', 'data-review': review.id });
    approve.addEventListener('click', () => decide(review.id, 'approve', reason.value));
    deny.addEventListener('click', () => decide(review.id, 'deny', reason.value));
    box.append(reason, approve, deny);
    return box;
  }

  async function decide(id, action, reason) {
    busy = true;
    try {
      const r = await api('reviews/' + encodeURIComponent(id) + '/' + action,
        { method: 'POST', body: JSON.stringify(reason ? { reason } : {}) });
      status(`${action === 'approve' ? 'Approved' : 'Denied'} ${id}: now ${r.state} (${r.approvals})`, 'ok');
      reasons.delete(id);
    } catch (e) {
      status(`Could not ${action} ${id}: ${e.message}`, 'error');
    } finally {
      busy = false;
      refresh();
    }
  }

  async function refresh() {
    if (busy) return;
    try {
      const list = await api('reviews?state=pending');
      if (busy) return;
      const focused = document.activeElement?.dataset?.review;
      body.replaceChildren(...list.items.map(r => {
        const tr = row([r.id, r.requester.user, r.description, r.rule, r.reason, r.approvals, r.expires,
          decision(r)]);
        tr.dataset.review = r.id;
        return tr;
      }));
      if (focused) body.querySelector(`input.reason[data-review="${CSS.escape(focused)}"]`)?.focus();
      document.getElementById('empty').hidden = list.items.length > 0;
    } catch (e) {
      status('Cannot list reviews: ' + e.message, 'error');
    }
  }

  refresh();
  setInterval(refresh, 3000);
})();
