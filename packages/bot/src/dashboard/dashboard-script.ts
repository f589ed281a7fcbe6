/**
 * The dashboard's browser script (plain ES2020, no dependencies, no network but this server). It keeps the
 * token in sessionStorage, polls the dashboard data, counts lock TTLs down every second, and offers
 * force-unlock when the token's roles grant it.
 */
export const DASHBOARD_SCRIPT = String.raw`
const api = '/aegis/api/v1/';
const params = new URLSearchParams(location.search);
// One refresh at a time, at most every 2 s whatever ?refresh= asks (the server answers faster polling 429).
const refreshMs = Math.max(2000, Number(params.get('refresh')) || 5000);
let timer = 0;
const repo = params.get('repo') || '';
let token = sessionStorage.getItem('aegis-token') || '';
let data = null, who = null, fetchedAt = 0;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const q = (extra) => { const u = new URLSearchParams(extra || {}); if (repo) u.set('repo', repo); const s = u.toString(); return s ? '?' + s : ''; };
async function call(path, init) {
  const res = await fetch(api + path, { ...init, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(res.status + ' ' + (body.message || body.error || res.statusText));
  return body;
}
function fmtSecs(s) { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return (m ? m + 'm ' : '') + (s % 60) + 's'; }
// Once a second only the countdowns change, so a reason being typed is never wiped.
function tick() {
  const elapsed = (Date.now() - fetchedAt) / 1000;
  for (const el of document.querySelectorAll('[data-left]')) el.textContent = fmtSecs(Number(el.dataset.left) - elapsed);
}
function render() {
  if (!data) return;
  const typed = new Map([...document.querySelectorAll('tr[data-branch] input.reason')].map((i) => [i.closest('tr').dataset.branch, i.value]));
  $('totals').textContent = data.totals.active_locks + ' locks · ' + data.totals.locked_branches + ' locked branches · ' + data.totals.building_shadows + ' shadow builds';
  $('branches').innerHTML = data.branches.map((b) => '<tr data-branch="' + esc(b.branch) + '"><td>' + esc(b.repo) + '</td><td>' + esc(b.branch) + '</td><td><span class="state ' + esc(b.state) + '">' + esc(b.state) + '</span></td><td>' + esc(b.reason) + '</td><td>' + b.locks.length + '</td><td>' +
    (who && who.force_unlock ? '<input class="reason" placeholder="reason" aria-label="reason for ' + esc(b.branch) + '"> <button class="force-unlock" data-repo="' + esc(b.repo) + '" data-branch="' + esc(b.branch) + '">Force unlock</button>' : '') + '</td></tr>').join('') || '<tr><td colspan="6">no branch has state or locks</td></tr>';
  $('locks').innerHTML = data.branches.flatMap((b) => b.locks.map((l) => '<tr class="lock" data-lock="' + esc(l.id) + '"><td>' + esc(b.branch) + '</td><td>' + esc(l.scope) + (l.resource_type ? ' ' + esc(l.resource_type) : '') + (l.resource_id ? ':' + esc(l.resource_id) : '') + '</td><td>' + esc(l.kind) + '</td><td>' + esc(l.holder) + '</td><td>' + esc(l.reason) + '</td><td class="ttl" data-left="' + (b.lock_ttl_seconds[l.id] || 0) + '">' + fmtSecs(b.lock_ttl_seconds[l.id] || 0) + '</td></tr>')).join('') || '<tr><td colspan="6">no live locks</td></tr>';
  $('shadows').innerHTML = data.shadows.map((s) => '<tr><td>' + esc(s.branch) + '</td><td>' + esc(s.index_type) + '</td><td>' + esc(s.state) + '</td><td><progress max="100" value="' + s.progress_percent + '"></progress> ' + s.progress_percent + '%</td><td' + (s.eta_seconds == null ? '>—' : ' data-left="' + s.eta_seconds + '">' + fmtSecs(s.eta_seconds)) + '</td><td><code>' + esc(s.id) + '</code></td></tr>').join('') || '<tr><td colspan="6">no shadow builds in flight</td></tr>';
  for (const i of document.querySelectorAll('tr[data-branch] input.reason')) i.value = typed.get(i.closest('tr').dataset.branch) || '';
  $('audit').innerHTML = data.audit.map((a) => '<tr><td>' + esc(a.at) + '</td><td>' + esc(a.action) + '</td><td>' + esc(a.actor) + '</td><td>' + esc(a.branch) + '</td><td>' + esc(a.reason) + '</td></tr>').join('');
}
async function load() {
  if (!token) { $('status').textContent = 'Enter a token to see the dashboard.'; return; }
  try {
    who = who || await call('whoami');
    data = await call('branch-locks/dashboard' + q());
    fetchedAt = Date.now();
    $('who').textContent = who.identity + ' (' + who.roles.join(', ') + ')' + (who.force_unlock ? ' · admin: force-unlock enabled' : '');
    $('status').textContent = 'Updated ' + new Date().toLocaleTimeString();
    render();
  } catch (e) {
    // 429: polled faster than the server allows (another tab, a click); the next scheduled refresh catches up.
    if (String(e.message).startsWith('429')) return;
    $('status').textContent = 'Error: ' + e.message; if (String(e.message).startsWith('401')) { who = null; }
  }
}
// The next refresh is scheduled when this one ends: never two in flight, never faster than refreshMs.
async function refresh() {
  clearTimeout(timer);
  try { await load(); } finally { timer = setTimeout(refresh, refreshMs); }
}
document.addEventListener('click', async (ev) => {
  const btn = ev.target.closest('button.force-unlock');
  if (!btn) return;
  const reason = btn.parentElement.querySelector('input.reason').value.trim();
  if (!reason) { $('action').textContent = 'A force-unlock needs a reason.'; return; }
  try {
    const out = await call('branch-locks/force-unlock/' + encodeURIComponent(btn.dataset.branch) + '?repo=' + encodeURIComponent(btn.dataset.repo), { method: 'POST', body: JSON.stringify({ reason }) });
    $('action').textContent = 'Force-unlocked ' + out.branch + ': ' + out.released.length + ' lock(s) released';
    await refresh();
  } catch (e) { $('action').textContent = 'Force-unlock refused: ' + e.message; }
});
$('login').addEventListener('submit', (ev) => { ev.preventDefault(); token = $('token').value.trim(); sessionStorage.setItem('aegis-token', token); who = null; refresh(); });
setInterval(tick, 1000);
refresh();
`;
