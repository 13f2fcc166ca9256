// The console page: sign-in, dashboard, verdicts, nodes and IP lists over the JSON API.
// Everything a record holds came from a request an attacker wrote, so text only ever reaches
// the page through textContent (the `h` helper), never as HTML.

import { api, ApiError, onUnauthorized } from './api.js';
import { compact, drawTimeline, SERIES } from './chart.js';

const REFRESH_MS = 8000;
const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const VERDICT_PAGE = 25;

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
const testid = (id, root = document) => $(`[data-testid="${id}"]`, root);

/** Creates an element: h('td', {className: 'num', dataset: {testid: 'x'}}, 'text', child…). */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'className' || k === 'textContent' || k === 'title' || k === 'type' || k === 'value' || k === 'href') node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const state = {
  view: 'dashboard',
  auth: null,
  timer: null,
  verdictPages: [null], // `before` cursors of the pages visited; the last is the current one
  verdictNext: null,
  lastVerdicts: [],
  busy: false,
  again: false,
};

// ---------- formatting ----------

function fmtNumber(n) {
  return Number.isFinite(n) ? n.toLocaleString() : '–';
}

function fmtRate(perSecond) {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 10) return `${compact(perSecond)} req/s`;
  return `${perSecond.toFixed(2)} req/s`;
}

function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function fmtAgo(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

function badge(action) {
  return h('span', { className: `badge badge-${action || 'unknown'}` }, (action || '?').replace('_', ' '));
}

function toast(message, kind = 'ok') {
  const node = testid('toast');
  node.textContent = message;
  node.className = `toast toast-${kind}`;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, 4000);
}

function setStatus(text) {
  testid('refresh-status').textContent = text;
}

// ---------- filters ----------

function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The window and filters of the filter bar as API parameters. */
function filterParams() {
  const form = testid('filters');
  const f = Object.fromEntries(new FormData(form).entries());
  let from;
  let to;
  if (f.range === 'custom' && f.from) {
    from = new Date(f.from).toISOString();
    to = f.to ? new Date(f.to).toISOString() : new Date().toISOString();
  } else {
    const now = Date.now();
    to = new Date(now).toISOString();
    from = new Date(now - (RANGES[f.range] || RANGES['1h'])).toISOString();
  }
  return {
    from, to,
    group: f.group, node: f.node, application_id: (f.application_id || '').trim(),
    host: (f.host || '').trim(), action: f.action,
  };
}

function setFilter(name, value) {
  const input = testid('filters').elements.namedItem(name);
  if (!input) return;
  if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) {
    input.append(h('option', { value }, value));
  }
  input.value = value;
}

function fillSelect(select, values) {
  const current = select.value;
  const first = select.options[0];
  select.replaceChildren(first, ...values.map((v) => h('option', { value: v }, v)));
  if (current && !values.includes(current)) select.append(h('option', { value: current }, current));
  select.value = current;
}

// ---------- sign-in ----------

function showSignIn(message) {
  stopRefresh();
  testid('console').hidden = true;
  testid('signin').hidden = false;
  const error = testid('signin-error');
  error.hidden = !message;
  error.textContent = message || '';
  testid('signin-token').focus();
}

function showConsole() {
  testid('signin').hidden = true;
  testid('console').hidden = false;
  testid('signout').hidden = state.auth === 'none';
  route();
  startRefresh();
}

async function boot() {
  onUnauthorized(() => showSignIn('Your session has ended. Sign in again.'));
  try {
    const session = await api.session();
    state.auth = session.auth;
    showConsole();
  } catch (e) {
    showSignIn(e instanceof ApiError && e.status === 401 ? '' : `Cannot reach the collector: ${e.message}`);
  }
}

testid('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = testid('signin-token');
  const button = testid('signin-submit');
  button.disabled = true;
  try {
    const answer = await api.signIn(input.value.trim());
    state.auth = answer.auth;
    input.value = '';
    showConsole();
  } catch (e) {
    const message = e instanceof ApiError && e.status === 401
      ? 'Wrong token: this is not the collector\'s admin token (node tokens cannot sign in).'
      : `Sign-in failed: ${e.message}`;
    showSignIn(message);
    input.select();
  } finally {
    button.disabled = false;
  }
});

testid('signout').addEventListener('click', async () => {
  try { await api.signOut(); } catch (e) { /* the cookie is cleared either way */ }
  state.auth = null;
  showSignIn('Signed out.');
});

// ---------- navigation and refresh ----------

function route() {
  const view = (location.hash || '#dashboard').slice(1);
  state.view = ['dashboard', 'verdicts', 'nodes', 'ip-lists'].includes(view) ? view : 'dashboard';
  for (const section of $$('[data-page]')) section.hidden = section.dataset.page !== state.view;
  for (const link of $$('[data-view]')) link.classList.toggle('active', link.dataset.view === state.view);
  testid('filters').hidden = state.view === 'nodes' || state.view === 'ip-lists';
  refresh();
}

window.addEventListener('hashchange', route);

function startRefresh() {
  stopRefresh();
  state.timer = setInterval(() => {
    if (document.hidden || $('dialog[open]')) return;
    // An older page of verdicts stays put; the newest follows new arrivals.
    if (state.view === 'verdicts' && state.verdictPages.length > 1) return;
    refresh();
  }, REFRESH_MS);
}

function stopRefresh() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

async function refresh() {
  if (testid('console').hidden) return;
  if (state.busy) {
    // A filter changed while a refresh was on its way: run once more after it.
    state.again = true;
    return;
  }
  state.busy = true;
  state.again = false;
  setStatus('Updating…');
  try {
    if (state.view === 'dashboard') await loadDashboard();
    else if (state.view === 'verdicts') await loadVerdicts();
    else if (state.view === 'nodes') await loadNodes();
    else if (state.view === 'ip-lists') await loadIpLists();
    setStatus(`Updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) setStatus(`Update failed: ${e.message}`);
  } finally {
    state.busy = false;
    if (state.again) refresh();
  }
}

async function loadNodeFilters() {
  const { nodes } = await api.nodes();
  fillSelect(testid('filter-node'), nodes.map((n) => n.name));
  fillSelect(testid('filter-group'), [...new Set(nodes.map((n) => n.group).filter(Boolean))].sort());
  return nodes;
}

// ---------- dashboard ----------

async function loadDashboard() {
  const params = filterParams();
  const [summary, timeline] = await Promise.all([api.summary(params), api.timeline(params), loadNodeFilters()]);
  renderSummary(summary);
  drawTimeline(testid('timeline'), timeline);
}

function renderLegend() {
  testid('timeline-legend').replaceChildren(...SERIES.map((s) => h('span', { className: `legend-item ${s.className}` }, h('i'), s.label)));
}

function renderSummary(s) {
  const t = s.totals;
  testid('total-requests').textContent = fmtNumber(t.requests);
  testid('total-rate').textContent = fmtRate(s.request_rate);
  testid('total-blocked').textContent = fmtNumber(t.blocked);
  testid('total-blocked-share').textContent = t.requests > 0 ? `${((100 * t.blocked) / t.requests).toFixed(2)} % of requests` : 'of requests';
  testid('total-monitored').textContent = fmtNumber(t.monitored);
  testid('total-passed').textContent = fmtNumber(t.passed);
  testid('total-rate-limited').textContent = fmtNumber(t.rate_limited);
  testid('total-denied').textContent = fmtNumber(t.denied);
  testid('total-allowed').textContent = t.allowed > 0
    ? `on a block list · ${fmtNumber(t.allowed)} allowed uninspected` : 'on a block list, answered 403';
  testid('total-verdicts').textContent = fmtNumber(s.verdicts);
  testid('verdicts-by-action').textContent = Object.entries(s.verdicts_by_action)
    .map(([action, n]) => `${n.toLocaleString()} ${action.replace('_', ' ')}`).join(' · ') || 'none in this window';

  const top = s.top;
  topList('top-attack-types', top.attack_types.map((e) => ({ label: e.value, count: e.count })));
  topList('top-rules', top.rules.map((r) => ({
    label: String(r.rule_id), sub: r.msg, count: r.count, onclick: () => filterVerdicts({ rule_id: r.rule_id }),
  })));
  topList('top-source-ips', top.source_ips.map((e) => ({
    label: e.value, count: e.count, onclick: () => filterVerdicts({ source_ip: e.value }), block: e.value,
  })));
  topList('top-cves', top.cves.map((e) => ({ label: e.value, count: e.count })));
  topList('top-hosts', top.hosts.map((e) => ({ label: e.value, count: e.count, onclick: () => { setFilter('host', e.value); refresh(); } })));
  topList('top-paths', top.paths.map((e) => ({ label: e.value, count: e.count })));

  const body = $('tbody', testid('applications'));
  body.replaceChildren(...s.applications.map((a) => h('tr', { dataset: { testid: 'application-row' } },
    h('td', {}, a.application_id === '' ? h('span', { className: 'muted' }, 'none') : h('a', { href: '#dashboard', onclick: (ev) => { ev.preventDefault(); setFilter('application_id', a.application_id); refresh(); } }, a.application_id)),
    h('td', { className: 'num' }, fmtNumber(a.requests)),
    h('td', { className: 'num' }, fmtNumber(a.blocked)),
    h('td', { className: 'num' }, fmtNumber(a.monitored)),
    h('td', { className: 'num' }, fmtNumber(a.verdicts)))));
  if (s.applications.length === 0) body.append(h('tr', {}, h('td', { colspan: 5, className: 'muted' }, 'No traffic in this window.')));
}

function topList(id, entries) {
  const list = testid(id);
  const max = Math.max(1, ...entries.map((e) => e.count));
  list.replaceChildren(...entries.map((e) => h('li', { dataset: { testid: `${id}-item` } },
    h('div', { className: 'bar' }),
    h('div', { className: 'toplist-main' },
      e.onclick
        ? h('a', { href: '#verdicts', className: 'toplist-label', dataset: { testid: 'toplist-label' }, onclick: (ev) => { ev.preventDefault(); e.onclick(); } }, e.label)
        : h('span', { className: 'toplist-label', dataset: { testid: 'toplist-label' } }, e.label),
      e.sub ? h('span', { className: 'toplist-sub', title: e.sub }, e.sub) : null),
    e.block ? h('button', { type: 'button', className: 'mini danger-outline', dataset: { testid: 'block-ip' }, title: `Block ${e.block}`, onclick: () => openBlock(e.block) }, 'Block') : null,
    h('span', { className: 'toplist-count', dataset: { testid: 'toplist-count' } }, fmtNumber(e.count)))));
  if (entries.length === 0) list.append(h('li', { className: 'muted empty-item' }, 'Nothing in this window.'));
  // The CSP forbids style attributes in markup; widths set through the CSSOM are allowed.
  $$('.bar', list).forEach((bar, i) => { bar.style.width = `${((100 * entries[i].count) / max).toFixed(1)}%`; });
}

// ---------- verdicts ----------

function filterVerdicts(extra) {
  testid('verdicts-source-ip').value = extra.source_ip || '';
  testid('verdicts-rule-id').value = extra.rule_id !== undefined ? String(extra.rule_id) : '';
  state.verdictPages = [null];
  if (location.hash === '#verdicts') refresh();
  else location.hash = '#verdicts';
}

async function loadVerdicts() {
  const params = filterParams();
  const before = state.verdictPages[state.verdictPages.length - 1];
  const page = await api.verdicts({
    ...params,
    source_ip: testid('verdicts-source-ip').value.trim(),
    rule_id: testid('verdicts-rule-id').value.trim(),
    limit: VERDICT_PAGE,
    before,
  });
  state.verdictNext = page.next;
  state.lastVerdicts = page.verdicts.map((v, i) => ({ record: v, node: page.nodes ? page.nodes[i] : null }));
  testid('verdicts-older').disabled = !page.next;
  testid('verdicts-newest').disabled = state.verdictPages.length <= 1;
  const body = $('tbody', testid('verdicts-table'));
  body.replaceChildren(...state.lastVerdicts.map((item, i) => verdictRow(item, i)));
  testid('verdicts-empty').hidden = state.lastVerdicts.length > 0;
}

function verdictRow({ record: v, node }, index) {
  const rules = (v.matched || []).map((m) => m.id).filter((id) => id !== undefined);
  return h('tr', { dataset: { testid: 'verdict-row', index }, tabindex: 0, onclick: () => openDetail(index), onkeydown: (ev) => { if (ev.key === 'Enter') openDetail(index); } },
    h('td', { className: 'nowrap' }, fmtTime(v.time)),
    h('td', {}, badge(v.action)),
    h('td', { className: 'ellipsis' }, v.host || '–'),
    h('td', { className: 'ellipsis mono', title: `${v.method || ''} ${v.path || ''}` }, `${v.method || ''} ${v.path || ''}`.trim() || '–'),
    h('td', { className: 'mono', dataset: { testid: 'verdict-source-ip' } }, v.source_ip || '–'),
    h('td', { className: 'mono ellipsis' }, rules.slice(0, 3).join(', ') + (rules.length > 3 ? ` +${rules.length - 3}` : '')),
    h('td', { className: 'num' }, v.anomaly_score ?? '–'),
    h('td', {}, node || h('span', { className: 'muted' }, '–')));
}

testid('verdicts-older').addEventListener('click', () => {
  if (!state.verdictNext) return;
  state.verdictPages.push(state.verdictNext);
  refresh();
});
testid('verdicts-newest').addEventListener('click', () => {
  state.verdictPages = [null];
  refresh();
});
for (const id of ['verdicts-source-ip', 'verdicts-rule-id']) {
  testid(id).addEventListener('change', () => { state.verdictPages = [null]; refresh(); });
}

function field(label, value, id) {
  return [h('dt', {}, label), h('dd', { dataset: id ? { testid: id } : undefined }, value ?? '–')];
}

function openDetail(index) {
  const item = state.lastVerdicts[index];
  if (!item) return;
  const v = item.record;
  const dialog = testid('verdict-detail');
  const rules = (v.matched || []).map((m) => h('tr', { dataset: { testid: 'detail-rule' } },
    h('td', { className: 'mono' }, String(m.id)),
    h('td', {}, m.severity ? h('span', { className: `sev sev-${String(m.severity).toLowerCase()}` }, m.severity) : '–'),
    h('td', {}, h('div', {}, m.msg || '–'), m.data ? h('div', { className: 'mono small muted wrap' }, m.data) : null,
      (m.tags || []).length ? h('div', { className: 'tags' }, (m.tags || []).map((t) => h('span', { className: 'tag' }, t))) : null)));
  const body = $('.drawer-body', dialog);
  body.replaceChildren(
    h('div', { className: 'detail-head' }, badge(v.action), h('span', { className: 'mono', dataset: { testid: 'detail-request' } }, `${v.method || ''} ${v.path || ''}`)),
    h('dl', { className: 'fields' },
      field('Time', fmtTime(v.time)),
      field('Host', v.host),
      field('Source IP', h('span', { className: 'inline' },
        h('span', { className: 'mono', dataset: { testid: 'detail-source-ip' } }, v.source_ip || '–'),
        v.source_ip ? h('button', { type: 'button', className: 'mini danger', dataset: { testid: 'detail-block-ip' }, onclick: () => openBlock(v.source_ip, `verdict ${v.unique_id}`) }, 'Block this IP') : null)),
      field('Node', item.node || '–', 'detail-node'),
      field('Anomaly score', v.anomaly_score, 'detail-score'),
      field('Status', v.status),
      field('Mode', v.mode),
      field('Application', v.application_id),
      field('Attack types', (v.attack_types || []).join(', ') || '–'),
      field('CVEs', (v.cves || []).join(', ') || '–'),
      field('Request id', h('span', { className: 'mono small' }, v.unique_id))),
    h('h3', {}, `Matched rules (${(v.matched || []).length}${v.matched_dropped ? ` + ${v.matched_dropped} dropped` : ''})`),
    h('table', { className: 'table', dataset: { testid: 'detail-rules' } },
      h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Severity'), h('th', {}, 'Message and data'))),
      h('tbody', {}, rules)));
  if (!dialog.open) dialog.showModal();
}

testid('verdict-detail').addEventListener('click', (event) => {
  const dialog = testid('verdict-detail');
  if (event.target === dialog || event.target.closest('[data-close]')) dialog.close();
});

// ---------- blocking ----------

function openBlock(ip, context) {
  const dialog = testid('block-dialog');
  testid('block-dialog-ip').textContent = ip;
  dialog.dataset.ip = ip;
  testid('block-dialog-note').value = `blocked from the console${context ? ` (${context})` : ''}`;
  testid('block-dialog-error').hidden = true;
  if (!dialog.open) dialog.showModal();
}

$('form', testid('block-dialog')).addEventListener('submit', async (event) => {
  event.preventDefault();
  const dialog = testid('block-dialog');
  if (event.submitter && event.submitter.value === 'cancel') {
    dialog.close();
    return;
  }
  const expires = testid('block-dialog-expires').value;
  const entry = { list: 'block', cidr: dialog.dataset.ip, note: testid('block-dialog-note').value };
  if (expires) entry.expires_in_s = Number(expires);
  try {
    const created = await api.addIp(entry);
    dialog.close();
    toast(`Blocked ${created && created.cidr ? created.cidr : entry.cidr} on ${created && created.group ? `group ${created.group}` : 'every node'}`);
    if (state.view === 'ip-lists') refresh();
  } catch (e) {
    const error = testid('block-dialog-error');
    error.textContent = `Not blocked: ${e.message}`;
    error.hidden = false;
  }
});

// ---------- nodes ----------

async function loadNodes() {
  const { nodes } = await api.nodes();
  const body = $('tbody', testid('nodes-table'));
  body.replaceChildren(...nodes.map((n) => h('tr', { dataset: { testid: 'node-row', stale: String(n.stale) } },
    h('td', { className: 'strong' }, n.name),
    h('td', {}, n.group || h('span', { className: 'muted' }, '–')),
    h('td', {}, n.revoked ? h('span', { className: 'pill pill-grey' }, 'revoked')
      : n.stale ? h('span', { className: 'pill pill-red', dataset: { testid: 'node-stale' } }, 'stale')
        : h('span', { className: 'pill pill-green' }, 'live')),
    h('td', { title: n.last_seen || '' }, fmtAgo(n.last_seen)),
    h('td', { className: 'mono' }, n.version || '–'),
    h('td', { className: 'mono ellipsis', title: n.ruleset_fingerprint || '' }, n.ruleset_fingerprint ? n.ruleset_fingerprint.slice(0, 16) : '–'),
    h('td', { className: 'num' }, n.rule_count ?? '–'),
    h('td', { className: 'num' }, n.live_workers),
    h('td', { className: 'num' }, n.request_rate.toFixed(2)))));
  testid('nodes-empty').hidden = nodes.length > 0;
}

// ---------- IP lists ----------

async function loadIpLists() {
  const { entries } = await api.ipLists();
  const body = $('tbody', testid('ip-table'));
  body.replaceChildren(...entries.map((e) => h('tr', { dataset: { testid: 'ip-row', expired: String(!!e.expired) }, className: e.expired ? 'dim' : '' },
    h('td', {}, h('span', { className: `pill ${e.list === 'block' ? 'pill-red' : 'pill-green'}` }, e.list)),
    h('td', { className: 'mono', dataset: { testid: 'ip-cidr' } }, e.cidr),
    h('td', {}, e.group || h('span', { className: 'muted' }, 'every node')),
    h('td', { className: 'ellipsis', title: e.note || '' }, e.note || ''),
    h('td', {}, fmtTime(e.created)),
    h('td', {}, e.expires ? `${fmtTime(e.expires)}${e.expired ? ' (expired)' : ''}` : 'never'),
    h('td', { className: 'num' }, h('button', { type: 'button', className: 'mini ghost', dataset: { testid: 'ip-remove' }, onclick: () => removeIp(e) }, 'Remove')))));
  testid('ip-empty').hidden = entries.length > 0;
}

async function removeIp(entry) {
  try {
    await api.removeIp(entry.id);
    toast(`Removed ${entry.cidr} from the ${entry.list} list`);
    refresh();
  } catch (e) {
    toast(`Not removed: ${e.message}`, 'error');
  }
}

testid('ip-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const f = Object.fromEntries(new FormData(form).entries());
  const entry = { list: f.list, cidr: f.cidr.trim(), note: f.note.trim() };
  if (f.expires) entry.expires_in_s = Number(f.expires);
  if (f.group.trim()) entry.group = f.group.trim();
  const error = testid('ip-form-error');
  try {
    const created = await api.addIp(entry);
    error.hidden = true;
    form.reset();
    toast(`Added ${created && created.cidr ? created.cidr : entry.cidr} to the ${entry.list} list`);
    refresh();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  }
});

// ---------- filter bar ----------

const filters = testid('filters');
filters.addEventListener('change', (event) => {
  if (event.target.name === 'range') {
    const custom = event.target.value === 'custom';
    $$('.custom-range', filters).forEach((l) => { l.hidden = !custom; });
    if (custom && !testid('filter-from').value) {
      testid('filter-from').value = localInput(new Date(Date.now() - 3600e3));
      testid('filter-to').value = localInput(new Date());
    }
  }
  state.verdictPages = [null];
  refresh();
});
filters.addEventListener('submit', (event) => event.preventDefault());
testid('filter-reset').addEventListener('click', () => {
  filters.reset();
  $$('.custom-range', filters).forEach((l) => { l.hidden = true; });
  state.verdictPages = [null];
  refresh();
});

window.addEventListener('resize', () => {
  clearTimeout(window.resizeTimer);
  window.resizeTimer = setTimeout(() => { if (state.view === 'dashboard') refresh(); }, 250);
});

renderLegend();
boot();
