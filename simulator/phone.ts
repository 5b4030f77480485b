/**
 * The simulator's phone page (`/_sim/phone`): for each SMS number of the simulated extensions, its
 * conversations as a phone shows them — what the package sent, with its delivery status, and what people
 * texted back, with whether the webhook subscription took it. The box at the bottom texts back as the other
 * party (POST /_sim/inbound), which fires the subscriptions like a real inbound SMS.
 */
export const PHONE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>RingCentral simulator — phone</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --blue: #0a84ff; --grey: #e9e9eb; --ink: #1c1c1e; --muted: #8e8e93; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.35 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #f2f2f7; }
  header { padding: 14px 20px; background: #fff; border-bottom: 1px solid #d1d1d6; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 17px; margin: 0 12px 0 0; }
  header label { color: var(--muted); font-size: 13px; }
  select, input, button { font: inherit; }
  main { display: flex; gap: 24px; padding: 24px; align-items: flex-start; }
  .threads { width: 260px; background: #fff; border-radius: 12px; overflow: hidden; box-shadow: 0 1px 3px #0002; }
  .threads h2 { font-size: 13px; text-transform: uppercase; color: var(--muted); margin: 12px 14px 6px; }
  .thread { padding: 10px 14px; border-top: 1px solid #eee; cursor: pointer; }
  .thread.active { background: #e5f1ff; }
  .thread .who { font-weight: 600; }
  .thread .last { color: var(--muted); font-size: 13px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .new { display: flex; gap: 6px; padding: 10px 14px; border-top: 1px solid #eee; }
  .new input { flex: 1; min-width: 0; padding: 6px 8px; border: 1px solid #d1d1d6; border-radius: 8px; }
  .phone { width: 380px; height: 680px; background: #fff; border: 10px solid #1c1c1e; border-radius: 44px; display: flex; flex-direction: column; overflow: hidden; box-shadow: 0 10px 30px #0003; }
  .phone .top { padding: 18px 16px 10px; text-align: center; border-bottom: 1px solid #eee; background: #f9f9f9; }
  .phone .top .party { font-weight: 600; }
  .phone .top .sub { color: var(--muted); font-size: 12px; }
  .messages { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 4px; }
  .bubble { max-width: 78%; padding: 8px 12px; border-radius: 18px; white-space: pre-wrap; word-wrap: break-word; }
  .in { align-self: flex-start; background: var(--grey); }
  .out { align-self: flex-end; background: var(--blue); color: #fff; }
  .meta { font-size: 11px; color: var(--muted); margin: 0 6px 6px; }
  .meta.in { align-self: flex-start; background: none; padding: 0; }
  .meta.out { align-self: flex-end; background: none; padding: 0; color: var(--muted); }
  .status-Delivered { color: #34c759; } .status-DeliveryFailed, .status-SendingFailed, .status-failed { color: #ff3b30; }
  .files { font-size: 12px; opacity: .85; }
  form.reply { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #eee; }
  form.reply input { flex: 1; padding: 9px 12px; border: 1px solid #d1d1d6; border-radius: 18px; }
  form.reply button { border: 0; background: var(--blue); color: #fff; border-radius: 18px; padding: 0 16px; cursor: pointer; }
  .empty { color: var(--muted); text-align: center; margin-top: 40%; padding: 0 20px; }
</style>
</head>
<body>
<header>
  <h1>RingCentral simulator · phone</h1>
  <label>Extension number <select id="number" data-testid="number"></select></label>
  <span id="owner" style="color: var(--muted)"></span>
</header>
<main>
  <section class="threads">
    <h2>Conversations</h2>
    <div id="threads" data-testid="threads"></div>
    <form class="new" id="newThread"><input id="newParty" placeholder="+14155550123" aria-label="Text a new number"><button>Open</button></form>
  </section>
  <section class="phone">
    <div class="top"><div class="party" id="party" data-testid="party">No conversation</div><div class="sub" id="partySub">pick one on the left</div></div>
    <div class="messages" id="messages" data-testid="messages"><div class="empty">Messages the package sends to a number appear here. Pick a conversation, or open one with a new number.</div></div>
    <form class="reply" id="reply"><input id="text" data-testid="reply-text" placeholder="Text back…" autocomplete="off" disabled><button data-testid="reply-send" disabled>Send</button></form>
  </section>
</main>
<script>
const state = { numbers: [], number: '', party: '', threads: [] };
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

async function loadNumbers() {
  state.numbers = await (await fetch('/_sim/numbers')).json();
  const wanted = new URLSearchParams(location.search).get('number');
  $('number').innerHTML = state.numbers.map((n) => '<option value="' + esc(n.number) + '">' + esc(n.number) + ' — ext ' + esc(n.extension) + '</option>').join('');
  state.number = state.numbers.some((n) => n.number === wanted) ? wanted : (state.numbers[0] || {}).number || '';
  $('number').value = state.number;
  state.party = new URLSearchParams(location.search).get('party') || '';
}

function render() {
  const owner = state.numbers.find((n) => n.number === state.number);
  $('owner').textContent = owner ? owner.name : '';
  $('threads').innerHTML = state.threads.map((t) => {
    const last = t.messages[t.messages.length - 1];
    return '<div class="thread' + (t.party === state.party ? ' active' : '') + '" data-party="' + esc(t.party) + '" data-testid="thread"><div class="who">' + esc(t.party) + '</div><div class="last">' + esc(last ? last.text || '(attachment)' : '') + '</div></div>';
  }).join('') || '<div class="thread"><div class="last">No messages yet</div></div>';
  for (const el of document.querySelectorAll('.thread[data-party]')) el.onclick = () => { state.party = el.dataset.party; render(); };
  const thread = state.threads.find((t) => t.party === state.party);
  $('party').textContent = state.party || 'No conversation';
  $('partySub').textContent = state.party ? 'texting ' + state.number : 'pick one on the left';
  $('text').disabled = $('reply').querySelector('button').disabled = !state.party;
  if (!state.party) return;
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  // The page is the other party's phone: what the extension sent is on the left, their own texts on the right.
  box.innerHTML = (thread ? thread.messages : []).map((m) => {
    const side = m.direction === 'Outbound' ? 'in' : 'out';
    const files = m.attachments && m.attachments.length ? '<div class="files">📎 ' + m.attachments.map(esc).join(', ') + '</div>' : '';
    const status = m.direction === 'Outbound' ? m.status : m.status;
    const cls = /failed/i.test(status) ? 'status-failed' : 'status-' + status;
    return '<div class="bubble ' + side + '" data-testid="bubble" data-direction="' + m.direction + '">' + esc(m.text) + files + '</div>' +
      '<div class="meta ' + side + '" data-testid="status">' + time(m.time) + ' · <span class="' + cls + '">' + esc(status) + '</span></div>';
  }).join('') || '<div class="empty">No messages with ' + esc(state.party) + ' yet. Text first below.</div>';
  if (atBottom) box.scrollTop = box.scrollHeight;
}

async function refresh() {
  if (!state.number) return;
  state.threads = await (await fetch('/_sim/conversations?number=' + encodeURIComponent(state.number))).json();
  if (!state.party && state.threads[0]) state.party = state.threads[0].party;
  render();
}

$('number').onchange = () => { state.number = $('number').value; state.party = ''; refresh(); };
$('newThread').onsubmit = (e) => { e.preventDefault(); const p = $('newParty').value.trim(); if (/^\\+[1-9]\\d{6,14}$/.test(p)) { state.party = p; $('newParty').value = ''; render(); } };
$('reply').onsubmit = async (e) => {
  e.preventDefault();
  const text = $('text').value;
  if (!text.trim() || !state.party) return;
  $('text').value = '';
  const res = await fetch('/_sim/inbound', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: state.party, to: state.number, text }) });
  if (!res.ok) alert((await res.json()).message || 'failed');
  refresh();
};

loadNumbers().then(refresh);
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
